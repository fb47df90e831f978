package reliability_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// These tests take the fault matrix's claims to Terraform: after every
// faulted apply, what state holds is what the cloud did — nothing recorded
// that did not happen, nothing lost that did — and the next apply converges.
// One TestCase per type, its steps sharing one mock.

const unlockAddr = "cloudlock_sms_task_unlock.r"

// providerConfig is acctest.ProviderConfig pointing at url (a front server).
func providerConfig(m *mockcloud.Server, url string) string {
	return strings.ReplaceAll(acctest.ProviderConfig(m), m.URL(), url)
}

func unlockCfg(url string, m *mockcloud.Server, run, timeout string) string {
	return providerConfig(m, url) + fmt.Sprintf(`
resource "cloudlock_sms_task_unlock" "r" {
  task_id  = %q
  triggers = { run = %q }
  timeouts { create = %q }
}
`, opTaskID, run, timeout)
}

// inOrder matches an error that says each text, in order; any run of
// spaces in a text matches any white space (terraform wraps long lines).
func inOrder(texts ...string) *regexp.Regexp {
	parts := make([]string, len(texts))
	for i, t := range texts {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(t)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// expectCreate proves that the resource is not in state: the plan creates it.
func expectCreate(addr string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)}}
}

func locked(m *mockcloud.Server, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if t, _ := m.Task(opTaskID); t.TargetLocked != want {
			return fmt.Errorf("target locked = %v, want %v", t.TargetLocked, want)
		}
		return nil
	}
}

func relockTask(m *mockcloud.Server) {
	t, _ := m.Task(opTaskID)
	t.TargetLocked = true
	m.PutTask(t)
}

func TestAccStateTruth_smsTaskUnlock(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(opTask())
	var unlocksBefore int
	// Armed, the front server makes every task read fail from the moment
	// an unlock has been served: the cloud acted, then stopped answering.
	var failReadsAfterUnlock atomic.Bool
	url := front(t, m, func(e mockcloud.Entry) (string, bool) {
		if e.Op == "sms.UnlockTargetEcs" && e.Status == 200 && failReadsAfterUnlock.CompareAndSwap(true, false) {
			m.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 500})
		}
		return "", false
	})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A permanent fault: one call, the cloud's code and request id, no state.
				PreConfig: func() {
					m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Fixture: "sms/error_403_SMS.9004.json", Times: 1})
				},
				Config:      unlockCfg(url, m, "1", "5m"),
				ExpectError: inOrder("HTTP 403, error code SMS.9004", "request id:"),
			},
			{
				// Transient faults on both calls of create are survived; the
				// plan creates, so the failed step left nothing in state.
				PreConfig: func() {
					if n := m.Calls("sms.UnlockTargetEcs"); n != 1 {
						t.Errorf("the 403 was sent %d times, want 1", n)
					}
					if tk, _ := m.Task(opTaskID); !tk.TargetLocked {
						t.Error("the 403 unlocked the target")
					}
					m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Status: 503, Times: 1})
					m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Drop: true, Times: 1})
					m.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 429, Times: 2})
					m.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 200, Header: jsonHeader, Times: 1})
				},
				Config:           unlockCfg(url, m, "1", "5m"),
				ConfigPlanChecks: expectCreate(unlockAddr),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(unlockAddr, tfjsonpath.New("task_name"), knownvalue.StringExact("matrix-task")),
					statecheck.ExpectKnownValue(unlockAddr, tfjsonpath.New("target_server_id"), knownvalue.StringExact(opTask().TargetServerID)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(locked(m, false), func(*terraform.State) error {
					if n := m.Calls("sms.UnlockTargetEcs"); n != 4 {
						return fmt.Errorf("%d unlock requests, want 4 (1 refused + 2 faulted + 1 served)", n)
					}
					return nil
				}),
			},
			{
				// A slow cloud and `timeouts.create = "2s"`: the apply stops at
				// the deadline; the replaced resource is gone from state and
				// the new one was not recorded (the cloud never acted). The
				// message is the deadline's: the answer would come after a
				// minute, and then the step would succeed.
				PreConfig: func() {
					relockTask(m)
					unlocksBefore = m.Calls("sms.UnlockTargetEcs")
					m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Delay: time.Minute, Times: 1})
				},
				Config:      unlockCfg(url, m, "2", "2s"),
				ExpectError: acctest.WrappedError("timed out before it finished (raise the timeout in `timeouts`"),
			},
			{
				PreConfig: func() {
					if n := m.Calls("sms.UnlockTargetEcs") - unlocksBefore; n != 1 {
						t.Errorf("%d unlock requests in the timed-out step, want 1", n)
					}
					if tk, _ := m.Task(opTaskID); !tk.TargetLocked {
						t.Error("the cloud acted on a request its client gave up on")
					}
				},
				Config:           unlockCfg(url, m, "2", "5m"),
				ConfigPlanChecks: expectCreate(unlockAddr),
				Check:            locked(m, false),
			},
			{
				// The unlock happens, the read after it fails for good: the
				// unlock is recorded all the same (with a warning), with the
				// details unknown to it left null.
				PreConfig: func() {
					relockTask(m)
					unlocksBefore = m.Calls("sms.UnlockTargetEcs")
					failReadsAfterUnlock.Store(true)
				},
				Config:           unlockCfg(url, m, "3", "5m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(unlockAddr, plancheck.ResourceActionReplace)}},
				// The refresh after apply reads again and fails: that is the
				// expected error; the state written by create stays.
				ExpectError: inOrder("Failed to read an SMS task", "HTTP 500, error code SMS.2007", "request id:"),
			},
			{
				// The cloud recovers: the unlock done in the step before is in
				// state (no create, no second unlock) and the plan is empty.
				PreConfig: func() {
					m.ClearFaults()
					if n := m.Calls("sms.UnlockTargetEcs") - unlocksBefore; n != 1 {
						t.Errorf("%d unlock requests in the step whose reads failed, want 1", n)
					}
					if tk, _ := m.Task(opTaskID); tk.TargetLocked {
						t.Error("the unlock of the step whose reads failed did not happen")
					}
					unlocksBefore = m.Calls("sms.UnlockTargetEcs")
				},
				Config: unlockCfg(url, m, "3", "5m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(unlockAddr, tfjsonpath.New("task_name"), knownvalue.StringExact("matrix-task")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(locked(m, false), func(*terraform.State) error {
					if n := m.Calls("sms.UnlockTargetEcs") - unlocksBefore; n != 0 {
						return fmt.Errorf("%d unlock requests after recovery, want 0", n)
					}
					return nil
				}),
			},
		},
	})
}

