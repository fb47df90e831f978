package bastionhost_test

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

func anyList(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// 250 users: 3 calls of at most 100, progress per batch a person can follow,
// every user unlocked; then the lock action locks them again.
func TestActionUserUnlockLock_invoke(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 250)
	p := acctest.NewProtocol(t, m)
	cfg := map[string]any{"instance_id": instance, "user_ids": anyList(ids(250))}

	if d := p.PlanAction("cloudlock_bastionhost_user_unlock", cfg); acctest.HasError(d) {
		t.Fatalf("plan: %s", acctest.DiagText(d))
	}
	inv := p.InvokeAction(context.Background(), "cloudlock_bastionhost_user_unlock", cfg)
	if !inv.Completed || acctest.HasError(inv.Diagnostics) {
		t.Fatalf("unlock: %s", acctest.DiagText(inv.Diagnostics))
	}
	calls := userIDsSent(m, opUnlock)
	if len(calls) != 3 || len(calls[0]) != 100 || len(calls[1]) != 100 || len(calls[2]) != 50 {
		t.Fatalf("UnlockUsers calls carried %d batches: %v", len(calls), sizes(calls))
	}
	for _, id := range ids(250) {
		if u, _ := m.BastionhostUser(instance, id); u.Frozen() {
			t.Fatalf("user %s still frozen", id)
		}
	}
	want := []string{
		"Unlocking users 1–100 of 250 of Bastionhost instance " + instance,
		"Unlocking users 101–200 of 250 of Bastionhost instance " + instance,
		"Unlocking users 201–250 of 250 of Bastionhost instance " + instance,
	}
	if len(inv.Progress) != 4 || strings.Join(inv.Progress[:3], "|") != strings.Join(want, "|") ||
		!strings.HasPrefix(inv.Progress[3], "Unlocked 250 user(s) of Bastionhost instance "+instance+" in 3 call(s)") {
		t.Fatalf("progress = %q", inv.Progress)
	}

	inv = p.InvokeAction(context.Background(), "cloudlock_bastionhost_user_lock",
		map[string]any{"instance_id": instance, "user_ids": []any{"7", "8"}})
	if acctest.HasError(inv.Diagnostics) {
		t.Fatalf("lock: %s", acctest.DiagText(inv.Diagnostics))
	}
	for _, id := range []string{"7", "8"} {
		if u, _ := m.BastionhostUser(instance, id); !u.Frozen() {
			t.Fatalf("user %s not locked", id)
		}
	}
	if got := userIDsSent(m, opLock); len(got) != 1 || strings.Join(got[0], ",") != "7,8" {
		t.Fatalf("LockUsers calls = %v", got)
	}
}

// A partial failure (HTTP 200 with per-user codes) fails the action and
// names the failed users by code, the call's request id, and who was unlocked.
func TestActionUserUnlock_partialFailure(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 3)
	m.SetBastionhostUserFailCode(instance, "2", "UNEXPECTED")
	p := acctest.NewProtocol(t, m)
	inv := p.InvokeAction(context.Background(), "cloudlock_bastionhost_user_unlock",
		map[string]any{"instance_id": instance, "user_ids": []any{"1", "2", "3", "999"}})
	text := acctest.DiagText(inv.Diagnostics)
	if !acctest.HasError(inv.Diagnostics) || !acctest.Contains(text,
		"Failed to unlock Bastionhost users", "UNEXPECTED, 1 user (", "): 2\n", "OBJECT_NOT_FOUND, 1 user (", "): 999\n",
		"Request ids, one per call: call 1 (4 users, 2 failed): ", "Unlocked (2: 1, 3)") {
		t.Fatalf("diagnostics: %s", text)
	}
}

