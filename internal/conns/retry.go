package conns

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// RetryPolicy is the one retry policy for both clouds: exponential backoff
// with jitter, at most MaxRetries retries after the first attempt, except
// for a throttled call that is safe to repeat under a deadline: throttling
// says the call is fine and the account busy, so it is retried until the
// operation's timeout (ctx's deadline), not for a count of attempts that
// a busy account uses up in seconds. Without a deadline the count holds.
type RetryPolicy struct {
	MaxRetries int
	BaseDelay  time.Duration
	MaxDelay   time.Duration
}

// DefaultBaseDelay and DefaultMaxDelay shape the backoff. Tests shorten them
// for their client (TestSettings).
const (
	DefaultBaseDelay = 500 * time.Millisecond
	DefaultMaxDelay  = 20 * time.Second
)

// delay is the wait before retry n (0-based): a random duration in
// [d/2, d] where d = BaseDelay*2^n, capped at MaxDelay.
func (p RetryPolicy) delay(n int) time.Duration {
	d := p.BaseDelay << min(n, 30)
	if d <= 0 || d > p.MaxDelay {
		d = p.MaxDelay
	}
	half := d / 2
	return half + rand.N(half+1) //nolint:gosec // jitter needs no cryptographic randomness
}

// Do runs attempt until it succeeds, fails permanently, retries run out or
// ctx ends. The returned CloudError carries the number of attempts.
func (p RetryPolicy) Do(ctx context.Context, operation string, idempotent bool, attempt func(context.Context) error) error {
	var last error // the last attempt's error, for the error at the deadline
	for n := 0; ; n++ {
		err := attempt(ctx)
		if err == nil {
			return nil
		}
		var ce *CloudError
		if errors.As(err, &ce) {
			ce.Attempts = n + 1
			if f, ok := ctx.Value(attemptObserverKey{}).(func(error)); ok && ce.HTTPStatus != 0 {
				cp := *ce // a copy: this one is still the caller's to change
				f(&cp)
			}
		}
		if ctx.Err() != nil {
			if (ce == nil || ce.HTTPStatus == 0) && last != nil {
				// Stopped while waiting to send again (pacing) or
				// while a request was out: the cloud's last answer says
				// more than the context.
				err = last
			}
			return contextError(ctx, operation, err)
		}
		last = err
		if !retryable(err, idempotent) || n >= p.MaxRetries && !untilDeadline(ctx, err, idempotent) {
			return err
		}
		wait := p.delay(n)
		if ce != nil && ce.RetryAfter > wait {
			// What the cloud asked, plus up to a quarter more so that
			// processes told the same do not come back in step.
			wait = ce.RetryAfter + rand.N(ce.RetryAfter/4+1) //nolint:gosec // jitter
		}
		tflog.Debug(ctx, "cloudlock: retrying cloud call", map[string]any{
			"operation": operation, "attempt": n + 1, "wait_ms": wait.Milliseconds(), "error": err.Error(),
		})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return contextError(ctx, operation, last)
		case <-t.C:
		}
	}
}

type attemptObserverKey struct{}

// WithAttemptObserver has f told of every answer of the cloud that failed
// an attempt of a call made with ctx, as it comes (a copy of its
// CloudError), and of the throttling answer a call waits out before it is
// sent. A call shared by several
// callers (the ECS batched reads) uses it so that a caller that stops
// waiting is told what the cloud last said, not only that its time ran out.
func WithAttemptObserver(ctx context.Context, f func(error)) context.Context {
	return context.WithValue(ctx, attemptObserverKey{}, f)
}

// untilDeadline: a throttled idempotent call under a deadline is retried
// until the deadline.
func untilDeadline(ctx context.Context, err error, idempotent bool) bool {
	var ce *CloudError
	_, hasDeadline := ctx.Deadline()
	return hasDeadline && idempotent && errors.As(err, &ce) && isThrottle(ce)
}

// contextError says plainly that a timeout or cancellation stopped the call,
// keeping the last cloud error for context.
func contextError(ctx context.Context, operation string, last error) error {
	cause := ctx.Err()
	if errors.Is(cause, context.DeadlineExceeded) {
		return &StoppedError{Operation: operation, Reason: ReasonTimedOut, Last: last}
	}
	return &StoppedError{Operation: operation, Reason: ReasonCancelled, Last: last}
}

// StoppedError is a call stopped by its context (a timeout or Ctrl-C).
type StoppedError struct {
	Operation string
	Reason    string
	Last      error
}

func (e *StoppedError) Error() string {
	return e.Operation + " " + e.Reason + "; last error: " + e.Last.Error()
}

func (e *StoppedError) Unwrap() error { return e.Last }

// Interrupted reports whether the call was cancelled (Ctrl-C), not timed out.
func (e *StoppedError) Interrupted() bool { return e.Reason == ReasonCancelled }

// The reasons of a StoppedError.
const (
	ReasonTimedOut  = "timed out"
	ReasonCancelled = "was cancelled"
)
