package sms_test

import (
	"fmt"
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

func listedTaskID(i int) string { return fmt.Sprintf("7a9a9540-0000-4000-8000-%012d", i) }

// putTasks adds n tasks: every third one still running, the others done.
func putTasks(m *mockcloud.Server, n int) {
	for i := 0; i < n; i++ {
		state := "MIGRATE_SUCCESS"
		if i%3 == 0 {
			state = "RUNNING"
		}
		m.PutTask(mockcloud.Task{
			ID: listedTaskID(i), Name: fmt.Sprintf("migrate-%d", i), State: state,
			TargetServerID: fmt.Sprintf("b8a3c2d1-0000-4000-8000-%012d", i), TargetServerName: fmt.Sprintf("target-%d", i), TargetLocked: true,
		})
	}
}

func taskIdentity(i int) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"task_id": knownvalue.StringExact(listedTaskID(i))}
}

// TestAccTaskUnlockList_query lists 150 tasks (2 pages) and the finished
// ones; with include_resource each result carries what a read sets, from
// the listing alone: no task is read and none is unlocked.
func TestAccTaskUnlockList_query(t *testing.T) {
	m := acctest.StartMock(t)
	putTasks(m, 150)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.QueryVersionChecks(),
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(m)},
			{
				Query: true,
				Config: `
list "cloudlock_sms_task_unlock" "all" {
  provider = cloudlock
  limit    = 1000
}
list "cloudlock_sms_task_unlock" "finished" {
  provider         = cloudlock
  include_resource = true
  limit            = 1000
  config {
    state = "MIGRATE_SUCCESS"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudlock_sms_task_unlock.all", 150),
					querycheck.ExpectLength("cloudlock_sms_task_unlock.finished", 100),
					querycheck.ExpectIdentity("cloudlock_sms_task_unlock.all", taskIdentity(0)),
					querycheck.ExpectIdentity("cloudlock_sms_task_unlock.finished", taskIdentity(149)),
					querycheck.ExpectResourceDisplayName("cloudlock_sms_task_unlock.finished", queryfilter.ByResourceIdentity(taskIdentity(4)),
						knownvalue.StringExact("migrate-4 ("+listedTaskID(4)+") -> target-4")),
					querycheck.ExpectResourceKnownValues("cloudlock_sms_task_unlock.finished", queryfilter.ByResourceIdentity(taskIdentity(4)),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(listedTaskID(4))},
							{Path: tfjsonpath.New("task_id"), KnownValue: knownvalue.StringExact(listedTaskID(4))},
							{Path: tfjsonpath.New("task_name"), KnownValue: knownvalue.StringExact("migrate-4")},
							{Path: tfjsonpath.New("target_server_id"), KnownValue: knownvalue.StringExact("b8a3c2d1-0000-4000-8000-000000000004")},
							{Path: tfjsonpath.New("target_server_name"), KnownValue: knownvalue.StringExact("target-4")},
							{Path: tfjsonpath.New("triggers"), KnownValue: knownvalue.Null()},
						}),
					// 150 tasks: 2 pages; 100 finished: 1 page (count reached).
					acctest.ExpectCalls(m, map[string]int{"sms.ListTasks": 3, "sms.ShowTask": 0, "sms.UnlockTargetEcs": 0}),
				},
			},
		},
	})
}

// TestAccTaskUnlockList_generateConfig: the generated configuration for the
// finished tasks is formatted and valid, its apply adopts them with no
// unlock (an adoption records, as an import does), and the plan after is
// empty.
func TestAccTaskUnlockList_generateConfig(t *testing.T) {
	acctest.SkipUnlessQueryCLI(t)
	m := acctest.StartMock(t)
	putTasks(m, 4)
	a := acctest.GenerateConfig(t, m, `
list "cloudlock_sms_task_unlock" "finished" {
  provider = cloudlock
  config {
    state = "MIGRATE_SUCCESS"
  }
}
`)
	if !acctest.Contains(a.Generated, listedTaskID(1), listedTaskID(2)) || strings.Contains(a.Generated, listedTaskID(3)) {
		t.Fatalf("the generated configuration should adopt exactly the finished tasks:\n%s", a.Generated)
	}
	m.ResetJournal()
	out := a.Apply(t)
	if !strings.Contains(out, "2 imported, 0 added, 0 changed, 0 destroyed") {
		t.Fatalf("apply did not adopt the two finished tasks:\n%s", out)
	}
	if n := m.Calls("sms.UnlockTargetEcs"); n != 0 {
		t.Fatalf("adoption sent %d unlock calls, want 0", n)
	}
	a.ExpectEmptyPlan(t)
}
