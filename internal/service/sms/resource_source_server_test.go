package sms_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"text/template"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

const suseAddr = "cloudlock_sms_source_server.suse"

// suseVars are the values of testdata/source_server_suse.tf.tmpl that test
// steps change.
type suseVars struct {
	Name               string
	CPUQuantity        int
	Platform           string
	SnapshotsMountPath string
}

// documented are the values of the API document's example.
var documented = suseVars{Name: "host-192-168-136-xxx", CPUQuantity: 1, Platform: "hw", SnapshotsMountPath: "/.snapshots"}

func suseConfig(t *testing.T, m *mockcloud.Server, v suseVars) string {
	t.Helper()
	tmpl := template.Must(template.ParseFiles("testdata/source_server_suse.tf.tmpl"))
	var b strings.Builder
	if err := tmpl.Execute(&b, v); err != nil {
		t.Fatal(err)
	}
	return acctest.ProviderConfig(m) + b.String()
}

// suseRegistration is the registration body the documented example must
// give: the document's example, corrected as the mock's tests check.
func suseRegistration(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../mockcloud/testdata/sources_register_suse.json")
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// ops is the sequence of source-server operations in the mock's journal.
func ops(m *mockcloud.Server) []string {
	var out []string
	for _, e := range m.Journal() {
		switch e.Op {
		case "sms.RegisterServer", "sms.DeleteServer", "sms.UpdateServerName":
			out = append(out, fmt.Sprintf("%s %s %d", e.Op, strings.TrimPrefix(e.Path, "/v3/sources"), e.Status))
		}
	}
	return out
}

// onlyServer returns the one source server of the mock.
func onlyServer(m *mockcloud.Server) (mockcloud.SourceServer, error) {
	all := m.SourceServers()
	if len(all) != 1 {
		return mockcloud.SourceServer{}, fmt.Errorf("the mock has %d source servers, want 1", len(all))
	}
	return all[0], nil
}

// stateID is the id of addr in state.
func stateID(s *terraform.State, addr string) string {
	if r, ok := s.RootModule().Resources[addr]; ok {
		return r.Primary.ID
	}
	return ""
}

// The attributes SMS does not return, which an import cannot know.
var notImported = []string{"virtualization_type", "linux_block_check", "domain_id", "has_rsync", "paravirtualization",
	"raw_devices", "driver_files", "system_services", "account_rights", "boot_loader", "system_dir", "kernel_version",
	"migration_cycle", "state", "io_read_wait", "platform", "timeouts"}

// The documented example registers in full (the request body is the
// document's example, field for field, all nested lists included), plans
// empty afterwards, imports, renames in place, and a change of any other
// argument deletes and registers again (more in _replacements).
func TestAccSourceServer_documentedExample(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	var firstID, secondID string

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: suseConfig(t, m, documented),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(suseAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("current_state"), knownvalue.StringExact("waiting")),
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("enterprise_project_id"), knownvalue.StringExact("0")),
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("btrfs_list").AtSliceIndex(0).AtMapKey("subvolume"), knownvalue.ListSizeExact(23)),
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("btrfs_list").AtSliceIndex(0).AtMapKey("subvolume").AtSliceIndex(22).AtMapKey("subvol_name"),
						knownvalue.StringExact("@/.snapshots/2/snapshot")),
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("disks").AtSliceIndex(2).AtMapKey("physical_volumes"), knownvalue.ListSizeExact(0)),
					// Not configured, not returned: known null after the apply.
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("disks").AtSliceIndex(0).AtMapKey("os_disk"), knownvalue.Null()),
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("networks").AtSliceIndex(0).AtMapKey("mtu"), knownvalue.Null()),
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("volume_groups").AtSliceIndex(0).AtMapKey("logical_volumes").AtSliceIndex(0).AtMapKey("inode_size"),
						knownvalue.Int64Exact(256)),
				},
				Check: func(s *terraform.State) error {
					firstID = stateID(s, suseAddr)
					v, err := onlyServer(m)
					if err != nil {
						return err
					}
					if v.ID != firstID {
						return fmt.Errorf("state id %q, mock id %q", firstID, v.ID)
					}
					var sent map[string]any
					for _, e := range m.Journal() {
						if e.Op == "sms.RegisterServer" {
							if err := json.Unmarshal(e.Body, &sent); err != nil {
								return err
							}
						}
					}
					if want := suseRegistration(t); !reflect.DeepEqual(sent, want) {
						got, _ := json.MarshalIndent(sent, "", " ")
						return fmt.Errorf("registration body is not the documented example:\n%s", got)
					}
					if got := ops(m); len(got) != 1 {
						return fmt.Errorf("operations %v, want one registration", got)
					}
					return nil
				},
			},
			{
				// Same configuration: nothing to do, no call that changes anything.
				Config: suseConfig(t, m, documented),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if got := ops(m); len(got) != 1 {
						return fmt.Errorf("operations %v after an empty plan", got)
					}
					return nil
				},
			},
			{
				ResourceName:            suseAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: notImported,
			},
			{
				// name is the one argument SMS updates in place.
				Config: suseConfig(t, m, suseVars{Name: "suse-12-web", CPUQuantity: 1, Platform: "hw", SnapshotsMountPath: "/.snapshots"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(suseAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(suseAddr, tfjsonpath.New("name"), knownvalue.StringExact("suse-12-web")),
				},
				Check: func(s *terraform.State) error {
					v, err := onlyServer(m)
					if err != nil {
						return err
					}
					if v.Name != "suse-12-web" || v.ID != firstID || stateID(s, suseAddr) != firstID {
						return fmt.Errorf("after rename: mock %s %q, state id %s, want %s", v.ID, v.Name, stateID(s, suseAddr), firstID)
					}
					want := []string{"sms.RegisterServer  200", "sms.UpdateServerName /" + firstID + " 200"}
					if got := ops(m); !reflect.DeepEqual(got, want) {
						return fmt.Errorf("operations %v, want %v", got, want)
					}
					return nil
				},
			},
			{
				// cpu_quantity cannot change: delete, then register again.
				Config: suseConfig(t, m, suseVars{Name: "suse-12-web", CPUQuantity: 2, Platform: "hw", SnapshotsMountPath: "/.snapshots"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(suseAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: func(s *terraform.State) error {
					secondID = stateID(s, suseAddr)
					v, err := onlyServer(m)
					if err != nil {
						return err
					}
					if v.ID != secondID || secondID == firstID || *v.CPUQuantity != 2 {
						return fmt.Errorf("after replace: mock %s cpu %d, state %s (first %s)", v.ID, *v.CPUQuantity, secondID, firstID)
					}
					want := []string{"sms.RegisterServer  200", "sms.UpdateServerName /" + firstID + " 200",
						"sms.DeleteServer /" + firstID + " 200", "sms.RegisterServer  200"}
					if got := ops(m); !reflect.DeepEqual(got, want) {
						return fmt.Errorf("operations %v, want %v", got, want)
					}
					return nil
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := len(m.SourceServers()); n != 0 {
				return fmt.Errorf("%d source servers left after destroy", n)
			}
			got := ops(m)
			if n := m.Calls("sms.RegisterServer"); n != 2 || m.Calls("sms.DeleteServer") != 2 || got[len(got)-1] != "sms.DeleteServer /"+secondID+" 200" {
				return fmt.Errorf("%d registrations, operations %v", n, got)
			}
			return nil
		},
	})
}

func minimalConfig(m *mockcloud.Server, extra string) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_sms_source_server" "min" {
  ip         = "10.0.0.21"
  hostname   = "web-01"
  os_type    = "LINUX"
  os_version = "CENTOS_7_9_64BIT"
%s
}
`, extra)
}

const minAddr = "cloudlock_sms_source_server.min"

// Only the mandatory fields: what SMS fills in is read back and causes no
// diff; status changes made by SMS show in state without a plan; a server
// deleted out of band is registered again.
func TestAccSourceServer_minimal(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: minimalConfig(m, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("name"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("disks"), knownvalue.Null()),
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("networks"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("firmware"), knownvalue.Null()),
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("current_migration_cycle"), knownvalue.Null()),
				},
			},
			{
				// SMS moves the server on; nobody changed the configuration.
				PreConfig: func() {
					v, _ := onlyServer(m)
					v.State, v.Connected = "replicate", false
					cycle := "replicating"
					v.MigrationCycle = &cycle
					m.PutSourceServer(v)
				},
				Config: minimalConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("current_state"), knownvalue.StringExact("replicate")),
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("current_migration_cycle"), knownvalue.StringExact("replicating")),
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("connected"), knownvalue.Bool(false)),
				},
			},
			{
				// Naming it later is an in-place update, not a new registration.
				Config: minimalConfig(m, `  name = "web-01-source"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(minAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if v, err := onlyServer(m); err != nil || v.Name != "web-01-source" || m.Calls("sms.RegisterServer") != 1 {
						return fmt.Errorf("after naming: %+v %w, %d registrations", v, err, m.Calls("sms.RegisterServer"))
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					v, _ := onlyServer(m)
					m.DeleteSourceServer(v.ID)
				},
				Config:             minimalConfig(m, `  name = "web-01-source"`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func networkConfig(m *mockcloud.Server, platform, gateway, mtu string) string {
	return minimalConfig(m, fmt.Sprintf(`  platform = %q
  networks = [
    { name = "eth0", ip = "10.0.0.21", netmask = "255.255.255.0", gateway = %q, mac = "fa:16:3e:00:00:21"%s },
  ]`, platform, gateway, mtu))
}

// Changes the API cannot make replace the server: a value in a nested list,
// a nested value set where SMS had none, an argument SMS never returns.
func TestAccSourceServer_replacements(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	replaced := func(cfg string, check func(mockcloud.SourceServer) error) resource.TestStep {
		return resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(minAddr, plancheck.ResourceActionDestroyBeforeCreate)},
			},
			Check: func(s *terraform.State) error {
				v, err := onlyServer(m)
				if err != nil {
					return err
				}
				if v.ID != stateID(s, minAddr) {
					return fmt.Errorf("mock %s, state %s", v.ID, stateID(s, minAddr))
				}
				return check(v)
			},
		}
	}
	network := func(v mockcloud.SourceServer) mockcloud.SourceNetwork { return (*v.Networks)[0] }

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: networkConfig(m, "hw", "10.0.0.1", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("networks").AtSliceIndex(0).AtMapKey("mtu"), knownvalue.Null()),
				},
			},
			replaced(networkConfig(m, "hw", "10.0.0.254", ""), func(v mockcloud.SourceServer) error {
				if g := *network(v).Gateway; g != "10.0.0.254" {
					return fmt.Errorf("gateway %s", g)
				}
				return nil
			}),
			replaced(networkConfig(m, "hw", "10.0.0.254", ", mtu = 1500"), func(v mockcloud.SourceServer) error {
				if network(v).MTU == nil || *network(v).MTU != 1500 {
					return fmt.Errorf("mtu %v", network(v).MTU)
				}
				return nil
			}),
			replaced(networkConfig(m, "aws", "10.0.0.254", ", mtu = 1500"), func(v mockcloud.SourceServer) error {
				if *v.Platform != "aws" {
					return fmt.Errorf("platform %s", *v.Platform)
				}
				return nil
			}),
		},
		CheckDestroy: func(*terraform.State) error {
			// Each replacement deleted the old record before registering
			// the new one; destroy deleted the last.
			got := ops(m)
			if len(got) != 8 || m.Calls("sms.RegisterServer") != 4 || m.Calls("sms.DeleteServer") != 4 {
				return fmt.Errorf("operations %v", got)
			}
			for i, op := range got {
				if want := []string{"sms.RegisterServer", "sms.DeleteServer"}[i%2]; !strings.HasPrefix(op, want) {
					return fmt.Errorf("operation %d is %s, want %s: %v", i, op, want, got)
				}
			}
			return nil
		},
	})
}

