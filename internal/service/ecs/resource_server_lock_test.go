package ecs_test

import (
	"fmt"
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

// Lock, an empty second plan, and destroy unlocks: the mock's state and the
// exact bodies sent.
func TestAccServerLock_basic(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(serverID)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(acctest.HuaweiRegion)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("project_id")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(serverID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("server_id"), knownvalue.StringExact(serverID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(acctest.HuaweiRegion)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact(acctest.ProjectID)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLocked(m, serverID, true),
					checkBodies(m, lockBody),
					checkCalls(m, "iam.KeystoneListProjects", 1),
					checkECSRequests(m, acctest.ProjectID),
				),
			},
			{
				// Same config: nothing to do, no action sent.
				Config: lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkBodies(m, lockBody),
					checkCalls(m, "ecs.NovaServerAction", 1),
				),
			},
		},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkLocked(m, serverID, false),
			checkBodies(m, lockBody, unlockBody),
			checkCalls(m, "iam.KeystoneListProjects", 1),
		),
	})
}

// Unlocked out of band: the next plan shows locked changing back to true
// (an update, not a replacement: the server is not unlocked first), and the
// apply locks it again.
func TestAccServerLock_driftAfterOutOfBandUnlock(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lockConfig(m, ""),
				Check:  checkLocked(m, serverID, true),
			},
			{
				PreConfig:          func() { m.SetECSServerLocked(serverID, false) },
				Config:             lockConfig(m, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLocked(m, serverID, true),
					checkBodies(m, lockBody, lockBody),
				),
			},
		},
		CheckDestroy: checkBodies(m, lockBody, lockBody, unlockBody),
	})
}

// The lock is accepted but takes a few reads to show: create waits for it,
// so the plan after the apply is empty.
func TestAccServerLock_waitsUntilLocked(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01", LockLag: 3})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: lockConfig(m, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkLocked(m, serverID, true),
				checkBodies(m, lockBody),
				func(*terraform.State) error {
					if n := reads(m); n < 4 {
						return fmt.Errorf("create read the server %d times, want at least 4 (3 stale answers)", n)
					}
					return nil
				},
			),
		}},
	})
}

// A server that never reports locked: the apply fails within the create
// timeout, says so, and stores nothing; the next apply tries again.
func TestAccServerLock_neverReportsLocked(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01", IgnoreLock: true})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lockConfig(m, `timeouts { create = "1s" }`),
				ExpectError: errorMatching("Timeout waiting for the ECS server to report locked", serverID,
					"never reported locked", "(HTTP 202)", "still reports locked = false",
					"The cloud accepted the lock (HTTP 202, request id: "),
			},
			{
				PreConfig: func() {
					if reads(m) < 2 {
						t.Errorf("the create polled %d times", reads(m))
					}
					m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01"})
				},
				Config: lockConfig(m, `timeouts { create = "1s" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLocked(m, serverID, true),
					checkBodies(m, lockBody, lockBody),
				),
			},
		},
	})
}

// Import by server id (terraform import, then an empty plan) and with an
// import block (a no-op import plan). Neither sends an action.
func TestAccServerLock_import(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	forget := acctest.ProviderConfig(m) + `
removed {
  from = cloudlock_ecs_server_lock.test
  lifecycle {
    destroy = false
  }
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lockConfig(m, ""),
				Check:  checkLocked(m, serverID, true),
			},
			{
				// Forget the lock without unlocking: a server locked by hand.
				Config: forget,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLocked(m, serverID, true),
					checkBodies(m, lockBody),
				),
			},
			{
				Config:             lockConfig(m, ""),
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      serverID,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("%d imported instances", len(states))
					}
					want := map[string]string{
						"id": serverID, "server_id": serverID, "locked": "true",
						"region": acctest.HuaweiRegion, "project_id": acctest.ProjectID,
					}
					for k, v := range want {
						if got := states[0].Attributes[k]; got != v {
							return fmt.Errorf("imported %s = %q, want %q", k, got, v)
						}
					}
					return nil
				},
			},
			{
				// The imported lock matches the configuration.
				Config:   lockConfig(m, ""),
				PlanOnly: true,
			},
			{
				Config:          lockConfig(m, ""),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   serverID,
			},
			{
				Config:          lockConfig(m, ""),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   acctest.HuaweiRegion + "/" + serverID,
			},
			{
				Config:        lockConfig(m, ""),
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "web-01",
				ExpectError:   errorMatching("Invalid import id", "<region>/<server_id>", `got "web-01"`),
			},
		},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkLocked(m, serverID, false),
			// The imports sent nothing; destroy unlocked.
			checkBodies(m, lockBody, unlockBody),
		),
	})
}

// A server deleted out of band leaves state at the next refresh (the plan
// proposes to lock it again), and locking a server that does not exist
// fails with the cloud's 404.
func TestAccServerLock_serverDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: lockConfig(m, "")},
			{
				PreConfig:          func() { m.DeleteECSServer(serverID) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
			{
				Config:      lockConfig(m, ""),
				ExpectError: errorMatching("ECS server not found", "HTTP 404, error code itemNotFound: Instance could not be found", "(request id: "),
			},
		},
		CheckDestroy: checkBodies(m, lockBody),
	})
}

// Destroy when the server disappears between refresh and unlock: the 404 of
// the unlock is not an error.
func TestAccServerLock_destroyServerGone(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: lockConfig(m, "")},
			{
				PreConfig: func() {
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Fixture: "ecs/nova_error_404_itemNotFound.json", Times: 1})
				},
				Config: acctest.ProviderConfig(m),
				Check: func(*terraform.State) error {
					var last mockcloud.Entry
					for _, e := range m.Journal() {
						if e.Op == "ecs.NovaServerAction" {
							last = e
						}
					}
					if string(last.Body) != unlockBody || last.Status != 404 {
						return fmt.Errorf("last action: %q -> %d, want the unlock answered 404", last.Body, last.Status)
					}
					return nil
				},
			},
		},
	})
}
