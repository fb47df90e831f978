// Command upgradefixtures writes the state fixtures of internal/upgrade: it
// builds the provider as it was at a git revision, applies each
// configuration of internal/upgrade/testdata/config with that build and a
// real terraform (or tofu) against the mock cloud of today, and saves what
// the apply left:
//
//	internal/upgrade/testdata/<name>/<type>/main.tf           the configuration applied
//	internal/upgrade/testdata/<name>/<type>/terraform.tfstate the state that build wrote
//	internal/upgrade/testdata/<name>/world.json               the mock's world after the applies (a seed)
//	internal/upgrade/testdata/<name>/fixture.json             revision, CLI and the command that made them
//
// Run it from the repository, for the revision before a schema change:
//
//	go run ./internal/tools/upgradefixtures -rev 9d3b9ef
//	go run ./internal/tools/upgradefixtures -rev d58a3d8 -terraform ../shared/tools/terraform-1.15.9/terraform
//
// The old build goes into a temporary git worktree and directory, removed
// afterwards; nothing it builds is left in the repository. The mock listens
// on 127.0.0.1 only and the provider is pointed at it alone.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/upgrade"
)

// The world the tests continue in: the same project and regions as
// internal/acctest (its ProjectID, HuaweiRegion, AlibabaRegion), so a state
// written here plans in a test's provider configuration without a change.
const (
	projectID     = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	huaweiRegion  = "cn-north-4"
	alibabaRegion = "cn-hangzhou"
)

// Fixture is fixture.json: where a set of fixtures came from.
type Fixture struct {
	Revision string `json:"revision"` // as given to -rev
	Commit   string `json:"commit"`
	CLI      string `json:"cli"` // the first line of `terraform version`
	Command  string `json:"command"`
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("upgradefixtures: ")
	rev := flag.String("rev", "", "git revision whose provider writes the states (required)")
	name := flag.String("name", "", "fixture directory name (default: the revision's 7-digit commit)")
	tf := flag.String("terraform", "terraform", "the CLI that applies: a name on PATH or a path (Terraform or OpenTofu)")
	out := flag.String("out", "internal/upgrade/testdata", "where the fixtures go, from the repository's root")
	flag.Parse()
	if *rev == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*rev, *name, *tf, *out); err != nil {
		log.Fatal(err)
	}
}

