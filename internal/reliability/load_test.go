package reliability_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
)

// Load: N of every type (4 resources, 2 data sources, 1 ephemeral
// resource) in one apply, with a fifth of the cloud's answers replaced by
// transient faults. make test runs loadDefaultN of each;
// CLOUDLOCK_LOAD_N=200 runs the figure.
const (
	loadDefaultN = 40
	loadRate     = 0.20
	loadSeed     = 6 // the fault schedule is the same on every run
	loadInstance = "bastionhost-cn-load01"
)

func loadN(t *testing.T) int {
	if v := os.Getenv("CLOUDLOCK_LOAD_N"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			t.Fatalf("CLOUDLOCK_LOAD_N=%q: want 1 to 1000", v)
		}
		return n
	}
	return loadDefaultN
}

func loadTaskID(i int) string   { return fmt.Sprintf("7a9a9540-ff28-4869-b9e4-%012d", i) }
func loadServerID(i int) string { return fmt.Sprintf("5d1e0c2b-0000-4000-8000-%012d", i) }
func loadUserID(i int) string   { return strconv.Itoa(i + 1) }

// loadOps are the operations an apply, refresh and destroy of every type
// call, and how many answers of each the schedule covers per resource (as
// many as a run asks for, measured, so that about a fifth of all answers
// are faults; retries then ask a little more, unfaulted).
var loadOps = map[string]int{
	"iam.KeystoneListProjects": 0, // once per run: two answers, below
	"sms.UnlockTargetEcs":      1,
	"sms.ShowTask":             5,
	"sms.ShowPassphrase":       15, // the data source, and the ephemeral resource in every plan and apply
	"ecs.NovaServerAction":     2,  // lock, and unlock at destroy
	"ecs.ListServersDetails":   6,  // reads by id, batched: fewer calls than reads, each fault hits a batch
	"ecs.NovaShowServer":       1,  // the single GET: only when a batch cannot say
	"bastionhost.UnlockUsers":  1,
	"bastionhost.ListUsers":    4,
	"sms.RegisterServer":       1, // not idempotent: throttling only, below
	"sms.ShowServer":           5,
	"sms.ListServers":          7,
	"sms.DeleteServer":         1,
}

// loadFaults are the transient faults of the schedule. (Unreadable 200s
// are left to the matrix: the journal could not tell them from answers.)
var loadFaults = []mockcloud.Fault{
	{Status: 429}, {Status: 500}, {Status: 502}, {Status: 503}, {Drop: true},
}

