package bastionhost_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// frozenIdentity is the identity of the unlock of users (sorted).
func frozenIdentity(users ...string) map[string]knownvalue.Check {
	checks := make([]knownvalue.Check, len(users))
	for i, u := range users {
		checks[i] = knownvalue.StringExact(u)
	}
	return map[string]knownvalue.Check{
		"instance_id": knownvalue.StringExact(instance),
		"region":      knownvalue.StringExact(acctest.AlibabaRegion),
		"user_ids":    knownvalue.ListExact(checks),
	}
}

// TestAccUserUnlockList_query: 250 users, 150 of them frozen, are one result
// (the unlock of the 150) for 2 ListUsers calls; an instance without
// frozen users gives none.
func TestAccUserUnlockList_query(t *testing.T) {
	m := acctest.StartMock(t)
	putInstance(m, instance, 250)
	for _, u := range ids(250)[150:] {
		m.SetBastionhostUserState(instance, u, "Normal")
	}
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: "bastionhost-cn-calm", Users: []mockcloud.BastionhostUser{
		{UserID: "1", UserName: "ok", UserState: []string{"Normal"}},
	}})
	frozen := ids(150)
	sortedFrozen := slices.Clone(frozen)
	slices.Sort(sortedFrozen) // "1", "10", "100", ...: the identity's order
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.QueryVersionChecks(),
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(m)},
			{
				Query: true,
				Config: `
list "cloudlock_bastionhost_user_unlock" "frozen" {
  provider         = cloudlock
  include_resource = true
  config {
    instance_id = "` + instance + `"
  }
}
list "cloudlock_bastionhost_user_unlock" "calm" {
  provider = cloudlock
  config {
    instance_id = "bastionhost-cn-calm"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudlock_bastionhost_user_unlock.frozen", 1),
					querycheck.ExpectLength("cloudlock_bastionhost_user_unlock.calm", 0),
					querycheck.ExpectIdentity("cloudlock_bastionhost_user_unlock.frozen", frozenIdentity(sortedFrozen...)),
					querycheck.ExpectResourceDisplayName("cloudlock_bastionhost_user_unlock.frozen",
						queryfilter.ByResourceIdentity(frozenIdentity(sortedFrozen...)),
						knownvalue.StringExact("150 frozen user(s) of "+instance+": user1, user2, user3, user4, user5, and 145 more")),
					querycheck.ExpectResourceKnownValues("cloudlock_bastionhost_user_unlock.frozen",
						queryfilter.ByResourceIdentity(frozenIdentity(sortedFrozen...)), []querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(expectedID(instance, frozen))},
							{Path: tfjsonpath.New("instance_id"), KnownValue: knownvalue.StringExact(instance)},
							{Path: tfjsonpath.New("user_ids"), KnownValue: knownvalue.SetSizeExact(150)},
							{Path: tfjsonpath.New("frozen_user_ids"), KnownValue: knownvalue.SetSizeExact(150)},
							{Path: tfjsonpath.New("region"), KnownValue: knownvalue.StringExact(acctest.AlibabaRegion)},
						}),
					// 150 frozen users: 2 pages; the calm instance: 1.
					acctest.ExpectCalls(m, map[string]int{opList: 3, opUnlock: 0, opLock: 0, "bastionhost.GetUser": 0}),
				},
			},
		},
	})
}

// TestAccUserUnlockList_generateConfig: the generated configuration is
// formatted and valid; adopting it is unlocking the frozen users, which the
// apply does in one UnlockUsers call per 100 users (not one per user); the
// plan after is empty.
func TestAccUserUnlockList_generateConfig(t *testing.T) {
	acctest.SkipUnlessQueryCLI(t)
	m := acctest.StartMock(t)
	putInstance(m, instance, 120)
	a := acctest.GenerateConfig(t, m, `
list "cloudlock_bastionhost_user_unlock" "frozen" {
  provider = cloudlock
  config {
    instance_id = "`+instance+`"
  }
}
`)
	m.ResetJournal()
	out := a.Apply(t)
	if !strings.Contains(out, "1 imported, 0 added, 1 changed, 0 destroyed") {
		t.Fatalf("apply did not adopt and unlock the frozen users:\n%s", out)
	}
	if got := sizes(userIDsSent(m, opUnlock)); len(got) != 2 || got[0]+got[1] != 120 {
		t.Fatalf("UnlockUsers batches = %v, want 2 calls for 120 users", got)
	}
	for _, u := range ids(120) {
		if usr, _ := m.BastionhostUser(instance, u); strings.Contains(strings.Join(usr.UserState, ","), "Frozen") {
			t.Fatalf("user %s is still frozen after the adoption", u)
		}
	}
	a.ExpectEmptyPlan(t)
}
