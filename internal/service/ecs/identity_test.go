package ecs_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

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

// Resource identity needs Terraform (or OpenTofu) 1.12.
var identityCLI = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

func expectIdentity(project string) statecheck.StateCheck {
	return statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
		"server_id":  knownvalue.StringExact(serverID),
		"region":     knownvalue.StringExact(acctest.HuaweiRegion),
		"project_id": knownvalue.StringExact(project),
	})
}

// importByIdentity is the lock with an import block naming the server by
// identity (only server_id: region and project id come from the provider).
func importByIdentity(m *mockcloud.Server, extra string) string {
	return lockConfig(m, extra) + fmt.Sprintf(`
import {
  to = cloudlock_ecs_server_lock.test
  identity = {
    server_id = %q
  }
}
`, serverID)
}

// Create, refresh and out-of-band drift keep one identity; import by
// identity (import block) and by id (terraform import) give the same state
// and send nothing.
func TestAccServerLock_identity(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            lockConfig(m, ""),
				ConfigStateChecks: []statecheck.StateCheck{expectIdentity(acctest.ProjectID)},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateVerify: true,
			},
			{
				// Unlocked by hand: the update locks it again, same identity.
				PreConfig: func() { m.SetECSServerLocked(serverID, false) },
				Config:    lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectIdentity(acctest.ProjectID),
					statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("server_id")),
					statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("region")),
					statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("project_id")),
				},
				Check: checkBodies(m, lockBody, lockBody),
			},
		},
		CheckDestroy: checkBodies(m, lockBody, lockBody, unlockBody),
	})
}

// An import block with identity = { server_id } adopts a locked server:
// no call but reads, and an empty plan after. With timeouts in the
// configuration (absent from an imported state) the plan shows an in-place
// update of timeouts only, which calls nothing either.
func TestAccServerLock_adoptByIdentity(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		extra  string
		action plancheck.ResourceActionType
	}{
		"plain":    {"", plancheck.ResourceActionNoop},
		"timeouts": {"timeouts {\n    create = \"5m\"\n    delete = \"5m\"\n  }", plancheck.ResourceActionUpdate},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := startMock(t)
			m.SetECSServerLocked(serverID, true)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				TerraformVersionChecks:   identityCLI,
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: importByIdentity(m, tc.extra),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, tc.action)},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							expectIdentity(acctest.ProjectID),
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
						},
						Check: acctest.CheckNoWriteCalls(m),
					},
				},
				CheckDestroy: checkBodies(m, unlockBody),
			})
		})
	}
}

