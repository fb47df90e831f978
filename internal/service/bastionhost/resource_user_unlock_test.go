package bastionhost_test

import (
	"fmt"
	"slices"
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
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
)

func bastionAPI(m *mockcloud.Server) bastionhost.API { return bastionhost.NewAPI(acctest.Client(m, 0)) }

var emptySet = knownvalue.SetExact([]knownvalue.Check{})

// One user: one call with one id, a deterministic id, an empty second plan,
// import, and a destroy that calls nothing and locks nobody.
func TestAccUserUnlock_oneUser(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 2)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: unlockConfig(m, []string{"1"}, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						// Known at plan time: the id is computed from the configuration.
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(expectedID(instance, []string{"1"}))),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(acctest.AlibabaRegion)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("frozen_user_ids"), emptySet),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(expectedID(instance, []string{"1"}))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("frozen_user_ids"), emptySet),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact("cn-hangzhou")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStates(m, "Normal", "1"),
					checkStates(m, "Frozen", "2"), // not in the set: untouched
					checkUnlockBatches(m, 1),
					func(*terraform.State) error {
						p := callParams(calls(m, opUnlock)[0])
						if p.Get("UserIds") != `["1"]` || p.Get("InstanceId") != instance || p.Get("RegionId") != "cn-hangzhou" {
							return fmt.Errorf("UnlockUsers was sent %v", p)
						}
						return nil
					},
				),
			},
			{
				Config: unlockConfig(m, []string{"1"}, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkUnlockBatches(m, 1),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           instance + ":1",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"triggers", "timeouts"},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := m.Calls(opLock); n != 0 {
				return fmt.Errorf("destroy sent %d LockUsers calls", n)
			}
			if err := checkUnlockBatches(m, 1)(nil); err != nil {
				return err
			}
			return checkStates(m, "Normal", "1")(nil)
		},
	})
}

// 250 users take exactly 3 calls of at most 100 ids, covering every user
// once. A refresh costs at most 3 ListUsers calls (1 when none is frozen);
// when all 250 are locked again, the plan shows it and the apply unlocks
// them in 3 calls again.
func TestAccUserUnlock_250Users(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 250)
	all := ids(250)
	slices.Reverse(all) // the order in the configuration does not matter
	cfg := unlockConfig(m, all, "")

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(expectedID(instance, ids(250)))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUnlockBatches(m, 100, 100, 50),
					checkStates(m, "Normal", ids(250)...),
					func(*terraform.State) error {
						var sent []string
						for _, b := range userIDsSent(m, opUnlock) {
							sent = append(sent, b...)
						}
						slices.Sort(sent)
						want := ids(250)
						slices.Sort(want)
						if !slices.Equal(sent, want) {
							return fmt.Errorf("the 3 calls carried %d ids, not each of the 250 once", len(sent))
						}
						return nil
					},
				),
			},
			{
				// Nothing frozen: every refresh is one ListUsers call.
				PreConfig: func() { m.ResetJournal() },
				Config:    cfg,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					costs, err := refreshCosts(m)
					if err != nil || len(costs) == 0 {
						t.Fatalf("refreshes: %v %v", costs, err)
					}
					for _, c := range costs {
						if c != 1 {
							t.Errorf("a refresh with no frozen user cost %d ListUsers calls, want 1 (costs %v)", c, costs)
						}
					}
					if n := m.Calls(opUnlock); n != 0 {
						t.Errorf("a plan sent %d UnlockUsers calls", n)
					}
					lockOutOfBand(t, m, ids(250)...)
					m.ResetJournal()
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						expectFrozenBefore(ids(250)...),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("frozen_user_ids"), emptySet),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUnlockBatches(m, 100, 100, 50),
					checkStates(m, "Normal", ids(250)...),
					func(*terraform.State) error {
						costs, err := refreshCosts(m)
						if err != nil {
							return err
						}
						for _, c := range costs {
							if c > 3 {
								return fmt.Errorf("a refresh of 250 frozen users cost %d ListUsers calls, want ≤ 3 (costs %v)", c, costs)
							}
						}
						if !slices.Contains(costs, 3) {
							return fmt.Errorf("no refresh listed the 3 pages of 250 frozen users: %v", costs)
						}
						return nil
					},
				),
			},
		},
	})
}

