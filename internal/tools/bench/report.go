package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// report prints the Markdown table (ready for docs/BENCHMARKS.md) and one
// machine-readable line per figure.
func (b *bench) report(w io.Writer, loadBefore, loadAfter string) {
	fmt.Fprintf(w, "\n## make bench, %s\n\n", b.started.Format("2006-01-02"))
	fmt.Fprintf(w, "%s; load average %s before, %s after; %s in all. Times are medians; a = Terraform alone "+
		"(`terraform_data`), b = a no-op terraform-plugin-framework provider (the floor), ×b = cloudlock / b.\n\n",
		header(), loadBefore, loadAfter, time.Since(b.started).Round(time.Second))
	before := b.cliConfigBefore != ""
	wide := false
	for _, f := range b.figures {
		if _, ok := f.Values[colBW]; ok {
			wide = true
		}
	}
	if wide {
		fmt.Fprintln(w, "b wide = b whose resource has the state shape of a cloudlock lock (7 attributes, ids as long) and "+
			"which, like cloudlock, builds no log lines Terraform drops: the floor for instances of that shape; "+
			"b wide ×b = b wide / b (what the shape alone costs); ×b wide = cloudlock / b wide (what cloudlock adds to it).")
		fmt.Fprintln(w)
	}
	if before {
		fmt.Fprintf(w, "Column before = the provider at %s, measured in the same run; before ×b = before / b.\n\n", b.opts.before)
	}
	// Columns: values, then ratios, then the goal.
	type column struct {
		head  string
		align string
		cell  func(f figure) string
	}
	value := func(col string) func(figure) string {
		return func(f figure) string {
			v, ok := f.Values[col]
			if !ok {
				return ""
			}
			return num(v) + " " + f.Unit
		}
	}
	ratioOf := func(x, y string) func(figure) string {
		return func(f figure) string {
			if a, b := f.Values[x], f.Values[y]; a > 0 && b > 0 {
				return fmt.Sprintf("%.2f×", a/b)
			}
			return ""
		}
	}
	cols := []column{{"a: Terraform", "---:", value(colA)}, {"b: floor", "---:", value(colB)}}
	if wide {
		cols = append(cols, column{"b wide", "---:", value(colBW)})
	}
	if before {
		cols = append(cols, column{"before", "---:", value(colBefore)})
	}
	cols = append(cols, column{"cloudlock", "---:", value(colC)},
		column{"×a", "---:", ratioOf(colC, colA)}, column{"×b", "---:", ratioOf(colC, colB)})
	if wide {
		cols = append(cols, column{"b wide ×b", "---:", ratioOf(colBW, colB)}, column{"×b wide", "---:", ratioOf(colC, colBW)})
	}
	if before {
		cols = append(cols, column{"before ×b", "---:", ratioOf(colBefore, colB)},
			column{"before / cloudlock", "---:", ratioOf(colBefore, colC)})
	}
	cols = append(cols, column{"goal", "---", func(f figure) string {
		switch {
		case f.GoalRatio > 0:
			return fmt.Sprintf("≤ %.2f×b", f.GoalRatio)
		case f.GoalMax > 0:
			return fmt.Sprintf("≤ %s %s", num(f.GoalMax), f.Unit)
		case f.GoalSpeedup > 0:
			return fmt.Sprintf("≥ %s× faster than before", num(f.GoalSpeedup))
		}
		return ""
	}}, column{"met", "---", func(f figure) string {
		if ok, has := f.met(); has {
			return map[bool]string{true: "yes", false: "**no**"}[ok]
		}
		return ""
	}})
	head, align := []string{"figure"}, []string{"---"}
	for _, c := range cols {
		head, align = append(head, c.head), append(align, c.align)
	}
	fmt.Fprintf(w, "| %s |\n|%s|\n", strings.Join(head, " | "), strings.Join(align, "|"))
	for _, f := range b.figures {
		title := f.Title
		if n, ok := f.Detail["one_call_per_user"]; ok {
			title += fmt.Sprintf(" (one call per user: %v)", n)
		}
		row := []string{title}
		for _, c := range cols {
			row = append(row, c.cell(f))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
	for _, f := range b.figures {
		line := map[string]any{
			"figure": f.ID, "unit": f.Unit, "values": f.Values, "date": b.started.Format("2006-01-02"),
		}
		if f.Runs > 0 {
			line["runs"] = f.Runs
		}
		for _, col := range []string{colA, colB} {
			if r, ok := f.ratio(col); ok {
				line["ratio_"+col] = round(r)
			}
		}
		if x, y := f.Values[colBefore], f.Values[colB]; x > 0 && y > 0 {
			line["before_ratio_b"] = round(x / y)
		}
		if x, y := f.Values[colC], f.Values[colBW]; x > 0 && y > 0 {
			line["ratio_b_wide"] = round(x / y)
		}
		if x, y := f.Values[colBW], f.Values[colB]; x > 0 && y > 0 {
			line["b_wide_ratio_b"] = round(x / y)
		}
		if f.GoalRatio > 0 {
			line["goal_ratio_b"] = f.GoalRatio
		}
		if f.GoalMax > 0 {
			line["goal_max"] = f.GoalMax
		}
		if f.GoalSpeedup > 0 {
			line["goal_speedup"] = f.GoalSpeedup
		}
		if ok, has := f.met(); has {
			line["goal_met"] = ok
		}
		if len(f.Detail) > 0 {
			line["detail"] = f.Detail
		}
		data, err := json.Marshal(line)
		if err != nil {
			panic(err) // maps of numbers and strings always marshal
		}
		fmt.Fprintf(w, "BENCH %s\n", data)
	}
}

// num prints a value with sensible precision.
func num(v float64) string {
	switch {
	case v == math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v, 'f', 2, 64), "0"), ".")
	}
}

func round(r float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(r, 'f', 3, 64), 64)
	return v
}
