package bastionhost_test

import (
	"fmt"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Convergence as a property (acctest.Convergence): every subset of the
// optional arguments, created and imported, then updated in place.
func TestAccUserUnlock_convergence(t *testing.T) {
	n := acctest.Convergence(t, "cloudlock_bastionhost_user_unlock", []acctest.ConvergeArg{
		{Name: "region", Set: fmt.Sprintf("  region = %q", acctest.AlibabaRegion)},
		{Name: "triggers", Set: `  triggers = { run = "1" }`},
		{Name: "timeouts", Set: "  timeouts {\n    create = \"5m\"\n  }", Updated: "  timeouts {\n    create = \"7m\"\n  }"},
	}, func(t *testing.T, m *mockcloud.Server, identity bool) []acctest.ConvergeInstance {
		ids := []string{"bastionhost-cn-st220aw0101", "bastionhost-cn-st220aw0102", "bastionhost-cn-st220aw0103"}
		for i, id := range ids {
			// Users 1 and 2; frozen only where the unlock is created.
			inst := mockcloud.BastionhostInstance{ID: id}
			for _, u := range []string{"1", "2"} {
				user := mockcloud.BastionhostUser{UserID: u, UserName: "user" + u, UserState: []string{"Normal"}}
				if i == 0 {
					user.UserState = []string{"Frozen"}
				}
				inst.Users = append(inst.Users, user)
			}
			m.PutBastionhostInstance(inst)
		}
		body := func(id string) string { return fmt.Sprintf("  instance_id = %q\n  user_ids    = [\"1\", \"2\"]", id) }
		out := []acctest.ConvergeInstance{
			{Name: "created", Body: body(ids[0]), Writes: 1},
			{Name: "by_id", Body: body(ids[1]), ImportID: ids[1] + ":1,2"},
		}
		if identity {
			out = append(out, acctest.ConvergeInstance{Name: "by_identity", Body: body(ids[2]),
				Identity: fmt.Sprintf("{\n    instance_id = %q\n    user_ids    = [\"1\", \"2\"]\n  }", ids[2])})
		}
		return out
	})
	t.Logf("%d generated configurations", n)
}
