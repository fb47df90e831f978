package acctest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// SkipUnlessQueryCLI skips a test that runs `terraform query` itself when
// the CLI under test has no list resources (Terraform < 1.14, OpenTofu).
func SkipUnlessQueryCLI(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	if IsOpenTofu() {
		t.Skip("OpenTofu has no list resources (terraform query)")
	}
	major, minor, version := CLIVersion(t)
	if major < 1 || (major == 1 && minor < 14) {
		t.Skipf("Terraform %s has no list resources (terraform query needs 1.14)", version)
	}
}

// CLIVersion is the version of the CLI under test (TerraformBin), as
// `version -json` reports it (OpenTofu 1.12.6 says 1.12.6), with its major
// and minor numbers.
func CLIVersion(t testing.TB) (major, minor int, version string) {
	t.Helper()
	cli := &CLI{Dir: t.TempDir()}
	out, err := cli.Command(t.Context(), "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	parts := strings.SplitN(v.Version, ".", 3)
	major, _ = strconv.Atoi(parts[0])
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	return major, minor, v.Version
}

// Adoption is a `terraform query -generate-config-out` run and what came of it.
type Adoption struct {
	CLI       *CLI
	Generated string // the configuration terraform query wrote
}

// GenerateConfig runs `terraform query -generate-config-out=generated.tf`
// for query (list blocks) with the provider configured for m, and checks
// that what it writes is formatted and valid configuration.
func GenerateConfig(t *testing.T, m *mockcloud.Server, query string) *Adoption {
	t.Helper()
	cli := NewCLI(t, map[string]string{
		"main.tf":            RequiredProviders + ProviderConfig(m),
		"search.tfquery.hcl": query,
	})
	if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	if out, err := cli.Run("query", "-no-color", "-generate-config-out=generated.tf"); err != nil {
		t.Fatalf("query: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(cli.Dir, "generated.tf"))
	if err != nil {
		t.Fatalf("query wrote no configuration: %v", err)
	}
	if out, err := cli.Run("fmt", "-check", "-diff", "-no-color", "generated.tf"); err != nil {
		t.Fatalf("the generated configuration is not formatted: %v\n%s\n%s", err, out, b)
	}
	if out, err := cli.Run("validate", "-no-color"); err != nil {
		t.Fatalf("the generated configuration is not valid: %v\n%s\n%s", err, out, b)
	}
	return &Adoption{CLI: cli, Generated: string(b)}
}

// Apply runs terraform apply and fails the test if it fails.
func (a *Adoption) Apply(t *testing.T) string {
	t.Helper()
	out, err := a.CLI.Run("apply", "-input=false", "-no-color", "-auto-approve")
	if err != nil {
		t.Fatalf("apply of the generated configuration: %v\n%s\n%s", err, out, a.Generated)
	}
	return out
}

// ExpectEmptyPlan fails the test unless a plan shows no change.
func (a *Adoption) ExpectEmptyPlan(t *testing.T) {
	t.Helper()
	out, err := a.CLI.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if err != nil {
		t.Fatalf("the plan after adoption is not empty: %v\n%s", err, out)
	}
}
