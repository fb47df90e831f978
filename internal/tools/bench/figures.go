package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// figure is one measured quantity for the subjects that have it.
type figure struct {
	ID     string             `json:"figure"`
	Title  string             `json:"title"`
	Unit   string             `json:"unit"`
	Values map[string]float64 `json:"values"` // by column: a, b, cloudlock
	// Goal is the highest acceptable value of cloudlock/b (GoalRatio) or of
	// cloudlock itself (GoalMax); 0 means none.
	GoalRatio float64 `json:"goal_ratio_b,omitempty"`
	GoalMax   float64 `json:"goal_max,omitempty"`
	// GoalSpeedup is the lowest acceptable value of before/cloudlock (a
	// change's figure measured against the provider before it).
	GoalSpeedup float64        `json:"goal_speedup,omitempty"`
	Runs        int            `json:"runs,omitempty"`
	Detail      map[string]any `json:"detail,omitempty"`
}

func (f figure) ratio(col string) (float64, bool) {
	c, okC := f.Values[colC]
	x, ok := f.Values[col]
	if !okC || !ok || x == 0 {
		return 0, false
	}
	return c / x, true
}

// met reports whether the figure meets its goal (ok false: no goal).
func (f figure) met() (met, ok bool) {
	switch {
	case f.GoalRatio > 0:
		r, has := f.ratio(colB)
		return has && r <= f.GoalRatio, true
	case f.GoalMax > 0:
		return f.Values[colC] <= f.GoalMax, true
	case f.GoalSpeedup > 0:
		x, c := f.Values[colBefore], f.Values[colC]
		if x == 0 || c == 0 {
			return false, false // no before column: no goal to judge
		}
		return x/c >= f.GoalSpeedup, true
	}
	return false, false
}

// samples collects measurements per column.
type samples map[string][]measurement

func (s samples) medians() (wall, cpu map[string]float64) {
	wall, cpu = map[string]float64{}, map[string]float64{}
	for col, ms := range s {
		var w, c []float64
		for _, m := range ms {
			w = append(w, float64(m.wall.Microseconds())/1000)
			c = append(c, float64(m.cpu.Microseconds())/1000)
		}
		wall[col], cpu[col] = median(w), median(c)
	}
	return wall, cpu
}

// subject is a column of the timing figures and how to run it.
type subject struct {
	col      string // colA, colB, colC or colBefore
	provider bool   // writes cloudlock's blocks (cloudlock or before)
}

// subjects are the columns measured side by side, interleaved run by run.
func (b *bench) subjects() []subject {
	s := []subject{{col: colA}, {col: colB}, {col: colC, provider: true}}
	if b.cliConfigBefore != "" {
		s = append(s, subject{col: colBefore, provider: true})
	}
	return s
}

// cliConfig is the CLI configuration that gives col its provider binary.
func (b *bench) cliConfigFor(col string) string {
	if col == colBefore {
		return b.cliConfigBefore
	}
	return b.cliConfig
}

