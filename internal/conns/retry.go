package conns

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// RetryPolicy is the one retry policy for both clouds: exponential backoff
// with full jitter, at most MaxRetries retries after the first attempt.
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
	for n := 0; ; n++ {
		err := attempt(ctx)
		if err == nil {
			return nil
		}
		var ce *CloudError
		if errors.As(err, &ce) {
			ce.Attempts = n + 1
		}
		if ctx.Err() != nil {
			return contextError(ctx, operation, err)
		}
		if n >= p.MaxRetries || !retryable(err, idempotent) {
			return err
		}
		wait := p.delay(n)
		tflog.Debug(ctx, "cloudlock: retrying cloud call", map[string]any{
			"operation": operation, "attempt": n + 1, "wait_ms": wait.Milliseconds(), "error": err.Error(),
		})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return contextError(ctx, operation, err)
		case <-t.C:
		}
	}
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
