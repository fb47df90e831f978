package conns

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

func testPolicy(max int) RetryPolicy {
	return RetryPolicy{MaxRetries: max, BaseDelay: time.Millisecond, MaxDelay: 8 * time.Millisecond}
}

func TestRetryableClassification(t *testing.T) {
	dial := &CloudError{Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}
	reset := &CloudError{Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}
	cases := []struct {
		name       string
		err        error
		idempotent bool
		want       bool
	}{
		{"429", &CloudError{HTTPStatus: 429}, false, true},
		{"APIGW.0308 throttling", &CloudError{HTTPStatus: 429, Code: "APIGW.0308"}, false, true},
		{"Alibaba Throttling.User (400)", &CloudError{HTTPStatus: 400, Code: "Throttling.User"}, false, true},
		{"Alibaba Throttling.Api", &CloudError{HTTPStatus: 503, Code: "Throttling.Api"}, false, true},
		{"500 idempotent", &CloudError{HTTPStatus: 500}, true, true},
		{"502 idempotent", &CloudError{HTTPStatus: 502}, true, true},
		{"503 not idempotent", &CloudError{HTTPStatus: 503}, false, false},
		{"400", &CloudError{HTTPStatus: 400, Code: "InvalidParameter"}, true, false},
		{"401", &CloudError{HTTPStatus: 401, Code: "APIGW.0301"}, true, false},
		{"403", &CloudError{HTTPStatus: 403, Code: "SMS.9004"}, true, false},
		{"404", &CloudError{HTTPStatus: 404}, true, false},
		{"409", &CloudError{HTTPStatus: 409}, true, false},
		{"bad body on 200, idempotent", &CloudError{HTTPStatus: 200}, true, true},
		{"bad body on 200, not idempotent", &CloudError{HTTPStatus: 200}, false, false},
		{"bad body on 202, not idempotent", &CloudError{HTTPStatus: 202}, false, false},
		{"connection refused, not idempotent", dial, false, true},
		{"connection reset, idempotent", reset, true, true},
		{"connection reset, not idempotent", reset, false, false},
		{"context cancelled", &CloudError{Err: context.Canceled}, true, false},
		{"plain error", errors.New("x"), true, false},
	}
	for _, c := range cases {
		if got := retryable(c.err, c.idempotent); got != c.want {
			t.Errorf("%s: retryable = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRetryStopsAtMaxRetries(t *testing.T) {
	calls := 0
	err := testPolicy(3).Do(context.Background(), "op", true, func(context.Context) error {
		calls++
		return &CloudError{HTTPStatus: 503}
	})
	if calls != 4 {
		t.Fatalf("calls = %d, want 4 (1 + 3 retries)", calls)
	}
	var ce *CloudError
	if !errors.As(err, &ce) || ce.Attempts != 4 {
		t.Fatalf("err = %v, want CloudError with Attempts 4", err)
	}
}

func TestRetryDoesNotRetryPermanentErrors(t *testing.T) {
	calls := 0
	_ = testPolicy(5).Do(context.Background(), "op", true, func(context.Context) error {
		calls++
		return &CloudError{HTTPStatus: 403, Code: "SMS.9004"}
	})
	if calls != 1 {
		t.Fatalf("calls = %d, want 1", calls)
	}
}

func TestRetrySucceedsAfterTransientErrors(t *testing.T) {
	calls := 0
	err := testPolicy(5).Do(context.Background(), "op", true, func(context.Context) error {
		calls++
		if calls < 3 {
			return &CloudError{HTTPStatus: 429}
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("err = %v, calls = %d; want nil, 3", err, calls)
	}
}

// A deadline stops the backoff: Do returns when the deadline passes, not
// when the 1 s wait before the next attempt ends. On synctest's fake clock
// "when" is exact, whatever the machine's load.
func TestRetryHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := RetryPolicy{MaxRetries: 10, BaseDelay: time.Second, MaxDelay: time.Second}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		attempts := 0
		err := p.Do(ctx, "sms.UnlockTargetEcs", true, func(context.Context) error { attempts++; return &CloudError{HTTPStatus: 503} })
		if d := time.Since(start); d != 50*time.Millisecond || attempts != 1 {
			t.Fatalf("Do returned after %v and %d attempts, want at the 50ms deadline after 1", d, attempts)
		}
		var se *StoppedError
		if !errors.As(err, &se) || se.Reason != "timed out" {
			t.Fatalf("err = %v, want a StoppedError that timed out", err)
		}
	})
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n, want := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		want *= time.Millisecond
		for i := 0; i < 50; i++ {
			d := p.delay(n)
			if d < want/2 || d > want {
				t.Fatalf("delay(%d) = %v, want within [%v, %v]", n, d, want/2, want)
			}
		}
	}
}

// A throttled idempotent call is retried until its operation's deadline,
// however few retries the policy counts; without a deadline, or for a call
// that is not idempotent, the count holds. On fake time: 10 minutes of
// throttling cost no wall time.
func TestRetryThrottledUntilDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := RetryPolicy{MaxRetries: 2, BaseDelay: 500 * time.Millisecond, MaxDelay: 20 * time.Second}
		throttled := func(n *int) func(context.Context) error {
			return func(context.Context) error {
				*n++
				return &CloudError{HTTPStatus: 429, Code: "APIGW.0308", RequestID: "req-1"}
			}
		}
		// Throttled for 3 minutes, then admitted: a 10-minute read outlasts it.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		start, n := time.Now(), 0
		err := p.Do(ctx, "ecs.ListServersDetails", true, func(ctx context.Context) error {
			if time.Since(start) < 3*time.Minute {
				return throttled(&n)(ctx)
			}
			return nil
		})
		if err != nil || n <= p.MaxRetries+1 {
			t.Fatalf("err %v after %d throttled attempts; want success past the %d retries", err, n, p.MaxRetries)
		}
		// A read whose timeout is shorter than the throttling fails at its
		// deadline, with the cloud's code and request id.
		ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
		defer cancel2()
		n = 0
		err = p.Do(ctx2, "ecs.ListServersDetails", true, throttled(&n))
		var se *StoppedError
		var ce *CloudError
		if !errors.As(err, &se) || se.Reason != "timed out" || !errors.As(err, &ce) || ce.Code != "APIGW.0308" || ce.RequestID != "req-1" ||
			!strings.Contains(err.Error(), "request id: req-1") {
			t.Fatalf("err = %v; want a timeout carrying APIGW.0308 and its request id", err)
		}
		// No deadline: the count.
		n = 0
		_ = p.Do(context.Background(), "op", true, throttled(&n))
		if n != 3 {
			t.Fatalf("without a deadline: %d attempts, want 3", n)
		}
		// Not idempotent: the count (a write is retried only where it is safe, and only so often).
		n = 0
		_ = p.Do(ctx, "op", false, throttled(&n))
		if n != 3 {
			t.Fatalf("a write: %d attempts, want 3", n)
		}
	})
}

// A Retry-After is honoured: the retry waits at least that long, and at
// most a quarter more (jitter, so that processes told the same part).
func TestRetryHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := testPolicy(1)
		var times []time.Time
		_ = p.Do(context.Background(), "op", true, func(context.Context) error {
			times = append(times, time.Now())
			return &CloudError{HTTPStatus: 429, RetryAfter: 8 * time.Second}
		})
		if len(times) != 2 {
			t.Fatalf("%d attempts", len(times))
		}
		if d := times[1].Sub(times[0]); d < 8*time.Second || d > 10*time.Second {
			t.Fatalf("retried after %v, want 8–10 s", d)
		}
	})
}

func TestRetryAfterHeader(t *testing.T) {
	for h, want := range map[string]time.Duration{"": 0, "7": 7 * time.Second, "0": 0, "soon": 0, " 3 ": 3 * time.Second} {
		if got := retryAfter(h); got != want {
			t.Errorf("%q: %v, want %v", h, got, want)
		}
	}
}
