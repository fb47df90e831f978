package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every action gets a page with its example and every attribute documented.
func TestRenderActionPages(t *testing.T) {
	out := t.TempDir()
	if err := run(out, "../../../examples/actions"); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "sms_task_unlock.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# cloudlock_sms_task_unlock (Action)",
		"action_trigger",
		"-invoke=action.cloudlock_sms_task_unlock.NAME",
		"### Required\n\n- `task_id` (String) ID of the SMS migration task",
		"### Optional\n\n- `timeouts` (Block)",
		"### Nested Schema for `timeouts`",
		"- `invoke` (String)",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
}

// An action without an example is an error, not a page without one.
func TestActionWithoutExampleFails(t *testing.T) {
	if err := run(t.TempDir(), t.TempDir()); err == nil || !strings.Contains(err.Error(), "needs an example") {
		t.Fatalf("err = %v", err)
	}
}

// Every list resource gets a page with its example, its config arguments
// and the identity of its results.
func TestRenderListResourcePages(t *testing.T) {
	out := t.TempDir()
	if err := runListResources(out, "../../../examples/list-resources"); err != nil {
		t.Fatal(err)
	}
	for _, short := range []string{"ecs_server_lock", "sms_source_server", "sms_task_unlock", "bastionhost_user_unlock"} {
		if _, err := os.Stat(filepath.Join(out, short+".md")); err != nil {
			t.Errorf("no page for %s: %v", short, err)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "ecs_server_lock.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# cloudlock_ecs_server_lock (List Resource)",
		"terraform query -generate-config-out=FILE",
		`list "cloudlock_ecs_server_lock" "locked" {`,
		"### Optional\n\n- `locked` (Boolean) Filter:",
		"## Identity of each result",
		"- `server_id` (String)",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
}
