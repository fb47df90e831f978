package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Many runs, one account (issue 21). Platform teams run many plans at once
// (Atlantis parallel_plan, CI matrices) against one account's limits; the
// mock enforces them as the clouds do (mockcloud.Limit), counted over every
// terraform process of the figure:
//
//   - calls per plan of 300 and 1,000 locks with 1 ms and 30 ms a call:
//     the listing decision must not depend on latency;
//   - 10 locks in a project of 50,000 servers: no page of the project;
//   - 8 concurrent plans of one 300-lock workspace (each its own state)
//     under Huawei's gateway limit, 200 calls per 300 s per API;
//   - 16 concurrent plans of 40-lock workspaces, twice, under the same;
//   - 6 concurrent applies of 20 Bastionhost unlocks each under 10 calls/s
//     per API (Alibaba's token bucket): wall against the least time the
//     limit allows, throttled answers.
//
// Each subject (cloudlock, and before with -before) gets its own mock, so a
// subject that burns the window does not throttle the other.

const (
	gatewayLimit    = "each:ecs.*=window:200/5m"
	bastionhostRate = "each:bastionhost.*=bucket:10"
)

// runResult is one terraform process of a concurrent figure.
type runResult struct {
	wall time.Duration
	err  error
}

// concurrently runs one terraform command per dir at once, each stopped
// after timeout (a run still going then counts as failed).
func (b *bench) concurrently(ctx context.Context, cliConfig string, dirs []string, timeout time.Duration, args ...string) []runResult {
	out := make([]runResult, len(dirs))
	var wg sync.WaitGroup
	for i, dir := range dirs {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			m, _, err := b.terraform(ctx, runOpts{dir: dir, cliConfig: cliConfig}, args...)
			if err == nil && ctx.Err() != nil {
				err = ctx.Err()
			}
			out[i] = runResult{wall: m.wall, err: err}
		})
	}
	wg.Wait()
	return out
}

func failed(rs []runResult) (n int, first error) {
	for _, r := range rs {
		if r.err != nil {
			n++
			if first == nil {
				first = r.err
			}
		}
	}
	return n, first
}

func maxWall(rs []runResult) time.Duration {
	var d time.Duration
	for _, r := range rs {
		d = max(d, r.wall)
	}
	return d
}

// throttledAnswers counts the refusals of the mock's account limits.
func throttledAnswers(m *mockcloud.Server) int {
	n := 0
	for _, e := range m.Journal() {
		if e.Throttled {
			n++
		}
	}
	return n
}

// projectPages counts the list calls that read pages of the project (not
// by id, not the limit=1 question of its size).
func projectPages(m *mockcloud.Server) (pages, probes int) {
	for _, e := range m.Journal() {
		if e.Op != "ecs.ListServersDetails" {
			continue
		}
		q, _ := url.ParseQuery(e.RawQuery)
		switch {
		case q.Get("server_id") != "":
		case q.Get("limit") == "1":
			probes++
		default:
			pages++
		}
	}
	return pages, probes
}

func (b *bench) manySubjects() []subject {
	s := []subject{{col: colC, provider: true}}
	if b.cliConfigBefore != "" {
		s = append(s, subject{col: colBefore, provider: true})
	}
	return s
}

// lockBlock is n locks of servers offset.. offset+n-1.
func lockBlock(n, offset int) block {
	return block{kind: kindResource, typ: readsTyp, name: "r", count: n,
		body: fmt.Sprintf("server_id = format(%q, count.index + %d)", serverIDFormat, offset)}
}

// ecsWorld is a mock holding servers 0..n-1, unlocked.
func ecsWorld(n int) (*mockcloud.Server, error) {
	s := seed{}
	for i := range n {
		s.add("ecs_servers", map[string]any{"id": fmt.Sprintf(serverIDFormat, i), "name": fmt.Sprintf("bench-%d", i),
			"status": "ACTIVE", "locked": false})
	}
	return startMock(s)
}