// scheduleFaults queues, for every operation, answers of which a fifth
// (loadRate, drawn from a seeded generator) are transient faults and the
// rest pass through: which request meets which entry depends on timing,
// the number of faults does not.
func scheduleFaults(m *mockcloud.Server, n int) int {
	rng := rand.New(rand.NewPCG(loadSeed, loadSeed))
	pass := mockcloud.Fault{Header: map[string]string{"X-Load": "pass"}, Times: 1}
	scheduled := 0
	for _, op := range sortedKeys(loadOps) {
		answers := loadOps[op] * n
		if op == "iam.KeystoneListProjects" {
			answers = 2
		}
		for range answers {
			if rng.Float64() < loadRate {
				f := loadFaults[rng.IntN(len(loadFaults))]
				if op == "sms.RegisterServer" {
					// A 5xx or a dropped connection may follow a registration
					// the cloud made: not transient for a call that is not
					// idempotent (the matrix covers those). Throttling is.
					f = mockcloud.Fault{Status: 429}
				}
				f.Times = 1
				m.InjectFault(op, f)
				scheduled++
			} else {
				m.InjectFault(op, pass)
			}
		}
	}
	return scheduled
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func loadConfig(m *mockcloud.Server, n int) string {
	cfg := strings.Replace(acctest.ProviderConfig(m), "max_retries = 3", "max_retries = 10", 1)
	return cfg + fmt.Sprintf(`
locals {
  n = %d
}
resource "cloudlock_sms_task_unlock" "load" {
  count   = local.n
  task_id = format("7a9a9540-ff28-4869-b9e4-%%012d", count.index)
}
data "cloudlock_sms_task_passphrase" "load" {
  count   = local.n
  task_id = format("7a9a9540-ff28-4869-b9e4-%%012d", count.index)
}
ephemeral "cloudlock_sms_task_passphrase" "load" {
  count   = local.n
  task_id = format("7a9a9540-ff28-4869-b9e4-%%012d", count.index)
}
resource "cloudlock_ecs_server_lock" "load" {
  count     = local.n
  server_id = format("5d1e0c2b-0000-4000-8000-%%012d", count.index)
}
resource "cloudlock_bastionhost_user_unlock" "load" {
  count       = local.n
  instance_id = %q
  user_ids    = [tostring(count.index + 1)]
}
resource "cloudlock_sms_source_server" "load" {
  count      = local.n
  ip         = format("10.1.%%d.%%d", floor(count.index / 250), count.index %% 250)
  hostname   = format("load-%%04d", count.index)
  os_type    = "LINUX"
  os_version = "CENTOS_7_9_64BIT"
}
data "cloudlock_sms_source_servers" "load" {
  count = local.n
  name  = format("load-%%04d", count.index)
}
`, n, loadInstance)
}

// loadFigures are what the journal of the apply shows.
type loadFigures struct {
	requests, faulted, retries int
}

// checkLoadJournal checks the journal of the apply: every write of every
// object answered 2xx exactly once (nothing lost, nothing done twice), and
// every other attempt at it was a fault, retried.
func checkLoadJournal(m *mockcloud.Server, n int, fig *loadFigures) error {
	type key struct{ op, target string }
	ok, faults, attempts := map[key]int{}, map[key]int{}, map[key]int{}
	for _, e := range m.Journal() {
		fig.requests++
		if e.Status == 0 || e.Status >= 400 {
			fig.faulted++
		}
		var target string
		switch e.Op {
		case "sms.UnlockTargetEcs":
			target = strings.TrimSuffix(strings.TrimPrefix(e.Path, "/v3/tasks/"), "/unlock")
		case "ecs.NovaServerAction":
			parts := strings.Split(e.Path, "/")
			target = parts[len(parts)-2]
		case "bastionhost.UnlockUsers":
			target = string(e.Body) + e.RawQuery
		case "sms.RegisterServer":
			var reg struct{ Hostname string }
			_ = json.Unmarshal(e.Body, &reg)
			target = reg.Hostname
		default:
			continue
		}
		k := key{e.Op, target}
		attempts[k]++
		switch {
		case e.Status >= 200 && e.Status < 300:
			ok[k]++
		case e.Status == 0 || e.Status >= 400:
			faults[k]++
		}
	}
	want := map[string]int{"sms.UnlockTargetEcs": n, "ecs.NovaServerAction": n, "bastionhost.UnlockUsers": n, "sms.RegisterServer": n}
	got := map[string]int{}
	for k, c := range ok {
		if c != 1 {
			return fmt.Errorf("%s %s: answered 2xx %d times, want once", k.op, k.target, c)
		}
		got[k.op]++
	}
	for op, w := range want {
		if got[op] != w {
			return fmt.Errorf("%s: %d objects written, want %d", op, got[op], w)
		}
	}
	for k, a := range attempts {
		if a != 1+faults[k] {
			return fmt.Errorf("%s %s: %d attempts, %d of them faulted: a write was sent beyond its retries", k.op, k.target, a, faults[k])
		}
		fig.retries += a - 1
	}
	return nil
}

// TestAccLoad applies N of every type at once through transient faults on
// a fifth of the answers: all converge, the journal shows every write done
// exactly once (attempts beyond it are retries of faults), and the plan
// after the apply is empty.
func TestAccLoad(t *testing.T) {
	t.Parallel()
	n := loadN(t)
	m := mockcloud.StartT(t, mockcloud.Options{
		Huawei:       mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey},
		Alibaba:      mockcloud.Credentials{AccessKey: acctest.AlibabaAccessKey, SecretKey: acctest.AlibabaSecretKey},
		ProjectID:    acctest.ProjectID,
		Region:       acctest.HuaweiRegion,
		JournalLimit: 1 << 20,
	})
	users := make([]mockcloud.BastionhostUser, n)
	for i := range n {
		m.PutTask(mockcloud.Task{ID: loadTaskID(i), Name: "load", Passphrase: "p" + strconv.Itoa(i), TargetServerID: loadServerID(i), TargetLocked: true})
		m.PutECSServer(mockcloud.ECSServer{ID: loadServerID(i), Name: "load"})
		users[i] = mockcloud.BastionhostUser{UserID: loadUserID(i), UserName: "u" + loadUserID(i), UserState: []string{bastionhost.StateFrozen}}
	}
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: loadInstance, Users: users})
	scheduled := scheduleFaults(m, n)
	var fig loadFigures
	start := time.Now()
	var applied time.Duration

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: loadConfig(m, n),
				Check: func(*terraform.State) error {
					applied = time.Since(start)
					for i := range n {
						if tk, _ := m.Task(loadTaskID(i)); tk.TargetLocked {
							return fmt.Errorf("task %d still locked", i)
						}
						if v, _ := m.ECSServer(loadServerID(i)); !v.Locked {
							return fmt.Errorf("server %d not locked", i)
						}
						if u, _ := m.BastionhostUser(loadInstance, loadUserID(i)); u.Frozen() {
							return fmt.Errorf("user %s still frozen", loadUserID(i))
						}
					}
					if got := len(m.SourceServers()); got != n {
						return fmt.Errorf("%d source servers registered, want %d", got, n)
					}
					return checkLoadJournal(m, n, &fig)
				},
			},
			{
				// The faults still in the schedule hit this refresh too.
				Config: loadConfig(m, n),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
	faulted := 0
	perOp := map[string][2]int{}
	for _, e := range m.Journal() {
		c := perOp[e.Op]
		c[0]++
		if e.Status == 0 || e.Status >= 400 {
			faulted++
			c[1]++
		}
		perOp[e.Op] = c
	}
	t.Logf("requests and faulted answers per operation: %v", perOp)
	t.Logf("load: %d of each of 7 types (%d objects) in one apply with %.0f%% transient faults (seed %d): %d faults scheduled, "+
		"%d faulted answers served of %d requests in the run (%.1f%%); apply converged in %v, whole test %v; writes retried %d times; "+
		"lost or duplicated writes: 0",
		n, 7*n, loadRate*100, loadSeed, scheduled, faulted, len(m.Journal()), 100*float64(faulted)/float64(max(len(m.Journal()), 1)),
		applied.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), fig.retries)
}
