package ecs_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

const (
	listLocked1 = "11111111-1111-4111-8111-111111111111"
	listLocked2 = "22222222-2222-4222-8222-222222222222"
	listOpen    = "33333333-3333-4333-8333-333333333333"
)

// listMock has two locked web servers and an unlocked database server.
func listMock(t *testing.T) *mockcloud.Server {
	t.Helper()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: listLocked1, Name: "web-01", Locked: true})
	m.PutECSServer(mockcloud.ECSServer{ID: listLocked2, Name: "web-02", Locked: true})
	m.PutECSServer(mockcloud.ECSServer{ID: listOpen, Name: "db-01"})
	return m
}

func serverIdentity(id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"server_id":  knownvalue.StringExact(id),
		"region":     knownvalue.StringExact(acctest.HuaweiRegion),
		"project_id": knownvalue.StringExact(acctest.ProjectID),
	}
}

// TestAccServerLockList_query lists every server, the locked ones and the
// ones named like web, with their identities and display names, for one
// listing call per list block and no read of any server.
func TestAccServerLockList_query(t *testing.T) {
	m := listMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.QueryVersionChecks(),
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(m)},
			{
				Query: true,
				Config: `
list "cloudlock_ecs_server_lock" "all" {
  provider = cloudlock
  limit    = 5000
}
list "cloudlock_ecs_server_lock" "locked" {
  provider = cloudlock
  config {
    locked = true
  }
}
list "cloudlock_ecs_server_lock" "web" {
  provider = cloudlock
  config {
    name = "web"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudlock_ecs_server_lock.all", 3),
					querycheck.ExpectLength("cloudlock_ecs_server_lock.locked", 2),
					querycheck.ExpectLength("cloudlock_ecs_server_lock.web", 2),
					querycheck.ExpectIdentity("cloudlock_ecs_server_lock.all", serverIdentity(listOpen)),
					querycheck.ExpectIdentity("cloudlock_ecs_server_lock.locked", serverIdentity(listLocked1)),
					querycheck.ExpectIdentity("cloudlock_ecs_server_lock.locked", serverIdentity(listLocked2)),
					querycheck.ExpectResourceDisplayName("cloudlock_ecs_server_lock.all",
						queryfilter.ByResourceIdentity(serverIdentity(listOpen)), knownvalue.StringExact("db-01 ("+listOpen+")")),
					acctest.ExpectCalls(m, map[string]int{"ecs.ListServersDetails": 3, "ecs.NovaShowServer": 0, "ecs.ShowServer": 0}),
				},
			},
		},
	})
}

// TestAccServerLockList_includeResource carries what a read sets, from the
// listing alone.
func TestAccServerLockList_includeResource(t *testing.T) {
	m := listMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.QueryVersionChecks(),
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(m)},
			{
				Query: true,
				Config: `
list "cloudlock_ecs_server_lock" "all" {
  provider         = cloudlock
  include_resource = true
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudlock_ecs_server_lock.all", 3),
					querycheck.ExpectResourceKnownValues("cloudlock_ecs_server_lock.all",
						queryfilter.ByResourceIdentity(serverIdentity(listOpen)), []querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("server_id"), KnownValue: knownvalue.StringExact(listOpen)},
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(listOpen)},
							{Path: tfjsonpath.New("locked"), KnownValue: knownvalue.Bool(false)},
							{Path: tfjsonpath.New("project_id"), KnownValue: knownvalue.StringExact(acctest.ProjectID)},
						}),
					querycheck.ExpectResourceKnownValues("cloudlock_ecs_server_lock.all",
						queryfilter.ByResourceIdentity(serverIdentity(listLocked1)), []querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("locked"), KnownValue: knownvalue.Bool(true)},
							{Path: tfjsonpath.New("region"), KnownValue: knownvalue.StringExact(acctest.HuaweiRegion)},
						}),
					acctest.ExpectCalls(m, map[string]int{"ecs.ListServersDetails": 1, "ecs.NovaShowServer": 0, "ecs.ShowServer": 0}),
				},
			},
		},
	})
}

// TestAccServerLockList_generateConfig: what terraform query writes for the
// locked servers is formatted, valid configuration whose apply adopts them
// with no lock call, and the plan after is empty. (Terraform asks for the
// resources itself when it generates configuration.)
func TestAccServerLockList_generateConfig(t *testing.T) {
	acctest.SkipUnlessQueryCLI(t)
	m := listMock(t)
	a := acctest.GenerateConfig(t, m, `
list "cloudlock_ecs_server_lock" "locked" {
  provider         = cloudlock
  config {
    locked = true
  }
}
`)
	if !strings.Contains(a.Generated, `server_id  = "`+listLocked1+`"`) || strings.Contains(a.Generated, listOpen) {
		t.Fatalf("the generated configuration should adopt exactly the locked servers:\n%s", a.Generated)
	}
	m.ResetJournal()
	out := a.Apply(t)
	if !strings.Contains(out, "2 imported, 0 added, 0 changed, 0 destroyed") {
		t.Fatalf("apply did not adopt the two locked servers:\n%s", out)
	}
	if n := m.Calls("ecs.NovaServerAction"); n != 0 {
		t.Fatalf("adoption sent %d lock/unlock calls, want 0", n)
	}
	a.ExpectEmptyPlan(t)
}

