package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// ECS reads at fleet scale (issue 16): the mock answers every call readsLatency
// late, as a cloud does, so that what the provider saves in calls shows in
// wall time. For the provider (and -before): an apply of readsN locks, then
// plans of them at Terraform's default parallelism and at -parallelism=100,
// counted in the mock's journal. b wide (the no-op provider with a lock's
// state shape, which makes no calls) plans the same number of instances: the
// floor no provider can go below, whatever it does about reads.
const (
	readsTyp     = "cloudlock_ecs_server_lock"
	readsLatency = 30 * time.Millisecond
)

// readsOps are the operations the latency is injected into.
var readsOps = []string{"iam.KeystoneListProjects", "ecs.NovaServerAction", "ecs.NovaShowServer", "ecs.ListServersDetails"}

// ecsCalls is the number of ECS calls in a journal count.
func ecsCalls(calls map[string]int) int {
	n := 0
	for op, c := range calls {
		if len(op) > 4 && op[:4] == "ecs." {
			n += c
		}
	}
	return n
}

// readsResult is what one subject's runs measured.
type readsResult struct {
	apply           measurement
	applyCalls      map[string]int
	plan, plan100   []float64
	calls, calls100 map[string]int
	planCPU, cpu100 []float64
	// The same plans with no latency injected: what Terraform and the
	// provider cost without waiting on the cloud, the floor no way of
	// reading can go below.
	floor, floor100 []float64
}

// byOp is the calls by operation of every subject.
func byOp(results map[string]*readsResult, calls func(r *readsResult) map[string]int) map[string]any {
	out := map[string]any{}
	for col, r := range results {
		out[col] = calls(r)
	}
	return out
}