// Bad config fails validation with the attribute, and makes no call.
func TestActionUserUnlock_validation(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	p := acctest.NewProtocol(t, m)
	cases := []struct {
		cfg  map[string]any
		want string
	}{
		{map[string]any{"instance_id": instance, "user_ids": []any{}}, "user_ids"},
		{map[string]any{"instance_id": instance, "user_ids": []any{""}}, "user_ids"},
		{map[string]any{"instance_id": instance, "user_ids": []any{"1", ""}}, `Attribute user_ids[Value("")] string length must be at least 1, got: 0`},
		{map[string]any{"instance_id": "", "user_ids": []any{"1"}}, "Attribute instance_id string length must be at least 1, got: 0"},
	}
	for _, typ := range []string{"cloudlock_bastionhost_user_unlock", "cloudlock_bastionhost_user_lock"} {
		for _, c := range cases {
			d := p.ValidateAction(typ, c.cfg)
			// One mistake, one error.
			if len(d) != 1 || !acctest.HasError(d) || !strings.Contains(acctest.DiagText(d), c.want) {
				t.Errorf("%s %v: %s", typ, c.cfg, acctest.DiagText(d))
			}
		}
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("%d calls, want 0", n)
	}
}

// The region is checked at plan against the provider's endpoint: a
// misspelt one without it fails naming the closest; a new one with it
// passes. No call either way.
func TestActionUserLock_region(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	without := acctest.NewProtocolWithConfig(t, map[string]any{"alicloud": map[string]any{
		"region": acctest.AlibabaRegion, "access_key": acctest.AlibabaAccessKey, "secret_key": acctest.AlibabaSecretKey,
		"security_token": nil, "endpoints": nil,
	}})
	with := acctest.NewProtocol(t, m)
	for _, typ := range []string{"cloudlock_bastionhost_user_unlock", "cloudlock_bastionhost_user_lock"} {
		d := without.PlanAction(typ, map[string]any{"instance_id": instance, "user_ids": []any{"1"}, "region": "cn-hangzou"})
		if len(d) != 1 || !acctest.Contains(acctest.DiagText(d), `Attribute region: "cn-hangzou" is not a region this provider knows. Did you mean "cn-hangzhou"?`) {
			t.Errorf("%s: %s", typ, acctest.DiagText(d))
		}
		if d := with.PlanAction(typ, map[string]any{"instance_id": instance, "user_ids": []any{"1"}, "region": "cn-newcity-1"}); acctest.HasError(d) {
			t.Errorf("%s in a new region with the endpoint set: %s", typ, acctest.DiagText(d))
		}
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("%d calls, want 0", n)
	}
}

// A whole-call cloud error reaches the diagnostic with its code.
func TestActionUserLock_cloudError(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 1)
	m.InjectFault(opLock, mockcloud.Fault{Status: 400, Fixture: "alibaba/error_400_InvalidParameter.json"})
	p := acctest.NewProtocol(t, m)
	inv := p.InvokeAction(context.Background(), "cloudlock_bastionhost_user_lock", map[string]any{"instance_id": instance, "user_ids": []any{"1"}})
	text := acctest.DiagText(inv.Diagnostics)
	if !acctest.HasError(inv.Diagnostics) || !acctest.Contains(text, "HTTP 400", "InvalidParameter", "request id: ", "Locked (none)") {
		t.Fatalf("diagnostics: %s", text)
	}
	if n := m.Calls(opLock); n != 1 {
		t.Fatalf("%d calls, want 1 (a 400 is not retried)", n)
	}
}

// With Terraform >= 1.14: unlock on-call users when a rotation starts.
func TestAccActionUserUnlock_trigger(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 2)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(m) + fmt.Sprintf(`
action "cloudlock_bastionhost_user_unlock" "oncall" {
  config {
    instance_id = %q
    user_ids    = ["1", "2"]
  }
}
resource "terraform_data" "rotation" {
  input = "week-48"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cloudlock_bastionhost_user_unlock.oncall]
    }
  }
}
`, instance),
			Check: func(*terraform.State) error {
				if u, _ := m.BastionhostUser(instance, "1"); u.Frozen() {
					return fmt.Errorf("user 1 still frozen")
				}
				return nil
			},
		}},
	})
}