// startup: validate and plan of one instance of every type, against the
// same shape in terraform_data (a) and the no-op provider (b); then the
// provider binary's size and its peak RSS during the plan.
func (b *bench) startup(ctx context.Context) error {
	s := seed{}
	var blocks []block
	for i, t := range b.types {
		blocks = append(blocks, block{kind: t.kind, typ: t.name, name: fmt.Sprintf("x%d", i), count: 1, body: t.body})
		if t.seed != nil {
			t.seed(s, 1)
		}
	}
	m, err := startMock(s)
	if err != nil {
		return err
	}
	defer m.Close()
	dirs := map[string]string{}
	for _, sub := range b.subjects() {
		dirs[sub.col] = filepath.Join(b.dir, "startup", sub.col)
		if err := b.writeConfig(dirs[sub.col], sub.col, blocks, m.URL()); err != nil {
			return err
		}
	}
	logf("start-up: validate and plan, %d runs each (+1 warm-up), %d blocks", b.opts.runs, len(blocks))
	validate, plan := samples{}, samples{}
	for r := 0; r <= b.opts.runs; r++ {
		for _, sub := range b.subjects() {
			o := runOpts{dir: dirs[sub.col], cliConfig: b.cliConfigFor(sub.col)}
			v, _, err := b.terraform(ctx, o, "validate")
			if err != nil {
				return err
			}
			p, _, err := b.terraform(ctx, o, "plan")
			if err != nil {
				return err
			}
			if r > 0 { // the first round warms caches
				validate[sub.col] = append(validate[sub.col], v)
				plan[sub.col] = append(plan[sub.col], p)
			}
		}
	}
	m.ResetJournal()
	if _, _, err := b.terraform(ctx, runOpts{dir: dirs[colC], cliConfig: b.cliConfig}, "plan"); err != nil {
		return err
	}
	planCalls := callsByOp(m)

	vw, vc := validate.medians()
	pw, pc := plan.medians()
	b.add(figure{ID: "startup.validate", Title: "start-up: `terraform validate`, wall", Unit: "ms", Values: vw, GoalRatio: 1.15, Runs: b.opts.runs})
	b.add(figure{ID: "startup.plan", Title: "start-up: `terraform plan`, wall", Unit: "ms", Values: pw, GoalRatio: 1.15, Runs: b.opts.runs,
		Detail: map[string]any{"cloudlock_api_calls": planCalls}})
	b.add(figure{ID: "startup.validate.cpu", Title: "start-up: `terraform validate`, CPU (terraform + providers)", Unit: "ms", Values: vc, Runs: b.opts.runs})
	b.add(figure{ID: "startup.plan.cpu", Title: "start-up: `terraform plan`, CPU (terraform + providers)", Unit: "ms", Values: pc, Runs: b.opts.runs})

	bins := map[string]string{colB: filepath.Join(b.binDir, baselineBin), colC: filepath.Join(b.binDir, cloudlockBin)}
	if b.cliConfigBefore != "" {
		bins[colBefore] = filepath.Join(b.beforeBinDir, cloudlockBin)
	}
	sizes := map[string]float64{}
	for col, bin := range bins {
		st, err := os.Stat(bin)
		if err != nil {
			return err
		}
		sizes[col] = float64(st.Size()) / (1 << 20)
	}
	b.add(figure{ID: "startup.binary_size", Title: "provider binary size (stripped)", Unit: "MiB", Values: sizes})

	// Peak RSS: plans through rsswrap, which reports every provider process.
	rss := map[string][]float64{}
	starts := map[string]int{}
	for r := 0; r < 3; r++ {
		for _, sub := range b.subjects() {
			if sub.col == colA {
				continue // no provider process
			}
			out := filepath.Join(dirs[sub.col], fmt.Sprintf("rss-%d.txt", r))
			o := runOpts{dir: dirs[sub.col], cliConfig: b.cliConfigRSS, rssOut: out, rssRealDir: filepath.Dir(bins[sub.col])}
			if _, _, err := b.terraform(ctx, o, "plan"); err != nil {
				return err
			}
			peaks, err := peakRSS(out)
			if err != nil {
				return fmt.Errorf("peak RSS: %w (did rsswrap run?)", err)
			}
			bin := filepath.Base(bins[sub.col])
			rss[sub.col] = append(rss[sub.col], float64(peaks[bin])/(1<<20))
			data, _ := os.ReadFile(out)
			starts[sub.col] = strings.Count(string(data), bin+" ")
		}
	}
	peak := map[string]float64{}
	for col, xs := range rss {
		peak[col] = median(xs)
	}
	b.add(figure{ID: "startup.plan.peak_rss", Title: "provider peak RSS during `terraform plan`", Unit: "MiB",
		Values: peak, Runs: 3, Detail: map[string]any{"provider_processes_per_plan": starts}})
	return nil
}

