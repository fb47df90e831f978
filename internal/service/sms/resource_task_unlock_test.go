package sms_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

const (
	taskID   = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
	serverID = "b8a3c2d1-0000-4000-8000-00000000e001"
	addr     = "cloudlock_sms_task_unlock.test"
)

func lockedTask(id string) mockcloud.Task {
	return mockcloud.Task{
		ID: id, Name: "migrate-web-01", State: "MIGRATE_SUCCESS", Passphrase: "pp-" + id[:8],
		TargetServerID: serverID, TargetServerName: "web-01-target", TargetLocked: true,
	}
}

func unlockConfig(m *mockcloud.Server, id string, triggers string) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_sms_task_unlock" "test" {
  task_id  = %q
  triggers = %s
}
`, id, triggers)
}

func checkUnlocked(m *mockcloud.Server, id string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		t, ok := m.Task(id)
		if !ok {
			return fmt.Errorf("task %s is gone from the mock", id)
		}
		if t.TargetLocked {
			return fmt.Errorf("target server of task %s is still locked", id)
		}
		return nil
	}
}

func checkCalls(m *mockcloud.Server, op string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := m.Calls(op); got != want {
			return fmt.Errorf("%s: %d calls, want %d", op, got, want)
		}
		return nil
	}
}

// Create unlocks once, a second plan is empty, a trigger change unlocks
// again, and destroy calls nothing.
func TestAccTaskUnlock_basic(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: unlockConfig(m, taskID, `{ run = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(taskID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("target_server_id"), knownvalue.StringExact(serverID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("target_server_name"), knownvalue.StringExact("web-01-target")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("task_name"), knownvalue.StringExact("migrate-web-01")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUnlocked(m, taskID),
					checkCalls(m, "sms.UnlockTargetEcs", 1),
				),
			},
			{
				// Same config: nothing to do, no unlock call.
				Config: unlockConfig(m, taskID, `{ run = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkCalls(m, "sms.UnlockTargetEcs", 1),
			},
			{
				PreConfig: func() { relock(m, taskID) },
				Config:    unlockConfig(m, taskID, `{ run = "2" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUnlocked(m, taskID),
					checkCalls(m, "sms.UnlockTargetEcs", 2),
				),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           taskID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"triggers", "timeouts"},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			// Destroy must not lock the server again nor call the unlock API.
			if err := checkUnlocked(m, taskID)(nil); err != nil {
				return err
			}
			return checkCalls(m, "sms.UnlockTargetEcs", 2)(nil)
		},
	})
}

func relock(m *mockcloud.Server, id string) {
	t, _ := m.Task(id)
	t.TargetLocked = true
	m.PutTask(t)
}

// A task that does not exist: a clear error naming the cloud's code, and
// nothing in state (the next apply, once the task exists, creates).
func TestAccTaskUnlock_missingTask(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	const missing = "7a9a9540-ff28-4869-b9e4-855fbe12ffff"

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      unlockConfig(m, missing, "null"),
				ExpectError: regexp.MustCompile(`(?s)Failed to unlock the target server.*HTTP 404.*request id`),
			},
			{
				PreConfig: func() { m.PutTask(lockedTask(missing)) },
				Config:    unlockConfig(m, missing, "null"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: checkUnlocked(m, missing),
			},
		},
	})
}

// The documented 403 answer fails the apply with SMS.9004 in the error,
// once (a 403 is not retried), and nothing is stored.
func TestAccTaskUnlock_forbidden(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Status: 403, Fixture: "sms/error_403_SMS.9004.json", Times: 1})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      unlockConfig(m, taskID, "null"),
				ExpectError: regexp.MustCompile(`(?s)HTTP 403, error code SMS\.9004: .*permission.*request id:\s+[0-9a-f]+`),
			},
			{
				PreConfig: func() {
					if got := m.Calls("sms.UnlockTargetEcs"); got != 1 {
						t.Errorf("403 was sent %d times, want 1 (no retry)", got)
					}
					if tk, _ := m.Task(taskID); !tk.TargetLocked {
						t.Error("the target server was unlocked despite the 403")
					}
				},
				Config: unlockConfig(m, taskID, "null"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: checkUnlocked(m, taskID),
			},
		},
	})
}

// A 503 then success: the retry policy answers it within one apply.
func TestAccTaskUnlock_retried503(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Status: 503, Times: 2})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: unlockConfig(m, taskID, "null"),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkUnlocked(m, taskID),
				checkCalls(m, "sms.UnlockTargetEcs", 3),
			),
		}},
	})
}

// Credentials that may unlock but not read the task still give a working
// resource: the apply succeeds, the plan after it is empty.
func TestAccTaskUnlock_readForbidden(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	m.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 403, Fixture: "sms/error_403_SMS.9004.json"})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: unlockConfig(m, taskID, "null"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(taskID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("target_server_id"), knownvalue.Null()),
				},
				Check: checkUnlocked(m, taskID),
			},
			{
				Config: unlockConfig(m, taskID, "null"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// A task deleted out of band leaves state at the next refresh, and the plan
// proposes to create the resource again.
func TestAccTaskUnlock_taskDeleted(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: unlockConfig(m, taskID, "null")},
			{
				PreConfig:          func() { m.DeleteTask(taskID) },
				Config:             unlockConfig(m, taskID, "null"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Bad input fails at plan time, names the attribute, and calls nothing.
func TestAccTaskUnlock_planTimeErrors(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	noCreds := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    region    = "cn-north-4"
    endpoints {
      sms = %q
      iam = %q
    }
  }
}
resource "cloudlock_sms_task_unlock" "test" {
  task_id = %q
}
`, m.URL(), m.URL(), taskID)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      unlockConfig(m, "", "null"),
				ExpectError: regexp.MustCompile(`(?s)task_id.*length must be between 1 and 36`),
			},
			{
				Config:      unlockConfig(m, "0123456789012345678901234567890123456", "null"),
				ExpectError: regexp.MustCompile(`(?s)task_id.*length must be between 1 and 36`),
			},
			{
				Config:      noCreds,
				ExpectError: regexp.MustCompile(`(?s)missing access_key \(huaweicloud.access_key or\s+HW_ACCESS_KEY\), secret_key`),
			},
			{
				Config: `
provider "cloudlock" {
  huaweicloud {
    region    = "mars-north-1"
    endpoints { sms = "sms.example.com" }
  }
}
resource "cloudlock_sms_task_unlock" "test" { task_id = "x" }
`,
				ExpectError: regexp.MustCompile(`(?s)(huaweicloud.region.*mars-north-1|mars-north-1.*huaweicloud.region|huaweicloud.endpoints.sms.*https://)`),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := len(m.Journal()); n != 0 {
				return fmt.Errorf("plan-time errors made %d API calls, want 0", n)
			}
			return nil
		},
	})
}
