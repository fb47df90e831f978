package bastionhost_test

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// Users locked again out of band show in the next plan as an in-place update
// of frozen_user_ids, and the apply unlocks exactly those users.
func TestAccUserUnlock_refreeze(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 4)
	set := []string{"1", "2", "3"}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: unlockConfig(m, set, ""),
				Check:  checkStates(m, "Normal", set...),
			},
			{
				// User 4 is not in the set: locking it is no drift.
				PreConfig: func() { lockOutOfBand(t, m, "4") },
				Config:    unlockConfig(m, set, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig:          func() { lockOutOfBand(t, m, "2") },
				Config:             unlockConfig(m, set, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: unlockConfig(m, set, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectFrozenBefore("2"),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("frozen_user_ids"), emptySet),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(expectedID(instance, set))),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("frozen_user_ids"), emptySet),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStates(m, "Normal", set...),
					checkStates(m, "Frozen", "4"),
					checkUnlockBatches(m, 3, 1),
					func(*terraform.State) error {
						if got := userIDsSent(m, opUnlock)[1]; !slices.Equal(got, []string{"2"}) {
							return fmt.Errorf("the second UnlockUsers carried %v, want [2]", got)
						}
						return nil
					},
				),
			},
			{
				Config: unlockConfig(m, set, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// Re-unlocking that fails for some users keeps them in frozen_user_ids (so
// the next plan tries again) while recording the ones that were unlocked; a
// user deleted between plan and apply is a warning, not a failure.
func TestAccUserUnlock_refreezeFailures(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 3)
	set := []string{"1", "2", "3"}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: unlockConfig(m, set, "")},
			{
				PreConfig: func() {
					lockOutOfBand(t, m, "2", "3")
					m.SetBastionhostUserFailCode(instance, "3", "UNEXPECTED")
				},
				Config: unlockConfig(m, set, ""),
				ExpectError: regexp.MustCompile(`(?s)Failed to unlock Bastionhost users again.*UNEXPECTED, 1 user .*: 3\n` +
					`.*Unlocked\s+\(1:\s+2\).*stay in\s+frozen_user_ids`),
			},
			{
				PreConfig: func() {
					if err := checkStates(m, "Normal", "2")(nil); err != nil {
						t.Error(err)
					}
					m.SetBastionhostUserFailCode(instance, "3", "")
					m.ResetJournal()
				},
				Config: unlockConfig(m, set, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectFrozenBefore("3"),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStates(m, "Normal", set...),
					checkUnlockBatches(m, 1),
				),
			},
			{
				PreConfig: func() { lockOutOfBand(t, m, "1") },
				Config:    unlockConfig(m, set, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						expectFrozenBefore("1"),
						sideEffect(func() { m.DeleteBastionhostUser(instance, "1") }),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("frozen_user_ids"), emptySet),
				},
				Check: checkUnlockBatches(m, 1, 1),
			},
		},
	})
}
