// Command bench is `make bench`: it measures what users of the provider
// feel, side by side with two baselines measured in the same run, so that the
// ratios hold on a busy machine:
//
//	(a) Terraform alone: the same configuration shape made of terraform_data;
//	(b) the floor of any terraform-plugin-framework provider: ./baseline, a
//	    no-op provider built from the same framework version.
//
// Figures: start-up (validate and plan of a configuration using every
// cloudlock type; binary size and peak RSS), scale (apply of N instances),
// refresh (plan of N existing instances), API calls (from the mock cloud's
// journal), ECS reads at fleet scale (reads.go: with -before, the
// provider before a change in the same run) and many runs sharing one
// account's limits (manyruns.go). Everything runs offline: terraform finds the freshly built
// providers through dev_overrides, and the mock cloud runs in this process on
// 127.0.0.1. It prints a Markdown table and one "BENCH {json}" line per figure.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	cloudlock "github.com/cloudlock/terraform-provider-cloudlock/internal/provider"
)

type options struct {
	runs        int   // start-up runs per subject (median)
	scaleRuns   int   // apply runs per subject and N
	refreshRuns int   // refresh plans per subject
	scale       []int // N
	users       int   // bastion users for the API-call figure
	readsN      int   // ECS locks for the reads figures
	only        map[string]bool
	dir         string
	keep        bool
	before      string        // git revision built as column "before"
	manyTimeout time.Duration // many runs: a run still going after this has failed
	manyParts   map[string]bool
}

// bench holds what every figure needs.
type bench struct {
	opts         options
	root         string // repository root
	dir          string // work directory
	binDir       string // the real provider binaries (dev_overrides)
	cliConfig    string // TF_CLI_CONFIG_FILE pointing at binDir
	cliConfigRSS string // TF_CLI_CONFIG_FILE pointing at the rsswrap copies
	// -before: the provider built from another revision, measured in the
	// same run as column "before" (for before/after figures of a change).
	beforeBinDir    string
	cliConfigBefore string
	terraformBin    string
	types           []benchType // the table's types the provider offers
	figures         []figure
	started         time.Time
}

// Provider binary names; rsswrap reports by these.
const (
	cloudlockBin = "terraform-provider-cloudlock"
	baselineBin  = "terraform-provider-noop"
	wideBin      = "terraform-provider-noopwide"
)

