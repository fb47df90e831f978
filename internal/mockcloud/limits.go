package mockcloud

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Account limits. A real account is throttled by the cloud however many
// processes share it: Alibaba counts calls per second per API (a token
// bucket), Huawei's API gateway counts calls of an API in a window of
// minutes ("policy user over ratelimit,limit:200,time:5 minute"). The mock
// enforces such limits only when asked (EnforceLimit, the -limit flag of
// cmd/mockcloud), and counts every request it serves, from any client or
// process, against them: that is what makes concurrent terraform runs meet
// the limit together, as they do on a real account.
//
// A refused call changes nothing (its handler never runs), is answered with
// the cloud's documented throttling shape (Huawei: 429 APIGW.0308 with the
// limit and window in the message; Alibaba: 400 Throttling.User) and is
// journaled with Entry.Throttled. Whether the gateway counts refused calls
// is not documented, so CountRefused chooses.

// Limit is one account limit.
type Limit struct {
	// Ops are the operations it counts (names in routes.go); "ecs.*"
	// matches every operation whose name starts with "ecs.".
	Ops []string
	// PerAPI gives each operation matched its own count; otherwise all
	// the operations matched share one.
	PerAPI bool

	// A token bucket (Alibaba's form): Rate calls per second, in bursts of
	// at most Burst (default: Rate rounded up).
	Rate  float64
	Burst int

	// A sliding window (Huawei's gateway): at most Calls calls in any
	// Window. Used when Calls > 0.
	Calls  int
	Window time.Duration

	// RetryAfter adds a Retry-After header (whole seconds, rounded up) to
	// a refusal. Neither cloud documents one; it is here so that clients
	// that honour it can be tested.
	RetryAfter bool
	// CountRefused counts refused calls against the window too.
	CountRefused bool
}

// limitState is a Limit with its counts, by key (the operation when
// PerAPI, else "").
type limitState struct {
	Limit
	buckets map[string]*bucket
	windows map[string][]time.Time // admitted (and, with CountRefused, refused) calls, oldest first
}

type bucket struct {
	tokens float64
	last   time.Time
}

// EnforceLimit adds an account limit. Limits stay until ClearLimits.
func (s *Server) EnforceLimit(l Limit) {
	if l.Rate > 0 && l.Burst <= 0 {
		l.Burst = int(math.Ceil(l.Rate))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = append(s.limits, &limitState{Limit: l, buckets: map[string]*bucket{}, windows: map[string][]time.Time{}})
}

// ClearLimits removes every account limit (EnforceBastionhostRate's too).
func (s *Server) ClearLimits() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = nil
}

// Throttled is the number of requests of op refused by an account limit
// since the start or the last ResetJournal.
func (s *Server) Throttled(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled[op]
}

func (l *Limit) matches(op string) bool {
	for _, p := range l.Ops {
		if p == op || (strings.HasSuffix(p, "*") && strings.HasPrefix(op, strings.TrimSuffix(p, "*"))) {
			return true
		}
	}
	return false
}

// refusal is a limit that refused a call, and how long until it would not.
type refusal struct {
	l    *limitState
	wait time.Duration
}

// admit counts a call of op against every limit that matches it, and
// returns the first that refuses it. A call is admitted only if every
// limit admits it, and then it counts against each of them.
func (s *Server) admit(op string) *refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.limits) == 0 {
		return nil
	}
	now := s.now()
	var refused *refusal
	var admitted []func()
	for _, l := range s.limits {
		if !l.matches(op) {
			continue
		}
		key := ""
		if l.PerAPI {
			key = op
		}
		ok, wait, count := l.try(key, now)
		if !ok {
			if l.CountRefused {
				count()
			}
			if refused == nil {
				refused = &refusal{l: l, wait: wait}
			}
			continue
		}
		admitted = append(admitted, count)
	}
	if refused != nil {
		s.throttled[op]++
		return refused
	}
	for _, count := range admitted {
		count()
	}
	return nil
}

// try says whether the limit admits a call of key now, how long until it
// would if not, and how to count the call.
func (l *limitState) try(key string, now time.Time) (ok bool, wait time.Duration, count func()) {
	if l.Calls > 0 {
		w := l.windows[key]
		drop := 0
		for drop < len(w) && now.Sub(w[drop]) >= l.Window {
			drop++
		}
		w = w[drop:]
		l.windows[key] = w
		count = func() { l.windows[key] = append(l.windows[key], now) }
		if len(w) >= l.Calls {
			return false, w[len(w)-l.Calls].Add(l.Window).Sub(now), count
		}
		return true, 0, count
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(l.Burst), b.tokens+now.Sub(b.last).Seconds()*l.Rate)
	b.last = now
	count = func() { b.tokens-- }
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.Rate * float64(time.Second)), count
	}
	return true, 0, count
}

