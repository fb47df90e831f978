package sms_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

const passphrase = "Xq7-passphrase-for-tests-9kd2"

func passphraseTask() mockcloud.Task {
	t := lockedTask(taskID)
	t.Passphrase = passphrase
	return t
}

// The data source reads the passphrase, marked sensitive in state and plan.
func TestAccTaskPassphraseDataSource(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(passphraseTask())
	cfg := acctest.ProviderConfig(m) + fmt.Sprintf(`
data "cloudlock_sms_task_passphrase" "test" {
  task_id = %q
}
output "passphrase" {
  value     = data.cloudlock_sms_task_passphrase.test.passphrase
  sensitive = true
}
`, taskID)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			// Terraform refuses to output a sensitive value without
			// sensitive = true: proof the plan treats it as sensitive.
			Config:      strings.Replace(cfg, "sensitive = true", "", 1),
			ExpectError: acctest.WrappedError("Output refers to sensitive values"),
		}, {
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cloudlock_sms_task_passphrase.test", tfjsonpath.New("passphrase"), knownvalue.StringExact(passphrase)),
				statecheck.ExpectKnownValue("data.cloudlock_sms_task_passphrase.test", tfjsonpath.New("id"), knownvalue.StringExact(taskID)),
				statecheck.ExpectSensitiveValue("data.cloudlock_sms_task_passphrase.test", tfjsonpath.New("passphrase")),
			},
		}},
	})
}

// A missing task and a 403 are errors naming the cloud's code.
func TestAccTaskPassphraseDataSource_errors(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(passphraseTask())
	m.InjectFault("sms.ShowPassphrase", mockcloud.Fault{Status: 403, Fixture: "sms/error_403_SMS.9004.json", Times: 1})
	cfg := func(id string) string {
		return acctest.ProviderConfig(m) + fmt.Sprintf(`
data "cloudlock_sms_task_passphrase" "test" {
  task_id = %q
}
`, id)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(taskID), ExpectError: regexp.MustCompile(`SMS\.9004`)},
			{Config: cfg("no-such-task"), ExpectError: regexp.MustCompile(`HTTP 404`)},
		},
	})
}

// The ephemeral passphrase reaches another provider (echo) but never state.
func TestAccTaskPassphraseEphemeral(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(passphraseTask())
	cfg := acctest.ProviderConfig(m) + fmt.Sprintf(`
ephemeral "cloudlock_sms_task_passphrase" "test" {
  task_id = %q
}
provider "echo" {
  data = ephemeral.cloudlock_sms_task_passphrase.test.passphrase
}
resource "echo" "test" {}
`, taskID)

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactoriesWithEcho,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data"), knownvalue.StringExact(passphrase)),
			},
			Check: func(s *terraform.State) error {
				for name, r := range s.RootModule().Resources {
					if strings.Contains(name, "cloudlock_sms_task_passphrase") {
						return fmt.Errorf("ephemeral resource %s is in state", name)
					}
					for k, v := range r.Primary.Attributes {
						if v == passphrase && name != "echo.test" {
							return fmt.Errorf("passphrase in state at %s.%s", name, k)
						}
					}
				}
				return nil
			},
		}},
	})
}

// At TF_LOG=trace a full apply and destroy logs neither the secret key nor
// the passphrase. Not parallel: it sets process environment.
func TestAccTraceLogHasNoSecrets(t *testing.T) {
	m := acctest.StartMock(t)
	m.PutTask(passphraseTask())
	logDir := t.TempDir()
	logPath := filepath.Join(logDir, "trace.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
	// Credentials come from the environment, as in real use: the harness
	// logs the test's configuration, which must hold no secret either.
	t.Setenv("HW_ACCESS_KEY", acctest.HuaweiAccessKey)
	t.Setenv("HW_SECRET_KEY", acctest.HuaweiSecretKey)
	t.Setenv("HW_REGION_NAME", acctest.HuaweiRegion)
	cfg := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    endpoints {
      iam = %[1]q
      sms = %[1]q
    }
  }
}
resource "cloudlock_sms_task_unlock" "test" {
  task_id = %[2]q
}
data "cloudlock_sms_task_passphrase" "test" {
  task_id = %[2]q
}
`, m.URL(), taskID)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    []resource.TestStep{{Config: cfg, Check: checkUnlocked(m, taskID)}},
	})

	if d := os.Getenv("CLOUDLOCK_KEEP_TRACE"); d != "" {
		_ = os.CopyFS(d, os.DirFS(logDir))
	}
	var all strings.Builder
	files, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	log := all.String()
	if !strings.Contains(log, "cloudlock: cloud request") || !strings.Contains(log, "/v3/tasks/"+taskID+"/passphrase") {
		t.Fatalf("trace log (%d bytes in %d files) does not show the provider's cloud requests; the test would prove nothing", len(log), len(files))
	}
	for name, secret := range map[string]string{"secret key": acctest.HuaweiSecretKey, "passphrase": passphrase} {
		if strings.Contains(log, secret) {
			t.Errorf("the %s appears in the TF_LOG=trace log", name)
		}
	}
}
