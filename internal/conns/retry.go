package conns

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"syscall"
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

// huaweiThrottleCodes are API Gateway's flow-control codes.
var huaweiThrottleCodes = []string{"APIGW.0308"}

// retryable says whether a failed attempt may be sent again. Throttling,
// 5xx and connection errors are transient; other 4xx are not. A call that is
// not idempotent is retried only when the cloud cannot have acted on it:
// throttled, or the connection was never made.
func retryable(err error, idempotent bool) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ce *CloudError
	if !errors.As(err, &ce) {
		return false
	}
	if ce.HTTPStatus == 0 {
		if ce.Err == nil {
			return false
		}
		if errors.Is(ce.Err, context.Canceled) || errors.Is(ce.Err, context.DeadlineExceeded) {
			return false
		}
		if !isTransportError(ce.Err) || isCertificateError(ce.Err) {
			return false
		}
		return idempotent || neverSent(ce.Err)
	}
	if isThrottle(ce) {
		return true
	}
	if ce.HTTPStatus < 300 {
		// A success answer that could not be read (truncated, empty, not
		// JSON): the cloud may have acted, so only a call that is safe to
		// repeat asks again rather than trust or drop what it cannot read.
		return idempotent
	}
	return idempotent && ce.HTTPStatus >= 500
}

func isThrottle(ce *CloudError) bool {
	if ce.HTTPStatus == 429 || strings.HasPrefix(ce.Code, "Throttling") {
		return true
	}
	for _, c := range huaweiThrottleCodes {
		if ce.Code == c {
			return true
		}
	}
	return false
}

// isTransportError reports a failure to exchange bytes with the cloud, as
// opposed to a local error (bad request, bad credentials object).
func isTransportError(err error) bool {
	var netErr net.Error
	var urlErr *url.Error
	return errors.As(err, &netErr) || errors.As(err, &urlErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

// isCertificateError reports a TLS verification failure: no retry mends it.
func isCertificateError(err error) bool {
	var verr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	return errors.As(err, &verr) || errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host)
}

// neverSent reports a connection that failed before the request left.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}