// throttledAnswer is the cloud's own throttling answer to a refused call.
func (s *Server) throttledAnswer(c *call, r *refusal) answer {
	if r.l.RetryAfter {
		c.w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(r.wait.Seconds()))))
	}
	if c.cloud == alibaba {
		return answer{fixture: alibabaThrottlingUser}
	}
	msg := "The throttling threshold has been reached: policy user over ratelimit"
	if r.l.Calls > 0 {
		msg += fmt.Sprintf(",limit:%d,time:%s", r.l.Calls, gatewayWindow(r.l.Window))
	} else {
		msg += fmt.Sprintf(",limit:%d,time:1 second", r.l.Burst)
	}
	return answer{fixture: huaweiThrottled, status: http.StatusTooManyRequests, data: map[string]any{"Message": msg}}
}

// huaweiThrottled is API Gateway's flow-control answer.
const huaweiThrottled = "huawei/error_429_APIGW.0308.json"

// gatewayWindow writes a window as the gateway's message does ("5
// minute"); windows scaled down for tests come out in seconds or
// milliseconds.
func gatewayWindow(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}, {time.Millisecond, "millisecond"}} {
		if d >= u.d && d%u.d == 0 {
			return fmt.Sprintf("%d %s", d/u.d, u.name)
		}
	}
	return fmt.Sprintf("%d millisecond", d.Milliseconds())
}

// ParseLimit reads a limit as the -limit flag writes it:
//
//	[each:]OPS=window:CALLS/WINDOW[,retry-after][,count-refused]
//	[each:]OPS=bucket:RATE[/BURST][,retry-after]
//
// OPS is a comma-separated list of operation names or prefixes ending in
// "*"; "each:" counts every operation matched on its own (PerAPI). For
// example "each:ecs.*=window:200/5m" is Huawei's gateway limit, and
// "each:bastionhost.*=bucket:10" Bastionhost's 10 calls/s per API.
func ParseLimit(spec string) (Limit, error) {
	var l Limit
	ops, rule, ok := strings.Cut(spec, "=")
	if !ok {
		return l, fmt.Errorf("limit %q: want OPS=window:N/DURATION or OPS=bucket:RATE", spec)
	}
	if rest, each := strings.CutPrefix(ops, "each:"); each {
		l.PerAPI, ops = true, rest
	}
	for _, op := range strings.Split(ops, ",") {
		if op = strings.TrimSpace(op); op != "" {
			l.Ops = append(l.Ops, op)
		}
	}
	if len(l.Ops) == 0 {
		return l, fmt.Errorf("limit %q names no operation", spec)
	}
	parts := strings.Split(rule, ",")
	for _, flag := range parts[1:] {
		switch strings.TrimSpace(flag) {
		case "retry-after":
			l.RetryAfter = true
		case "count-refused":
			l.CountRefused = true
		default:
			return l, fmt.Errorf("limit %q: unknown option %q", spec, flag)
		}
	}
	kind, value, _ := strings.Cut(parts[0], ":")
	switch kind {
	case "window":
		n, w, ok := strings.Cut(value, "/")
		calls, err := strconv.Atoi(n)
		if !ok || err != nil || calls < 1 {
			return l, fmt.Errorf("limit %q: want window:CALLS/DURATION, e.g. window:200/5m", spec)
		}
		d, err := time.ParseDuration(w)
		if err != nil || d <= 0 {
			return l, fmt.Errorf("limit %q: window %q is not a duration", spec, w)
		}
		l.Calls, l.Window = calls, d
	case "bucket":
		r, b, hasBurst := strings.Cut(value, "/")
		rate, err := strconv.ParseFloat(r, 64)
		if err != nil || rate <= 0 {
			return l, fmt.Errorf("limit %q: want bucket:RATE[/BURST], e.g. bucket:10", spec)
		}
		l.Rate = rate
		if hasBurst {
			if l.Burst, err = strconv.Atoi(b); err != nil || l.Burst < 1 {
				return l, fmt.Errorf("limit %q: burst %q is not a positive number", spec, b)
			}
		}
	default:
		return l, fmt.Errorf("limit %q: want window:N/DURATION or bucket:RATE[/BURST]", spec)
	}
	return l, nil
}
