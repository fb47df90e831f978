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

func sourceID(i int) string { return fmt.Sprintf("5e6f7a8b-0000-4000-8000-%012d", i) }

// TestAccSourceServerList_query lists 250 source servers (3 pages) and the
// replicating ones, by id, for the listing calls alone.
func TestAccSourceServerList_query(t *testing.T) {
	m := acctest.StartMock(t)
	putServers(m, 250)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.QueryVersionChecks(),
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(m)},
			{
				Query: true,
				Config: `
list "cloudlock_sms_source_server" "all" {
  provider = cloudlock
  limit    = 1000
}
list "cloudlock_sms_source_server" "replicating" {
  provider = cloudlock
  limit    = 1000
  config {
    state = "replicate"
  }
}
list "cloudlock_sms_source_server" "one" {
  provider = cloudlock
  config {
    ip = "10.0.0.7"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudlock_sms_source_server.all", 250),
					querycheck.ExpectLength("cloudlock_sms_source_server.replicating", 84),
					querycheck.ExpectLength("cloudlock_sms_source_server.one", 1),
					querycheck.ExpectIdentity("cloudlock_sms_source_server.one", map[string]knownvalue.Check{"id": knownvalue.StringExact(sourceID(7))}),
					querycheck.ExpectIdentity("cloudlock_sms_source_server.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(sourceID(249))}),
					querycheck.ExpectResourceDisplayName("cloudlock_sms_source_server.one",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(sourceID(7))}),
						knownvalue.StringExact("web-3 ("+sourceID(7)+")")),
					// 250 servers: 3 pages; 84: 1; 1: 1. No server is read.
					acctest.ExpectCalls(m, map[string]int{"sms.ListServers": 5, "sms.ShowServer": 0}),
				},
			},
		},
	})
}

// TestAccSourceServerList_includeResource carries what a read sets: one
// read per result, only when asked for.
func TestAccSourceServerList_includeResource(t *testing.T) {
	m := acctest.StartMock(t)
	putServers(m, 3)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.QueryVersionChecks(),
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: acctest.ProviderConfig(m)},
			{
				Query: true,
				Config: `
list "cloudlock_sms_source_server" "all" {
  provider         = cloudlock
  include_resource = true
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudlock_sms_source_server.all", 3),
					querycheck.ExpectResourceKnownValues("cloudlock_sms_source_server.all",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(sourceID(1))}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(sourceID(1))},
							{Path: tfjsonpath.New("hostname"), KnownValue: knownvalue.StringExact("web-1")},
							{Path: tfjsonpath.New("ip"), KnownValue: knownvalue.StringExact("10.0.0.1")},
							{Path: tfjsonpath.New("os_version"), KnownValue: knownvalue.StringExact("CENTOS_7_9_64BIT")},
							{Path: tfjsonpath.New("cpu_quantity"), KnownValue: knownvalue.Int64Exact(2)},
							{Path: tfjsonpath.New("current_state"), KnownValue: knownvalue.StringExact("waiting")},
							{Path: tfjsonpath.New("has_rsync"), KnownValue: knownvalue.Null()},
						}),
					acctest.ExpectCalls(m, map[string]int{"sms.ListServers": 1, "sms.ShowServer": 3}),
				},
			},
		},
	})
}

func ptr[T any](v T) *T { return &v }

// TestAccSourceServerList_generateConfig: the configuration terraform query
// writes for registered servers (disks, NICs and all) is formatted and
// valid; its apply adopts them with no write call and the plan after is
// empty. An import has no blocks in state, so the server with disks and a
// NIC is also an in-place update that records them (no call).
func TestAccSourceServerList_generateConfig(t *testing.T) {
	acctest.SkipUnlessQueryCLI(t)
	m := acctest.StartMock(t)
	putServers(m, 2)
	m.PutSourceServer(mockcloud.SourceServer{
		ID: sourceID(9), Name: "db-9", Hostname: "db-9", IP: "10.0.9.9", OSType: "LINUX", OSVersion: "CENTOS_7_9_64BIT",
		Firmware: ptr("BIOS"), CPUQuantity: ptr(int64(4)), Memory: ptr(int64(8192)), AgentVersion: ptr("24.3.0"),
		HasTc: ptr(true), State: "waiting", AddDate: 1731290000100, EnterpriseProjectID: "0",
		Disks: &[]mockcloud.SourceDisk{{
			Name: ptr("/dev/vda"), PartitionStyle: ptr("MBR"), DeviceUse: ptr("BOOT"), Size: ptr(int64(42949672960)),
			UsedSize: ptr(int64(4294967296)), OSDisk: ptr(true),
			PhysicalVolumes: &[]mockcloud.SourcePhysicalVolume{{
				DeviceUse: ptr("OS"), FileSystem: ptr("xfs"), Index: ptr(int64(0)), MountPoint: ptr("/"), Name: ptr("/dev/vda1"),
				Size: ptr(int64(42948624384)), UsedSize: ptr(int64(4294967296)), UUID: ptr("2b1c0d9e-1111-4222-8333-944455566677"),
			}},
		}},
		Networks:     &[]mockcloud.SourceNetwork{{Name: ptr("eth0"), IP: ptr("10.0.9.9"), Netmask: ptr("255.255.255.0"), Gateway: ptr("10.0.9.1"), MTU: ptr(int64(1500)), MAC: ptr("fa:16:3e:00:09:09")}},
		BtrfsList:    &[]mockcloud.SourceBtrfs{},
		VolumeGroups: &[]mockcloud.SourceVolumeGroup{},
	})
	a := acctest.GenerateConfig(t, m, `
list "cloudlock_sms_source_server" "all" {
  provider = cloudlock
}
`)
	if !acctest.Contains(a.Generated, sourceID(9), `"/dev/vda1"`, `"web-1"`) {
		t.Fatalf("the generated configuration lacks the servers:\n%s", a.Generated)
	}
	m.ResetJournal()
	out := a.Apply(t)
	if !strings.Contains(out, "3 imported, 0 added, 1 changed, 0 destroyed") {
		t.Fatalf("apply did not adopt the three servers:\n%s", out)
	}
	for _, op := range []string{"sms.RegisterServer", "sms.UpdateServerName", "sms.DeleteServer"} {
		if n := m.Calls(op); n != 0 {
			t.Fatalf("adoption made %d %s calls, want 0\n%s", n, op, a.Generated)
		}
	}
	a.ExpectEmptyPlan(t)
}