// The documented 403 on registration fails the apply with SMS.9004 in the
// error, once (no retry), and nothing is stored; the next apply registers.
func TestAccSourceServer_forbidden(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.InjectFault("sms.RegisterServer", mockcloud.Fault{Fixture: "sms/sources_error_403_SMS.9004.json", Times: 1})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      minimalConfig(m, ""),
				ExpectError: regexp.MustCompile(`(?s)Failed to register the SMS source server.*HTTP 403, error code SMS\.9004: .*permission.*request id:\s+[0-9a-f]{32}`),
			},
			{
				PreConfig: func() {
					if n := m.Calls("sms.RegisterServer"); n != 1 {
						t.Errorf("the 403 was sent %d times, want 1", n)
					}
					if n := len(m.SourceServers()); n != 0 {
						t.Errorf("%d servers registered despite the 403", n)
					}
				},
				Config: minimalConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(minAddr, plancheck.ResourceActionCreate)},
				},
				Check: func(*terraform.State) error { _, err := onlyServer(m); return err },
			},
		},
	})
}

// Registration is not idempotent: a 503 (the cloud may have acted) is not
// sent again and nothing is stored; throttling (the cloud did not act) is
// retried within the apply.
func TestAccSourceServer_registerRetryPolicy(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.InjectFault("sms.RegisterServer", mockcloud.Fault{Status: 503, Times: 1})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      minimalConfig(m, ""),
				ExpectError: regexp.MustCompile(`(?s)Failed to register the SMS source server.*HTTP 503`),
			},
			{
				PreConfig: func() {
					if n := m.Calls("sms.RegisterServer"); n != 1 {
						t.Errorf("a 503 on registration was sent %d times, want 1 (not idempotent)", n)
					}
					m.InjectFault("sms.RegisterServer", mockcloud.Fault{Status: 429, Times: 2})
				},
				Config: minimalConfig(m, ""),
				Check: func(*terraform.State) error {
					if n := m.Calls("sms.RegisterServer"); n != 4 {
						return fmt.Errorf("%d registration requests, want 4 (503, 429, 429, success)", n)
					}
					_, err := onlyServer(m)
					return err
				},
			},
		},
	})
}

