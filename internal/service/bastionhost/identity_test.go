package bastionhost_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Resource identity needs Terraform (or OpenTofu) 1.12.
var identityCLI = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// putUsers adds the instance with users in the given states (id -> state).
func putUsers(m *mockcloud.Server, states map[string]string) {
	inst := mockcloud.BastionhostInstance{ID: instance}
	for id, state := range states {
		inst.Users = append(inst.Users, mockcloud.BastionhostUser{UserID: id, UserName: "user" + id, UserState: []string{state}})
	}
	m.PutBastionhostInstance(inst)
}

func expectUnlockIdentity(users ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(users))
	for i, u := range users {
		checks[i] = knownvalue.StringExact(u)
	}
	return statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
		"instance_id": knownvalue.StringExact(instance),
		"region":      knownvalue.StringExact(acctest.AlibabaRegion),
		"user_ids":    knownvalue.ListExact(checks),
	})
}

// adoptConfig is the unlock of users 10, 2 and 3 with triggers and
// timeouts, adopted by an import block with identity (users in any order).
func adoptConfig(m *mockcloud.Server, triggers string) string {
	return unlockConfig(m, []string{"3", "10", "2"}, fmt.Sprintf(`
  triggers = %s
  timeouts {
    create = "10m"
  }`, triggers)) + fmt.Sprintf(`
import {
  to = cloudlock_bastionhost_user_unlock.test
  identity = {
    instance_id = %q
    user_ids    = ["2", "3", "10"]
  }
}
`, instance)
}

// Create sets the identity (users sorted as text); import by identity and
// by id give it back; neither unlocks anything.
func TestAccUserUnlock_identity(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 3)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            unlockConfig(m, []string{"3", "1"}, ""),
				ConfigStateChecks: []statecheck.StateCheck{expectUnlockIdentity("1", "3")},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateKind:         resource.ImportCommandWithID,
				ImportStateId:           instance + ":3,1",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
		CheckDestroy: checkUnlockCalls(m, 1),
	})
}

// An import block with identity adopts users that are unlocked: triggers
// and timeouts are recorded in place, no UnlockUsers call, an empty plan
// after. Changing the triggers afterwards unlocks the set again.
func TestAccUserUnlock_adoptByIdentity(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putUsers(m, map[string]string{"2": "Normal", "3": "Normal", "10": "Normal"})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: adoptConfig(m, `{ run = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectUnlockIdentity("10", "2", "3")},
				Check:             acctest.CheckNoWriteCalls(m),
			},
			{
				Config: adoptConfig(m, `{ run = "2" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectUnlockIdentity("10", "2", "3")},
				Check:             checkUnlockCalls(m, 1),
			},
		},
	})
}

// Adopting users of which one is locked: the apply unlocks exactly that
// one (the resource keeps its users unlocked), nothing else.
func TestAccUserUnlock_adoptWithFrozenUser(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putUsers(m, map[string]string{"2": "Normal", "3": "Frozen", "10": "Normal"})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: adoptConfig(m, "null"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
			},
			Check: func(*terraform.State) error {
				c := calls(m, opUnlock)
				if len(c) != 1 || callParams(c[0]).Get("UserIds") != `["3"]` {
					return fmt.Errorf("UnlockUsers calls %d, want 1 for user 3", len(c))
				}
				return nil
			},
		}},
	})
}

// State written before identity gains it at the next refresh, and with
// -refresh=false an update records it; an instance deleted out of band
// leaves state with no identity error.
func TestAccUserUnlock_identityAddedToOldState(t *testing.T) {
	t.Parallel()
	want := map[string]string{"instance_id": instance, "region": acctest.AlibabaRegion}
	t.Run("refresh", func(t *testing.T) {
		t.Parallel()
		m := acctest.StartMock(t)
		putInstance(m, instance, 2)
		resource.Test(t, resource.TestCase{
			PreCheck:               func() { acctest.PreCheck(t) },
			TerraformVersionChecks: identityCLI,
			Steps: []resource.TestStep{
				{ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity, Config: unlockConfig(m, []string{"2", "1"}, "")},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Config:                   unlockConfig(m, []string{"2", "1"}, ""),
					PlanOnly:                 true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPreRefresh:  []plancheck.PlanCheck{acctest.ExpectPlannedIdentity(addr, want)},
						PostApplyPostRefresh: []plancheck.PlanCheck{acctest.ExpectRefreshedIdentity(addr, want)},
					},
				},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Config:                   unlockConfig(m, []string{"2", "1"}, ""),
					ConfigStateChecks:        []statecheck.StateCheck{expectUnlockIdentity("1", "2")},
				},
			},
		})
	})
	t.Run("no-refresh update", func(t *testing.T) {
		t.Parallel()
		m := acctest.StartMock(t)
		putInstance(m, instance, 2)
		resource.Test(t, resource.TestCase{
			PreCheck:               func() { acctest.PreCheck(t) },
			TerraformVersionChecks: identityCLI,
			AdditionalCLIOptions:   &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
			Steps: []resource.TestStep{
				{ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity, Config: unlockConfig(m, []string{"2", "1"}, "")},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Config:                   unlockConfig(m, []string{"2", "1"}, "  timeouts {\n    read = \"1m\"\n  }"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					},
					ConfigStateChecks: []statecheck.StateCheck{expectUnlockIdentity("1", "2")},
				},
			},
		})
	})
	t.Run("deleted", func(t *testing.T) {
		t.Parallel()
		m := acctest.StartMock(t)
		putInstance(m, instance, 2)
		resource.Test(t, resource.TestCase{
			PreCheck:               func() { acctest.PreCheck(t) },
			TerraformVersionChecks: identityCLI,
			Steps: []resource.TestStep{
				{ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity, Config: unlockConfig(m, []string{"1"}, "")},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					PreConfig:                func() { m.DeleteBastionhostInstance(instance) },
					Config:                   unlockConfig(m, []string{"1"}, ""),
					PlanOnly:                 true,
					ExpectNonEmptyPlan:       true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
				},
			},
		})
	})
}

func checkUnlockCalls(m *mockcloud.Server, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := m.Calls(opUnlock); got != want {
			return fmt.Errorf("%d UnlockUsers calls, want %d", got, want)
		}
		return nil
	}
}
