package ecs_test

import (
	"fmt"
	"strings"
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

// project_id not configured anywhere: discovered through IAM once for all
// locks, and the ECS paths carry the discovered id.
func TestAccServerLock_projectIDDiscovered(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	const second = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a02"
	m.PutECSServer(mockcloud.ECSServer{ID: second, Name: "db-01"})
	cfg := lockConfig(m, "") + fmt.Sprintf(`
resource "cloudlock_ecs_server_lock" "second" {
  server_id = %q
}
`, second)
	if strings.Contains(acctest.ProviderConfig(m), "project_id") {
		t.Fatal("acctest.ProviderConfig sets project_id; this test needs it unset")
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact(acctest.ProjectID)),
				statecheck.ExpectKnownValue("cloudlock_ecs_server_lock.second", tfjsonpath.New("project_id"), knownvalue.StringExact(acctest.ProjectID)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkLocked(m, serverID, true),
				checkLocked(m, second, true),
				checkECSRequests(m, acctest.ProjectID),
				func(*terraform.State) error {
					var iam []mockcloud.Entry
					for _, e := range m.Journal() {
						if e.Op == "iam.KeystoneListProjects" {
							iam = append(iam, e)
						}
					}
					if len(iam) != 1 || iam[0].RawQuery != "name="+acctest.HuaweiRegion {
						return fmt.Errorf("IAM look-ups: %+v, want one for %s", iam, acctest.HuaweiRegion)
					}
					// The look-up came before the first ECS request.
					for _, e := range m.Journal() {
						if strings.HasPrefix(e.Op, "ecs.") {
							if e.Time.Before(iam[0].Time) {
								return fmt.Errorf("%s was sent before the project id was known", e.Op)
							}
							break
						}
					}
					return nil
				},
			),
		}},
	})
}

// project_id configured in the provider: no IAM call at all.
func TestAccServerLock_projectIDFromProvider(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	cfg := withProvider(lockConfig(m, ""), fmt.Sprintf("project_id = %q", acctest.ProjectID))

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				// Known at plan time: it comes from the configuration.
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact(acctest.ProjectID)),
				},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkLocked(m, serverID, true),
				checkCalls(m, "iam.KeystoneListProjects", 0),
				checkECSRequests(m, acctest.ProjectID),
			),
		}},
	})
}

// Setting region or project_id to the value they default to changes
// nothing; another value, or another provider region when the lock sets
// none, replaces the lock (the old server is unlocked first). A project that
// is not the caller's gets the cloud's 400, and a region without a project
// fails the IAM look-up, naming the region.
func TestAccServerLock_regionAndProjectReplace(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	const otherProject = "ffffffffffffffffffffffffffffffff"

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: lockConfig(m, "")},
			{
				Config: lockConfig(m, fmt.Sprintf("project_id = %q\n  region = %q", acctest.ProjectID, acctest.HuaweiRegion)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: lockConfig(m, fmt.Sprintf("project_id = %q", otherProject)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ExpectError: errorMatching("Failed to lock an ECS server", "HTTP 400, error code badRequest: Malformed request URL: URL's project_id '"+
					otherProject+"' doesn't match Context's project_id '"+acctest.ProjectID+"'"),
			},
			{
				PreConfig: func() {
					// The replacement unlocked the server in its own project first.
					if err := checkBodies(m, lockBody, unlockBody)(nil); err != nil {
						t.Error(err)
					}
				},
				Config: lockConfig(m, ""),
				Check:  checkLocked(m, serverID, true),
			},
			{
				// The provider's region changes and the lock has none of its
				// own: it is replaced, and the new region's project is looked up.
				Config: providerRegion(lockConfig(m, ""), "cn-east-3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact("cn-east-3")),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("project_id")),
					},
				},
				// The provider's region: its project_id would serve, so it is named too.
				ExpectError: errorMatching("Failed to find the project id", "region cn-east-3", `IAM has no project named "cn-east-3"`,
					"Set project_id here", "in region cn-east-3, or huaweicloud.project_id (or HW_PROJECT_ID) in the provider"),
			},
			{
				PreConfig: func() {
					if err := checkBodies(m, lockBody, unlockBody, lockBody, unlockBody)(nil); err != nil {
						t.Error(err)
					}
					var regions []string
					for _, e := range m.Journal() {
						if e.Op == "iam.KeystoneListProjects" {
							regions = append(regions, e.RawQuery)
						}
					}
					if want := []string{"name=cn-north-4", "name=cn-north-4", "name=cn-east-3"}; strings.Join(regions, " ") != strings.Join(want, " ") {
						t.Errorf("IAM look-ups %v, want %v", regions, want)
					}
				},
				Config: lockConfig(m, `region = "cn-north-4"`),
				Check:  checkLocked(m, serverID, true),
			},
		},
	})
}

// A lock in another region than the provider's whose project IAM does not
// know names the fix that works there, the lock's own project_id, and not
// the provider's project_id, which serves the provider's region only.
func TestAccServerLock_otherRegionWithoutProject(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: lockConfig(m, `region = "cn-east-3"`),
			// The sentence ends with the region: no provider-level hint follows.
			ExpectError: errorMatching("Failed to find the project id", `IAM has no project named "cn-east-3"`,
				"Set project_id here to the id of the project that owns the server in region cn-east-3."),
		}},
	})
	if n := m.Calls("ecs.NovaServerAction"); n != 0 {
		t.Fatalf("%d ECS actions sent without a project", n)
	}
}

// A region the provider does not know yet is accepted when every Huawei
// endpoint is set (acctest.ProviderConfig sets all three): new regions open
// before a release lists them.
func TestAccServerLock_newRegionWithEveryEndpoint(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: lockConfig(m, fmt.Sprintf("region = \"cn-north-13\"\n  project_id = %q", acctest.ProjectID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact("cn-north-13")),
			},
			Check: checkLocked(m, serverID, true),
		}},
	})
}