func run(rev, name, tfFlag, out string) error {
	root, err := output("", "git", "rev-parse", "--show-toplevel")
	if err != nil {
		return err
	}
	commit, err := output(root, "git", "rev-parse", "--verify", rev+"^{commit}")
	if err != nil {
		return err
	}
	if name == "" {
		name = commit[:7]
	}
	tf, err := exec.LookPath(tfFlag)
	if err != nil {
		return err
	}
	if tf, err = filepath.Abs(tf); err != nil {
		return err
	}
	configs, err := filepath.Glob(filepath.Join(root, out, "config", "*.tf"))
	if err != nil {
		return err
	}
	if len(configs) == 0 {
		return fmt.Errorf("no configurations in %s", filepath.Join(out, "config"))
	}

	tmp, err := os.MkdirTemp("", "upgradefixtures-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	bin, err := buildProvider(root, commit, tmp)
	if err != nil {
		return err
	}
	// The build's syntax: its provider schema has blocks from 0.1.0 on.
	_, grepErr := output(root, "git", "grep", "-q", "SingleNestedBlock", commit, "--", "internal/provider/")
	blocks := grepErr == nil
	// Its source server's lists: blocks once the SMS package has list blocks.
	_, grepErr = output(root, "git", "grep", "-q", "ListNestedBlock", commit, "--", "internal/service/sms/")
	listBlocks := grepErr == nil

	m, err := mockcloud.Start(mockcloud.Options{
		Huawei: mockcloud.DemoHuawei, Alibaba: mockcloud.DemoAlibaba,
		ProjectID: projectID, Region: huaweiRegion,
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.LoadSeed(mockcloud.DemoSeed()); err != nil {
		return err
	}
	rc := filepath.Join(tmp, "dev.tfrc")
	if err := os.WriteFile(rc, []byte(devOverrides(filepath.Dir(bin))), 0o600); err != nil {
		return err
	}

	// With the CLI configuration that exists: OpenTofu warns on stdout
	// about one that does not.
	version, err := terraform(tf, tmp, cliEnv(rc), "version")
	if err != nil {
		return err
	}
	version, _, _ = strings.Cut(version, "\n")
	known, err := resourceTypes(tf, rc, filepath.Join(tmp, "schema"))
	if err != nil {
		return err
	}
	dest := filepath.Join(root, out, name)
	if err := os.RemoveAll(dest); err != nil {
		return err
	}
	for _, config := range configs {
		typ := strings.TrimSuffix(filepath.Base(config), ".tf")
		if !known[typ] {
			// A type newer than the build has no state from it.
			log.Printf("%s: skipping %s, which this build does not have", name, typ)
			continue
		}
		log.Printf("%s: applying %s with %s", name, typ, version)
		if err := apply(tf, rc, m, blocks, listBlocks, config, filepath.Join(tmp, "work", typ), filepath.Join(dest, typ)); err != nil {
			return fmt.Errorf("%s: %w", typ, err)
		}
	}
	if err := writeJSON(filepath.Join(dest, "world.json"), m.Snapshot()); err != nil {
		return err
	}
	cmd := "go run ./internal/tools/upgradefixtures -rev " + rev
	if tfFlag != "terraform" {
		cmd += " -terraform " + tfFlag
	}
	if name != commit[:7] {
		cmd += " -name " + name
	}
	return writeJSON(filepath.Join(dest, "fixture.json"), Fixture{Revision: rev, Commit: commit, CLI: version, Command: cmd})
}

// buildProvider builds the provider at commit into dir/bin, from a
// temporary worktree that is removed again.
func buildProvider(root, commit, dir string) (string, error) {
	src := filepath.Join(dir, "src")
	if _, err := output(root, "git", "worktree", "add", "--detach", src, commit); err != nil {
		return "", err
	}
	defer func() { _, _ = output(root, "git", "worktree", "remove", "--force", src) }()
	bin := filepath.Join(dir, "bin", "terraform-provider-cloudlock")
	log.Printf("building the provider at %s", commit[:7])
	if _, err := output(src, "go", "build", "-trimpath", "-o", bin, "."); err != nil {
		return "", err
	}
	return bin, nil
}

// devOverrides points both registries' address of the provider at dir, so
// Terraform and OpenTofu run the old build without terraform init.
func devOverrides(dir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cloudlock/cloudlock" = %[1]q
    "registry.opentofu.org/cloudlock/cloudlock" = %[1]q
  }
  direct {}
}
`, dir)
}

// resourceTypes are the resource types the build behind rc offers, as
// `providers schema -json` lists them.
func resourceTypes(tf, rc, dir string) (map[string]bool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	req := "terraform {\n  required_providers {\n    cloudlock = { source = \"cloudlock/cloudlock\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(req), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(tf, "providers", "schema", "-json") //nolint:gosec // the CLI the caller named
	cmd.Dir, cmd.Env = dir, cliEnv(rc)
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("providers schema -json: %w", err)
	}
	var schema struct {
		ProviderSchemas map[string]struct {
			ResourceSchemas map[string]json.RawMessage `json:"resource_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(b, &schema); err != nil {
		return nil, fmt.Errorf("providers schema -json: %w", err)
	}
	known := map[string]bool{}
	for _, p := range schema.ProviderSchemas {
		for typ := range p.ResourceSchemas {
			known[typ] = true
		}
	}
	if len(known) == 0 {
		return nil, errors.New("the build offers no resource types")
	}
	return known, nil
}

// providerConfig points the provider at the mock only, in today's syntax
// (apply writes it as an older build takes it). It stays in the work
// directory: the fixture keeps main.tf, never a key.
func providerConfig(m *mockcloud.Server) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    cloudlock = { source = "cloudlock/cloudlock" }
  }
}

