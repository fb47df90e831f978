package sms_test

import (
	"os"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

const huaweicloudProvider = "registry.terraform.io/huaweicloud/huaweicloud"

// recordedHuaweicloudState is the attributes of a huaweicloud_sms_source_server
// as the huaweicloud provider (SDKv2) writes them, for source server id.
func recordedHuaweicloudState(t *testing.T, id string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/huaweicloud_sms_source_server.json")
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.Replace(string(b), "SOURCE_ID", id, 1))
}

// The huaweicloud provider's state moves over: the id and identity, the
// arguments SMS never returns as they were configured there (false, 0 and
// "", which SDKv2 also writes for an argument left out, as unset), the live
// status in current_*; state and migration_cycle (live values there,
// registration values here) are left to the configuration, with the mark
// that lets the first apply record them without registering again.
func TestMoveState_fromHuaweicloud(t *testing.T) {
	t.Parallel()
	p := acctest.NewProtocol(t, nil)
	for _, registry := range []string{huaweicloudProvider, "registry.opentofu.org/huaweicloud/huaweicloud"} {
		got := p.MoveResourceState(registry, "huaweicloud_sms_source_server",
			recordedHuaweicloudState(t, "src-0001"), "cloudlock_sms_source_server")
		if acctest.HasError(got.Diagnostics) {
			t.Fatalf("%s: %s", registry, acctest.DiagText(got.Diagnostics))
		}
		want := map[string]any{
			"id": "src-0001", "ip": "10.0.0.31", "name": "db-01", "hostname": "db-01", "os_type": "LINUX",
			"os_version": "CENTOS_7_9_64BIT", "firmware": "UEFI", "cpu_quantity": 2.0, "memory": 8192.0,
			"virtualization_type": "HVM", "domain_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "has_rsync": true,
			"paravirtualization": nil, "boot_loader": "GRUB", "kernel_version": "3.10.0-1160.el7.x86_64",
			"platform": "vmware", "io_read_wait": nil, "raw_devices": nil, "add_date": 1731290000000.0, "connected": true,
			"current_state": "waiting", "current_migration_cycle": "checking",
			"state": nil, "migration_cycle": nil, "linux_block_check": nil, "timeouts": nil,
			// Read by the refresh that follows the move.
			"registered": nil,
		}
		// No blocks: the first apply records the configured ones (the adopt mark).
		for _, k := range []string{"disks", "networks", "btrfs_list", "volume_groups"} {
			if l, ok := got.State[k].([]any); !ok || len(l) != 0 {
				t.Errorf("%s: moved %s = %#v, want no blocks", registry, k, got.State[k])
			}
		}
		for k, v := range want {
			if got.State[k] != v {
				t.Errorf("%s: moved %s = %#v, want %#v", registry, k, got.State[k], v)
			}
		}
		if got.Identity["id"] != "src-0001" {
			t.Errorf("%s: identity %v", registry, got.Identity)
		}
		if !strings.Contains(string(got.Private), "adopt_unread_arguments") {
			t.Errorf("%s: private state %q has no adopt mark", registry, got.Private)
		}
	}
}

// Any other type or provider is refused, naming what is accepted.
func TestMoveState_refusesOthers(t *testing.T) {
	t.Parallel()
	p := acctest.NewProtocol(t, nil)
	state := recordedHuaweicloudState(t, "src-0001")
	for _, tc := range []struct{ provider, typ string }{
		{huaweicloudProvider, "huaweicloud_compute_instance"},
		{"registry.terraform.io/hashicorp/aws", "huaweicloud_sms_source_server"},
		{"registry.terraform.io/cloudlock/cloudlock", "cloudlock_sms_task_unlock"},
	} {
		got := p.MoveResourceState(tc.provider, tc.typ, state, "cloudlock_sms_source_server")
		text := acctest.DiagText(got.Diagnostics)
		if !acctest.HasError(got.Diagnostics) || !strings.Contains(text, "takes state only from huaweicloud_sms_source_server of the huaweicloud provider") ||
			!strings.Contains(text, "got "+tc.typ+" of "+tc.provider) {
			t.Errorf("%s of %s: %s", tc.typ, tc.provider, text)
		}
	}
	got := p.MoveResourceState(huaweicloudProvider, "huaweicloud_sms_source_server", []byte(`{"id":"../tasks"}`), "cloudlock_sms_source_server")
	if !strings.Contains(acctest.DiagText(got.Diagnostics), `has no SMS source server id`) {
		t.Errorf("bad id: %s", acctest.DiagText(got.Diagnostics))
	}
}