// An import block's identity is checked before any call.
func TestAccServerLock_importIdentityInvalid(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	bad := lockConfig(m, "") + `
import {
  to = cloudlock_ecs_server_lock.test
  identity = {
    server_id = "web-01"
    region    = "mars-1"
  }
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: bad,
			ExpectError: errorMatching(`identity.server_id must be an ECS server id`, `got "web-01"`,
				`identity.region must be a Huawei Cloud region such as cn-north-4, got "mars-1"`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(m.Journal()); n != 0 {
				return fmt.Errorf("%d calls to the cloud, want none", n)
			}
			return nil
		},
	})
}

// identityWant is the identity the lock of the test server has.
var identityWant = map[string]string{"server_id": serverID, "region": acctest.HuaweiRegion, "project_id": acctest.ProjectID}

// State written by the provider before identity (step 1, served without
// identity) gains its identity at the next refresh; it never changes after.
func TestAccServerLock_identityAddedOnRefresh(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:               func() { acctest.PreCheck(t) },
		TerraformVersionChecks: identityCLI,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity,
				Config:                   lockConfig(m, ""),
			},
			{
				// Plans only: with -refresh=false, then after a refresh.
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Config:                   lockConfig(m, ""),
				PlanOnly:                 true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{acctest.ExpectPlannedIdentity(addr, identityWant)},
					PostApplyPostRefresh: []plancheck.PlanCheck{acctest.ExpectRefreshedIdentity(addr, identityWant)},
				},
			},
			{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Config:                   lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectIdentity(acctest.ProjectID)},
			},
		},
		CheckDestroy: checkBodies(m, lockBody, unlockBody),
	})
}

// With -refresh=false no read runs before the apply: the plan gives the
// identity of a state that has none, and an apply that updates records it.
// A no-op apply is not sent to the provider and Terraform writes the state
// as it was, so there the plan shows the identity and the next refresh or
// update records it (TestAccServerLock_identityAddedOnRefresh); no error
// either way.
func TestAccServerLock_identityAddedWithoutRefresh(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		extra  string
		action plancheck.ResourceActionType
		state  []statecheck.StateCheck
	}{
		"update": {"timeouts {\n    create = \"7m\"\n  }", plancheck.ResourceActionUpdate, []statecheck.StateCheck{expectIdentity(acctest.ProjectID)}},
		"noop":   {"", plancheck.ResourceActionNoop, nil},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := startMock(t)
			resource.Test(t, resource.TestCase{
				PreCheck:               func() { acctest.PreCheck(t) },
				TerraformVersionChecks: identityCLI,
				AdditionalCLIOptions:   &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
				Steps: []resource.TestStep{
					{
						ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity,
						Config:                   lockConfig(m, ""),
					},
					{
						ProtoV6ProviderFactories: acctest.ProviderFactories,
						Config:                   lockConfig(m, tc.extra),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(addr, tc.action),
								acctest.ExpectPlannedIdentity(addr, identityWant),
							},
						},
						ConfigStateChecks: tc.state,
					},
				},
				CheckDestroy: checkBodies(m, lockBody, unlockBody),
			})
		})
	}
}

// A server deleted out of band while the state has no identity yet: the
// refresh removes the lock from state, with no identity error.
func TestAccServerLock_identityServerGone(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:               func() { acctest.PreCheck(t) },
		TerraformVersionChecks: identityCLI,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity,
				Config:                   lockConfig(m, ""),
			},
			{
				// The plan after a refresh creates the lock again.
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				PreConfig:                func() { m.DeleteECSServer(serverID) },
				Config:                   lockConfig(m, ""),
				PlanOnly:                 true,
				ExpectNonEmptyPlan:       true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
		},
		CheckDestroy: checkBodies(m, lockBody),
	})
}

// A fleet of locked servers is adopted by import blocks with identity (one
// for_each block): only reads, no write call at all, and an empty plan
// after. 30 servers by default; CLOUDLOCK_ADOPT_SERVERS=300 gives the
// figure quoted in the docs (the log line says calls and wall time).
func TestAccServerLock_adoptFleetByIdentity(t *testing.T) {
	t.Parallel()
	n := 30
	if v, err := strconv.Atoi(os.Getenv("CLOUDLOCK_ADOPT_SERVERS")); err == nil && v > 0 {
		n = v
	}
	m := acctest.StartMock(t)
	for i := 0; i < n; i++ {
		m.PutECSServer(mockcloud.ECSServer{ID: fmt.Sprintf("0a0b0c0d-0000-4000-8000-%012d", i), Name: fmt.Sprintf("web-%03d", i), Locked: true})
	}
	cfg := acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_ecs_server_lock" "fleet" {
  count     = %d
  server_id = format("0a0b0c0d-0000-4000-8000-%%012d", count.index)
}

import {
  for_each = { for i in range(%d) : tostring(i) => i }
  to       = cloudlock_ecs_server_lock.fleet[each.value]
  identity = {
    server_id = format("0a0b0c0d-0000-4000-8000-%%012d", each.value)
  }
}
`, n, n)
	var start time.Time
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("cloudlock_ecs_server_lock.fleet[0]", plancheck.ResourceActionNoop)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(fmt.Sprintf("cloudlock_ecs_server_lock.fleet[%d]", n-1), map[string]knownvalue.Check{
					"server_id":  knownvalue.StringExact(fmt.Sprintf("0a0b0c0d-0000-4000-8000-%012d", n-1)),
					"region":     knownvalue.StringExact(acctest.HuaweiRegion),
					"project_id": knownvalue.StringExact(acctest.ProjectID),
				}),
			},
			Check: func(s *terraform.State) error {
				elapsed := time.Since(start)
				if err := acctest.CheckNoWriteCalls(m)(s); err != nil {
					return err
				}
				if got := len(s.RootModule().Resources); got != n {
					return fmt.Errorf("%d resources in state, want %d", got, n)
				}
				t.Logf("adopted %d locked servers by identity: %d write calls, %d server reads, %d IAM look-ups; init+plan+apply+show %s",
					n, len(acctest.WriteCalls(m)), m.Calls("ecs.NovaShowServer"), m.Calls("iam.KeystoneListProjects"), elapsed.Round(time.Millisecond))
				return nil
			},
		}},
	})
}