// A source server registered by its Agent is imported; the arguments SMS
// does not return are recorded from the configuration by the next apply
// without any call that changes the server, and replace it afterwards.
func TestAccSourceServer_importAdoptsUnreadArguments(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	fw, plat := "UEFI", "vmware"
	id := m.PutSourceServer(mockcloud.SourceServer{
		IP: "10.0.0.31", Name: "db-01", Hostname: "db-01", OSType: "LINUX", OSVersion: "CENTOS_7_9_64BIT",
		Firmware: &fw, Platform: &plat, State: "waiting", Connected: true, AddDate: 1731290000000, EnterpriseProjectID: "0",
	})
	cfg := func(platform string) string {
		return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_sms_source_server" "db" {
  ip             = "10.0.0.31"
  name           = "db-01"
  hostname       = "db-01"
  os_type        = "LINUX"
  os_version     = "CENTOS_7_9_64BIT"
  firmware       = "UEFI"
  platform       = %q
  kernel_version = "3.10.0-1160.el7.x86_64"
  has_rsync      = true
}
`, platform)
	}
	const addr = "cloudlock_sms_source_server.db"

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             cfg("vmware"),
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					a := s[0].Attributes
					if a["firmware"] != "UEFI" || a["add_date"] != "1731290000000" || a["platform"] != "" {
						return fmt.Errorf("imported %v", a)
					}
					return nil
				},
			},
			{
				// Recording kernel_version, platform and has_rsync is an
				// update with no API call that changes the server.
				Config: cfg("vmware"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if got := ops(m); len(got) != 0 {
						return fmt.Errorf("operations %v, want none", got)
					}
					return nil
				},
			},
			{
				Config: cfg("vmware"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// From now on the recorded value is the registered one.
				Config: cfg("hyperv"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: func(*terraform.State) error {
					if _, ok := m.SourceServer(id); ok {
						return fmt.Errorf("the imported server %s was not deleted", id)
					}
					return nil
				},
			},
		},
	})
}

// Once SMS has registered the server, it is in state even if reading it
// back fails: the next refresh fills in what SMS returns, with no new
// registration and no diff.
func TestAccSourceServer_readBackFails(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	// max_retries = 3: four failed reads exhaust the read after registering.
	m.InjectFault("sms.ShowServer", mockcloud.Fault{Status: 500, Times: 4})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: minimalConfig(m, ""),
				Check: func(s *terraform.State) error {
					v, err := onlyServer(m)
					if err != nil {
						return err
					}
					a := s.RootModule().Resources[minAddr].Primary.Attributes
					if v.ID != stateID(s, minAddr) || m.Calls("sms.RegisterServer") != 1 || m.Calls("sms.ShowServer") != 4 || a["current_state"] != "" {
						return fmt.Errorf("mock %s, state %s (current_state %q), %d registrations, %d reads", v.ID, stateID(s, minAddr),
							a["current_state"], m.Calls("sms.RegisterServer"), m.Calls("sms.ShowServer"))
					}
					return nil
				},
			},
			{
				// The refresh fills in what the failed read could not.
				Config: minimalConfig(m, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("current_state"), knownvalue.StringExact("waiting")),
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("name"), knownvalue.StringExact("")),
				},
				Check: func(*terraform.State) error {
					if n := m.Calls("sms.RegisterServer"); n != 1 {
						return fmt.Errorf("%d registrations", n)
					}
					return nil
				},
			},
		},
	})
}

// Destroying a server SMS no longer has (404 on delete) is not an error.
func TestAccSourceServer_deleteNotFound(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: minimalConfig(m, ""),
				Check: func(*terraform.State) error {
					m.InjectFault("sms.DeleteServer", mockcloud.Fault{Fixture: "sms/sources_error_404_SMS.2216.json", Times: 1})
					return nil
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := m.Calls("sms.DeleteServer"); n != 1 {
				return fmt.Errorf("%d delete calls, want 1 (answered 404)", n)
			}
			return nil
		},
	})
}

// Bad input fails at plan time, names the attribute, and calls nothing.
func TestAccSourceServer_planTimeErrors(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	withSUSE := func(old, new string) string {
		cfg := suseConfig(t, m, documented)
		if !strings.Contains(cfg, old) {
			t.Fatalf("%q is not in the SUSE configuration", old)
		}
		return strings.Replace(cfg, old, new, 1)
	}
	long := strings.Repeat("n", 256)
	steps := []resource.TestStep{}
	for _, tc := range []struct{ old, new, want string }{
		{`cpu_quantity        = 1`, `cpu_quantity        = 70000`, `cpu_quantity.*must be between 0 and 65535, got: 70000`},
		{`firmware            = "BIOS"`, `firmware            = "CSM"`, `firmware.*value must be one of:.*"BIOS".*"UEFI".*got: "CSM"`},
		{`os_type             = "LINUX"`, `os_type             = "SOLARIS"`, `os_type.*value must be one of:.*"LINUX".*"WINDOWS".*got: "SOLARIS"`},
		{`name                = "host-192-168-136-xxx"`, `name = "` + long + `"`, `name.*string length must be at most 255, got: 256`},
		{`platform            = "hw"`, `platform            = "openstack"`, `platform.*value must be one of`},
		{`io_read_wait        = 3.4`, `io_read_wait        = 10001`, `io_read_wait.*must be between 0.000000 and 10000.000000`},
		{`memory              = 934752256`, `memory              = -1`, `memory.*must be at least 0, got: -1`},
		{`device_use      = "BOOT"`, `device_use      = "SWAP"`, `disks\[0\]\.device_use.*value must be one of`},
		{`partition_style = "MBR"`, `partition_style = "APM"`, `disks\[0\]\.partition_style.*value must be one of`},
		{`name        = "/dev/mapper/vg1-lv1"`, `name        = "` + strings.Repeat("v", 1025) + `"`, `volume_groups\[0\]\.logical_volumes\[0\]\.name.*at most 1024`},
		{`inode_size  = 256`, `inode_size  = 2147483648`, `volume_groups\[0\]\.logical_volumes\[0\]\.inode_size.*between 0 and 2147483647`},
		{`subvol_id         = "257"`, `subvol_id         = "` + long + `"`, `btrfs_list\[0\]\.subvolume\[0\]\.subvol_id.*at most 255`},
		{`mac     = "1a9660eb`, `mtu = 70000000000` + "\n" + `mac     = "1a9660eb`, `networks\[0\]\.mtu.*between 0 and 2147483647`},
		{`agent_version       = "2.2.1"`, `agent_version       = "2.2.1"` + "\n" + `start_type = "AUTO"`, `start_type.*value must be one of`},
		{`boot_loader         = "GRUB"`, `boot_loader         = "SYSLINUX"`, `boot_loader.*value must be one of`},
		{`platform            = "hw"`, `platform = "hw"` + "\n" + `state = "running"`, `state.*value must be one of`},
	} {
		// Terraform wraps long messages: any space may be a line break.
		want := strings.ReplaceAll(`Attribute `+tc.want, " ", `\s+`)
		steps = append(steps, resource.TestStep{Config: withSUSE(tc.old, tc.new), ExpectError: regexp.MustCompile(`(?s)` + want)})
	}
	// A mandatory nested field left out is Terraform's own error.
	steps = append(steps, resource.TestStep{
		Config:      withSUSE(`      mac     = "1a9660eb8a3ffcf4df6d7865b52eb54f7b0cd194029e0eadd8e2c7f1267d80c0"`, ""),
		ExpectError: regexp.MustCompile(`(?s)Incorrect attribute value type.*"networks": element 0: attribute "mac" is\s+required`),
	})
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
