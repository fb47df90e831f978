package sms_test

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
)

// The nested lists are blocks holding the configured registration, and
// `registered` what SMS holds: SMS changing a configured block plans the
// replace; removing the blocks from the configuration is recorded in place
// with no call (SMS keeps them, `registered` still shows them), and the
// plan after is empty although SMS holds a NIC.
func TestAccSourceServer_blocks(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	registered := tfjsonpath.New("registered").AtMapKey("networks").AtSliceIndex(0).AtMapKey("gateway")

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: networkConfig(m, "hw", "10.0.0.1", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("networks").AtSliceIndex(0).AtMapKey("gateway"), knownvalue.StringExact("10.0.0.1")),
					statecheck.ExpectKnownValue(minAddr, registered, knownvalue.StringExact("10.0.0.1")),
				},
			},
			{
				// SMS holds another gateway: the configured block is read
				// back, and the plan registers the server again.
				PreConfig: func() {
					v, _ := onlyServer(m)
					gw := "10.0.0.9"
					(*v.Networks)[0].Gateway = &gw
					m.PutSourceServer(v)
				},
				Config:             networkConfig(m, "hw", "10.0.0.1", ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(minAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
			},
			{
				// No block: an update of state alone.
				Config: minimalConfig(m, `  platform = "hw"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(minAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("networks"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(minAddr, registered, knownvalue.StringExact("10.0.0.9")),
				},
				Check: func(*terraform.State) error {
					if got := ops(m); len(got) != 1 {
						return fmt.Errorf("operations %v, want only the registration", got)
					}
					return nil
				},
			},
			{
				Config: minimalConfig(m, `  platform = "hw"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