func main() {
	var o options
	var scale, only string
	flag.IntVar(&o.runs, "runs", 7, "start-up runs per subject (the median is reported)")
	flag.IntVar(&o.scaleRuns, "scale-runs", 3, "applies per subject and N")
	flag.IntVar(&o.refreshRuns, "refresh-runs", 3, "refresh plans per subject")
	flag.StringVar(&scale, "scale", "10,100,500", "N for the scale figures; refresh uses the largest")
	flag.IntVar(&o.users, "users", 1000, "Bastionhost users for the API-call figure")
	flag.IntVar(&o.readsN, "reads-n", 1000, "ECS locks for the reads figures (plans and apply with 30 ms a call)")
	flag.StringVar(&only, "only", "startup,scale,refresh,api,reads,many", "figures to measure")
	var manyParts string
	flag.StringVar(&manyParts, "many", "plans,small,plans8,plans16,bastionhost", "many runs: the parts to measure")
	flag.DurationVar(&o.manyTimeout, "many-timeout", 6*time.Minute, "many runs: a terraform run still going after this counts as failed")
	flag.StringVar(&o.dir, "dir", "", "work directory (default: a temporary one, removed at the end)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (configurations, states, terraform logs)")
	flag.StringVar(&o.before, "before", "", "also measure the provider built from this git revision, as column \"before\"")
	flag.Parse()
	for _, s := range strings.Split(scale, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fatalf("-scale: %q is not a positive number", s)
		}
		o.scale = append(o.scale, n)
	}
	o.manyParts = map[string]bool{}
	for _, s := range strings.Split(manyParts, ",") {
		o.manyParts[strings.TrimSpace(s)] = true
	}
	o.only = map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		o.only[strings.TrimSpace(s)] = true
	}
	if o.runs < 1 || o.scaleRuns < 1 || o.refreshRuns < 1 {
		fatalf("-runs, -scale-runs and -refresh-runs must be at least 1")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b, err := setup(ctx, o)
	if err != nil {
		fatalf("%v", err)
	}
	err = b.run(ctx)
	if !o.keep && o.dir == "" {
		_ = os.RemoveAll(b.dir)
	} else {
		fmt.Fprintf(os.Stderr, "bench: work directory kept: %s\n", b.dir)
	}
	if err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// setup builds the providers and writes the CLI configurations.
func setup(ctx context.Context, o options) (*bench, error) {
	b := &bench{opts: o, started: time.Now()}
	var err error
	if b.terraformBin, err = exec.LookPath("terraform"); err != nil {
		return nil, fmt.Errorf("terraform is not on PATH")
	}
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return nil, fmt.Errorf("finding the module root: %w", err)
	}
	b.root = strings.TrimSpace(string(out))
	b.dir = o.dir
	if b.dir == "" {
		if b.dir, err = os.MkdirTemp("", "cloudlock-bench-"); err != nil {
			return nil, err
		}
	} else if b.dir, err = filepath.Abs(b.dir); err != nil {
		return nil, err
	}
	b.binDir = filepath.Join(b.dir, "bin")
	rssDir := filepath.Join(b.dir, "bin-rss")
	for _, d := range []string{b.binDir, rssDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}

	logf("building the provider, baseline (b) and rsswrap")
	builds := []struct{ pkg, out, tags string }{
		{".", filepath.Join(b.binDir, cloudlockBin), ""},
		{"./internal/tools/bench/baseline", filepath.Join(b.binDir, baselineBin), ""},
		{"./internal/tools/bench/baseline", filepath.Join(b.binDir, wideBin), "benchwide"},
		{"./internal/tools/bench/rsswrap", filepath.Join(rssDir, cloudlockBin), ""},
	}
	for _, x := range builds {
		var tags []string
		if x.tags != "" {
			tags = append(tags, x.tags)
		}
		if err := goBuild(ctx, b.root, x.pkg, x.out, tags...); err != nil {
			return nil, err
		}
	}
	// One wrapper, two names: it runs the real binary of its own name.
	if err := copyFile(filepath.Join(rssDir, cloudlockBin), filepath.Join(rssDir, baselineBin)); err != nil {
		return nil, err
	}
	b.cliConfig = filepath.Join(b.dir, "terraformrc")
	b.cliConfigRSS = filepath.Join(b.dir, "terraformrc-rss")
	// file -> directories of the cloudlock and noop binaries.
	configs := map[string][2]string{b.cliConfig: {b.binDir, b.binDir}, b.cliConfigRSS: {rssDir, rssDir}}
	if o.before != "" {
		if err := b.buildBefore(ctx, o.before); err != nil {
			return nil, err
		}
		b.cliConfigBefore = filepath.Join(b.dir, "terraformrc-before")
		configs[b.cliConfigBefore] = [2]string{b.beforeBinDir, b.binDir}
	}
	for file, dirs := range configs {
		rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cloudlock/cloudlock" = %[1]q
    "registry.terraform.io/bench/noop"          = %[2]q
    "registry.terraform.io/bench/noopwide"      = %[3]q
  }
  direct {}
}
`, dirs[0], dirs[1], b.binDir)
		if err := os.WriteFile(file, []byte(rc), 0o600); err != nil {
			return nil, err
		}
	}

	offered := offeredTypes(ctx)
	known := map[string]bool{}
	for _, t := range benchTypes {
		key := string(t.kind) + " " + t.name
		known[key] = true
		if offered[key] {
			b.types = append(b.types, t)
		} else {
			logf("skipping %s %s: the provider does not offer it (yet)", t.kind, t.name)
		}
	}
	for key := range offered {
		if !known[key] {
			logf("WARNING: the provider offers %s, which the bench does not use: add it to benchTypes", key)
		}
	}
	return b, nil
}

// offeredTypes lists the provider's types as "<kind> <type name>".
func offeredTypes(ctx context.Context) map[string]bool {
	p := cloudlock.New("bench")()
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	out := map[string]bool{}
	for _, f := range p.Resources(ctx) {
		var r resource.MetadataResponse
		f().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &r)
		out[string(kindResource)+" "+r.TypeName] = true
	}
	for _, f := range p.DataSources(ctx) {
		var r datasource.MetadataResponse
		f().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: meta.TypeName}, &r)
		out[string(kindData)+" "+r.TypeName] = true
	}
	if pe, ok := p.(provider.ProviderWithEphemeralResources); ok {
		for _, f := range pe.EphemeralResources(ctx) {
			var r ephemeral.MetadataResponse
			f().Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: meta.TypeName}, &r)
			out[string(kindEphemeral)+" "+r.TypeName] = true
		}
	}
	return out
}

// buildBefore builds the provider as it was at git revision rev, from a
// clean export of that revision (the work tree is left alone).
func (b *bench) buildBefore(ctx context.Context, rev string) error {
	src := filepath.Join(b.dir, "src-before")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return err
	}
	logf("building the provider at %s as column %q", rev, colBefore)
	archive := exec.CommandContext(ctx, "sh", "-c", `git archive "$1" | tar -x -C "$2"`, "sh", rev, src)
	archive.Dir = b.root
	archive.Stderr = os.Stderr
	if err := archive.Run(); err != nil {
		return fmt.Errorf("exporting %s: %w", rev, err)
	}
	b.beforeBinDir = filepath.Join(b.dir, "bin-before")
	return goBuild(ctx, src, ".", filepath.Join(b.beforeBinDir, cloudlockBin))
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}

func (b *bench) run(ctx context.Context) error {
	load0 := loadAvg()
	logf("work directory %s; load average %s", b.dir, load0)
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"startup", b.startup},
		{"scale", b.scaleAndRefresh},
		{"api", b.apiCalls},
		{"reads", b.reads},
		{"many", b.manyRuns},
	}
	for _, s := range steps {
		if s.name == "scale" && !b.opts.only["scale"] && !b.opts.only["refresh"] {
			continue
		}
		if s.name != "scale" && !b.opts.only[s.name] {
			continue
		}
		if err := s.fn(ctx); err != nil {
			return err
		}
	}
	b.report(os.Stdout, load0, loadAvg())
	return nil
}

// loadAvg is the 1-, 5- and 15-minute load average.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// Columns of the figures.
const (
	colA = "a" // terraform_data
	colB = "b" // the no-op framework provider
	// colBW is b built with -tags benchwide: its resource has the state
	// shape of a cloudlock lock (scale and refresh figures only).
	colBW = "b_wide"
	colC  = "cloudlock" // the provider under test
	// colBefore is the provider at the -before revision.
	colBefore = "before"
)

// writeConfig writes main.tf for column col: the blocks as they are
// (cloudlock), or as the baselines write them.
func (b *bench) writeConfig(dir, col string, blocks []block, mockURL string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var sb strings.Builder
	switch col {
	case colA:
	case colB:
		sb.WriteString(`terraform {
  required_providers {
    noop = { source = "bench/noop" }
  }
}

