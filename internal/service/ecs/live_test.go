package ecs_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// TestLiveServerLock locks a real server, checks the next plan is empty and
// unlocks it on destroy (make testacc-live). The server must start unlocked.
func TestLiveServerLock(t *testing.T) {
	id := os.Getenv("CLOUDLOCK_LIVE_ECS_SERVER_ID")
	if os.Getenv("CLOUDLOCK_LIVE") == "" || id == "" || os.Getenv("HW_ACCESS_KEY") == "" {
		t.Skip("set CLOUDLOCK_LIVE=1, HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME and CLOUDLOCK_LIVE_ECS_SERVER_ID to run against Huawei Cloud")
	}
	cfg := fmt.Sprintf(`resource "cloudlock_ecs_server_lock" "live" { server_id = %q }`, id)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cloudlock_ecs_server_lock.live", tfjsonpath.New("locked"), knownvalue.Bool(true)),
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
