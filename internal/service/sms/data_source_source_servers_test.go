package sms_test

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// putServers registers n servers in the mock as their Agents would:
// names web-0..web-3 repeating, every third one replicating.
func putServers(m *mockcloud.Server, n int) {
	for i := 0; i < n; i++ {
		state := "waiting"
		if i%3 == 0 {
			state = "replicate"
		}
		cpu, mem := int64(2), int64(4096)
		m.PutSourceServer(mockcloud.SourceServer{
			ID: fmt.Sprintf("5e6f7a8b-0000-4000-8000-%012d", i), Name: fmt.Sprintf("web-%d", i%4), Hostname: fmt.Sprintf("web-%d", i),
			IP: fmt.Sprintf("10.0.%d.%d", i/250, i%250), OSType: "LINUX", OSVersion: "CENTOS_7_9_64BIT", CPUQuantity: &cpu, Memory: &mem,
			State: state, Connected: i%2 == 0, AddDate: int64(1731290000000 + i), EnterpriseProjectID: "0",
		})
	}
}

func dsConfig(m *mockcloud.Server, args string) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
data "cloudlock_sms_source_servers" "test" {
%s
}
`, args)
}

const dsAddr = "data.cloudlock_sms_source_servers.test"

func ids(ns ...int) knownvalue.Check {
	var checks []knownvalue.Check
	for _, n := range ns {
		checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(fmt.Sprintf("5e6f7a8b-0000-4000-8000-%012d", n)),
		}))
	}
	return knownvalue.ListExact(checks)
}

// Each filter reaches the API under its name and narrows the list; each
// server carries the API's fields.
func TestAccSourceServersDataSource_filters(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putServers(m, 7)
	v, _ := m.SourceServer("5e6f7a8b-0000-4000-8000-000000000003")
	v.CurrentTask = &mockcloud.SourceTask{ID: "7a9a9540-ff28-4869-b9e4-855fbe12a003", Name: "migrate-web-3", Type: "MIGRATE_BLOCK", State: "RUNNING"}
	cycle := "replicating"
	v.MigrationCycle = &cycle
	m.PutSourceServer(v)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A status the API does not know fails at plan time (first:
				// the harness destroys with the last step's configuration).
				Config:      dsConfig(m, `  state = "running"`),
				ExpectError: regexp.MustCompile(`(?s)Attribute state value must be one of`),
			},
			{
				Config: dsConfig(m, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), ids(0, 1, 2, 3, 4, 5, 6)),
					statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^sms-source-servers-[0-9a-f]{16}$`))),
					statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers").AtSliceIndex(3), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"name": knownvalue.StringExact("web-3"), "ip": knownvalue.StringExact("10.0.0.3"), "state": knownvalue.StringExact("replicate"),
						"connected": knownvalue.Bool(false), "os_type": knownvalue.StringExact("LINUX"), "os_version": knownvalue.StringExact("CENTOS_7_9_64BIT"),
						"cpu_quantity": knownvalue.Int64Exact(2), "memory": knownvalue.Int64Exact(4096 << 20), "add_date": knownvalue.Int64Exact(1731290000003),
						"enterprise_project_id": knownvalue.StringExact("0"), "migration_cycle": knownvalue.StringExact("replicating"),
						"checks": knownvalue.ListSizeExact(0), "is_consistency_result_exist": knownvalue.Bool(false),
						"current_task": knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"id": knownvalue.StringExact("7a9a9540-ff28-4869-b9e4-855fbe12a003"), "name": knownvalue.StringExact("migrate-web-3"),
							"type": knownvalue.StringExact("MIGRATE_BLOCK"), "state": knownvalue.StringExact("RUNNING"),
						}),
					})),
					statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers").AtSliceIndex(0).AtMapKey("current_task"), knownvalue.Null()),
				},
			},
			{
				Config:            dsConfig(m, `  name = "web-1"`),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), ids(1, 5))},
			},
			{
				Config:            dsConfig(m, `  state = "replicate"`),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), ids(0, 3, 6))},
			},
			{
				Config:            dsConfig(m, `  ip = "10.0.0.4"`),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), ids(4))},
			},
			{
				Config: dsConfig(m, `  id = "5e6f7a8b-0000-4000-8000-000000000002"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), ids(2)),
					statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("id"), knownvalue.StringExact("5e6f7a8b-0000-4000-8000-000000000002")),
				},
			},
			{
				Config: dsConfig(m, "  name  = \"web-2\"\n  state = \"replicate\""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), ids(6)),
				},
				Check: func(*terraform.State) error {
					// The filters travel as the API's query parameters.
					for _, e := range m.Journal() {
						if e.Op != "sms.ListServers" {
							continue
						}
						q, _ := url.ParseQuery(e.RawQuery)
						if q.Get("name") == "web-2" && q.Get("state") == "replicate" && q.Get("limit") == "100" && q.Get("offset") == "0" {
							return nil
						}
					}
					return fmt.Errorf("no ListServers request with name=web-2&state=replicate&limit=100&offset=0")
				},
			},
			{
				Config:            dsConfig(m, `  name = "db"`),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), knownvalue.ListSizeExact(0))},
			},
		},
	})
}

// All pages are read: 205 servers take three requests (100 + 100 + 5).
func TestAccSourceServersDataSource_pages(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putServers(m, 205)

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: dsConfig(m, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), knownvalue.ListSizeExact(205)),
				statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers").AtSliceIndex(204).AtMapKey("id"),
					knownvalue.StringExact("5e6f7a8b-0000-4000-8000-000000000204")),
			},
			Check: func(*terraform.State) error {
				var offsets []string
				for _, e := range m.Journal() {
					if e.Op == "sms.ListServers" {
						q, _ := url.ParseQuery(e.RawQuery)
						offsets = append(offsets, q.Get("offset"))
					}
				}
				// Every read of the data source pages 0, 100, 200 and stops.
				for i := 0; i < len(offsets); i += 3 {
					if len(offsets) < i+3 || !reflect.DeepEqual(offsets[i:i+3], []string{"0", "100", "200"}) {
						return fmt.Errorf("offsets %v, want repeats of [0 100 200]", offsets)
					}
				}
				if len(offsets) == 0 {
					return fmt.Errorf("no ListServers request")
				}
				return nil
			},
		}},
	})
}

// A server registered by the resource is found by the data source.
func TestAccSourceServersDataSource_findsRegistered(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putServers(m, 3)
	cfg := minimalConfig(m, `  name = "web-01-source"`) + `
data "cloudlock_sms_source_servers" "test" {
  name = cloudlock_sms_source_server.min.name
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddr, tfjsonpath.New("servers"), knownvalue.ListSizeExact(1)),
				statecheck.CompareValuePairs(dsAddr, tfjsonpath.New("servers").AtSliceIndex(0).AtMapKey("id"),
					minAddr, tfjsonpath.New("id"), compare.ValuesSame()),
			},
		}},
	})
}

// An error of the list call is an error of the data source, with the code.
func TestAccSourceServersDataSource_forbidden(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.InjectFault("sms.ListServers", mockcloud.Fault{Status: 403})

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      dsConfig(m, ""),
			ExpectError: regexp.MustCompile(`(?s)Failed to list SMS source servers.*HTTP 403, error code SMS\.9004`),
		}},
	})
}