provider "noop" {}
`)
	case colBW:
		sb.WriteString(`terraform {
  required_providers {
    noopwide = { source = "bench/noopwide" }
  }
}

provider "noopwide" {}
`)
	default:
		h, a := mockcloud.DemoHuawei, mockcloud.DemoAlibaba
		fmt.Fprintf(&sb, `terraform {
  required_providers {
    cloudlock = { source = "cloudlock/cloudlock" }
  }
}

provider "cloudlock" {
  huaweicloud {
    region     = "cn-north-4"
    access_key = %[2]q
    secret_key = %[3]q
    endpoints {
      iam = %[1]q
      sms = %[1]q
      ecs = %[1]q
    }
  }
  alicloud {
    region     = "cn-hangzhou"
    access_key = %[4]q
    secret_key = %[5]q
    endpoints { bastionhost = %[1]q }
  }
}
`, mockURL, h.AccessKey, h.SecretKey, a.AccessKey, a.SecretKey)
	}
	for _, bl := range blocks {
		switch col {
		case colA:
			bl = bl.asTerraform()
		case colB:
			bl = bl.asBaseline()
		case colBW:
			bl = bl.asWide()
		}
		sb.WriteString("\n" + bl.hcl())
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(sb.String()), 0o644)
}

// startMock starts a fresh mock cloud holding s.
func startMock(s seed) (*mockcloud.Server, error) {
	m, err := mockcloud.Start(mockcloud.Options{JournalLimit: 1 << 20})
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(s)
	if err == nil {
		err = m.LoadSeed(data)
	}
	if err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// callsByOp counts the mock's journal by operation.
func callsByOp(m *mockcloud.Server) map[string]int {
	out := map[string]int{}
	for _, e := range m.Journal() {
		out[e.Op]++
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// header says where and how the figures were taken.
func header() string {
	tf, _ := exec.Command("terraform", "version").Output()
	v := strings.SplitN(strings.TrimSpace(string(tf)), "\n", 2)[0]
	return fmt.Sprintf("%s, %s, %d CPUs", v, runtime.Version(), runtime.NumCPU())
}
