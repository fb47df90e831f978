package acctest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/provider"
)

// ProviderAddress is the address the CLI under test gives the provider's
// source "cloudlock/cloudlock": its default registry host (TF_ACC_PROVIDER_HOST,
// as terraform-plugin-testing reads it: registry.opentofu.org for OpenTofu)
// and the provider's namespace and type.
func ProviderAddress() string {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	return host + "/cloudlock/cloudlock"
}

// CLI runs the terraform binary itself in a directory, against the
// provider served in this process (TF_REATTACH_PROVIDERS). It is for what
// resource.Test cannot do: `terraform validate` alone, signals, timing.
type CLI struct {
	Dir string
	Env []string
}

// NewCLI serves the provider in process for the test's lifetime and returns
// a CLI for a fresh directory holding files (name -> content).
func NewCLI(t testing.TB, files map[string]string) *CLI {
	t.Helper()
	return NewCLIWith(t, files, ProviderSettings)
}

// NewCLIWith is NewCLI with a provider given other test settings (a test
// about pacing gives it the real pace).
func NewCLIWith(t testing.TB, files map[string]string, settings conns.TestSettings) *CLI {
	t.Helper()
	checkCLIEnv(t)
	reattach := serveInProcess(t, settings)
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rc := filepath.Join(dir, ".terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return &CLI{Dir: dir, Env: []string{
		"TF_REATTACH_PROVIDERS=" + reattach,
		"TF_CLI_CONFIG_FILE=" + rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	}}
}

// TerraformBin is the CLI the tests drive: TF_ACC_TERRAFORM_PATH (Terraform
// or OpenTofu), else terraform on PATH.
func TerraformBin() string {
	if bin := os.Getenv("TF_ACC_TERRAFORM_PATH"); bin != "" {
		return bin
	}
	return "terraform"
}

// Command returns the terraform command for args, not started.
func (c *CLI) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, TerraformBin(), args...) //nolint:gosec // the terraform binary the tests are told to use
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	return cmd
}

// Run runs terraform with args and returns its combined output and error.
func (c *CLI) Run(args ...string) (string, error) {
	out, err := c.Command(context.Background(), args...).CombinedOutput()
	return string(out), err
}

type reattachConfig struct {
	Protocol        string
	ProtocolVersion int
	Pid             int
	Test            bool
	Addr            struct{ Network, String string }
}

func serveInProcess(t testing.TB, settings conns.TestSettings) string {
	t.Helper()
	addr := ProviderAddress()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	server := providerserver.NewProtocol6(provider.NewForTests("test", settings)())
	go func() {
		err := tf6server.Serve(addr, server,
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithoutLogStderrOverride())
		if err != nil {
			t.Error(err)
		}
	}()
	cfg := <-configCh
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})
	rc := reattachConfig{Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid, Test: true}
	rc.Addr.Network, rc.Addr.String = cfg.Addr.Network(), cfg.Addr.String()
	b, err := json.Marshal(map[string]reattachConfig{addr: rc})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// RequiredProviders is the terraform block naming the provider's source.
const RequiredProviders = `
terraform {
  required_providers {
    cloudlock = { source = "cloudlock/cloudlock" }
  }
}
`

// WrappedError matches msg in terraform's output, which wraps long lines:
// any run of white space in msg matches any run of white space.
func WrappedError(msg string) *regexp.Regexp {
	words := strings.Fields(msg)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// Contains reports whether out has every one of subs (for CLI output checks).
func Contains(out string, subs ...string) bool {
	for _, s := range subs {
		if !strings.Contains(out, s) {
			return false
		}
	}
	return true
}