const passphraseAddr = "data.cloudlock_sms_task_passphrase.d"

func passphraseCfg(m *mockcloud.Server) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
data "cloudlock_sms_task_passphrase" "d" {
  task_id = %q
}
`, opTaskID)
}

// The data source: a refused read records nothing; a read through transient
// faults (including an empty answer) records the cloud's passphrase, never a
// blank one.
func TestAccStateTruth_smsTaskPassphrase(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(opTask())
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.InjectFault("sms.ShowPassphrase", mockcloud.Fault{Fixture: "sms/error_403_SMS.9004.json", Times: 1})
				},
				Config:      passphraseCfg(m),
				ExpectError: inOrder("HTTP 403, error code SMS.9004", "request id:"),
			},
			{
				PreConfig: func() {
					m.InjectFault("sms.ShowPassphrase", mockcloud.Fault{Status: 200, Header: jsonHeader, Times: 1})
					m.InjectFault("sms.ShowPassphrase", mockcloud.Fault{Status: 502, Times: 1})
					m.InjectFault("sms.ShowPassphrase", mockcloud.Fault{Status: 200, Body: `{"passphrase":`, Header: jsonHeader, Times: 1})
				},
				Config: passphraseCfg(m),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(passphraseAddr, tfjsonpath.New("passphrase"), knownvalue.StringExact(opPassphrase)),
				},
			},
		},
	})
}

const lockAddr = "cloudlock_ecs_server_lock.l"

func lockCfg(m *mockcloud.Server, timeout string) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_ecs_server_lock" "l" {
  server_id = %q
  timeouts {
    create = %q
    delete = "5m"
  }
}
`, opServerID, timeout)
}

func serverLocked(m *mockcloud.Server, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if v, _ := m.ECSServer(opServerID); v.Locked != want {
			return fmt.Errorf("server locked = %v, want %v", v.Locked, want)
		}
		return nil
	}
}

