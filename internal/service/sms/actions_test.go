package sms_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

const unlockAction = "cloudlock_sms_task_unlock"

// Through the protocol: plan passes, invoke unlocks (mock state and
// journal), and progress messages arrive.
func TestActionTaskUnlock_invoke(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	p := acctest.NewProtocol(t, m)

	if d := p.ValidateAction(unlockAction, map[string]any{"task_id": taskID}); acctest.HasError(d) {
		t.Fatalf("validate: %s", acctest.DiagText(d))
	}
	if d := p.PlanAction(unlockAction, map[string]any{"task_id": taskID}); acctest.HasError(d) {
		t.Fatalf("plan: %s", acctest.DiagText(d))
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("validate and plan made %d calls", n)
	}
	inv := p.InvokeAction(context.Background(), unlockAction, map[string]any{"task_id": taskID})
	if !inv.Completed || acctest.HasError(inv.Diagnostics) {
		t.Fatalf("invoke: completed=%v %s", inv.Completed, acctest.DiagText(inv.Diagnostics))
	}
	if err := checkUnlocked(m, taskID)(nil); err != nil {
		t.Fatal(err)
	}
	if n := m.Calls("sms.UnlockTargetEcs"); n != 1 {
		t.Fatalf("%d unlock calls, want 1", n)
	}
	want := []string{"Unlocking the target server of SMS task " + taskID, "Unlocked the target server of SMS task " + taskID}
	if strings.Join(inv.Progress, "|") != strings.Join(want, "|") {
		t.Fatalf("progress = %q, want %q", inv.Progress, want)
	}
}

// Bad config fails validation with the attribute path, with no call.
func TestActionTaskUnlock_validation(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	p := acctest.NewProtocol(t, m)
	for _, id := range []string{"", strings.Repeat("x", 37)} {
		d := p.ValidateAction(unlockAction, map[string]any{"task_id": id})
		// One mistake, one error: not also the pattern's.
		if len(d) != 1 || !acctest.HasError(d) || !strings.Contains(acctest.DiagText(d), "task_id") || !strings.Contains(acctest.DiagText(d), "between 1 and 36") {
			t.Errorf("task_id %q: %s", id, acctest.DiagText(d))
		}
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("%d calls, want 0", n)
	}
}

// Missing credentials fail at plan, with no call.
func TestActionTaskUnlock_planWithoutCredentials(t *testing.T) {
	t.Parallel()
	p := acctest.NewProtocolWithConfig(t, map[string]any{"huaweicloud": map[string]any{"region": "cn-north-4"}})
	d := p.PlanAction(unlockAction, map[string]any{"task_id": taskID})
	if !acctest.HasError(d) || !strings.Contains(acctest.DiagText(d), "HW_ACCESS_KEY") {
		t.Fatalf("plan: %s", acctest.DiagText(d))
	}
}

// A cloud error reaches the diagnostic with its code and request id.
func TestActionTaskUnlock_cloudError(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Status: 403, Fixture: "sms/error_403_SMS.9004.json"})
	p := acctest.NewProtocol(t, m)
	inv := p.InvokeAction(context.Background(), unlockAction, map[string]any{"task_id": taskID})
	text := acctest.DiagText(inv.Diagnostics)
	if !acctest.HasError(inv.Diagnostics) || !acctest.Contains(text, "HTTP 403", "SMS.9004", "request id: ") {
		t.Fatalf("diagnostics: %s", text)
	}
	if tk, _ := m.Task(taskID); !tk.TargetLocked {
		t.Fatal("unlocked despite the 403")
	}
}

// With Terraform >= 1.14 the action runs from a resource's lifecycle.
func TestAccActionTaskUnlock_trigger(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(m) + fmt.Sprintf(`
action "cloudlock_sms_task_unlock" "web" {
  config {
    task_id = %q
  }
}
resource "terraform_data" "migration_done" {
  input = "done"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cloudlock_sms_task_unlock.web]
    }
  }
}
`, taskID),
			Check: checkUnlocked(m, taskID),
		}},
	})
}
