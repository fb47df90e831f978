package ecs_test

import (
	"fmt"
	"regexp"
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

const (
	serverID = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
	addr     = "cloudlock_ecs_server_lock.test"

	lockBody   = `{"lock": null}`
	unlockBody = `{"unlock": null}`
)

// startMock starts a mock with one unlocked server.
func startMock(t *testing.T) *mockcloud.Server {
	t.Helper()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01"})
	return m
}

// lockConfig is the provider block (project_id unset: discovered through
// the mock's IAM) and one lock with extra arguments.
func lockConfig(m *mockcloud.Server, extra string) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_ecs_server_lock" "test" {
  server_id = %q
  %s
}
`, serverID, extra)
}

// withProvider adds a line to the provider's huaweicloud block, or replaces
// max_retries.
func withProvider(cfg, line string) string {
	var out string
	if strings.HasPrefix(line, "max_retries") {
		out = strings.Replace(cfg, "max_retries = 3", line, 1)
	} else {
		out = strings.Replace(cfg, "huaweicloud = {", "huaweicloud = {\n    "+line, 1)
	}
	if out == cfg {
		panic("acctest.ProviderConfig changed shape; update withProvider")
	}
	return out
}

// errorMatching matches an error that says each text, in order. Terraform
// wraps long lines, so any run of spaces in a text matches any whitespace.
func errorMatching(texts ...string) *regexp.Regexp {
	parts := make([]string, len(texts))
	for i, t := range texts {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(t)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// providerRegion sets the provider's Huawei Cloud region.
func providerRegion(cfg, region string) string {
	out := strings.Replace(cfg, fmt.Sprintf("region     = %q", acctest.HuaweiRegion), fmt.Sprintf("region     = %q", region), 1)
	if out == cfg {
		panic("acctest.ProviderConfig changed shape; update providerRegion")
	}
	return out
}

func checkLocked(m *mockcloud.Server, id string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		v, ok := m.ECSServer(id)
		if !ok {
			return fmt.Errorf("server %s is gone from the mock", id)
		}
		if v.Locked != want {
			return fmt.Errorf("server %s: locked = %t, want %t", id, v.Locked, want)
		}
		return nil
	}
}

// actionBodies lists the bodies of the action requests the mock accepted
// (202), in order.
func actionBodies(m *mockcloud.Server) []string {
	var out []string
	for _, e := range m.Journal() {
		if e.Op == "ecs.NovaServerAction" && e.Status == 202 {
			out = append(out, string(e.Body))
		}
	}
	return out
}

func checkBodies(m *mockcloud.Server, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := actionBodies(m)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			return fmt.Errorf("action bodies = %q, want exactly %q", got, want)
		}
		return nil
	}
}

// reads counts the reads of servers: lists by id (the batched path) and
// single GETs.
func reads(m *mockcloud.Server) int {
	return m.Calls("ecs.ListServersDetails") + m.Calls("ecs.NovaShowServer")
}

func checkCalls(m *mockcloud.Server, op string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := m.Calls(op); got != want {
			return fmt.Errorf("%s: %d calls, want %d", op, got, want)
		}
		return nil
	}
}

// checkECSRequests: every ECS request carries the project id in its path
// and header, and every read asks for microversion 2.9.
func checkECSRequests(m *mockcloud.Server, projectID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, e := range m.Journal() {
			if !strings.HasPrefix(e.Op, "ecs.") {
				continue
			}
			n++
			inProject := strings.HasPrefix(e.Path, "/v2.1/"+projectID+"/servers/") || e.Path == "/v1/"+projectID+"/cloudservers/detail"
			if !inProject || e.Header.Get("X-Project-Id") != projectID {
				return fmt.Errorf("%s %s (X-Project-Id %q): want project %s", e.Method, e.Path, e.Header.Get("X-Project-Id"), projectID)
			}
			if e.Op == "ecs.NovaShowServer" && e.Header.Get("OpenStack-API-Version") != "compute 2.9" {
				return fmt.Errorf("read without microversion 2.9: %v", e.Header)
			}
		}
		if n == 0 {
			return fmt.Errorf("no ECS request served")
		}
		return nil
	}
}

// Lock, an empty second plan, and destroy unlocks: the mock's state and the
// exact bodies sent.
func TestAccServerLock_basic(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(serverID)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(acctest.HuaweiRegion)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("project_id")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(serverID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("server_id"), knownvalue.StringExact(serverID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("region"), knownvalue.StringExact(acctest.HuaweiRegion)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact(acctest.ProjectID)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLocked(m, serverID, true),
					checkBodies(m, lockBody),
					checkCalls(m, "iam.KeystoneListProjects", 1),
					checkECSRequests(m, acctest.ProjectID),
				),
			},
			{
				// Same config: nothing to do, no action sent.
				Config: lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkBodies(m, lockBody),
					checkCalls(m, "ecs.NovaServerAction", 1),
				),
			},
		},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkLocked(m, serverID, false),
			checkBodies(m, lockBody, unlockBody),
			checkCalls(m, "iam.KeystoneListProjects", 1),
		),
	})
}

// Unlocked out of band: the next plan shows locked changing back to true
// (an update, not a replacement: the server is not unlocked first), and the
// apply locks it again.
func TestAccServerLock_driftAfterOutOfBandUnlock(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lockConfig(m, ""),
				Check:  checkLocked(m, serverID, true),
			},
			{
				PreConfig:          func() { m.SetECSServerLocked(serverID, false) },
				Config:             lockConfig(m, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLocked(m, serverID, true),
					checkBodies(m, lockBody, lockBody),
				),
			},
		},
		CheckDestroy: checkBodies(m, lockBody, lockBody, unlockBody),
	})
}

// The lock is accepted but takes a few reads to show: create waits for it,
// so the plan after the apply is empty.
func TestAccServerLock_waitsUntilLocked(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01", LockLag: 3})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: lockConfig(m, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkLocked(m, serverID, true),
				checkBodies(m, lockBody),
				func(*terraform.State) error {
					if n := reads(m); n < 4 {
						return fmt.Errorf("create read the server %d times, want at least 4 (3 stale answers)", n)
					}
					return nil
				},
			),
		}},
	})
}

// A server that never reports locked: the apply fails within the create
// timeout, says so, and stores nothing; the next apply tries again.
func TestAccServerLock_neverReportsLocked(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01", IgnoreLock: true})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lockConfig(m, `timeouts = { create = "1s" }`),
				ExpectError: errorMatching("Timeout waiting for the ECS server to report locked", serverID,
					"never reported locked", "(HTTP 202)", "still reports locked = false"),
			},
			{
				PreConfig: func() {
					if reads(m) < 2 {
						t.Errorf("the create polled %d times", reads(m))
					}
					m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01"})
				},
				Config: lockConfig(m, `timeouts = { create = "1s" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLocked(m, serverID, true),
					checkBodies(m, lockBody, lockBody),
				),
			},
		},
	})
}

