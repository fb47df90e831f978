package conns

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// These tests run on synctest's fake clock: every wait is exact, and
// none of them waits on the wall.

// withLimiter gives c a limiter for key made from p, as c.limiter would
// (profiles built with the real scale, whatever the test binary set).
func withLimiter(c *Client, cloud, op string, p paceProfile) *limiter {
	l := newLimiter(p)
	c.pace.limiters = map[string]*limiter{cloud + "/" + op: l}
	return l
}

var gatewayThrottled = &CloudError{HTTPStatus: 429, Code: "APIGW.0308",
	Message: "The throttling threshold has been reached: policy user over ratelimit,limit:200,time:5 minute"}

// Huawei is not paced until throttled; one APIGW.0308 answer to one caller
// drops the API, for every caller of it, to what the message says the
// account allows (200 calls per 5 minutes), and it recovers by doubling
// once per window (5 minutes) without throttling. A 429 that says no limit
// drops it to 0.5 calls/s, recovering every 60 s.
func TestPaceThrottleSlowsEveryCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := New(Config{})
		const op = "ecs.ShowServer"
		l := withLimiter(c, cloudHuawei, op, huaweiProfile(unpaced, 1))
		ok := func(context.Context) error { return nil }

		start := time.Now()
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() { _ = c.paced(context.Background(), cloudHuawei, op, ok) })
		}
		wg.Wait()
		if d := time.Since(start); d != 0 {
			t.Fatalf("20 unthrottled calls took %v: Huawei must not be paced before throttling", d)
		}

		// Caller A is throttled.
		err := c.paced(context.Background(), cloudHuawei, op, func(context.Context) error {
			ce := *gatewayThrottled
			return &ce
		})
		if err == nil {
			t.Fatal("the throttling answer was lost")
		}
		if r := l.rate(); r != 200.0/300 {
			t.Fatalf("rate after throttling = %v, want 200/300 s", r)
		}
		// Callers B, C (never throttled themselves) now wait for the slow
		// rate: 1.5 s a call.
		start = time.Now()
		_ = c.paced(context.Background(), cloudHuawei, op, ok)
		_ = c.paced(context.Background(), cloudHuawei, op, ok)
		if d := time.Since(start); d != 3*time.Second {
			t.Fatalf("two callers after throttling took %v, want 3 s", d)
		}
		// Another API is not slowed.
		start = time.Now()
		_ = c.paced(context.Background(), cloudHuawei, "ecs.LockServer", ok)
		if d := time.Since(start); d != 0 {
			t.Errorf("another API waited %v", d)
		}
		// Recovery: once per window, doubling; unpaced again past 64/s.
		time.Sleep(5*time.Minute + time.Second)
		if r := l.rate(); r != 400.0/300 {
			t.Fatalf("rate a window after throttling = %v, want twice 200/300 s", r)
		}
		time.Sleep(40 * time.Minute)
		if r := l.rate(); r != unpaced {
			t.Fatalf("rate 45 min after throttling = %v, want unpaced", r)
		}

		// A 429 without a stated limit: 0.5/s, back up every 60 s.
		l2 := newLimiter(huaweiProfile(unpaced, 1))
		l2.throttle(&CloudError{HTTPStatus: 429}, time.Now())
		if r := l2.rate(); r != 0.5 {
			t.Fatalf("rate after a bare 429 = %v, want 0.5", r)
		}
		time.Sleep(61 * time.Second)
		if r := l2.rate(); r != 1 {
			t.Fatalf("61 s later = %v, want 1", r)
		}
	})
}

// Issue 24: a throttled API slows every caller at once, those already
// queued included. 16 callers queue at 8 calls/s; 20 ms later one answer
// says the account allows 4 calls/s: the 15 still waiting give up the
// slots they had at 8/s and take new ones at 4/s, so the last goes at
// 20 ms + 15 × 250 ms, not at 15 × 125 ms.
func TestPaceThrottleRequeuesQueuedCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(huaweiProfile(8, 1))
		start := time.Now()
		var mu sync.Mutex
		var last time.Duration
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if err := l.wait(context.Background()); err != nil {
					t.Error(err)
				}
				mu.Lock()
				last = max(last, time.Since(start))
				mu.Unlock()
			})
		}
		time.Sleep(20 * time.Millisecond)
		l.throttle(&CloudError{HTTPStatus: 429, Code: "APIGW.0308", Message: "policy user over ratelimit,limit:4,time:1 second"}, time.Now())
		wg.Wait()
		if want := 20*time.Millisecond + 15*250*time.Millisecond; last != want {
			t.Fatalf("the last queued caller went after %v, want %v (at the new rate)", last, want)
		}
	})
}