// TestAccServerLockList_scale: terraform query of 2,000 servers costs 2
// listing calls (1,000 a page) and no read of any server; adopting 300
// locked servers by generated configuration sends no lock call and leaves
// an empty plan. It logs the wall times (go test -v).
func TestAccServerLockList_scale(t *testing.T) {
	acctest.SkipUnlessQueryCLI(t)
	if testing.Short() {
		t.Skip("2,000 servers")
	}
	m := acctest.StartMock(t)
	for i := range 2000 {
		m.PutECSServer(mockcloud.ECSServer{ID: fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i), Name: fmt.Sprintf("srv-%04d", i), Locked: i < 300})
	}
	cli := acctest.NewCLI(t, map[string]string{
		"main.tf": acctest.RequiredProviders + acctest.ProviderConfig(m),
		"all.tfquery.hcl": `
list "cloudlock_ecs_server_lock" "all" {
  provider = cloudlock
  limit    = 2000
}
`,
	})
	if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	m.ResetJournal()
	start := time.Now()
	out, err := cli.Run("query", "-no-color")
	queryTime := time.Since(start)
	if err != nil {
		t.Fatalf("query: %v\n%s", err, out)
	}
	if n := strings.Count(out, "list.cloudlock_ecs_server_lock.all"); n != 2000 {
		t.Fatalf("query listed %d servers, want 2000:\n%.2000s", n, out)
	}
	if n := m.Calls("ecs.ListServersDetails"); n != 2 {
		t.Fatalf("query of 2,000 servers made %d ListServersDetails calls, want 2", n)
	}
	if n := m.Calls("ecs.NovaShowServer") + m.Calls("ecs.ShowServer"); n != 0 {
		t.Fatalf("query read %d servers one by one, want 0", n)
	}
	t.Logf("terraform query of 2,000 servers: %d ECS calls, %d calls in all, %s", m.Calls("ecs.ListServersDetails"), len(m.Journal()), queryTime.Round(time.Millisecond))

	a := acctest.GenerateConfig(t, m, `
list "cloudlock_ecs_server_lock" "locked" {
  provider = cloudlock
  limit    = 2000
  config {
    locked = true
  }
}
`)
	m.ResetJournal()
	start = time.Now()
	out = a.Apply(t)
	applyTime := time.Since(start)
	if !strings.Contains(out, "300 imported, 0 added, 0 changed, 0 destroyed") {
		t.Fatalf("apply did not adopt the 300 locked servers:\n%.3000s", out)
	}
	if n := m.Calls("ecs.NovaServerAction"); n != 0 {
		t.Fatalf("adopting 300 locked servers sent %d lock calls, want 0", n)
	}
	t.Logf("adoption of 300 locked servers: 0 write calls, apply %s, calls by operation: %v", applyTime.Round(time.Millisecond), callsByOp(m))
	a.ExpectEmptyPlan(t)
}

// TestAccServerLockList_limitStopsPaging: a query whose limit the first page
// fills asks for no second page (1,500 servers, limit 10: one
// ListServersDetails call, where listing every page first made two).
func TestAccServerLockList_limitStopsPaging(t *testing.T) {
	acctest.SkipUnlessQueryCLI(t)
	m := acctest.StartMock(t)
	for i := range 1500 {
		m.PutECSServer(mockcloud.ECSServer{ID: fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i), Name: fmt.Sprintf("srv-%04d", i)})
	}
	cli := acctest.NewCLI(t, map[string]string{
		"main.tf": acctest.RequiredProviders + acctest.ProviderConfig(m),
		"ten.tfquery.hcl": `
list "cloudlock_ecs_server_lock" "ten" {
  provider = cloudlock
  limit    = 10
}
`,
	})
	if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	m.ResetJournal()
	out, err := cli.Run("query", "-no-color")
	if err != nil {
		t.Fatalf("query: %v\n%s", err, out)
	}
	if n := strings.Count(out, "list.cloudlock_ecs_server_lock.ten"); n != 10 {
		t.Fatalf("query listed %d servers, want 10:\n%.2000s", n, out)
	}
	if n := m.Calls("ecs.ListServersDetails"); n != 1 {
		t.Fatalf("a query of 10 of 1,500 servers made %d ListServersDetails calls, want 1", n)
	}
}

func callsByOp(m *mockcloud.Server) map[string]int {
	n := map[string]int{}
	for _, e := range m.Journal() {
		n[e.Op]++
	}
	return n
}
