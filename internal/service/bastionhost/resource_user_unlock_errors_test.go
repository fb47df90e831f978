package bastionhost_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

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

// Bad input fails at plan time, names the attribute, and calls nothing.
func TestAccUserUnlock_planTimeErrors(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 1)
	noCreds := fmt.Sprintf(`
provider "cloudlock" {
  alicloud {
    region    = "cn-hangzhou"
    endpoints { bastionhost = %q }
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
