package installtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// cli is one Terraform or OpenTofu binary the install tests run.
type cli struct {
	name string // "terraform-1.11.4", "tofu-1.12.6": the subtest's name
	bin  string
	tofu bool
}

var versionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\S+)`)

// findCLIs reads CLOUDLOCK_INSTALL_CLIS (paths, separated like PATH); when
// it is unset, the terraform on PATH. tmp is the run's own directory.
func findCLIs(tmp string) ([]cli, error) {
	var bins []string
	if v := os.Getenv("CLOUDLOCK_INSTALL_CLIS"); v != "" {
		bins = filepath.SplitList(v)
	} else {
		bin, err := exec.LookPath("terraform")
		if err != nil {
			return nil, errors.New("terraform is not on PATH and CLOUDLOCK_INSTALL_CLIS is unset")
		}
		bins = []string{bin}
	}
	empty := filepath.Join(tmp, "empty.tfrc")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		return nil, err
	}
	var clis []cli
	for _, bin := range bins {
		cmd := exec.Command(bin, "version") //nolint:gosec // the CLIs the tests are told to run
		// OpenTofu prints a missing TF_CLI_CONFIG_FILE's warning on stdout.
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+empty, "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("%s version: %w", bin, err)
		}
		m := versionLine.FindStringSubmatch(string(out))
		if m == nil {
			return nil, fmt.Errorf("%s version said %q, neither Terraform nor OpenTofu", bin, out)
		}
		c := cli{bin: bin, tofu: m[1] == "OpenTofu", name: "terraform-" + m[2]}
		if c.tofu {
			c.name = "tofu-" + m[2]
		}
		clis = append(clis, c)
	}
	return clis, nil
}

// workspace is a configuration directory and a CLI environment of its own:
// its CLI configuration (TF_CLI_CONFIG_FILE) says where providers come
// from, TF_DATA_DIR and HOME are fresh (no plugin cache, no implied local
// mirrors, no credentials of the machine), and the test CA is the only one
// trusted (SSL_CERT_FILE).
type workspace struct {
	t    *testing.T
	cli  cli
	dir  string
	data string
	env  []string
}

func newWorkspace(t *testing.T, c cli, caFile, providerInstallation string) *workspace {
	t.Helper()
	root := t.TempDir()
	w := &workspace{t: t, cli: c, dir: filepath.Join(root, "config"), data: filepath.Join(root, "data")}
	home := filepath.Join(root, "home")
	for _, d := range []string{w.dir, w.data, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	rc := filepath.Join(root, "cli.tfrc")
	if err := os.WriteFile(rc, []byte("provider_installation {\n"+providerInstallation+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		// Nothing of the caller's Terraform setup (plugin cache, CLI config,
		// reattached providers, logs) nor its trusted CAs.
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "SSL_CERT_") || name == "HOME" {
			continue
		}
		w.env = append(w.env, kv)
	}
	w.env = append(w.env,
		"HOME="+home,
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_DATA_DIR="+w.data,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"SSL_CERT_FILE="+caFile,
	)
	return w
}

// write puts files (name -> content) into the configuration directory.
func (w *workspace) write(files map[string]string) {
	w.t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
			w.t.Fatal(err)
		}
	}
}

// copyConfig copies testdata/<name>/*.tf into the configuration directory.
func (w *workspace) copyConfig(name string) {
	w.t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", name, "*.tf"))
	if err != nil || len(files) == 0 {
		w.t.Fatalf("testdata/%s: no .tf files (%v)", name, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // the test's own testdata
		if err != nil {
			w.t.Fatal(err)
		}
		w.write(map[string]string{filepath.Base(f): string(b)})
	}
}

// run runs the CLI in the configuration directory with extra environment.
func (w *workspace) run(extraEnv []string, args ...string) (string, error) {
	w.t.Helper()
	ctx := w.t.Context()
	cmd := exec.CommandContext(ctx, w.cli.bin, args...) //nolint:gosec // the CLIs the tests are told to run
	cmd.Dir = w.dir
	cmd.Env = append(append([]string(nil), w.env...), extraEnv...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// must runs the CLI and fails the test, with the output, if it fails.
func (w *workspace) must(extraEnv []string, args ...string) string {
	w.t.Helper()
	out, err := w.run(extraEnv, args...)
	if err != nil {
		w.t.Fatalf("%s %s: %v\n%s", w.cli.name, strings.Join(args, " "), err, out)
	}
	return out
}

// lockHashes reads the hashes .terraform.lock.hcl records for source, and
// the version it selected.
func (w *workspace) lockHashes(source string) (version string, h1, zh []string) {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, ".terraform.lock.hcl"))
	if err != nil {
		w.t.Fatalf("no lock file: %v", err)
	}
	block := lockBlock(string(b), source)
	if block == "" {
		w.t.Fatalf("lock file has no provider %q:\n%s", source, b)
	}
	if m := regexp.MustCompile(`version\s*=\s*"([^"]+)"`).FindStringSubmatch(block); m != nil {
		version = m[1]
	}
	for _, m := range regexp.MustCompile(`"((h1|zh):[^"]+)"`).FindAllStringSubmatch(block, -1) {
		if m[2] == "h1" {
			h1 = append(h1, m[1])
		} else {
			zh = append(zh, m[1])
		}
	}
	sort.Strings(h1)
	sort.Strings(zh)
	return version, h1, zh
}

// lockBlock is the text of the provider block for source in a lock file.
func lockBlock(lock, source string) string {
	start := strings.Index(lock, fmt.Sprintf("provider %q {", source))
	if start < 0 {
		return ""
	}
	rest := lock[start:]
	if end := strings.Index(rest, "\n}"); end >= 0 {
		return rest[:end]
	}
	return rest
}

// installed is the provider binary the CLI unpacked into TF_DATA_DIR for
// source on linux_amd64, if any.
func (w *workspace) installed(source, version string) (string, bool) {
	p := filepath.Join(w.data, "providers", source, version, "linux_amd64", "terraform-provider-"+providerType+"_v"+version)
	_, err := os.Stat(p)
	return p, err == nil
}