// Alibaba: throttled, the rate drops to 0.7 of itself, once for a burst of
// calls sent before the drop, again for each refused call sent after it;
// it climbs back by 0.5 calls/s a second, twice as fast for each further
// quiet second, and is never under the floor.
func TestPaceAlibabaThrottleAIMD(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		near := func(got, want float64) bool { return got > want-1e-9 && got < want+1e-9 }
		l := newLimiter(alibabaProfile(DefaultAlibabaCallsPerSecond, 1))
		throttled := &CloudError{HTTPStatus: 400, Code: "Throttling.User"}
		sentBefore := time.Now()
		for range 5 { // five callers throttled by the same burst
			l.throttle(throttled, sentBefore)
		}
		if r := l.rate(); !near(r, 5.6) {
			t.Fatalf("rate = %v, want 5.6 (dropped once)", r)
		}
		time.Sleep(10 * time.Millisecond)
		l.throttle(throttled, sentBefore) // sent at the old rate: nothing new
		if r := l.rate(); !near(r, 5.6) {
			t.Fatalf("rate = %v after a refusal of a call sent before the drop", r)
		}
		// A call sent after the drop and refused is news: the rate drops
		// again at once, not a second later.
		l.throttle(throttled, time.Now())
		if r := l.rate(); !near(r, 3.92) {
			t.Fatalf("rate = %v, want 5.6 × 0.7", r)
		}
		time.Sleep(1500 * time.Millisecond)
		if r := l.rate(); !near(r, 4.42) {
			t.Fatalf("rate 1.5 s later = %v, want 3.92 + 0.5", r)
		}
		time.Sleep(time.Second) // quiet again: one more step
		if r := l.rate(); !near(r, 4.92) {
			t.Fatalf("rate 2.5 s later = %v, want 3.92 + 2 × 0.5", r)
		}
		time.Sleep(time.Second) // and again: two steps
		if r := l.rate(); !near(r, 5.92) {
			t.Fatalf("rate 3.5 s later = %v, want 3.92 + 4 × 0.5", r)
		}
		time.Sleep(30 * time.Second)
		if r := l.rate(); r != 8 {
			t.Fatalf("rate 30 s later = %v, want 8", r)
		}
		for range 20 { // many drops: never below the floor
			time.Sleep(time.Millisecond)
			l.throttle(throttled, time.Now())
		}
		if r := l.rate(); r != 0.5 {
			t.Fatalf("rate %v, want the floor 0.5", r)
		}
	})
}

// A caller whose context ends while it waits returns at once and gives its
// slot back.
func TestPaceHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(alibabaProfile(1, 1))
		if err := l.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := l.wait(ctx); err == nil || time.Since(start) != 50*time.Millisecond {
			t.Fatalf("wait = %v after %v", err, time.Since(start))
		}
		start = time.Now()
		if err := l.wait(context.Background()); err != nil || time.Since(start) != 950*time.Millisecond {
			t.Fatalf("the next caller waited %v, want the slot given back (950 ms)", time.Since(start))
		}
	})
}

// A wait for the window of 5 s or more is said once in the log, with how
// long and what the cloud said of the limit.
func TestPaceLongWaitSaidOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out bytes.Buffer
		ctx := tflogtest.RootLogger(context.Background(), &out)
		l := newLimiter(huaweiProfile(unpaced, 1))
		l.throttle(&CloudError{HTTPStatus: 429, Code: "APIGW.0308", Message: "policy user over ratelimit,limit:10,time:1 minute"}, time.Now())
		for range 4 { // 6 s apart
			if err := l.wait(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := strings.Count(out.String(), "over its API rate limit"); n != 1 {
			t.Fatalf("said %d times, want once:\n%s", n, out.String())
		}
		if !strings.Contains(out.String(), `"account_limit":"10 calls per 1m0s"`) || !strings.Contains(out.String(), `"wait_s":6`) {
			t.Fatalf("the log line lacks the limit or the wait: %s", out.String())
		}
	})
}

func TestParseGatewayLimit(t *testing.T) {
	for msg, want := range map[string]*gatewayLimit{
		"The throttling threshold has been reached: policy user over ratelimit,limit:200,time:5 minute": {200, 5 * time.Minute},
		"policy ip over ratelimit,limit:20,time:1 second":                                               {20, time.Second},
		"policy user over ratelimit,limit:3,time:250 millisecond":                                       {3, 250 * time.Millisecond},
		"limit:5,time:2 hours":                         {5, 2 * time.Hour},
		"Request was denied due to user flow control.": nil,
		"limit:0,time:1 minute":                        nil,
	} {
		got := parseGatewayLimit(msg)
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Errorf("%q: %+v, want %+v", msg, got, want)
		}
	}
}
