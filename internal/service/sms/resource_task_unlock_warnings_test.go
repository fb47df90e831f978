package sms_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// The warnings say what happened: a replace by triggers unlocks again (and
// says so, not that the server is only forgotten), a replace by task_id
// unlocks the new task's server and leaves the old one unlocked, a destroy
// only forgets, and a removed block (forget) warns nothing.
func TestAccTaskUnlock_warningsSayWhatHappened(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	t.Parallel()
	m := acctest.StartMock(t)
	const other = "7a9a9540-ff28-4869-b9e4-855fbe12a0ff"
	m.PutTask(lockedTask(taskID))
	m.PutTask(lockedTask(other))
	cli := acctest.NewCLI(t, nil)
	apply := func(cfg string) []string {
		t.Helper()
		cli.Write(t, cfg)
		return acctest.Warnings(cli.RunJSON(t, "apply", "-auto-approve"))
	}
	expect := func(step string, got []string, want ...string) {
		t.Helper()
		joined := strings.Join(got, "\n")
		if len(want) == 0 && strings.Contains(joined, "unlocked") {
			t.Errorf("%s: warnings %q, want none of the provider's", step, got)
			return
		}
		for _, w := range want {
			if !strings.Contains(joined, w) {
				t.Errorf("%s: warnings %q, want %q", step, got, w)
			}
		}
		if strings.Contains(joined, "only removes it from state") && step != "destroy" {
			t.Errorf("%s: warns of a destroy that is not one: %q", step, got)
		}
	}
	cli.RunJSON(t, "init")
	expect("create", apply(unlockConfig(m, taskID, `{ run = "1" }`)))
	expect("triggers", apply(unlockConfig(m, taskID, `{ run = "2" }`)),
		"The target server is unlocked again",
		fmt.Sprintf("Changing triggers replaces cloudlock_sms_task_unlock: the apply unlocks the target server of SMS task %q again.", taskID))
	if n := m.Calls("sms.UnlockTargetEcs"); n != 2 {
		t.Errorf("%d unlock calls after the triggers changed, want 2", n)
	}
	expect("task_id", apply(unlockConfig(m, other, `{ run = "2" }`)),
		"The new task's target server is unlocked",
		fmt.Sprintf("the apply unlocks the target server of SMS task %q. The target server of SMS task %q stays unlocked", other, taskID))
	expect("destroy", acctest.Warnings(cli.RunJSON(t, "destroy", "-auto-approve")),
		"The target server stays unlocked",
		fmt.Sprintf("Destroying cloudlock_sms_task_unlock only removes it from state: the target server of SMS task %q is not locked again.", other))
	expect("create again", apply(unlockConfig(m, taskID, `{ run = "3" }`)))
	expect("removed", apply(acctest.Removed(m, addr)))
}
