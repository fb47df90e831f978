package ecs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Through the protocol (the CLI here is older than 1.14): the lock action
// sends exactly {"lock": null}, waits until the server reports locked, and
// says so; the unlock action undoes it. Plan makes no call.
func TestActionServerLockUnlock_invoke(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web", LockLag: 2})
	p := acctest.NewProtocol(t, m)
	cfg := map[string]any{"server_id": serverID}

	if d := p.PlanAction("cloudlock_ecs_server_lock", cfg); acctest.HasError(d) {
		t.Fatalf("plan: %s", acctest.DiagText(d))
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("plan made %d calls", n)
	}
	inv := p.InvokeAction(context.Background(), "cloudlock_ecs_server_lock", cfg)
	if !inv.Completed || acctest.HasError(inv.Diagnostics) {
		t.Fatalf("lock: %s", acctest.DiagText(inv.Diagnostics))
	}
	if s, _ := m.ECSServer(serverID); !s.Locked {
		t.Fatal("server not locked")
	}
	if len(inv.Progress) != 2 || !strings.HasPrefix(inv.Progress[0], "Sending lock to ECS server "+serverID) ||
		!strings.Contains(inv.Progress[1], "is locked") {
		t.Fatalf("progress = %q", inv.Progress)
	}
	bodies := actionBodies(m)
	if len(bodies) != 1 || bodies[0] != `{"lock": null}` {
		t.Fatalf("action bodies = %q", bodies)
	}
	// LockLag 2: the action read until the server reported locked.
	if n := reads(m); n < 3 {
		t.Fatalf("%d reads, want >= 3 (waited for the lock)", n)
	}

	inv = p.InvokeAction(context.Background(), "cloudlock_ecs_server_unlock", cfg)
	if acctest.HasError(inv.Diagnostics) {
		t.Fatalf("unlock: %s", acctest.DiagText(inv.Diagnostics))
	}
	if s, _ := m.ECSServer(serverID); s.Locked {
		t.Fatal("server still locked")
	}
	if bodies := actionBodies(m); len(bodies) != 2 || bodies[1] != `{"unlock": null}` {
		t.Fatalf("action bodies = %q", bodies)
	}
	if n := m.Calls("iam.KeystoneListProjects"); n != 1 {
		t.Fatalf("%d IAM calls, want 1 (project id discovered once)", n)
	}
}

// Bad config fails validation with the attribute and what is allowed.
func TestActionServerLock_validation(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	p := acctest.NewProtocol(t, m)
	cases := []struct {
		cfg  map[string]any
		want string
	}{
		{map[string]any{"server_id": "not-a-uuid"}, "must be an ECS server id"},
		{map[string]any{"server_id": serverID, "project_id": "XYZ"}, "must be a Huawei Cloud project id"},
	}
	for _, typ := range []string{"cloudlock_ecs_server_lock", "cloudlock_ecs_server_unlock"} {
		for _, c := range cases {
			d := p.ValidateAction(typ, c.cfg)
			if !acctest.HasError(d) || !strings.Contains(acctest.DiagText(d), c.want) {
				t.Errorf("%s %v: %s", typ, c.cfg, acctest.DiagText(d))
			}
		}
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("%d calls, want 0", n)
	}
}

// An action in another region than the provider's whose project IAM does
// not know names the action's own project_id, and not the provider's.
func TestActionServerLock_otherRegionWithoutProject(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web"})
	p := acctest.NewProtocol(t, m)
	inv := p.InvokeAction(context.Background(), "cloudlock_ecs_server_lock", map[string]any{"server_id": serverID, "region": "cn-east-3"})
	text := acctest.DiagText(inv.Diagnostics)
	if !acctest.HasError(inv.Diagnostics) || !acctest.Contains(text, "Failed to find the project id",
		"Set project_id here to the id of the project that owns the server in region cn-east-3.") ||
		strings.Contains(text, "huaweicloud.project_id") {
		t.Fatalf("diagnostics: %s", text)
	}
	if n := m.Calls("ecs.NovaServerAction"); n != 0 {
		t.Fatalf("%d ECS actions sent without a project", n)
	}
}

