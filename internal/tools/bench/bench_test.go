package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestPeakRSSTakesTheLargestPerBinary(t *testing.T) {
	file := filepath.Join(t.TempDir(), "rss.txt")
	data := "terraform-provider-cloudlock 100\nterraform-provider-noop 50\nterraform-provider-cloudlock 300\nterraform-provider-cloudlock 200\n"
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := peakRSS(file)
	if err != nil {
		t.Fatal(err)
	}
	if got[cloudlockBin] != 300*1024 || got[baselineBin] != 50*1024 {
		t.Errorf("peakRSS = %v, want cloudlock 300 KiB and noop 50 KiB in bytes", got)
	}
	if err := os.WriteFile(file, []byte("terraform-provider-noop lots\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := peakRSS(file); err == nil {
		t.Error("a malformed line must be an error, not a zero")
	}
}

func TestGoals(t *testing.T) {
	f := figure{Values: map[string]float64{colB: 100, colC: 115}, GoalRatio: 1.15}
	if met, ok := f.met(); !ok || !met {
		t.Errorf("115 against 100 with goal 1.15×: met=%v ok=%v, want met", met, ok)
	}
	f.Values[colC] = 116
	if met, _ := f.met(); met {
		t.Error("116 against 100 with goal 1.15× must not be met")
	}
	f = figure{Values: map[string]float64{colC: 11}, GoalMax: 10}
	if met, ok := f.met(); !ok || met {
		t.Errorf("11 calls with goal ≤ 10: met=%v ok=%v, want not met", met, ok)
	}
	if _, ok := (figure{Values: map[string]float64{colC: 1}}).met(); ok {
		t.Error("a figure without a goal has nothing to meet")
	}
}

// The baselines must keep the configuration's shape: same kinds, counts and
// names, so the comparison is of like with like.
func TestBaselinesKeepTheShape(t *testing.T) {
	b := block{kind: kindData, typ: "cloudlock_sms_task_passphrase", name: "x1", count: 7, body: "task_id = " + hclID(taskIDFormat)}
	for _, got := range []string{b.asBaseline().hcl(), b.asTerraform().hcl()} {
		if !strings.Contains(got, `"x1"`) || !strings.Contains(got, "count = 7") {
			t.Errorf("baseline block lost the name or count:\n%s", got)
		}
	}
	if !strings.HasPrefix(b.asBaseline().hcl(), `data "noop_thing"`) {
		t.Errorf("baseline (b) must keep the kind:\n%s", b.asBaseline().hcl())
	}
	if !strings.HasPrefix(b.asTerraform().hcl(), `resource "terraform_data"`) {
		t.Errorf("baseline (a) is terraform_data:\n%s", b.asTerraform().hcl())
	}
}

// Every type the provider offers and the bench knows gets a seed the mock
// accepts (the mock rejects unknown keys), with the ids the HCL computes.
func TestSeedsLoadIntoTheMock(t *testing.T) {
	offered := offeredTypes(context.Background())
	s := seed{}
	used := 0
	for _, bt := range benchTypes {
		if !offered[string(bt.kind)+" "+bt.name] || bt.seed == nil {
			continue
		}
		bt.seed(s, 3)
		used++
	}
	if used == 0 {
		t.Fatal("no type of the table is offered by the provider")
	}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	m := mockcloud.New(mockcloud.Options{})
	if err := m.LoadSeed(data); err != nil {
		t.Fatalf("the mock rejects the bench's seed: %v", err)
	}
	if _, ok := m.Task("7a9a9540-ff28-4869-b9e4-000000000002"); !ok {
		t.Error("task 2 is missing: the seed and the HCL's format() disagree")
	}
	// Seeding twice (several SMS types share the tasks) adds nothing.
	before := len(s["tasks"])
	seedTasks(s, 3)
	if len(s["tasks"]) != before {
		t.Errorf("seedTasks added %d tasks a second time", len(s["tasks"])-before)
	}
}

func TestNum(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 5: "5", 10: "10", 2.5: "2.5", 12.34: "12.3", 1234.5: "1234"} {
		if got := num(in); got != want {
			t.Errorf("num(%v) = %q, want %q", in, got, want)
		}
	}
}
