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
)

// The secrets of Huawei's other credential sources stay out of the
// TF_LOG=trace logs, the plans and the state: the OIDC ID token, the
// federated token, the agency's and the federated temporary keys (renewed
// during the run, so several of each), and the metadata session token.
// Not parallel: it sets the process environment.
func TestAccSecretsOfHuaweiTemporaryCredentials(t *testing.T) {
	const idToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvc2VjcmV0cyJ9.SUQtdG9rZW4tbm90LXJlYWw"
	logDir := t.TempDir()
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(logDir, "terraform.log"))
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
	for _, e := range []string{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN", "HW_PROJECT_ID", "HW_ASSUME_ROLE_AGENCY_NAME",
		"HW_ASSUME_ROLE_IDP_ID", "HW_ASSUME_ROLE_ID_TOKEN_FILE", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_IDP_ID"} {
		t.Setenv(e, "")
	}
	m := acctest.StartMock(t)
	m.AllowHuaweiIdP("ci", idToken)
	m.AllowHuaweiAgency("mock-domain", "deployer")
	m.SetHuaweiTemporaryTTL(3 * time.Second)
	m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Delay: 2 * time.Second})
	m.PutECSServer(mockcloud.ECSServer{ID: opServerID, Name: "secrets-ecs"})
	m.PutTask(mockcloud.Task{ID: secretsTaskData, Name: "t", Passphrase: secretDataPass, TargetServerID: "vm", TargetLocked: true})
	tokenFile := filepath.Join(t.TempDir(), "id-token")
	if err := os.WriteFile(tokenFile, []byte(idToken), 0o600); err != nil {
		t.Fatal(err)
	}
	chain := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    region        = %[1]q
    idp_id        = "ci"
    id_token_file = %[2]q
    assume_role {
      agency_name = "deployer"
      domain_name = "mock-domain"
    }
    endpoints {
      iam = %[3]q
      sms = %[3]q
      ecs = %[3]q
    }
  }
}
resource "cloudlock_sms_task_unlock" "s" {
  task_id = %[4]q
}
resource "cloudlock_ecs_server_lock" "s" {
  server_id = %[5]q
}
`, acctest.HuaweiRegion, tokenFile, m.URL(), secretsTaskData, opServerID)
	var plans []*tfjson.Plan
	var states []*tfjson.State
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: chain,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{capturePlan{&plans}},
				PostApplyPostRefresh: []plancheck.PlanCheck{capturePlan{&plans}},
			},
			ConfigStateChecks: []statecheck.StateCheck{captureState{&states}},
		}},
	})
	// The instance's agency too, in a run of its own.
	t.Setenv("CLOUDLOCK_HW_METADATA_ENDPOINT", m.URL())
	m.SetHuaweiInstanceAgency(true)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    region = %[1]q
    endpoints {
      iam = %[2]q
      sms = %[2]q
    }
  }
}
resource "cloudlock_sms_task_unlock" "s" {
  task_id = %[3]q
}
`, acctest.HuaweiRegion, m.URL(), secretsTaskData),
			ConfigStateChecks: []statecheck.StateCheck{captureState{&states}},
		}},
	})

	issued := m.HuaweiIssuedSecrets()
	for _, kind := range []string{"federated token 1", "metadata session token 1", "temporary security token 4"} {
		if issued[kind] == "" {
			t.Fatalf("no %s was issued: the scan would prove too little (%d secrets)", kind, len(issued))
		}
	}
	if m.Calls("auth") != 0 {
		t.Errorf("%d requests were refused", m.Calls("auth"))
	}
	issued["OIDC ID token"] = idToken

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
	for _, want := range []string{"cloudlock: cloud request", "/v3.0/OS-AUTH/id-token/tokens", "/v3.0/OS-CREDENTIAL/securitytokens", "/openstack/latest/securitykey"} {
		if !strings.Contains(all, want) {
			t.Fatalf("the trace log (%d bytes) lacks %q: it would prove nothing", len(all), want)
		}
	}
	scan(t, "the TF_LOG=trace log", all, issued)
	for i, p := range plans {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		scan(t, fmt.Sprintf("plan %d", i+1), string(b), issued)
	}
	if len(states) != 2 {
		t.Fatalf("%d states captured, want 2", len(states))
	}
	for i, st := range states {
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		scan(t, fmt.Sprintf("state %d (terraform show -json)", i+1), string(b), issued)
	}
}
