package sms_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
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
				ResourceName:      suseAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// An import cannot know which blocks are configured: it
				// has none, and `registered` holds what SMS does (checked).
				ImportStateVerifyIgnore: append([]string{"disks", "btrfs_list", "networks", "volume_groups"}, notImported...),
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
					// No block is [], sent as []; SMS holds none.
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("disks"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("registered").AtMapKey("disks"), knownvalue.ListSizeExact(0)),
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
