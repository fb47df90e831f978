package ecs_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
		out = strings.Replace(cfg, "huaweicloud {", "huaweicloud {\n    "+line, 1)
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
