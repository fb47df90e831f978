package conns

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Client-side pacing. Every call of the process goes through one limiter per
// cloud and API (operation), kept on the Client, so all concurrent callers of
// an API share its budget. When any call of an API is throttled the limiter's
// rate drops for every caller of that API at once, those already queued
// included, then recovers step by step.
//
// Several processes (concurrent plans of one account) share the account's
// limit without knowing of each other. Each one decreases multiplicatively
// when throttled and increases slowly when not (AIMD, as TCP does), so
// together they converge near the limit, each to about a fair share; the
// throttled calls are retried with jitter (retry.go), so processes do not
// retry in step.
//
// Defaults, and why:
//   - Alibaba (Bastionhost): 8 calls/s per API, evenly spaced. The documented
//     limit is 10 calls/s (UnlockUsers/LockUsers) per account; 8 leaves room
//     for calls that meet on the wire closer than they left. Throttled: the
//     rate drops to 0.7 of itself (floor 0.5/s), once per refusal of a call
//     sent after the last drop (one burst of refusals is one signal), and
//     climbs back by 0.5 calls/s for each second without throttling (the
//     account's window is one second), twice as fast for each further
//     quiet second: a process left alone (the others finished) is back at
//     full rate in a few seconds, while processes that share the account
//     are refused again before their steps grow.
//   - Huawei (API gateway): no pacing until a call is throttled. The limit
//     seen in the field, 200 calls per 5 minutes per account (0.67/s), is not
//     the same for every account and API, and pacing every run at 0.67/s
//     would cost every user minutes (a 1,000-lock apply: 50 minutes) for a
//     limit most never meet. An APIGW.0308 says the limit and its window
//     ("limit:200,time:5 minute"): the API drops at once, for every caller,
//     to what the account allows over the window (200/300 s); a 429 without
//     them to 0.5 calls/s. Throttled again, the rate halves. It doubles back
//     only once per window without throttling (60 s when the window is
//     unknown), to no pacing once above 64/s.
//     A user who knows the account's limit sets rate_limits.huaweicloud.
//
// Invariants of a limiter:
//  1. l.mu guards every field below it; no caller sleeps holding it.
//  2. Slots are evenly spaced at 1/cur: l.next is the earliest time the next
//     slot may start, and each caller that takes a slot moves it on by one
//     interval. No two callers hold the same slot.
//  3. A drop of the rate (throttle) applies to every caller of the API at
//     once: it closes l.changed, and each caller still waiting for a slot
//     it reserved at the old rate gives it up and takes a new one at the
//     new rate, after the slots the drop reserved for nobody.
//  4. A caller that stops waiting (its context ended) returns at once; its
//     slot is given back when it is the last one reserved.
//  5. The rate is never below the profile's floor nor above its rate.
const (
	DefaultAlibabaCallsPerSecond = 8.0
	// unpaced is the rate of an API that is not paced.
	unpaced = 1e9
	// longWait is how long a wait for a slot must be for the run to say so.
	longWait = 5 * time.Second
)

// paceProfile is how one cloud's limiters behave.
type paceProfile struct {
	rate    float64       // calls per second when not throttled
	floor   float64       // lowest rate after throttling
	recover time.Duration // one step up after this long without throttling
	// drop is the rate after throttling at rate r; limit, if not nil, is
	// what the cloud said the account allows (calls per window).
	drop func(r float64, limit *gatewayLimit) float64
	// up is the rate one recovery step after r.
	up func(r float64) float64
	// scale is TestSettings.ThrottleScale as the profile was made with it: it applies
	// to the window a throttling answer states too.
	scale float64
}

func huaweiProfile(rate, scale float64) paceProfile {
	base := min(0.5*scale, rate) // the rate after a 429 that states no limit
	return paceProfile{rate: rate, floor: min(0.01*scale, rate), recover: scaled(60*time.Second, scale), scale: scale,
		drop: func(r float64, limit *gatewayLimit) float64 {
			target := base
			if limit != nil {
				target = limit.perSecond() * scale
			}
			if r > target {
				return target // straight to what the account allows
			}
			return r / 2 // throttled at that rate: others share the account
		},
		up: func(r float64) float64 {
			if r*2 > 64 {
				return rate // unpaced again, or the configured rate
			}
			return min(r*2, rate)
		}}
}

