package conns

import (
	"context"
	"sync"
	"testing"
	"time"
)

// withLimiter gives c a limiter for key made from p, as c.limiter would
// (profiles built with the real scale, whatever the test binary set).
func withLimiter(c *Client, cloud, op string, p paceProfile) *limiter {
	l := newLimiter(p)
	c.pace.limiters = map[string]*limiter{cloud + "/" + op: l}
	return l
}

// Huawei is not paced until throttled; one APIGW.0308 answer to one caller
// drops the API to 0.5 calls/s for every caller of it, which then recovers
// by doubling every 60 s.
func TestPaceThrottleSlowsEveryCaller(t *testing.T) {
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
	if d := time.Since(start); d > 1500*time.Millisecond { // paced at 8/s they would take 2.4 s
		t.Fatalf("20 unthrottled calls took %v: Huawei must not be paced before throttling", d)
	}

	// Caller A is throttled.
	err := c.paced(context.Background(), cloudHuawei, op, func(context.Context) error {
		return &CloudError{HTTPStatus: 429, Code: "APIGW.0308"}
	})
	if err == nil {
		t.Fatal("the throttling answer was lost")
	}
	if r := l.rate(); r != 0.5 {
		t.Fatalf("rate after throttling = %v, want 0.5", r)
	}
	// Callers B, C (other goroutines, never throttled themselves) now wait
	// for the slow rate: 2 s, then 4 s.
	start = time.Now()
	done := make(chan time.Duration, 2)
	for range 2 {
		go func() {
			_ = c.paced(context.Background(), cloudHuawei, op, ok)
			done <- time.Since(start)
		}()
	}
	first, second := <-done, <-done
	if first < 1900*time.Millisecond || second < 3900*time.Millisecond {
		t.Fatalf("callers after throttling went after %v and %v, want ≥ 2 s and ≥ 4 s", first, second)
	}
	// Another API is not slowed.
	start = time.Now()
	_ = c.paced(context.Background(), cloudHuawei, "ecs.LockServer", ok)
	if d := time.Since(start); d > time.Second { // the throttled API's next slot is 4 s away
		t.Errorf("another API waited %v", d)
	}

	// Recovery: the rate doubles for each 60 s without throttling, and is
	// unpaced again past 64/s.
	l.mu.Lock()
	l.throttled = l.throttled.Add(-61 * time.Second)
	l.mu.Unlock()
	if r := l.rate(); r != 1 {
		t.Fatalf("rate 61 s after throttling = %v, want 1", r)
	}
	l.mu.Lock()
	l.throttled, l.recovered = l.throttled.Add(-8*time.Minute), time.Time{}
	l.mu.Unlock()
	if r := l.rate(); r != unpaced {
		t.Fatalf("rate 9 min after throttling = %v, want unpaced", r)
	}
}

// Alibaba halves its rate on throttling, once for a burst of throttled
// callers, down to 1/s, and recovers every 5 s.
func TestPaceAlibabaThrottleHalves(t *testing.T) {
	l := newLimiter(alibabaProfile(DefaultAlibabaCallsPerSecond, 1))
	for range 5 { // five callers throttled by the same burst
		l.throttle()
	}
	if r := l.rate(); r != 4 {
		t.Fatalf("rate = %v, want 4 (halved once)", r)
	}
	l.mu.Lock()
	l.throttled = l.throttled.Add(-2 * time.Second)
	l.mu.Unlock()
	l.throttle()
	if r := l.rate(); r != 2 {
		t.Fatalf("rate = %v, want 2", r)
	}
	l.mu.Lock()
	l.throttled = l.throttled.Add(-11 * time.Second)
	l.mu.Unlock()
	if r := l.rate(); r != 8 {
		t.Fatalf("rate 11 s later = %v, want 8", r)
	}
}

// A caller whose context ends while it waits gives its slot back.
func TestPaceHonoursContext(t *testing.T) {
	l := newLimiter(alibabaProfile(1, 1))
	if err := l.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := l.wait(ctx); err == nil || time.Since(start) > 500*time.Millisecond {
		t.Fatalf("wait = %v after %v", err, time.Since(start))
	}
}