// The ECS lock: a refused or timed-out lock is not recorded and leaves the
// server unlocked; transient faults on the action and on the reads that
// confirm it are survived; a destroy whose unlock fails keeps the resource
// in state (the server is still locked), and the next destroy unlocks it.
func TestAccStateTruth_ecsServerLock(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: opServerID, Name: "matrix-ecs"})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Fixture: "ecs/nova_error_403_forbidden.json", Times: 1})
				},
				Config:      lockCfg(m, "5m"),
				ExpectError: inOrder("Failed to lock an ECS server", "HTTP 403, error code forbidden", "request id:"),
			},
			{
				PreConfig: func() {
					if v, _ := m.ECSServer(opServerID); v.Locked {
						t.Error("a refused lock locked the server")
					}
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Delay: time.Minute, Times: 1})
				},
				Config:      lockCfg(m, "2s"),
				ExpectError: acctest.WrappedError("timed out before it finished (raise the timeout in `timeouts`"),
			},
			{
				PreConfig: func() {
					if v, _ := m.ECSServer(opServerID); v.Locked {
						t.Error("the cloud acted on a lock its client gave up on")
					}
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Status: 503, Times: 1})
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Drop: true, Times: 1})
					// The confirm reads go through the batched path.
					m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 429, Times: 1})
					m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 200, Header: jsonHeader, Times: 1})
				},
				Config:           lockCfg(m, "5m"),
				ConfigPlanChecks: expectCreate(lockAddr),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(lockAddr, tfjsonpath.New("locked"), knownvalue.Bool(true)),
				},
				Check: serverLocked(m, true),
			},
			{
				// Destroy fails for good: the lock stays, and so does the resource.
				PreConfig: func() {
					m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Status: 500})
				},
				Config:      acctest.ProviderConfig(m),
				ExpectError: inOrder("Failed to unlock an ECS server", "HTTP 500", "request id:", "[after 4 attempts]"),
			},
			{
				PreConfig: func() {
					m.ClearFaults()
					if v, _ := m.ECSServer(opServerID); !v.Locked {
						t.Error("the failed destroy unlocked the server")
					}
				},
				Config: acctest.ProviderConfig(m),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(lockAddr, plancheck.ResourceActionDestroy)}},
				Check: serverLocked(m, false),
			},
		},
	})
}

const (
	userUnlockAddr = "cloudlock_bastionhost_user_unlock.u"
	stateInstance  = "bastionhost-cn-state01"
)

func userUnlockCfg(m *mockcloud.Server) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_bastionhost_user_unlock" "u" {
  instance_id = %q
  user_ids    = ["1", "2"]
}
`, stateInstance)
}

func frozenUsers(m *mockcloud.Server) []string {
	var ids []string
	inst, _ := m.BastionhostInstance(stateInstance)
	for _, u := range inst.Users {
		if u.Frozen() {
			ids = append(ids, u.UserID)
		}
	}
	return ids
}

// Bastionhost: an unlock that fails for good records nothing and changes
// nothing; transient faults are survived; a refresh that cannot read keeps
// the state as it was.
func TestAccStateTruth_bastionhostUserUnlock(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	frozen := []string{bastionhost.StateFrozen}
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: stateInstance, Users: []mockcloud.BastionhostUser{
		{UserID: "1", UserName: "alice", UserState: frozen},
		{UserID: "2", UserName: "bob", UserState: frozen},
		{UserID: "3", UserName: "carol", UserState: frozen},
	}})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.InjectFault("bastionhost.UnlockUsers", mockcloud.Fault{Fixture: "alibaba/error_503_ServiceUnavailable.json"})
				},
				Config:      userUnlockCfg(m),
				ExpectError: inOrder("HTTP 503, error code ServiceUnavailable", "request id:", "[after 4 attempts]", "Nothing was written to state"),
			},
			{
				PreConfig: func() {
					m.ClearFaults()
					if got := frozenUsers(m); len(got) != 3 {
						t.Errorf("frozen users after a failed unlock: %v, want all three", got)
					}
					m.InjectFault("bastionhost.UnlockUsers", mockcloud.Fault{Fixture: "alibaba/error_400_Throttling.User.json", Times: 1})
					m.InjectFault("bastionhost.UnlockUsers", mockcloud.Fault{Status: 200, Header: jsonHeader, Times: 1})
					m.InjectFault("bastionhost.UnlockUsers", mockcloud.Fault{Status: 502, Times: 1})
					m.InjectFault("bastionhost.ListUsers", mockcloud.Fault{Drop: true, Times: 2})
				},
				Config:           userUnlockCfg(m),
				ConfigPlanChecks: expectCreate(userUnlockAddr),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userUnlockAddr, tfjsonpath.New("frozen_user_ids"), knownvalue.SetSizeExact(0)),
				},
				Check: func(*terraform.State) error {
					if got := frozenUsers(m); len(got) != 1 || got[0] != "3" {
						return fmt.Errorf("frozen users %v, want only 3 (not in the set)", got)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					m.InjectFault("bastionhost.ListUsers", mockcloud.Fault{Fixture: "alibaba/error_500_InternalError.json"})
				},
				Config:      userUnlockCfg(m),
				PlanOnly:    true,
				ExpectError: inOrder("Failed to read Bastionhost users", "HTTP 500, error code InternalError", "request id:"),
			},
			{
				PreConfig: func() { m.ClearFaults() },
				Config:    userUnlockCfg(m),
				PlanOnly:  true, // an empty plan: the failed refresh lost nothing
			},
		},
	})
}

const sourceAddr = "cloudlock_sms_source_server.s"

func sourceCfg(m *mockcloud.Server, name string) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_sms_source_server" "s" {
  name       = %q
  ip         = "10.0.0.31"
  hostname   = "state-web-01"
  os_type    = "LINUX"
  os_version = "CENTOS_7_9_64BIT"
}
`, name)
}