provider "cloudlock" {
  huaweicloud {
    region     = %[2]q
    access_key = %[3]q
    secret_key = %[4]q
    endpoints {
      iam = %[1]q
      sms = %[1]q
      ecs = %[1]q
    }
  }
  alicloud {
    region     = %[5]q
    access_key = %[6]q
    secret_key = %[7]q
    endpoints {
      bastionhost = %[1]q
    }
  }
}
`, m.URL(), huaweiRegion, mockcloud.DemoHuawei.AccessKey, mockcloud.DemoHuawei.SecretKey,
		alibabaRegion, mockcloud.DemoAlibaba.AccessKey, mockcloud.DemoAlibaba.SecretKey)
}

// apply applies config in work with the old build, checks that a second
// plan by the same build is empty (a fixture must be a state at rest), and
// copies the configuration and the state to dest.
func apply(tf, rc string, m *mockcloud.Server, blocks, listBlocks bool, config, work, dest string) error {
	main, err := os.ReadFile(config) //nolint:gosec // a configuration of the repository's testdata
	if err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o700); err != nil {
		return err
	}
	provider := providerConfig(m)
	if !blocks {
		main, provider = []byte(upgrade.AttributeSyntax(string(main))), upgrade.AttributeSyntax(provider)
	} else if !listBlocks {
		main = []byte(upgrade.ListAttributeSyntax(string(main)))
	}
	// Written in the build's syntax (it was written before the rewrite).
	if err := os.WriteFile(filepath.Join(work, "main.tf"), main, 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(work, "provider.tf"), []byte(provider), 0o600); err != nil {
		return err
	}
	env := cliEnv(rc)
	if _, err := terraform(tf, work, env, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return err
	}
	if _, err := terraform(tf, work, env, "plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		return fmt.Errorf("the build that applied does not plan its own state empty: %w", err)
	}
	state, err := os.ReadFile(filepath.Join(work, "terraform.tfstate")) //nolint:gosec // the state just written
	if err != nil {
		return err
	}
	if err := checkNoSecrets(m, state); err != nil {
		return err
	}
	if err := os.MkdirAll(dest, 0o750); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dest, "main.tf"), main, 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dest, "terraform.tfstate"), state, 0o600)
}

// checkNoSecrets refuses a state holding a key of the mock or a task's
// passphrase: fixtures are committed.
func checkNoSecrets(m *mockcloud.Server, state []byte) error {
	secrets := []string{mockcloud.DemoHuawei.AccessKey, mockcloud.DemoHuawei.SecretKey,
		mockcloud.DemoAlibaba.AccessKey, mockcloud.DemoAlibaba.SecretKey}
	for _, t := range m.Tasks() {
		secrets = append(secrets, t.Passphrase)
	}
	for _, s := range secrets {
		if s != "" && bytes.Contains(state, []byte(s)) {
			return errors.New("the state holds a key or a passphrase; it is not written as a fixture")
		}
	}
	return nil
}

// cleanEnv is the environment without any cloud credentials or settings,
// so the old build sees only the mock of providerConfig.
func cleanEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		switch {
		case strings.HasPrefix(k, "HW_"), strings.HasPrefix(k, "HUAWEICLOUD_"), strings.HasPrefix(k, "ALICLOUD_"),
			strings.HasPrefix(k, "ALIBABA_CLOUD_"), strings.HasPrefix(k, "CLOUDLOCK_"), strings.HasPrefix(k, "TF_"):
			continue
		}
		env = append(env, e)
	}
	sort.Strings(env)
	return env
}

// cliEnv is the environment of every CLI run: cleanEnv with the CLI
// configuration rc.
func cliEnv(rc string) []string {
	return append(cleanEnv(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
}

func terraform(tf, dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command(tf, args...) //nolint:gosec // the CLI the caller named
	cmd.Dir, cmd.Env = dir, env
	b, err := cmd.CombinedOutput()
	if err != nil {
		return string(b), fmt.Errorf("%s %s: %w\n%s", filepath.Base(tf), args[0], err, b)
	}
	return string(b), nil
}

// output runs a command and returns its trimmed standard output.
func output(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...) //nolint:gosec // git, go and the CLI, with arguments from this tool
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(b)), nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
