package conns

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Client-side pacing. Every call of the process goes through one limiter per
// cloud and API (operation), kept on the Client, so all concurrent callers of
// an API share its budget. When any call of an API is throttled the limiter's
// rate drops for every caller of that API, then recovers step by step.
//
// Defaults, and why:
//   - Alibaba (Bastionhost): 8 calls/s per API, evenly spaced. The documented
//     limit is 10 calls/s (UnlockUsers/LockUsers) per account; 8 leaves room
//     for calls that meet on the wire closer than they left, and for other
//     callers of the account. Throttled: the rate halves (floor 1/s) and
//     doubles back every 5 s without throttling.
//   - Huawei (API gateway): no pacing until a call is throttled. The limit
//     seen in the field, 200 calls per 5 minutes per account (0.67/s), is not
//     the same for every account and API, and pacing every run at 0.67/s
//     would cost every user minutes (a 1,000-lock apply: 50 minutes) for a
//     limit most never meet. An APIGW.0308 or 429 drops that API to 0.5
//     calls/s at once, for every caller (150 per 5 minutes, well under 200),
//     and the rate doubles back only every 60 s without throttling (the
//     gateway's window is minutes long), to no pacing once above 64/s.
//     A user who knows the account's limit sets rate_limits.huaweicloud.
const (
	DefaultAlibabaCallsPerSecond = 8.0
	// unpaced is the rate of an API that is not paced.
	unpaced = 1e9
)

// paceProfile is how one cloud's limiters behave.
type paceProfile struct {
	rate    float64       // calls per second when not throttled
	floor   float64       // lowest rate after throttling
	recover time.Duration // rate doubles after this long without throttling
	drop    func(rate float64) float64
}

// throttleScale speeds up the slow-down after throttling, for tests that
// inject many throttling answers (SetThrottlePacingForTesting).
var throttleScale = 1.0

// SetThrottlePacingForTesting makes the rates after throttling scale times
// higher and their recovery scale times faster, so that fault tests that
// throttle on purpose do not wait minutes. The pacing tests use 1.
func SetThrottlePacingForTesting(scale float64) { throttleScale = scale }

func huaweiProfile(rate, scale float64) paceProfile {
	return paceProfile{rate: rate, floor: min(0.5*scale, rate), recover: scaled(60*time.Second, scale),
		drop: func(float64) float64 { return 0 }} // straight to floor
}

func alibabaProfile(rate, scale float64) paceProfile {
	return paceProfile{rate: rate, floor: min(1*scale, rate), recover: scaled(5*time.Second, scale),
		drop: func(r float64) float64 { return r / 2 }}
}

func scaled(d time.Duration, scale float64) time.Duration {
	return time.Duration(float64(d) / scale)
}

// limiter is a token bucket whose rate can drop and recover.
type limiter struct {
	mu        sync.Mutex
	p         paceProfile
	cur       float64   // current rate
	tokens    float64   // may go negative: callers that reserved a later slot
	last      time.Time // when tokens was last brought up to date
	throttled time.Time // last drop
	recovered time.Time // last step back up
}

func newLimiter(p paceProfile) *limiter {
	return &limiter{p: p, cur: p.rate, tokens: 1, last: time.Now()}
}

// refill brings tokens and the rate up to now; l.mu is held.
func (l *limiter) refill(now time.Time) {
	if l.cur < l.p.rate && !l.throttled.IsZero() {
		since := l.recovered
		if since.Before(l.throttled) {
			since = l.throttled
		}
		for now.Sub(since) >= l.p.recover && l.cur < l.p.rate {
			l.tokens += now.Sub(l.last).Seconds() * l.cur // earned at the old rate
			l.last = now
			l.cur = min(l.cur*2, l.p.rate)
			if l.cur > 64 {
				l.cur = l.p.rate // unpaced again, or the configured rate
			}
			since = since.Add(l.p.recover)
			l.recovered = since
		}
	}
	// A bucket of one: calls are evenly spaced, never a burst.
	l.tokens = min(l.tokens+now.Sub(l.last).Seconds()*l.cur, 1)
	l.last = now
}

// wait takes a token, sleeping until one is due, or returns ctx's error
// (giving the reserved slot back).
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	l.refill(now)
	l.tokens--
	var d time.Duration
	if l.tokens < 0 {
		d = time.Duration(-l.tokens / l.cur * float64(time.Second))
	}
	l.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		l.mu.Lock()
		l.tokens++
		l.mu.Unlock()
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// throttle slows every caller: the rate drops (at most once per second, so
// the many callers throttled by one burst count once) and queued tokens go.
func (l *limiter) throttle() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.refill(now)
	if now.Sub(l.throttled) < time.Second {
		return
	}
	l.throttled = now
	l.cur = max(l.p.drop(l.cur), l.p.floor)
	l.tokens = min(l.tokens, 0)
}

// rate is the current rate, for tests and logs.
func (l *limiter) rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill(time.Now())
	return l.cur
}

// pacer holds the limiters of one Client, by cloud and API.
type pacer struct {
	mu       sync.Mutex
	limiters map[string]*limiter
}

func (c *Client) limiter(cloud, operation string) *limiter {
	key := cloud + "/" + operation
	c.pace.mu.Lock()
	defer c.pace.mu.Unlock()
	if l, ok := c.pace.limiters[key]; ok {
		return l
	}
	if c.pace.limiters == nil {
		c.pace.limiters = map[string]*limiter{}
	}
	var p paceProfile
	if cloud == cloudHuawei {
		p = huaweiProfile(c.cfg.RateLimits.huawei(), throttleScale)
	} else {
		p = alibabaProfile(c.cfg.RateLimits.alibaba(), throttleScale)
	}
	l := newLimiter(p)
	c.pace.limiters[key] = l
	return l
}

// paced runs one attempt after the API's limiter allows it, and slows the API
// down for every caller when the answer is throttling.
func (c *Client) paced(ctx context.Context, cloud, operation string, attempt func(context.Context) error) error {
	l := c.limiter(cloud, operation)
	if err := l.wait(ctx); err != nil {
		return err
	}
	err := attempt(ctx)
	var ce *CloudError
	if errors.As(err, &ce) && isThrottle(ce) {
		l.throttle()
	}
	return err
}

// RateLimits are the provider's rate_limits: calls per second per API, 0
// meaning the default (Huawei: unpaced until throttled; Alibaba: 8).
type RateLimits struct {
	Huawei  float64
	Alibaba float64
}

func (r RateLimits) huawei() float64 {
	if r.Huawei > 0 {
		return r.Huawei
	}
	return unpaced
}

func (r RateLimits) alibaba() float64 {
	if r.Alibaba > 0 {
		return r.Alibaba
	}
	return DefaultAlibabaCallsPerSecond
}

const (
	cloudHuawei  = "huaweicloud"
	cloudAlibaba = "alicloud"
)