// scaleAndRefresh: apply of N instances of each scale type, against N
// terraform_data (a) and N no-op resources (b); then, at the largest N,
// plans that refresh what the applies created.
func (b *bench) scaleAndRefresh(ctx context.Context) error {
	var types []benchType
	for _, t := range b.types {
		if t.scale {
			types = append(types, t)
		}
	}
	// One run per subject, and per type for the provider's subjects; key
	// is the sample's name: "a", "b", "cloudlock:<type>", "before:<type>".
	type run struct {
		subject
		typ benchType
		key string
	}
	var runs []run
	subjects := append([]subject{{col: colBW}}, b.subjects()...)
	for _, sub := range subjects {
		if !sub.provider {
			runs = append(runs, run{subject: sub, key: sub.col})
			continue
		}
		for _, t := range types {
			runs = append(runs, run{subject: sub, typ: t, key: sub.col + ":" + t.name})
		}
	}
	maxN := 0
	for _, n := range b.opts.scale {
		maxN = max(maxN, n)
	}
	// What the last apply at the largest N left, for the refresh figure.
	type kept struct {
		dir  string
		mock *mockcloud.Server
	}
	refresh := map[string]kept{}
	defer func() {
		for _, k := range refresh {
			if k.mock != nil {
				k.mock.Close()
			}
		}
	}()
	// values picks a type's figures out of samples by key.
	values := func(xs map[string]float64, t benchType) map[string]float64 {
		v := map[string]float64{colA: xs[colA], colB: xs[colB], colBW: xs[colBW]}
		for _, col := range []string{colC, colBefore} {
			if x, ok := xs[col+":"+t.name]; ok {
				v[col] = x
			}
		}
		return v
	}

	scaleRuns := b.opts.scaleRuns
	if !b.opts.only["scale"] {
		scaleRuns = 1 // refresh only: one apply to have something to refresh
	}
	for _, n := range b.opts.scale {
		if !b.opts.only["scale"] && n != maxN {
			continue
		}
		logf("scale: apply of N=%d, %d runs per subject", n, scaleRuns)
		applies := samples{}
		calls := map[string]map[string]int{}
		for r := 0; r < scaleRuns; r++ {
			for _, x := range runs {
				dir := filepath.Join(b.dir, "scale", fmt.Sprint(n), strings.ReplaceAll(x.key, ":", "-"), fmt.Sprint(r))
				var m *mockcloud.Server
				blk := block{kind: kindResource, typ: "noop_thing", name: "r", count: n}
				url := ""
				if x.provider {
					s := seed{}
					x.typ.seed(s, n)
					var err error
					if m, err = startMock(s); err != nil {
						return err
					}
					blk = block{kind: x.typ.kind, typ: x.typ.name, name: "r", count: n, body: x.typ.body}
					url = m.URL()
				}
				if err := b.writeConfig(dir, x.col, []block{blk}, url); err != nil {
					return err
				}
				meas, _, err := b.terraform(ctx, runOpts{dir: dir, cliConfig: b.cliConfigFor(x.col)}, "apply", "-auto-approve")
				if err != nil {
					return err
				}
				applies[x.key] = append(applies[x.key], meas)
				if m != nil {
					calls[x.key] = callsByOp(m)
				}
				if n == maxN && r == scaleRuns-1 {
					refresh[x.key] = kept{dir: dir, mock: m}
				} else if m != nil {
					m.Close()
				}
			}
		}
		if !b.opts.only["scale"] {
			continue
		}
		wall, cpu := applies.medians()
		for _, t := range types {
			f := figure{ID: fmt.Sprintf("scale.apply.%s.n%d", short(t.name), n),
				Title: fmt.Sprintf("apply of N=%d `%s`, wall", n, t.name), Unit: "ms",
				Values: values(wall, t), Runs: scaleRuns,
				Detail: map[string]any{"cpu_ms": values(cpu, t), "cloudlock_api_calls": calls[colC+":"+t.name]}}
			if n == maxN {
				f.GoalRatio = 1.2
			}
			b.add(f)
			if n == maxN { // CPU holds better than wall time on a busy machine
				b.add(figure{ID: f.ID + ".cpu", Title: fmt.Sprintf("apply of N=%d `%s`, CPU (terraform + providers)", n, t.name),
					Unit: "ms", Values: values(cpu, t), Runs: scaleRuns})
			}
		}
	}

	if !b.opts.only["refresh"] {
		return nil
	}
	logf("refresh: plan of N=%d existing, %d runs per subject", maxN, b.opts.refreshRuns)
	plans := samples{}
	calls := map[string]map[string]int{}
	for r := 0; r < b.opts.refreshRuns; r++ {
		for _, x := range runs {
			k := refresh[x.key]
			if k.mock != nil {
				k.mock.ResetJournal()
			}
			// Exit code 0 of -detailed-exitcode: the refresh found the
			// state as applied, as it must.
			meas, _, err := b.terraform(ctx, runOpts{dir: k.dir, cliConfig: b.cliConfigFor(x.col)}, "plan", "-detailed-exitcode")
			if err != nil {
				return fmt.Errorf("refresh (a plan after apply must show no changes): %w", err)
			}
			plans[x.key] = append(plans[x.key], meas)
			if k.mock != nil {
				calls[x.key] = callsByOp(k.mock)
			}
		}
	}
	wall, cpu := plans.medians()
	for _, t := range types {
		b.add(figure{ID: fmt.Sprintf("refresh.plan.%s.n%d", short(t.name), maxN),
			Title: fmt.Sprintf("refresh: plan of N=%d existing `%s`, wall", maxN, t.name), Unit: "ms",
			Values: values(wall, t), GoalRatio: 1.2, Runs: b.opts.refreshRuns,
			Detail: map[string]any{"cpu_ms": values(cpu, t), "cloudlock_api_calls": calls[colC+":"+t.name]}})
		b.add(figure{ID: fmt.Sprintf("refresh.plan.%s.n%d.cpu", short(t.name), maxN),
			Title: fmt.Sprintf("refresh: plan of N=%d existing `%s`, CPU (terraform + providers)", maxN, t.name),
			Unit:  "ms", Values: values(cpu, t), Runs: b.opts.refreshRuns})
	}
	return nil
}