func (b *bench) reads(ctx context.Context) error {
	t, ok := typeByName(b.types, readsTyp)
	if !ok {
		logf("reads: skipped, the provider does not offer %s", readsTyp)
		return nil
	}
	n := b.opts.readsN
	subjects := []subject{{col: colC, provider: true}}
	if b.cliConfigBefore != "" {
		subjects = append(subjects, subject{col: colBefore, provider: true})
	}
	// Every subject applies into its own mock, then the plans run
	// interleaved, subject by subject, so that a change in the machine's
	// load falls on all of them alike.
	results := map[string]*readsResult{}
	type applied struct {
		sub subject
		m   *mockcloud.Server // nil for b wide
		o   runOpts
	}
	var subs []applied
	defer func() {
		for _, a := range subs {
			if a.m != nil {
				a.m.Close()
			}
		}
	}()
	// b wide's plans, at -parallelism 10 and 100 (it makes no calls: the
	// latency changes nothing for it).
	var wide, wide100 []float64
	wideSub := applied{sub: subject{col: colBW}, o: runOpts{dir: filepath.Join(b.dir, "reads", colBW), cliConfig: b.cliConfigFor(colBW)}}
	if err := b.writeConfig(wideSub.o.dir, colBW, []block{{kind: t.kind, typ: t.name, name: "r", count: n}}, ""); err != nil {
		return err
	}
	logf("reads: %s, apply of %d", colBW, n)
	if _, _, err := b.terraform(ctx, wideSub.o, "apply", "-auto-approve"); err != nil {
		return err
	}
	subs = append(subs, wideSub)
	for _, sub := range subjects {
		s := seed{}
		t.seed(s, n)
		m, err := startMock(s)
		if err != nil {
			return err
		}
		for _, op := range readsOps {
			m.InjectFault(op, mockcloud.Fault{Delay: readsLatency})
		}
		dir := filepath.Join(b.dir, "reads", sub.col)
		o := runOpts{dir: dir, cliConfig: b.cliConfigFor(sub.col)}
		subs = append(subs, applied{sub, m, o})
		blk := block{kind: t.kind, typ: t.name, name: "r", count: n, body: t.body}
		if err := b.writeConfig(dir, sub.col, []block{blk}, m.URL()); err != nil {
			return err
		}
		logf("reads: %s, apply of %d locks with %v per call", sub.col, n, readsLatency)
		r := &readsResult{}
		results[sub.col] = r
		if r.apply, _, err = b.terraform(ctx, o, "apply", "-auto-approve"); err != nil {
			return err
		}
		r.applyCalls = callsByOp(m)
	}
	logf("reads: plans of %d locks at -parallelism 10 and 100, %d runs each", n, b.opts.refreshRuns)
	for run := 0; run < b.opts.refreshRuns; run++ {
		for _, par := range []int{10, 100, -10, -100} { // negative: no latency
			for _, a := range subs {
				if a.m == nil { // b wide
					if par < 0 {
						continue
					}
					args := []string{"plan", "-detailed-exitcode", fmt.Sprintf("-parallelism=%d", par)}
					meas, _, err := b.terraform(ctx, a.o, args...)
					if err != nil {
						return fmt.Errorf("reads (a plan after apply must show no changes): %w", err)
					}
					if par == 10 {
						wide = append(wide, ms(meas.wall))
					} else {
						wide100 = append(wide100, ms(meas.wall))
					}
					continue
				}
				r := results[a.sub.col]
				if par < 0 {
					a.m.ClearFaults()
					meas, _, err := b.terraform(ctx, a.o, "plan", "-detailed-exitcode", fmt.Sprintf("-parallelism=%d", -par))
					for _, op := range readsOps {
						a.m.InjectFault(op, mockcloud.Fault{Delay: readsLatency})
					}
					if err != nil {
						return fmt.Errorf("reads (a plan after apply must show no changes): %w", err)
					}
					if par == -10 {
						r.floor = append(r.floor, ms(meas.wall))
					} else {
						r.floor100 = append(r.floor100, ms(meas.wall))
					}
					continue
				}
				a.m.ResetJournal()
				args := []string{"plan", "-detailed-exitcode"}
				if par != 10 {
					args = append(args, fmt.Sprintf("-parallelism=%d", par))
				}
				meas, _, err := b.terraform(ctx, a.o, args...)
				if err != nil {
					return fmt.Errorf("reads (a plan after apply must show no changes): %w", err)
				}
				if par == 10 {
					r.plan, r.planCPU, r.calls = append(r.plan, ms(meas.wall)), append(r.planCPU, ms(meas.cpu)), callsByOp(a.m)
				} else {
					r.plan100, r.cpu100, r.calls100 = append(r.plan100, ms(meas.wall)), append(r.cpu100, ms(meas.cpu)), callsByOp(a.m)
				}
			}
		}
	}
	values := func(f func(r *readsResult) float64) map[string]float64 {
		v := map[string]float64{}
		for col, r := range results {
			v[col] = f(r)
		}
		return v
	}
	// floors are the no-latency plans, with b wide's beside them.
	floors := func(f func(r *readsResult) []float64, wide []float64) map[string]float64 {
		v := values(func(r *readsResult) float64 { return median(f(r)) })
		v[colBW] = median(wide)
		return v
	}
	// best is the most any way of reading can make a plan faster than
	// before: before's wall over b wide's, which waits for no cloud at all.
	best := func(wall func(r *readsResult) []float64, wide []float64) any {
		base, ok := results[colBefore]
		if !ok {
			return nil
		}
		return round(median(wall(base)) / median(wide))
	}
	latency := fmt.Sprintf("%d ms a call", readsLatency.Milliseconds())
	// removed is the share of the wait on the cloud a subject took out of
	// the plan: (before − subject) / (before − before's floor).
	removed := func(wall, floor func(r *readsResult) []float64) map[string]float64 {
		base, ok := results[colBefore]
		if !ok {
			return nil
		}
		wait := median(wall(base)) - median(floor(base))
		out := map[string]float64{}
		for col, r := range results {
			out[col] = (median(wall(base)) - median(wall(r))) / wait
		}
		return out
	}
	b.add(figure{ID: fmt.Sprintf("reads.plan.ecs_server_lock.n%d", n),
		Title: fmt.Sprintf("plan of %d existing `%s`, %s, wall", n, readsTyp, latency), Unit: "ms",
		Values: values(func(r *readsResult) float64 { return median(r.plan) }), GoalSpeedup: 3, Runs: b.opts.refreshRuns,
		Detail: map[string]any{"cpu_ms": values(func(r *readsResult) float64 { return median(r.planCPU) }),
			"wait_removed":          removed(func(r *readsResult) []float64 { return r.plan }, func(r *readsResult) []float64 { return r.floor }),
			"best_possible_speedup": best(func(r *readsResult) []float64 { return r.plan }, wide)}})
	b.add(figure{ID: fmt.Sprintf("reads.plan.ecs_server_lock.n%d.floor", n),
		Title: fmt.Sprintf("plan of %d existing `%s`, no latency (the floor for any way of reading), wall", n, readsTyp), Unit: "ms",
		Values: floors(func(r *readsResult) []float64 { return r.floor }, wide), Runs: b.opts.refreshRuns})
	b.add(figure{ID: fmt.Sprintf("reads.plan.ecs_server_lock.n%d.calls", n),
		Title: fmt.Sprintf("plan of %d existing `%s`: ECS calls", n, readsTyp), Unit: "calls",
		Values: values(func(r *readsResult) float64 { return float64(ecsCalls(r.calls)) }), GoalMax: 110,
		Detail: map[string]any{"by_op": byOp(results, func(r *readsResult) map[string]int { return r.calls })}})
	b.add(figure{ID: fmt.Sprintf("reads.plan100.ecs_server_lock.n%d", n),
		Title: fmt.Sprintf("plan `-parallelism=100` of %d existing `%s`, %s, wall", n, readsTyp, latency), Unit: "ms",
		Values: values(func(r *readsResult) float64 { return median(r.plan100) }), GoalSpeedup: 3, Runs: b.opts.refreshRuns,
		Detail: map[string]any{"cpu_ms": values(func(r *readsResult) float64 { return median(r.cpu100) }),
			"wait_removed":          removed(func(r *readsResult) []float64 { return r.plan100 }, func(r *readsResult) []float64 { return r.floor100 }),
			"best_possible_speedup": best(func(r *readsResult) []float64 { return r.plan100 }, wide100)}})
	b.add(figure{ID: fmt.Sprintf("reads.plan100.ecs_server_lock.n%d.floor", n),
		Title: fmt.Sprintf("plan `-parallelism=100` of %d existing `%s`, no latency (the floor), wall", n, readsTyp), Unit: "ms",
		Values: floors(func(r *readsResult) []float64 { return r.floor100 }, wide100), Runs: b.opts.refreshRuns})
	b.add(figure{ID: fmt.Sprintf("reads.plan100.ecs_server_lock.n%d.calls", n),
		Title: fmt.Sprintf("plan `-parallelism=100` of %d existing `%s`: ECS calls", n, readsTyp), Unit: "calls",
		Values: values(func(r *readsResult) float64 { return float64(ecsCalls(r.calls100)) }), GoalMax: 15,
		Detail: map[string]any{"by_op": byOp(results, func(r *readsResult) map[string]int { return r.calls100 })}})
	b.add(figure{ID: fmt.Sprintf("reads.apply.ecs_server_lock.n%d", n),
		Title: fmt.Sprintf("apply of %d `%s`, %s, wall", n, readsTyp, latency), Unit: "ms",
		Values: values(func(r *readsResult) float64 { return ms(r.apply.wall) }), Runs: 1,
		Detail: map[string]any{"cpu_ms": values(func(r *readsResult) float64 { return ms(r.apply.cpu) })}})
	b.add(figure{ID: fmt.Sprintf("reads.apply.ecs_server_lock.n%d.calls_per_lock", n),
		Title: fmt.Sprintf("apply of %d `%s`: ECS calls per lock (action + confirm)", n, readsTyp), Unit: "calls",
		Values: values(func(r *readsResult) float64 { return float64(ecsCalls(r.applyCalls)) / float64(n) }), GoalMax: 2,
		Detail: map[string]any{"by_op": byOp(results, func(r *readsResult) map[string]int { return r.applyCalls })}})
	return nil
}