func alibabaProfile(rate, scale float64) paceProfile {
	return paceProfile{rate: rate, floor: min(0.5*scale, rate), recover: scaled(time.Second, scale), scale: scale,
		drop: func(r float64, _ *gatewayLimit) float64 { return r * 0.7 },
		up:   func(r float64) float64 { return min(r+0.5*scale, rate) }}
}

func scaled(d time.Duration, scale float64) time.Duration {
	return time.Duration(float64(d) / scale)
}

// gatewayLimit is the limit an APIGW.0308 message states.
type gatewayLimit struct {
	calls  int
	window time.Duration
}

func (g *gatewayLimit) perSecond() float64 { return float64(g.calls) / g.window.Seconds() }

// gatewayLimitText is how API Gateway states the limit it enforced:
// "policy user over ratelimit,limit:200,time:5 minute".
var gatewayLimitText = regexp.MustCompile(`limit:(\d+),\s*time:(\d+)\s*(millisecond|second|minute|hour|day)s?`)

// parseGatewayLimit reads the limit and window of an APIGW.0308 message,
// nil when the message does not state them.
func parseGatewayLimit(msg string) *gatewayLimit {
	m := gatewayLimitText.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	calls, err1 := strconv.Atoi(m[1])
	n, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil || calls <= 0 || n <= 0 {
		return nil
	}
	unit := map[string]time.Duration{"millisecond": time.Millisecond, "second": time.Second, "minute": time.Minute,
		"hour": time.Hour, "day": 24 * time.Hour}[m[3]]
	return &gatewayLimit{calls: calls, window: time.Duration(n) * unit}
}

// limiter spaces the calls of one API evenly, at a rate that drops when the
// cloud throttles and recovers when it does not.
type limiter struct {
	mu        sync.Mutex
	p         paceProfile
	cur       float64       // current rate
	next      time.Time     // when the next slot may start
	changed   chan struct{} // closed (and replaced) when the rate drops
	throttled time.Time     // last drop
	recovered time.Time     // last step back up
	recover   time.Duration // the step's period: the profile's, or the window the cloud stated
	limit     *gatewayLimit // what the cloud last said the account allows
	warned    bool          // a long wait was logged since the last recovery to full rate
	last      *CloudError   // the last throttling answer, for a caller whose time ends while it waits
	quiet     int           // recovery periods in a row without throttling
}

func newLimiter(p paceProfile) *limiter {
	return &limiter{p: p, cur: p.rate, changed: make(chan struct{}), recover: p.recover}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// interval is the spacing of slots at rate r.
func interval(r float64) time.Duration {
	if r >= unpaced {
		return 0
	}
	return time.Duration(float64(time.Second) / r)
}

// recoverLocked steps the rate up for each recovery period since the last
// drop or step; l.mu is held.
func (l *limiter) recoverLocked(now time.Time) {
	if l.cur >= l.p.rate || l.throttled.IsZero() {
		return
	}
	since := later(l.recovered, l.throttled)
	for now.Sub(since) >= l.recover && l.cur < l.p.rate {
		// Each quiet period in a row steps up as far as all the ones
		// before it together: 1, 1, 2, 4, ... steps.
		before := l.cur
		for range 1 << min(l.quiet, 10) / 2 {
			l.cur = l.p.up(l.cur)
		}
		if l.cur == before {
			l.cur = l.p.up(l.cur)
		}
		l.quiet++
		since = since.Add(l.recover)
		l.recovered = since
	}
	if l.cur >= l.p.rate {
		l.warned = false
	}
}

// wait takes a slot, sleeping until it is due, or returns ctx's error. A
// drop of the rate while it sleeps makes it take a new slot at the new rate.
func (l *limiter) wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := time.Now()
		l.recoverLocked(now)
		slot := later(now, l.next)
		l.next = slot.Add(interval(l.cur))
		changed, d := l.changed, slot.Sub(now)
		if d >= longWait && !l.warned {
			l.warned = true
			fields := map[string]any{"wait_s": d.Round(time.Second).Seconds(), "calls_per_second": l.cur}
			if l.limit != nil {
				fields["account_limit"] = strconv.Itoa(l.limit.calls) + " calls per " + l.limit.window.String()
			}
			tflog.Warn(ctx, "cloudlock: the account is over its API rate limit; this run paces its calls to the limit and waits for the window", fields)
		}
		l.mu.Unlock()
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			l.mu.Lock()
			if l.next.Equal(slot.Add(interval(l.cur))) {
				l.next = slot // the last slot reserved: give it back
			}
			l.mu.Unlock()
			return ctx.Err()
		case <-t.C:
			return nil
		case <-changed:
			t.Stop() // the rate dropped: queue again at the new rate
		}
	}
}