func typeByName(types []benchType, name string) (benchType, bool) {
	for _, t := range types {
		if t.name == name {
			return t, true
		}
	}
	return benchType{}, false
}

// short drops the provider prefix: cloudlock_ecs_server_lock -> ecs_server_lock.
func short(name string) string { return strings.TrimPrefix(name, "cloudlock_") }

// apiCalls: cloudlock_bastionhost_user_unlock of many users, counted in the
// mock's journal on create and on refresh, against one call per user.
func (b *bench) apiCalls(ctx context.Context) error {
	const typ = "cloudlock_bastionhost_user_unlock"
	if _, ok := typeByName(b.types, typ); !ok {
		logf("api: skipped, the provider does not offer %s (yet)", typ)
		return nil
	}
	n := b.opts.users
	s := seed{}
	seedBastion(s, n)
	m, err := startMock(s)
	if err != nil {
		return err
	}
	defer m.Close()
	dir := filepath.Join(b.dir, "api", "bastion")
	blk := block{kind: kindResource, typ: typ, name: "all", count: 1,
		body: fmt.Sprintf("instance_id = %q\nuser_ids = [for u in range(%d) : tostring(u + 1)]", bastionID, n)}
	if err := b.writeConfig(dir, colC, []block{blk}, m.URL()); err != nil {
		return err
	}
	logf("api: %s of %d users", typ, n)
	start := time.Now()
	if _, _, err := b.terraform(ctx, runOpts{dir: dir, cliConfig: b.cliConfig}, "apply", "-auto-approve"); err != nil {
		return err
	}
	applyTime := time.Since(start)
	create := callsByOp(m)
	m.ResetJournal()
	if _, _, err := b.terraform(ctx, runOpts{dir: dir, cliConfig: b.cliConfig}, "plan", "-detailed-exitcode"); err != nil {
		return fmt.Errorf("refresh of %d users (a plan after apply must show no changes): %w", n, err)
	}
	refresh := callsByOp(m)
	goal := float64((n + 99) / 100) // 100 ids per call
	b.add(figure{ID: "api.bastionhost_user_unlock.create", Title: fmt.Sprintf("`%s` of %d users: `UnlockUsers` calls on create", typ, n),
		Unit: "calls", Values: map[string]float64{colC: float64(create["bastionhost.UnlockUsers"])}, GoalMax: goal,
		Detail: map[string]any{"one_call_per_user": n, "calls": create, "apply_ms": ms(applyTime)}})
	b.add(figure{ID: "api.bastionhost_user_unlock.refresh", Title: fmt.Sprintf("`%s` of %d users: `ListUsers` calls per refresh", typ, n),
		Unit: "calls", Values: map[string]float64{colC: float64(refresh["bastionhost.ListUsers"])}, GoalMax: goal,
		Detail: map[string]any{"one_call_per_user": n, "calls": refresh}})
	return nil
}

func (b *bench) add(f figure) { b.figures = append(b.figures, f) }
