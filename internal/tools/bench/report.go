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

// report prints the Markdown table (ready for the README) and one
// machine-readable line per figure.
func (b *bench) report(w io.Writer, loadBefore, loadAfter string) {
	fmt.Fprintf(w, "\n## make bench, %s\n\n", b.started.Format("2006-01-02"))
	fmt.Fprintf(w, "%s; load average %s before, %s after; %s in all. Times are medians; a = Terraform alone "+
		"(`terraform_data`), b = a no-op terraform-plugin-framework provider (the floor), ×b = cloudlock / b.\n\n",
		header(), loadBefore, loadAfter, time.Since(b.started).Round(time.Second))
	before := b.cliConfigBefore != ""
	if before {
		fmt.Fprintf(w, "Column before = the provider at %s, measured in the same run.\n\n", b.opts.before)
		fmt.Fprintln(w, "| figure | a: Terraform | b: floor | before | cloudlock | before ×b | ×a | ×b | goal | met |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
	} else {
		fmt.Fprintln(w, "| figure | a: Terraform | b: floor | cloudlock | ×a | ×b | goal | met |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---|---|")
	}
	for _, f := range b.figures {
		cell := func(col string) string {
			v, ok := f.Values[col]
			if !ok {
				return ""
			}
			return num(v) + " " + f.Unit
		}
		ratio := func(col string) string {
			if r, ok := f.ratio(col); ok {
				return fmt.Sprintf("%.2f×", r)
			}
			return ""
		}
		goal, met := "", ""
		switch {
		case f.GoalRatio > 0:
			goal = fmt.Sprintf("≤ %.2f×b", f.GoalRatio)
		case f.GoalMax > 0:
			goal = fmt.Sprintf("≤ %s %s", num(f.GoalMax), f.Unit)
		}
		if ok, has := f.met(); has {
			met = map[bool]string{true: "yes", false: "**no**"}[ok]
		}
		title := f.Title
		if n, ok := f.Detail["one_call_per_user"]; ok {
			title += fmt.Sprintf(" (one call per user: %v)", n)
		}
		if before {
			beforeRatio := ""
			if x, y := f.Values[colBefore], f.Values[colB]; x > 0 && y > 0 {
				beforeRatio = fmt.Sprintf("%.2f×", x/y)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				title, cell(colA), cell(colB), cell(colBefore), cell(colC), beforeRatio, ratio(colA), ratio(colB), goal, met)
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			title, cell(colA), cell(colB), cell(colC), ratio(colA), ratio(colB), goal, met)
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
		if f.GoalRatio > 0 {
			line["goal_ratio_b"] = f.GoalRatio
		}
		if f.GoalMax > 0 {
			line["goal_max"] = f.GoalMax
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