// triggers and region replace the resource and unlock the whole set again;
// region reaches the API as RegionId; reordering user_ids changes nothing.
func TestAccUserUnlock_triggersRegionOrder(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 2)
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: "bastionhost-cn-sh0001", Region: "cn-shanghai",
		Users: []mockcloud.BastionhostUser{{UserID: "7", UserName: "sh", UserState: []string{"Frozen"}}}})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: unlockConfig(m, []string{"1", "2"}, `  triggers = { run = "1" }`)},
			{
				Config: unlockConfig(m, []string{"2", "1"}, `  triggers = { run = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: func() { lockOutOfBand(t, m, "1", "2") },
				Config:    unlockConfig(m, []string{"1", "2"}, `  triggers = { run = "2" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUnlockBatches(m, 2, 2),
					checkStates(m, "Normal", "1", "2"),
				),
			},
			{
				// The provider's region changes and the resource has none of its own: replace.
				Config:             strings.Replace(unlockConfig(m, []string{"1", "2"}, `  triggers = { run = "2" }`), `"cn-hangzhou"`, `"cn-shanghai"`, 1),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact("cn-shanghai")),
					},
				},
			},
			{
				Config: acctest.ProviderConfig(m) + `
resource "cloudlock_bastionhost_user_unlock" "test" {
  instance_id = "bastionhost-cn-sh0001"
  user_ids    = ["7"]
  region      = "cn-shanghai"
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact("cn-shanghai")),
				},
				Check: func(*terraform.State) error {
					all := calls(m, opUnlock)
					if p := callParams(all[len(all)-1]); p.Get("RegionId") != "cn-shanghai" || p.Get("UserIds") != `["7"]` {
						return fmt.Errorf("UnlockUsers was sent %v", p)
					}
					if u, _ := m.BastionhostUser("bastionhost-cn-sh0001", "7"); u.Frozen() {
						return fmt.Errorf("user 7 is still frozen")
					}
					return nil
				},
			},
		},
	})
}

// user_ids known only at apply time: the id is unknown in the plan and set
// by the apply.
func TestAccUserUnlock_userIDsFromAnotherResource(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 2)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "terraform_data" "user" {
  input = "2"
}
resource "cloudlock_bastionhost_user_unlock" "test" {
  instance_id = %q
  user_ids    = [terraform_data.user.output]
}
`, instance),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id"))},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(expectedID(instance, []string{"2"}))),
			},
			Check: checkStates(m, "Normal", "2"),
		}},
	})
}

// A region the provider does not know yet works when the Bastionhost
// endpoint is set, in the provider and in the resource: the calls carry it.
func TestAccUserUnlock_newRegionWithEndpoint(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 2)
	cfg := strings.Replace(unlockConfig(m, []string{"1"}, ""), fmt.Sprintf("region     = %q", acctest.AlibabaRegion), `region     = "cn-newcity-1"`, 1)
	if !strings.Contains(cfg, "cn-newcity-1") {
		t.Fatal("acctest.ProviderConfig changed shape")
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStates(m, "Normal", "1"),
					func(*terraform.State) error {
						if r := callParams(calls(m, opUnlock)[0]).Get("RegionId"); r != "cn-newcity-1" {
							return fmt.Errorf("RegionId %q", r)
						}
						return nil
					},
				),
			},
			{
				Config: unlockConfig(m, []string{"2"}, `  region = "cn-newcity-2"`),
				Check:  checkStates(m, "Normal", "2"),
			},
		},
	})
}

// The endpoint may come from ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST
// instead of alicloud.endpoints.bastionhost. Not parallel: it sets the
// environment of the in-process provider.
func TestAccUserUnlock_endpointFromEnvironment(t *testing.T) {
	m := acctest.StartMock(t)
	putInstance(m, instance, 1)
	t.Setenv("ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST", m.URL())

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "cloudlock" {
  alicloud {
    region     = "cn-hongkong"
    access_key = %q
    secret_key = %q
  }
}
resource "cloudlock_bastionhost_user_unlock" "test" {
  instance_id = %q
  user_ids    = ["1"]
}
`, acctest.AlibabaAccessKey, acctest.AlibabaSecretKey, instance),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStates(m, "Normal", "1"),
				func(*terraform.State) error {
					if p := callParams(calls(m, opUnlock)[0]); p.Get("RegionId") != "cn-hongkong" {
						return fmt.Errorf("RegionId %q", p.Get("RegionId"))
					}
					return nil
				},
			),
		}},
	})
}
