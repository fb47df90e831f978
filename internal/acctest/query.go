package acctest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// QueryVersionChecks skip a test of list resources (`terraform query`)
// where the CLI has none: Terraform before 1.14, and OpenTofu.
func QueryVersionChecks() []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{
		SkipOnOpenTofu("OpenTofu has no list resources (terraform query)"),
		tfversion.SkipBelow(tfversion.Version1_14_0),
	}
}

// ExpectCalls is a query check on the mock's journal: each operation was
// called exactly that many times since the last ResetJournal.
func ExpectCalls(m *mockcloud.Server, want map[string]int) querycheck.QueryResultCheck {
	return callsCheck{m: m, want: want}
}

type callsCheck struct {
	m    *mockcloud.Server
	want map[string]int
}

func (c callsCheck) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	var wrong []string
	for op, n := range c.want {
		if got := c.m.Calls(op); got != n {
			wrong = append(wrong, fmt.Sprintf("%s: %d calls, want %d", op, got, n))
		}
	}
	sort.Strings(wrong)
	if len(wrong) > 0 {
		resp.Error = fmt.Errorf("API calls of the query: %s", strings.Join(wrong, "; "))
	}
}

// SkipOnOpenTofu skips a test with reason when the CLI under test is
// OpenTofu (TF_ACC_PROVIDER_HOST=registry.opentofu.org, or a binary named
// tofu): its version numbers do not say what Terraform's do.
func SkipOnOpenTofu(reason string) tfversion.TerraformVersionCheck { return openTofuCheck{reason} }

type openTofuCheck struct{ reason string }

func (c openTofuCheck) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if IsOpenTofu() {
		resp.Skip = "OpenTofu: " + c.reason
	}
}

// IsOpenTofu reports whether the tests run OpenTofu.
func IsOpenTofu() bool {
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		return true
	}
	return strings.HasPrefix(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}
