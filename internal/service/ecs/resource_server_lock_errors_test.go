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

// Bad arguments fail at plan time with the attribute named, and nothing
// reaches the cloud.
func TestAccServerLock_planTimeErrors(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	noCreds := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    region    = "cn-north-4"
    endpoints {
      ecs = %q
      iam = %q
    }
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
				// Not every endpoint is set: only regions the provider knows.
				Config: strings.Replace(bad(serverID, `region = "cn-nort-4"`), fmt.Sprintf("sms = %q\n", m.URL()), "", 1),
				ExpectError: errorMatching(`Attribute region: "cn-nort-4" is not a region this provider knows. Did you mean "cn-north-4"?`,
					"Known regions: ae-ad-1, af-north-1", "cn-north-1/2/4/9/11/12",
					"set every endpoint in the provider's huaweicloud.endpoints (iam, sms and ecs)"),
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