func sourceRecords(m *mockcloud.Server) []mockcloud.SourceServer { return m.SourceServers() }

// The source server, whose registration is not idempotent: a 503 to it
// fails at once (the cloud may not be asked twice) and records nothing;
// throttling is retried; a rename through a 502 lands; a delete that fails
// for good keeps the resource, and the record; the next destroy removes both.
func TestAccStateTruth_smsSourceServer(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	var id string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { m.InjectFault("sms.RegisterServer", mockcloud.Fault{Status: 503, Times: 1}) },
				Config:      sourceCfg(m, "web"),
				ExpectError: inOrder("Failed to register the SMS source server", "HTTP 503", "request id:"),
			},
			{
				PreConfig: func() {
					if n := m.Calls("sms.RegisterServer"); n != 1 {
						t.Errorf("a 503 to a registration was sent %d times, want 1 (not idempotent)", n)
					}
					if n := len(sourceRecords(m)); n != 0 {
						t.Errorf("%d records after a refused registration", n)
					}
					m.InjectFault("sms.RegisterServer", mockcloud.Fault{Status: 429, Times: 2})
					m.InjectFault("sms.ShowServer", mockcloud.Fault{Status: 200, Header: jsonHeader, Times: 1})
				},
				Config:           sourceCfg(m, "web"),
				ConfigPlanChecks: expectCreate(sourceAddr),
				Check: func(s *terraform.State) error {
					recs := sourceRecords(m)
					if len(recs) != 1 {
						return fmt.Errorf("%d records, want 1", len(recs))
					}
					id = recs[0].ID
					return resource.TestCheckResourceAttr(sourceAddr, "id", id)(s)
				},
			},
			{
				PreConfig: func() { m.InjectFault("sms.UpdateServerName", mockcloud.Fault{Status: 502, Times: 1}) },
				Config:    sourceCfg(m, "web-renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sourceAddr, plancheck.ResourceActionUpdate)}},
				Check: func(*terraform.State) error {
					if v, _ := m.SourceServer(id); v.Name != "web-renamed" {
						return fmt.Errorf("name %q in the cloud", v.Name)
					}
					return nil
				},
			},
			{
				PreConfig:   func() { m.InjectFault("sms.DeleteServer", mockcloud.Fault{Status: 500}) },
				Config:      acctest.ProviderConfig(m),
				ExpectError: inOrder("HTTP 500", "request id:", "[after 4 attempts]"),
			},
			{
				PreConfig: func() {
					m.ClearFaults()
					if _, ok := m.SourceServer(id); !ok {
						t.Error("the failed delete removed the record")
					}
				},
				Config: acctest.ProviderConfig(m),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sourceAddr, plancheck.ResourceActionDestroy)}},
				Check: func(*terraform.State) error {
					if n := len(sourceRecords(m)); n != 0 {
						return fmt.Errorf("%d records after destroy", n)
					}
					if n := m.Calls("sms.RegisterServer"); n != 4 {
						return fmt.Errorf("%d registrations sent, want 4 (one refused, two throttled, one served)", n)
					}
					return nil
				},
			},
		},
	})
}
