package sms_test

import (
	"fmt"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Convergence as a property (acctest.Convergence): every subset of the
// optional arguments, created and imported, then updated in place.
func TestAccTaskUnlock_convergence(t *testing.T) {
	n := acctest.Convergence(t, "cloudlock_sms_task_unlock", []acctest.ConvergeArg{
		{Name: "triggers", Set: `  triggers = { run = "1" }`},
		{Name: "timeouts", Set: "  timeouts {\n    create = \"5m\"\n  }", Updated: "  timeouts {\n    create = \"7m\"\n  }"},
	}, func(t *testing.T, m *mockcloud.Server, identity bool) []acctest.ConvergeInstance {
		ids := []string{"7a9a9540-ff28-4869-b9e4-855fbe12a101", "7a9a9540-ff28-4869-b9e4-855fbe12a102", "7a9a9540-ff28-4869-b9e4-855fbe12a103"}
		for i, id := range ids {
			task := lockedTask(id)
			task.TargetLocked = i == 0 // the imported unlocks happened before
			m.PutTask(task)
		}
		body := func(id string) string { return fmt.Sprintf("  task_id = %q", id) }
		out := []acctest.ConvergeInstance{
			{Name: "created", Body: body(ids[0]), Writes: 1},
			{Name: "by_id", Body: body(ids[1]), ImportID: ids[1]},
		}
		if identity {
			out = append(out, acctest.ConvergeInstance{Name: "by_identity", Body: body(ids[2]), Identity: fmt.Sprintf("{ task_id = %q }", ids[2])})
		}
		return out
	})
	t.Logf("%d generated configurations", n)
}