// throttle slows every caller: the rate drops, the next slot is one new
// interval away, and callers already queued queue again at the new rate.
// ce is the throttling answer, for what it says of the limit; sent is when
// its call left. Only a call sent after the last drop drops the rate again
// (as TCP counts one loss per round trip): the refusals of calls sent at
// the old rate say nothing of the new one, so a burst of them counts once,
// while a refusal at the new rate is news at once.
func (l *limiter) throttle(ce *CloudError, sent time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.recoverLocked(now)
	last := *ce
	l.last = &last
	limit := parseGatewayLimit(ce.Message)
	if limit != nil {
		l.limit = limit
		l.recover = scaled(limit.window, l.p.scale)
	}
	if !l.throttled.IsZero() && !sent.After(l.throttled) {
		return
	}
	l.throttled, l.recovered, l.quiet = now, time.Time{}, 0
	l.cur = min(max(l.p.drop(l.cur, limit), l.p.floor), l.p.rate)
	l.next = now.Add(interval(l.cur))
	if ce.RetryAfter > 0 {
		l.next = later(l.next, now.Add(ce.RetryAfter))
	}
	close(l.changed)
	l.changed = make(chan struct{})
}

// heldBack is a copy of the last throttling answer while the rate is still
// below the profile's, nil otherwise.
func (l *limiter) heldBack() *CloudError {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recoverLocked(time.Now())
	if l.last == nil || l.cur >= l.p.rate {
		return nil
	}
	cp := *l.last
	return &cp
}

// rate is the current rate, for tests and logs.
func (l *limiter) rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recoverLocked(time.Now())
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
		p = huaweiProfile(c.cfg.RateLimits.huawei(), c.cfg.Test.throttleScale())
	} else {
		p = alibabaProfile(c.cfg.RateLimits.alibaba(), c.cfg.Test.throttleScale())
	}
	l := newLimiter(p)
	c.pace.limiters[key] = l
	return l
}

// paced runs one attempt after the API's limiter allows it, and slows the API
// down for every caller when the answer is throttling. A Retry-After the
// answer carried reaches the CloudError (the SDKs drop the header).
func (c *Client) paced(ctx context.Context, cloud, operation string, attempt func(context.Context) error) error {
	l := c.limiter(cloud, operation)
	held := l.heldBack()
	if f, ok := ctx.Value(attemptObserverKey{}).(func(error)); ok && held != nil {
		cp := *held
		f(&cp) // the call waits because of this answer: its callers may want to know
	}
	if err := l.wait(ctx); err != nil {
		if held != nil {
			// Its time ended while the API is held back by throttling:
			// what the cloud said then is the reason, not the timer.
			return held
		}
		return err
	}
	ctx, note := withRetryAfterNote(ctx)
	sent := time.Now()
	err := attempt(ctx)
	var ce *CloudError
	if errors.As(err, &ce) && isThrottle(ce) {
		ce.RetryAfter = note.after
		l.throttle(ce, sent)
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
