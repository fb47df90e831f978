package ecs_test

import (
	"fmt"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Convergence as a property (acctest.Convergence): every subset of the
// optional arguments, created and imported, then updated in place.
func TestAccServerLock_convergence(t *testing.T) {
	n := acctest.Convergence(t, "cloudlock_ecs_server_lock", []acctest.ConvergeArg{
		{Name: "region", Set: fmt.Sprintf("  region = %q", acctest.HuaweiRegion)},
		{Name: "project_id", Set: fmt.Sprintf("  project_id = %q", acctest.ProjectID)},
		{Name: "timeouts", Set: "  timeouts {\n    create = \"5m\"\n  }", Updated: "  timeouts {\n    create = \"7m\"\n  }"},
	}, func(t *testing.T, m *mockcloud.Server, identity bool) []acctest.ConvergeInstance {
		ids := []string{"2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2b01", "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2b02", "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2b03"}
		for i, id := range ids {
			// The imported servers were locked before.
			m.PutECSServer(mockcloud.ECSServer{ID: id, Name: fmt.Sprintf("web-%02d", i), Locked: i > 0})
		}
		body := func(id string) string { return fmt.Sprintf("  server_id = %q", id) }
		out := []acctest.ConvergeInstance{
			{Name: "created", Body: body(ids[0]), Writes: 1},
			{Name: "by_id", Body: body(ids[1]), ImportID: ids[1]},
		}
		if identity {
			out = append(out, acctest.ConvergeInstance{Name: "by_identity", Body: body(ids[2]), Identity: fmt.Sprintf("{ server_id = %q }", ids[2])})
		}
		return out
	})
	t.Logf("%d generated configurations", n)
}