// applyLocks writes and applies a workspace of n locks from offset in dir.
func (b *bench) applyLocks(ctx context.Context, col, dir string, m *mockcloud.Server, n, offset int) error {
	if err := b.writeConfig(dir, col, []block{lockBlock(n, offset)}, m.URL()); err != nil {
		return err
	}
	_, _, err := b.terraform(ctx, runOpts{dir: dir, cliConfig: b.cliConfigFor(col)}, "apply", "-auto-approve")
	return err
}

// copyWorkspace copies a workspace's configuration and state: another
// checkout of the same workspace, with its own state.
func copyWorkspace(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, f := range []string{"main.tf", "terraform.tfstate"} {
		data, err := os.ReadFile(filepath.Join(from, f))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, f), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func (b *bench) manyRuns(ctx context.Context) error {
	subs := b.manySubjects()
	timeout := b.opts.manyTimeout
	dir := func(parts ...string) string { return filepath.Join(append([]string{b.dir, "many"}, parts...)...) }

	part := b.opts.manyParts
	// 1. Calls per plan, at 1 ms and 30 ms a call.
	for _, n := range []int{300, 1000} {
		if !part["plans"] {
			break
		}
		calls := map[string]map[string]float64{"1ms": {}, "30ms": {}}
		for _, sub := range subs {
			m, err := ecsWorld(n)
			if err != nil {
				return err
			}
			d := dir(fmt.Sprintf("plan%d", n), sub.col)
			logf("many: %s, apply of %d locks", sub.col, n)
			if err := b.applyLocks(ctx, sub.col, d, m, n, 0); err != nil {
				m.Close()
				return err
			}
			for _, lat := range []time.Duration{time.Millisecond, 30 * time.Millisecond} {
				m.ClearFaults()
				for _, op := range readsOps {
					m.InjectFault(op, mockcloud.Fault{Delay: lat})
				}
				m.ResetJournal()
				if _, _, err := b.terraform(ctx, runOpts{dir: d, cliConfig: b.cliConfigFor(sub.col)}, "plan", "-detailed-exitcode"); err != nil {
					m.Close()
					return fmt.Errorf("many (a plan after apply must show no changes): %w", err)
				}
				calls[fmt.Sprintf("%dms", lat.Milliseconds())][sub.col] = float64(ecsCalls(callsByOp(m)))
			}
			m.Close()
		}
		for _, lat := range []string{"1ms", "30ms"} {
			b.add(figure{ID: fmt.Sprintf("many.plan.ecs_server_lock.n%d.calls.%s", n, lat),
				Title: fmt.Sprintf("plan of %d `%s`, %s a call: ECS calls", n, readsTyp, lat[:len(lat)-2]+" ms"), Unit: "calls",
				Values: calls[lat], GoalMax: 5})
		}
	}

	// 2. 10 locks in a project of 50,000 servers.
	if part["small"] {
		calls, pages := map[string]float64{}, map[string]float64{}
		for _, sub := range subs {
			m, err := ecsWorld(50000)
			if err != nil {
				return err
			}
			d := dir("small-in-big", sub.col)
			logf("many: %s, 10 locks in a project of 50,000", sub.col)
			if err := b.applyLocks(ctx, sub.col, d, m, 10, 0); err != nil {
				m.Close()
				return err
			}
			m.ResetJournal()
			if _, _, err := b.terraform(ctx, runOpts{dir: d, cliConfig: b.cliConfigFor(sub.col)}, "plan", "-detailed-exitcode"); err != nil {
				m.Close()
				return err
			}
			p, _ := projectPages(m)
			calls[sub.col], pages[sub.col] = float64(ecsCalls(callsByOp(m))), float64(p)
			m.Close()
		}
		b.add(figure{ID: "many.plan.ecs_server_lock.n10_in_50000.calls", Title: "plan of 10 locks in a project of 50,000 servers: ECS calls",
			Unit: "calls", Values: calls, GoalMax: 10, Detail: map[string]any{"pages_of_the_project": pages}})
	}

	// 3. 8 concurrent plans of one 300-lock workspace under the gateway's window.
	limit, err := mockcloud.ParseLimit(gatewayLimit)
	if err != nil {
		return err
	}
	if part["plans8"] {
		const k, n = 8, 300
		fails, throttled, calls, wall := map[string]float64{}, map[string]float64{}, map[string]float64{}, map[string]float64{}
		for _, sub := range subs {
			m, err := ecsWorld(n)
			if err != nil {
				return err
			}
			base := dir("8x300", sub.col, "base")
			logf("many: %s, apply of %d locks, then %d plans at once under %s", sub.col, n, k, gatewayLimit)
			if err := b.applyLocks(ctx, sub.col, base, m, n, 0); err != nil {
				m.Close()
				return err
			}
			var dirs []string
			for i := range k {
				d := dir("8x300", sub.col, fmt.Sprint(i))
				if err := copyWorkspace(base, d); err != nil {
					m.Close()
					return err
				}
				dirs = append(dirs, d)
			}
			m.ResetJournal()
			m.EnforceLimit(limit)
			rs := b.concurrently(ctx, b.cliConfigFor(sub.col), dirs, timeout, "plan", "-detailed-exitcode")
			nf, first := failed(rs)
			if first != nil {
				logf("many: %s: %d of %d plans failed; the first: %s", sub.col, nf, k, firstLine(first))
			}
			fails[sub.col], throttled[sub.col] = float64(nf), float64(throttledAnswers(m))
			calls[sub.col], wall[sub.col] = float64(ecsCalls(callsByOp(m)))/k, ms(maxWall(rs))
			m.Close()
		}
		b.add(figure{ID: "many.plans8.ecs300.failed", Title: "8 concurrent plans of one 300-lock workspace under 200 calls per 300 s per API: failed plans",
			Unit: "plans", Values: fails, GoalMax: 0.5, Detail: map[string]any{"throttled_answers": throttled, "timeout_s": timeout.Seconds()}})
		b.add(figure{ID: "many.plans8.ecs300.calls", Title: "the same: ECS calls per plan", Unit: "calls", Values: calls, GoalMax: 5})
		b.add(figure{ID: "many.plans8.ecs300.wall", Title: "the same: wall of the slowest plan", Unit: "ms", Values: wall})
	}

	// 4. 16 concurrent plans of 40-lock workspaces, twice, under the same window.
	if part["plans16"] {
		const k, n = 16, 40
		fails, throttled := map[string]float64{}, map[string]float64{}
		for _, sub := range subs {
			m, err := ecsWorld(k * n)
			if err != nil {
				return err
			}
			var dirs []string
			for i := range k {
				dirs = append(dirs, dir("16x40", sub.col, fmt.Sprint(i)))
			}
			logf("many: %s, %d applies of %d locks, then %d plans at once, twice, under %s", sub.col, k, n, k, gatewayLimit)
			for i, d := range dirs {
				if err := b.applyLocks(ctx, sub.col, d, m, n, i*n); err != nil {
					m.Close()
					return err
				}
			}
			m.ResetJournal()
			m.EnforceLimit(limit)
			nf := 0
			for round := range 2 {
				rs := b.concurrently(ctx, b.cliConfigFor(sub.col), dirs, timeout, "plan", "-detailed-exitcode")
				f, first := failed(rs)
				if first != nil {
					logf("many: %s round %d: %d of %d plans failed; the first: %s", sub.col, round+1, f, k, firstLine(first))
				}
				nf += f
			}
			fails[sub.col], throttled[sub.col] = float64(nf), float64(throttledAnswers(m))
			m.Close()
		}
		b.add(figure{ID: "many.plans16x2.ecs40.failed", Title: "16 concurrent plans of 40-lock workspaces, twice, under 200 calls per 300 s per API: failed plans",
			Unit: "plans", Values: fails, GoalMax: 0.5, Detail: map[string]any{"throttled_answers": throttled}})
	}

	// 5. 6 concurrent Bastionhost applies under 10 calls/s per API.
	if !part["bastionhost"] {
		return nil
	}
	return b.manyBastionhost(ctx, subs, dir, timeout)
}

func (b *bench) manyBastionhost(ctx context.Context, subs []subject, dir func(...string) string, timeout time.Duration) error {
	const k, resources, users = 6, 20, 7 // 840 users
	limit, err := mockcloud.ParseLimit(bastionhostRate)
	if err != nil {
		return err
	}
	fails, wall, least, throttled, share, span := map[string]float64{}, map[string]float64{}, map[string]float64{}, map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, sub := range subs {
		s := seed{}
		seedBastion(s, k*resources*users)
		m, err := startMock(s)
		if err != nil {
			return err
		}
		var dirs []string
		for i := range k {
			d := dir("bastionhost", sub.col, fmt.Sprint(i))
			body := fmt.Sprintf("instance_id = %q\nuser_ids = [for u in range(%d) : tostring(%d + count.index * %d + u + 1)]",
				bastionID, users, i*resources*users, users)
			if err := b.writeConfig(d, sub.col, []block{{kind: kindResource, typ: "cloudlock_bastionhost_user_unlock", name: "u", count: resources, body: body}}, m.URL()); err != nil {
				m.Close()
				return err
			}
			dirs = append(dirs, d)
		}
		m.EnforceLimit(limit)
		logf("many: %s, %d applies of %d Bastionhost unlocks (%d users) at once under %s", sub.col, k, resources, k*resources*users, bastionhostRate)
		start := time.Now()
		rs := b.concurrently(ctx, b.cliConfigFor(sub.col), dirs, timeout, "apply", "-auto-approve")
		all := time.Since(start)
		nf, first := failed(rs)
		if first != nil {
			logf("many: %s: %d of %d applies failed; the first: %s", sub.col, nf, k, firstLine(first))
		}
		// The least time the limit allows: the busiest API's admitted calls
		// at 10 a second, after the bucket's first 10.
		admitted, total := map[string]int{}, 0
		var t0, t1 time.Time // of the calls: the span the limit paces, without terraform's own start
		for _, e := range m.Journal() {
			if strings.HasPrefix(e.Op, "bastionhost.") {
				total++
				if t0.IsZero() {
					t0 = e.Time
				}
				if !e.Throttled {
					admitted[e.Op]++
					t1 = e.Time
				}
			}
		}
		span[sub.col] = ms(t1.Sub(t0))
		busiest := 0
		for _, n := range admitted {
			busiest = max(busiest, n)
		}
		minimum := time.Duration(float64(max(busiest-10, 0)) / limit.Rate * float64(time.Second))
		fails[sub.col], wall[sub.col], least[sub.col] = float64(nf), ms(all), ms(minimum)
		throttled[sub.col] = float64(throttledAnswers(m))
		if total > 0 {
			share[sub.col] = round(throttled[sub.col] / float64(total))
		}
		logf("many: %s: admitted calls by API %v, throttled %v of %d", sub.col, admitted, throttled[sub.col], total)
		m.Close()
	}
	b.add(figure{ID: "many.bastionhost6x20.failed", Title: "6 concurrent applies of 20 Bastionhost unlocks (840 users) under 10 calls/s per API: failed runs",
		Unit: "runs", Values: fails, GoalMax: 0.5})
	b.add(figure{ID: "many.bastionhost6x20.wall", Title: "the same: wall of all six", Unit: "ms", Values: wall,
		Detail: map[string]any{"least_the_limit_allows_ms": least, "throttled_answers": throttled, "throttled_share": share,
			"calls_span_ms": span}})
	b.add(figure{ID: "many.bastionhost6x20.span", Title: "the same: first call to last admitted call (the part the limit paces)", Unit: "ms", Values: span,
		Detail: map[string]any{"least_the_limit_allows_ms": least}})
	return nil
}

// firstLine is an error's first line, for the log.
func firstLine(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "still running at the timeout"
	}
	lines := strings.Split(err.Error(), "\n")
	for _, l := range lines {
		if strings.Contains(l, "Error:") || strings.Contains(l, "APIGW") || strings.Contains(l, "Throttling") {
			return strings.TrimSpace(l)
		}
	}
	return lines[0]
}
