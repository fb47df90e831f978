package ecs_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// fleetID is the id of lock i of a fleet config.
func fleetID(i int) string { return fmt.Sprintf("0a0b0c0d-0000-4000-8000-%012d", i) }

// fleetConfig is n locks of fleetID(0..n-1).
func fleetConfig(m *mockcloud.Server, n int) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_ecs_server_lock" "fleet" {
  count     = %d
  server_id = format("0a0b0c0d-0000-4000-8000-%%012d", count.index)
}
`, n)
}

// planActions checks that the plan holds exactly these numbers of creates
// and updates, and nothing else but no-ops.
type planActions struct{ create, update int }

func (p planActions) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	creates, updates, other := 0, 0, 0
	for _, rc := range req.Plan.ResourceChanges {
		switch {
		case rc.Change.Actions.Create():
			creates++
		case rc.Change.Actions.Update():
			updates++
		case rc.Change.Actions.NoOp():
		default:
			other++
		}
	}
	if creates != p.create || updates != p.update || other != 0 {
		resp.Error = fmt.Errorf("plan: %d to add, %d to change, %d other changes; want exactly %d to add and %d to change",
			creates, updates, other, p.create, p.update)
	}
}

// Drift stays exact with batched reads: of 150 locks, 10 unlocked and 2
// deleted out of band (some read from the run's listing, some by id) give a
// plan of exactly 2 to add and 10 to change, in far fewer calls than reads.
func TestAccServerLock_fleetDriftExact(t *testing.T) {
	t.Parallel()
	const n = 150
	m := acctest.StartMock(t)
	for i := range n {
		m.PutECSServer(mockcloud.ECSServer{ID: fleetID(i), Name: fmt.Sprintf("web-%03d", i)})
	}
	unlocked := []int{0, 7, 33, 50, 64, 99, 101, 120, 140, 149}
	deleted := []int{3, 130}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fleetConfig(m, n),
				Check: func(*terraform.State) error {
					for i := range n {
						if err := checkLocked(m, fleetID(i), true)(nil); err != nil {
							return err
						}
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					for _, i := range unlocked {
						m.SetECSServerLocked(fleetID(i), false)
					}
					for _, i := range deleted {
						m.DeleteECSServer(fleetID(i))
					}
					m.ResetJournal()
				},
				Config:             fleetConfig(m, n),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						planActions{create: len(deleted), update: len(unlocked)},
						plancheck.ExpectResourceAction("cloudlock_ecs_server_lock.fleet[3]", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("cloudlock_ecs_server_lock.fleet[130]", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("cloudlock_ecs_server_lock.fleet[149]", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("cloudlock_ecs_server_lock.fleet[1]", plancheck.ResourceActionNoop),
					},
				},
			},
			{
				// The refresh plan above read 150 servers: at most 100 by id
				// (however few shared a call: the mock answers in a
				// millisecond, so few reads overlap), then one listing page
				// for the other 50; and one GET for each deleted server.
				PreConfig: func() {
					lists, gets := m.Calls("ecs.ListServersDetails"), m.Calls("ecs.NovaShowServer")
					var sizes []int
					for _, c := range listedIDs(m) {
						sizes = append(sizes, len(c))
					}
					t.Logf("refresh of %d locks: %d list calls (by id: %v), %d GETs", n, lists, sizes, gets)
					if lists > 101 || gets != len(deleted) {
						t.Errorf("refresh of %d locks: %d list calls and %d GETs; want at most 101 and %d", n, lists, gets, len(deleted))
					}
				},
				Config:             fleetConfig(m, n),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}