// Import by server id (terraform import, then an empty plan) and with an
// import block (a no-op import plan). Neither sends an action.
func TestAccServerLock_import(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	forget := acctest.ProviderConfig(m) + `
removed {
  from = cloudlock_ecs_server_lock.test
  lifecycle {
    destroy = false
  }
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lockConfig(m, ""),
				Check:  checkLocked(m, serverID, true),
			},
			{
				// Forget the lock without unlocking: a server locked by hand.
				Config: forget,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkLocked(m, serverID, true),
					checkBodies(m, lockBody),
				),
			},
			{
				Config:             lockConfig(m, ""),
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      serverID,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("%d imported instances", len(states))
					}
					want := map[string]string{
						"id": serverID, "server_id": serverID, "locked": "true",
						"region": acctest.HuaweiRegion, "project_id": acctest.ProjectID,
					}
					for k, v := range want {
						if got := states[0].Attributes[k]; got != v {
							return fmt.Errorf("imported %s = %q, want %q", k, got, v)
						}
					}
					return nil
				},
			},
			{
				// The imported lock matches the configuration.
				Config:   lockConfig(m, ""),
				PlanOnly: true,
			},
			{
				Config:          lockConfig(m, ""),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   serverID,
			},
			{
				Config:          lockConfig(m, ""),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   acctest.HuaweiRegion + "/" + serverID,
			},
			{
				Config:        lockConfig(m, ""),
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "web-01",
				ExpectError:   errorMatching("Invalid import id", "<region>/<server_id>", `got "web-01"`),
			},
		},
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkLocked(m, serverID, false),
			// The imports sent nothing; destroy unlocked.
			checkBodies(m, lockBody, unlockBody),
		),
	})
}

// A server deleted out of band leaves state at the next refresh (the plan
// proposes to lock it again), and locking a server that does not exist
// fails with the cloud's 404.
func TestAccServerLock_serverDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: lockConfig(m, "")},
			{
				PreConfig:          func() { m.DeleteECSServer(serverID) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{
					PostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
			{
				Config:      lockConfig(m, ""),
				ExpectError: errorMatching("ECS server not found", "HTTP 404, error code itemNotFound: Instance could not be found", "(request id: "),
			},
		},
		CheckDestroy: checkBodies(m, lockBody),
	})
}

// Destroy when the server disappears between refresh and unlock: the 404 of
// the unlock is not an error.
func TestAccServerLock_destroyServerGone(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: lockConfig(m, "")},
			{
				PreConfig: func() {
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Fixture: "ecs/nova_error_404_itemNotFound.json", Times: 1})
				},
				Config: acctest.ProviderConfig(m),
				Check: func(*terraform.State) error {
					var last mockcloud.Entry
					for _, e := range m.Journal() {
						if e.Op == "ecs.NovaServerAction" {
							last = e
						}
					}
					if string(last.Body) != unlockBody || last.Status != 404 {
						return fmt.Errorf("last action: %q -> %d, want the unlock answered 404", last.Body, last.Status)
					}
					return nil
				},
			},
		},
	})
}

// A 409 and a 403 fail the apply with the status, Nova's error name and
// message and the request id, are sent once (4xx is not retried), and store
// nothing; the apply after them locks.
func TestAccServerLock_conflictAndForbidden(t *testing.T) {
	t.Parallel()
	m := startMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Fixture: "ecs/nova_error_409_conflictingRequest.json", Times: 1})
				},
				Config: lockConfig(m, ""),
				ExpectError: errorMatching("Failed to lock an ECS server",
					"HTTP 409, error code conflictingRequest: Cannot 'lock' instance "+serverID+" while it is in task_state resize_migrating",
					"(request id: "),
			},
			{
				PreConfig: func() {
					if n := m.Calls("ecs.NovaServerAction"); n != 1 {
						t.Errorf("the 409 was sent %d times, want 1", n)
					}
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Fixture: "ecs/nova_error_403_forbidden.json", Times: 1})
				},
				Config: lockConfig(m, ""),
				ExpectError: errorMatching("Failed to lock an ECS server",
					"HTTP 403, error code forbidden: Policy doesn't allow os_compute_api:os-lock-server:lock to be performed.",
					"(request id: "),
			},
			{
				PreConfig: func() {
					if n := m.Calls("ecs.NovaServerAction"); n != 2 {
						t.Errorf("the 403 was sent %d times, want 1", n-1)
					}
					if v, _ := m.ECSServer(serverID); v.Locked {
						t.Error("a refused lock locked the server")
					}
				},
				Config: lockConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: checkLocked(m, serverID, true),
			},
		},
	})
}

// 503 twice on the lock and once on the read, then success: the retry
// policy answers them within one apply.
func TestAccServerLock_retried503(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Status: 503, Times: 2})
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 503, Times: 1})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: lockConfig(m, ""),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkLocked(m, serverID, true),
				checkCalls(m, "ecs.NovaServerAction", 3),
				checkBodies(m, lockBody),
			),
		}},
	})
}

// Thirty locks in one apply under Terraform's default parallelism (10),
// with throttling answered by the retry policy: all are locked, each lock
// was sent once beyond the throttled attempts, and the project id was looked
// up once.
func TestAccServerLock_manyWithThrottling(t *testing.T) {
	t.Parallel()
	const n = 30
	m := acctest.StartMock(t)
	var ids []string
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("0a0b0c0d-0000-4000-8000-%012d", i)
		ids = append(ids, id)
		m.PutECSServer(mockcloud.ECSServer{ID: id, Name: fmt.Sprintf("web-%02d", i), LockLag: i % 3})
	}
	// API Gateway's throttling, then Nova's own, then throttled reads.
	m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Status: 429, Times: 8})
	m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Fixture: "ecs/nova_error_429_overLimit.json", Times: 4})
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 429, Times: 8})

	// Ten retries: a throttled request can meet several of the queued faults.
	cfg := withProvider(acctest.ProviderConfig(m), "max_retries = 10") + fmt.Sprintf(`
resource "cloudlock_ecs_server_lock" "many" {
  count     = %d
  server_id = format("0a0b0c0d-0000-4000-8000-%%012d", count.index)
}
`, n)
	countLocked := func(want bool) error {
		for _, id := range ids {
			if err := checkLocked(m, id, want)(nil); err != nil {
				return err
			}
		}
		return nil
	}
	// counts returns, per body, how many action requests were served
	// normally, and how many were answered with a fault.
	counts := func() (map[string]int, int) {
		bodies, faulted := map[string]int{}, 0
		for _, e := range m.Journal() {
			if e.Op != "ecs.NovaServerAction" {
				continue
			}
			if e.Faulted {
				faulted++
				if e.Status != 429 {
					return nil, -1
				}
				continue
			}
			bodies[string(e.Body)]++
		}
		return bodies, faulted
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("cloudlock_ecs_server_lock.many[29]", tfjsonpath.New("locked"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("cloudlock_ecs_server_lock.many[0]", tfjsonpath.New("project_id"), knownvalue.StringExact(acctest.ProjectID)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error { return countLocked(true) },
				func(*terraform.State) error {
					bodies, faulted := counts()
					if bodies[lockBody] != n || len(bodies) != 1 || faulted != 12 {
						return fmt.Errorf("actions served %v and %d throttled, want %d locks and 12 throttled", bodies, faulted, n)
					}
					return nil
				},
				checkCalls(m, "iam.KeystoneListProjects", 1),
				checkECSRequests(m, acctest.ProjectID),
				func(*terraform.State) error {
					for _, e := range m.Journal() {
						if e.Op == "ecs.ListServersDetails" && e.Faulted {
							return nil
						}
					}
					return fmt.Errorf("no read was throttled")
				},
			),
		}},
		CheckDestroy: func(*terraform.State) error {
			if err := countLocked(false); err != nil {
				return err
			}
			bodies, _ := counts()
			if bodies[lockBody] != n || bodies[unlockBody] != n || len(bodies) != 2 {
				return fmt.Errorf("actions served %v, want %d locks and %d unlocks", bodies, n, n)
			}
			t.Logf("%d locks, apply and destroy: %d actions, %d reads, %d IAM look-ups in all",
				n, m.Calls("ecs.NovaServerAction"), reads(m), m.Calls("iam.KeystoneListProjects"))
			return nil
		},
	})
}

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
				ExpectError: errorMatching("Failed to find the project id", "region cn-east-3", `IAM has no project named "cn-east-3"`),
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

// Bad arguments fail at plan time with the attribute named, and nothing
// reaches the cloud.
func TestAccServerLock_planTimeErrors(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	noCreds := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud = {
    region    = "cn-north-4"
    endpoints = { ecs = %q, iam = %q }
  }
}
resource "cloudlock_ecs_server_lock" "test" {
  server_id = %q
}
`, m.URL(), m.URL(), serverID)
	bad := func(id, extra string) string {
		return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_ecs_server_lock" "test" {
  server_id = %q
  %s
}
`, id, extra)
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      bad("web-01", ""),
				ExpectError: errorMatching("server_id", "must be an ECS server id"),
			},
			{
				Config:      bad(serverID, `region = "mars-north-1"`),
				ExpectError: errorMatching("region", "value must be one of"),
			},
			{
				Config:      bad(serverID, `project_id = "0F1E2D3C4B5A69788796A5B4C3D2E1F0"`),
				ExpectError: errorMatching("project_id", "must be a Huawei Cloud project id (32 lower-case hex digits)"),
			},
			{
				Config:      noCreds,
				ExpectError: errorMatching("missing access_key (huaweicloud.access_key or HW_ACCESS_KEY), secret_key"),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := len(m.Journal()); n != 0 {
				return fmt.Errorf("plan-time errors made %d API calls, want 0", n)
			}
			return nil
		},
	})
}
