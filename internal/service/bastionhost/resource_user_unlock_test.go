package bastionhost_test

import (
	"fmt"
	"regexp"
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

// 150 ids of which 146 do not exist: one line for the code with its count
// and the ids as numeric ranges (not 146 lines in text order), the request
// id of each of the two calls, and the 4 users that were unlocked.
func TestAccUserUnlock_partialFailureReadable(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	inst := mockcloud.BastionhostInstance{ID: instance}
	for _, u := range []string{"41", "43", "149", "150"} {
		inst.Users = append(inst.Users, mockcloud.BastionhostUser{UserID: u, UserName: "user" + u, UserState: []string{"Frozen"}})
	}
	m.PutBastionhostInstance(inst)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: unlockConfig(m, ids(150), ""),
			ExpectError: regexp.MustCompile(`(?s)failed\s+for\s+146\s+user\(s\).*codes:\s+- OBJECT_NOT_FOUND, 146 users \(no such user on` +
				`\s+this\s+instance; check the ids with ListUsers\):\s+1-40,\s+42,\s+44-148\s+` +
				`Request\s+ids,\s+one\s+per\s+call:\s+call\s+1\s+\(100\s+users,\s+\d+\s+failed\):\s+\S+;\s+call\s+2\s+\(50\s+users,\s+\d+\s+failed\):\s+\S+\.` +
				`\s+Unlocked\s+\(4:\s+41,\s+43,\s+149-150\)\.`),
		}},
	})
	if n := m.Calls(opUnlock); n != 2 {
		t.Fatalf("%d UnlockUsers calls, want 2", n)
	}
}

// A user that does not exist and one the service refuses: the apply fails
// naming each with its code and the users that were unlocked, and nothing is
// in state, so the next apply creates (unlocking the whole set again).
func TestAccUserUnlock_partialFailure(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 3)
	m.SetBastionhostUserFailCode(instance, "3", "UNEXPECTED")
	set := []string{"1", "2", "3", "999"}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: unlockConfig(m, set, ""),
				ExpectError: regexp.MustCompile(`(?s)Failed to unlock Bastionhost users.*failed for 2 user\(s\)` +
					`.*UNEXPECTED, 1 user .*: 3\n.*OBJECT_NOT_FOUND, 1 user .*: 999\n.*Request\s+ids,\s+one\s+per\s+call:\s+call\s+1\s+\(4\s+users,\s+2\s+failed\):\s+\S+\.` +
					`.*Unlocked\s+\(2:\s+1-2\).*Nothing was written\s+to\s+state`),
			},
			{
				PreConfig: func() {
					if err := checkStates(m, "Normal", "1", "2")(nil); err != nil {
						t.Errorf("the users that succeeded: %v", err)
					}
					if err := checkStates(m, "Frozen", "3")(nil); err != nil {
						t.Error(err)
					}
					// Fix the cause: the user exists now and the service accepts user 3.
					m.SetBastionhostUserFailCode(instance, "3", "")
					inst, _ := m.BastionhostInstance(instance)
					inst.Users = append(inst.Users, mockcloud.BastionhostUser{UserID: "999", UserName: "late", UserState: []string{"Frozen"}})
					m.PutBastionhostInstance(inst)
				},
				Config: unlockConfig(m, set, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// Create, not update: the failed apply stored nothing.
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUnlockBatches(m, 4, 4),
					checkStates(m, "Normal", set...),
				),
			},
		},
	})
}

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