// The region is checked at plan, against the provider's endpoints: a
// misspelt one with an endpoint left to its default fails naming the
// closest; a new one with every endpoint set passes. No call either way.
func TestActionServerLock_region(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	partial := acctest.NewProtocolWithConfig(t, map[string]any{"huaweicloud": map[string]any{
		"region": acctest.HuaweiRegion, "access_key": acctest.HuaweiAccessKey, "secret_key": acctest.HuaweiSecretKey,
		"endpoints": map[string]any{"iam": m.URL(), "ecs": m.URL(), "sms": nil},
	}})
	every := acctest.NewProtocol(t, m)
	for _, typ := range []string{"cloudlock_ecs_server_lock", "cloudlock_ecs_server_unlock"} {
		cfg := map[string]any{"server_id": serverID, "region": "cn-nort-4"}
		if d := partial.ValidateAction(typ, cfg); acctest.HasError(d) {
			t.Errorf("%s validate (endpoints unknown there): %s", typ, acctest.DiagText(d))
		}
		d := partial.PlanAction(typ, cfg)
		if len(d) != 1 || !acctest.Contains(acctest.DiagText(d), `Attribute region: "cn-nort-4" is not a region this provider knows. Did you mean "cn-north-4"?`) {
			t.Errorf("%s plan: %s", typ, acctest.DiagText(d))
		}
		if d := every.PlanAction(typ, map[string]any{"server_id": serverID, "region": "cn-north-13"}); acctest.HasError(d) {
			t.Errorf("%s plan in a new region with every endpoint set: %s", typ, acctest.DiagText(d))
		}
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("%d calls, want 0", n)
	}
}

// A cloud error (Nova 409) reaches the diagnostic with its code and request id.
func TestActionServerLock_cloudError(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web"})
	m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Status: 409})
	p := acctest.NewProtocol(t, m)
	inv := p.InvokeAction(context.Background(), "cloudlock_ecs_server_lock", map[string]any{"server_id": serverID})
	text := acctest.DiagText(inv.Diagnostics)
	if !acctest.HasError(inv.Diagnostics) || !acctest.Contains(text, "Failed to lock an ECS server", "HTTP 409", "request id: ") {
		t.Fatalf("diagnostics: %s", text)
	}
	if s, _ := m.ECSServer(serverID); s.Locked {
		t.Fatal("locked despite the 409")
	}
}

// With Terraform >= 1.14: lock after a server is recorded as migrated.
func TestAccActionServerLock_trigger(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web"})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(m) + fmt.Sprintf(`
action "cloudlock_ecs_server_lock" "web" {
  config {
    server_id = %q
  }
}
resource "terraform_data" "migrated" {
  input = "done"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cloudlock_ecs_server_lock.web]
    }
  }
}
`, serverID),
			Check: func(_ *terraform.State) error {
				if s, _ := m.ECSServer(serverID); !s.Locked {
					return fmt.Errorf("not locked")
				}
				return nil
			},
		}},
	})
}

// The invoke timeout bounds the wait: a server that never reports locked
// fails the action, saying so. The wait has no other end (the mock never
// reports it locked), so the diagnostic is the timeout's.
func TestActionServerLock_invokeTimeout(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web", IgnoreLock: true})
	p := acctest.NewProtocol(t, m)
	inv := p.InvokeAction(context.Background(), "cloudlock_ecs_server_lock",
		map[string]any{"server_id": serverID, "timeouts": map[string]any{"invoke": "1s"}})
	text := acctest.DiagText(inv.Diagnostics)
	if !acctest.HasError(inv.Diagnostics) || !strings.Contains(text, "Timeout waiting for the ECS server to report locked") {
		t.Fatalf("diagnostics: %s", text)
	}
}
