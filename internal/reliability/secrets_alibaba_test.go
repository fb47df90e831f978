package reliability_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
)

// The secrets of Alibaba Cloud's credential sources: the OIDC token read
// from its file and every temporary
// AccessKeySecret and SecurityToken STS hands out (many: they expire in
// seconds, so they are renewed through the run). None may appear in the
// TF_LOG=trace logs, a plan or the state. Not parallel: it sets the
// process environment.
func TestAccSecretsAlibabaTemporaryCredentials(t *testing.T) {
	logDir := t.TempDir()
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(logDir, "terraform.log"))
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
	m := acctest.StartMock(t)
	sts := acctest.AlibabaSTS(t, m)
	m.RestrictKeysToSTS()
	m.SetCredentialLifetime(3 * time.Second)
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: secretsInstance, Users: []mockcloud.BastionhostUser{
		{UserID: "1", UserName: "alice", UserState: []string{bastionhost.StateFrozen}},
	}})
	const externalID = "ext-id-Zm9yIHRoZSBzZWNyZXRzIHRlc3Q"
	tokenFile := acctest.WriteFile(t, "token", acctest.AlibabaOIDCToken)
	cfg := acctest.AlibabaProviderConfig(m, sts, fmt.Sprintf(`
    assume_role_with_oidc {
      oidc_provider_arn = %q
      role_arn          = %q
      oidc_token_file   = %q
    }
    assume_role {
      role_arn    = %q
      external_id = %q
    }
`, acctest.AlibabaOIDCProviderARN, acctest.AlibabaOIDCRoleARN, tokenFile, acctest.AlibabaRoleARN, externalID)) + fmt.Sprintf(`
resource "cloudlock_bastionhost_user_unlock" "s" {
  instance_id = %q
  user_ids    = ["1"]
}
`, secretsInstance)
	var plans []*tfjson.Plan
	var states []*tfjson.State
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{capturePlan{&plans}},
				PostApplyPostRefresh: []plancheck.PlanCheck{capturePlan{&plans}, plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{captureState{&states}},
		}},
	})
	if m.Calls("bastionhost.UnlockUsers") == 0 || m.Calls("sts.AssumeRoleWithOIDC") == 0 || m.Calls("sts.AssumeRole") == 0 {
		t.Fatal("the run did not go through OIDC, AssumeRole and Bastionhost: a clean log would prove nothing")
	}
	// The external id is configuration text, which the harness logs and a
	// plan's JSON quotes; it is Sensitive so that the CLI hides it. What
	// the provider reads or receives must appear nowhere.
	found := map[string]string{"OIDC token": acctest.AlibabaOIDCToken}
	for i, c := range m.Issued() {
		found[fmt.Sprintf("temporary AccessKeySecret #%d (%s)", i+1, c.Issuer)] = c.AccessKeySecret
		found[fmt.Sprintf("temporary SecurityToken #%d (%s)", i+1, c.Issuer)] = c.SecurityToken
	}
	if len(found) < 1+2*4 {
		t.Fatalf("only %d secrets issued: the renewals did not happen", len(found))
	}

	files, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
	var log strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		log.Write(b)
	}
	all := log.String()
	if d := os.Getenv("CLOUDLOCK_KEEP_TRACE"); d != "" {
		_ = os.WriteFile(filepath.Join(d, "alibaba.log"), []byte(all), 0o600)
	}
	for _, want := range []string{"cloudlock: cloud request", "UnlockUsers"} {
		if !strings.Contains(all, want) {
			t.Fatalf("the trace log (%d bytes, %d files) lacks %q: it would prove nothing", len(all), len(files), want)
		}
	}
	scan(t, "the TF_LOG=trace log", all, found)
	for i, p := range plans {
		b, _ := json.Marshal(p)
		scan(t, fmt.Sprintf("plan %d (terraform show -json)", i+1), string(b), found)
	}
	for _, s := range states {
		b, _ := json.Marshal(s)
		scan(t, "the state (terraform show -json)", string(b), found)
	}
}