// Throttling (twice, then success) and a 500 are retried within one apply;
// InvalidParameter is not retried and stores nothing.
func TestAccUserUnlock_retries(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 2)
	m.InjectFault(opUnlock, mockcloud.Fault{Fixture: "alibaba/error_400_Throttling.User.json", Times: 2})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: unlockConfig(m, []string{"1"}, ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStates(m, "Normal", "1"),
					checkCalls(m, opUnlock, 3),
				),
			},
			{
				PreConfig: func() {
					m.ResetJournal()
					m.InjectFault(opUnlock, mockcloud.Fault{Fixture: "bastionhost/error_400_Throttling.Api.json", Times: 1})
					m.InjectFault(opUnlock, mockcloud.Fault{Status: 500, Times: 1})
				},
				Config: unlockConfig(m, []string{"1", "2"}, ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStates(m, "Normal", "1", "2"),
					checkCalls(m, opUnlock, 3),
				),
			},
			{
				PreConfig: func() {
					m.ResetJournal()
					lockOutOfBand(t, m, "1")
					m.ResetJournal()
					m.InjectFault(opUnlock, mockcloud.Fault{Status: 400, Times: 1})
				},
				Config: unlockConfig(m, []string{"1", "2"}, `  triggers = { run = "2" }`),
				ExpectError: regexp.MustCompile(`(?s)Failed to unlock Bastionhost users.*HTTP 400, error code\s+InvalidParameter.*request id:` +
					`.*Unlocked\s+\(none\).*Not unlocked.*\(2:\s+1-2\)`),
			},
			{
				PreConfig: func() {
					if n := m.Calls(opUnlock); n != 1 {
						t.Errorf("InvalidParameter was sent %d times, want 1 (no retry)", n)
					}
				},
				Config: unlockConfig(m, []string{"1", "2"}, `  triggers = { run = "2" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// The failed replacement stored nothing new: create.
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: checkStates(m, "Normal", "1", "2"),
			},
		},
	})
}

func checkCalls(m *mockcloud.Server, op string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := m.Calls(op); got != want {
			return fmt.Errorf("%s: %d calls, want %d", op, got, want)
		}
		return nil
	}
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

// An unknown instance fails the create at instance_id; an instance deleted
// later leaves state at the next refresh (with a warning), and the plan
// proposes to create again.
func TestAccUserUnlock_instanceMissing(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: unlockConfig(m, []string{"1"}, ""),
				ExpectError: regexp.MustCompile(`(?s)Failed to unlock Bastionhost users.*instance_id = .*HTTP 400, error code\s+Commodity\.BizError\.InvalidStatus` +
					`.*request id:.*Nothing was written\s+to\s+state`),
			},
			{
				PreConfig: func() { putInstance(m, instance, 1) },
				Config:    unlockConfig(m, []string{"1"}, ""),
			},
			{
				PreConfig:          func() { m.DeleteBastionhostInstance(instance) },
				Config:             unlockConfig(m, []string{"1"}, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
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

// Bad input fails at plan time, names the attribute, and calls nothing.
func TestAccUserUnlock_planTimeErrors(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 1)
	noCreds := fmt.Sprintf(`
provider "cloudlock" {
  alicloud = {
    region    = "cn-hangzhou"
    endpoints = { bastionhost = %q }
  }
}
resource "cloudlock_bastionhost_user_unlock" "test" {
  instance_id = %q
  user_ids    = ["1"]
}
`, m.URL(), instance)

	steps := []resource.TestStep{
		{Config: unlockConfig(m, []string{}, ""), ExpectError: regexp.MustCompile(`(?s)user_ids.*must contain at least 1`)},
		// One mistake, one error: an empty id is not also "whitespace".
		{Config: unlockConfig(m, []string{""}, ""), ExpectError: acctest.OnlyError(`Attribute user_ids[Value("")] string length must be at least 1, got: 0`)},
		{Config: unlockConfig(m, []string{"1", ""}, ""), ExpectError: acctest.OnlyError(`Attribute user_ids[Value("")] string length must be at least 1, got: 0`)},
		{Config: unlockConfig(m, []string{"1", "2 "}, ""), ExpectError: regexp.MustCompile(`(?s)user_ids.*must not contain\s+whitespace`)},
		{
			Config:      acctest.ProviderConfig(m) + `resource "cloudlock_bastionhost_user_unlock" "test" {` + "\n" + `  instance_id = ""` + "\n" + `  user_ids = ["1"]` + "\n}\n",
			ExpectError: acctest.OnlyError("Attribute instance_id string length must be at least 1, got: 0"),
		},
		{
			// The endpoint left to its default: only regions the provider knows.
			Config: strings.Replace(unlockConfig(m, []string{"1"}, `  region = "cn-hangzou"`), fmt.Sprintf("bastionhost = %q", m.URL()), "", 1),
			ExpectError: acctest.OnlyError(`Attribute region: "cn-hangzou" is not a region this provider knows. Did you mean "cn-hangzhou"? ` +
				`Known regions: ap-northeast-1/2, ap-south-1, ap-southeast-1/2/3/5/6/7, cn-beijing,`),
		},
		{Config: noCreds, ExpectError: regexp.MustCompile(`(?s)missing access_key \(alicloud.access_key or\s+ALICLOUD_ACCESS_KEY\), secret_key`)},
		{
			Config:      acctest.ProviderConfig(m) + `resource "cloudlock_bastionhost_user_unlock" "test" {` + "\n" + `  user_ids = ["1"]` + "\n}\n",
			ExpectError: regexp.MustCompile(`(?s)"instance_id" is required`),
		},
	}
	for i := range steps {
		steps[i].PlanOnly = true
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
		CheckDestroy: func(*terraform.State) error {
			if n := len(m.Journal()); n != 0 {
				return fmt.Errorf("plan-time errors made %d API calls, want 0", n)
			}
			return nil
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
  alicloud = {
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
