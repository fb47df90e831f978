package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// misspeltKey is one object of the schemas a person writes: a configuration
// with a key in it (%[1]s), valid as written, and refused by validate when
// the key is misspelt.
type misspeltKey struct {
	name, key, misspelt string
	config              string // with %[1]s where the key goes
	actions             bool   // needs a CLI that knows action blocks
}

const validateTask = `"7a9a9540-ff28-4869-b9e4-855fbe12a001"`

// usesProvider makes a configuration use the provider: Terraform checks a
// provider block only when something uses it (an unused one is pruned, and
// so is the check).
const usesProvider = `
resource "cloudlock_sms_task_unlock" "uses" {
  task_id = ` + validateTask + `
}
`

var misspeltKeys = []misspeltKey{
	{name: "huaweicloud", key: "region", misspelt: "regoin", config: `
provider "cloudlock" {
  huaweicloud {
    %[1]s = "cn-north-4"
  }
}`},
	{name: "huaweicloud.endpoints", key: "ecs", misspelt: "ecss", config: `
provider "cloudlock" {
  huaweicloud {
    endpoints {
      %[1]s = "https://ecs.cn-north-4.myhuaweicloud.com"
    }
  }
}`},
	{name: "huaweicloud.assume_role", key: "domain_name", misspelt: "domian_name", config: `
provider "cloudlock" {
  huaweicloud {
    assume_role {
      agency_name = "deployer"
      %[1]s = "mock-domain"
    }
  }
}`},
	{name: "alicloud", key: "region", misspelt: "regoin", config: `
provider "cloudlock" {
  alicloud {
    %[1]s = "cn-hangzhou"
  }
}`},
	{name: "alicloud.endpoints", key: "bastionhost", misspelt: "bastionhots", config: `
provider "cloudlock" {
  alicloud {
    endpoints {
      %[1]s = "https://yundun-bastionhost.aliyuncs.com"
    }
  }
}`},
	{name: "alicloud.assume_role", key: "session_name", misspelt: "sesion_name", config: `
provider "cloudlock" {
  alicloud {
    assume_role {
      role_arn = "acs:ram::1234567890123456:role/deployer"
      %[1]s = "ci"
    }
  }
}`},
	{name: "alicloud.assume_role_with_oidc", key: "role_arn", misspelt: "rol_arn", config: `
provider "cloudlock" {
  alicloud {
    assume_role_with_oidc {
      oidc_provider_arn = "acs:ram::1234567890123456:oidc-provider/github"
      %[1]s = "acs:ram::1234567890123456:role/deployer"
      oidc_token_file = "/var/run/token"
    }
  }
}`},
	{name: "rate_limits", key: "alicloud_bastionhost", misspelt: "alicloud_bastionhost_", config: `
provider "cloudlock" {
  rate_limits {
    %[1]s = 4
  }
}`},
	{name: "resource cloudlock_sms_task_unlock timeouts", key: "create", misspelt: "craete", config: `
resource "cloudlock_sms_task_unlock" "x" {
  task_id = ` + validateTask + `
  timeouts {
    %[1]s = "5m"
  }
}`},
	{name: "resource cloudlock_ecs_server_lock timeouts", key: "delete", misspelt: "delte", config: `
resource "cloudlock_ecs_server_lock" "x" {
  server_id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
  timeouts {
    %[1]s = "5m"
  }
}`},
	{name: "resource cloudlock_bastionhost_user_unlock timeouts", key: "update", misspelt: "updaet", config: `
resource "cloudlock_bastionhost_user_unlock" "x" {
  instance_id = "bastionhost-cn-st220aw0001"
  user_ids    = ["1"]
  timeouts {
    %[1]s = "5m"
  }
}`},
	{name: "resource cloudlock_sms_source_server timeouts", key: "read", misspelt: "raed", config: `
resource "cloudlock_sms_source_server" "x" {
  name       = "web-01"
  hostname   = "web-01"
  ip         = "192.0.2.10"
  os_type    = "LINUX"
  os_version = "SUSE12_64BIT_SP2"
  timeouts {
    %[1]s = "5m"
  }
}`},
	// The source server's nested lists are blocks, and what they nest.
	{name: "resource cloudlock_sms_source_server disks", key: "partition_style", misspelt: "partition_styel", config: sourceServerWith(`
  disks {
` + sourceDisk + `
    %[1]s = "MBR"
  }`)},
	{name: "resource cloudlock_sms_source_server disks.physical_volumes", key: "mount_point", misspelt: "mount_piont", config: sourceServerWith(`
  disks {
` + sourceDisk + `
    physical_volumes {
      name = "/dev/vda1"
      %[1]s = "/"
    }
  }`)},
	{name: "resource cloudlock_sms_source_server networks", key: "mtu", misspelt: "mut", config: sourceServerWith(`
  networks {
    name    = "eth0"
    ip      = "192.0.2.10"
    netmask = "255.255.255.0"
    gateway = "192.0.2.1"
    mac     = "fa:16:3e:5c:2a:10"
    %[1]s = 1500
  }`)},
	{name: "resource cloudlock_sms_source_server volume_groups", key: "components", misspelt: "component", config: sourceServerWith(`
  volume_groups {
    name = "vg1"
    %[1]s = "/dev/vdb1"
  }`)},
	{name: "resource cloudlock_sms_source_server volume_groups.logical_volumes", key: "block_size", misspelt: "blocksize", config: sourceServerWith(`
  volume_groups {
    name = "vg1"
    logical_volumes {
      name        = "/dev/mapper/vg1-lv1"
      file_system = "ext4"
      inode_size  = 256
      mount_point = "/mnt/lv1"
      size        = 10737418240
      used_size   = 23580672
      free_size   = 10713837568
      %[1]s = 4096
    }
  }`)},
	{name: "resource cloudlock_sms_source_server btrfs_list", key: "label", misspelt: "lable", config: sourceServerWith(`
  btrfs_list {
` + sourceBtrfs + `
    %[1]s = "none"
  }`)},
	{name: "resource cloudlock_sms_source_server btrfs_list.subvolume", key: "subvol_mount_path", misspelt: "subvol_mountpath", config: sourceServerWith(`
  btrfs_list {
` + sourceBtrfs + `
    label = "none"
    subvolume {
      uuid        = "6c4f2a1e-8d3b-4f5a-9e7c-0b1d2e3f4a5b"
      is_snapshot = "false"
      subvol_id   = "257"
      parent_id   = "5"
      subvol_name = "@"
      %[1]s = "/"
    }
  }`)},
	{name: "data source cloudlock_sms_task_passphrase timeouts", key: "read", misspelt: "reed", config: `
data "cloudlock_sms_task_passphrase" "x" {
  task_id = ` + validateTask + `
  timeouts {
    %[1]s = "1m"
  }
}`},
	{name: "data source cloudlock_sms_source_servers timeouts", key: "read", misspelt: "reda", config: `
data "cloudlock_sms_source_servers" "x" {
  timeouts {
    %[1]s = "1m"
  }
}`},
	{name: "ephemeral cloudlock_sms_task_passphrase timeouts", key: "open", misspelt: "opne", config: `
ephemeral "cloudlock_sms_task_passphrase" "x" {
  task_id = ` + validateTask + `
  timeouts {
    %[1]s = "1m"
  }
}`},
	{name: "action cloudlock_sms_task_unlock timeouts", key: "invoke", misspelt: "invokee", actions: true, config: `
action "cloudlock_sms_task_unlock" "x" {
  config {
    task_id = ` + validateTask + `
    timeouts {
      %[1]s = "1m"
    }
  }
}`},
	{name: "action cloudlock_ecs_server_lock timeouts", key: "invoke", misspelt: "invoek", actions: true, config: `
action "cloudlock_ecs_server_lock" "x" {
  config {
    server_id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
    timeouts {
      %[1]s = "1m"
    }
  }
}`},
	{name: "action cloudlock_ecs_server_unlock timeouts", key: "invoke", misspelt: "invok", actions: true, config: `
action "cloudlock_ecs_server_unlock" "x" {
  config {
    server_id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
    timeouts {
      %[1]s = "1m"
    }
  }
}`},
	{name: "action cloudlock_bastionhost_user_unlock timeouts", key: "invoke", misspelt: "invoka", actions: true, config: `
action "cloudlock_bastionhost_user_unlock" "x" {
  config {
    instance_id = "bastionhost-cn-st220aw0001"
    user_ids    = ["1"]
    timeouts {
      %[1]s = "1m"
    }
  }
}`},
	{name: "action cloudlock_bastionhost_user_lock timeouts", key: "invoke", misspelt: "invokes", actions: true, config: `
action "cloudlock_bastionhost_user_lock" "x" {
  config {
    instance_id = "bastionhost-cn-st220aw0001"
    user_ids    = ["1"]
    timeouts {
      %[1]s = "1m"
    }
  }
}`},
}

// sourceServerWith is a source server with the blocks given (%[1]s in them).
func sourceServerWith(blocks string) string {
	return `
resource "cloudlock_sms_source_server" "x" {
  hostname   = "web-01"
  ip         = "192.0.2.10"
  os_type    = "LINUX"
  os_version = "SUSE12_64BIT_SP2"` + blocks + `
}`
}

// The mandatory attributes of a disk and of a Btrfs file system (but label).
const (
	sourceDisk = `    name       = "/dev/vda"
    device_use = "BOOT"
    size       = 42949672960
    used_size  = 8589934592`
	sourceBtrfs = `    name                     = "/dev/vda2"
    uuid                     = "6c4f2a1e-8d3b-4f5a-9e7c-0b1d2e3f4a5b"
    device                   = "/dev/vda2"
    size                     = 3543348019
    nodesize                 = 16384
    sectorsize               = 4096
    data_profile             = "single"
    system_profile           = "single"
    metadata_profile         = "single"
    global_reserve1          = "single"
    g_vol_used_size          = 3894038528
    default_subvolid         = "259"
    default_subvol_name      = "@"
    default_subvol_mountpath = "/"`
)

// cliKnowsActions reports whether the CLI under test reads action blocks
// (Terraform 1.14 and later; OpenTofu does not).
func cliKnowsActions(t *testing.T, cli *acctest.CLI) bool {
	out, err := cli.Run("version", "-json")
	if err != nil {
		t.Fatalf("version: %v\n%s", err, out)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("version -json: %v\n%s", err, out)
	}
	var major, minor int
	_, _ = fmt.Sscanf(v.Version, "%d.%d", &major, &minor)
	return !acctest.IsOpenTofu() && (major > 1 || minor >= 14)
}

// Every object a person writes refuses a misspelt key at validate, naming
// it: a nested attribute would have dropped it silently (a misspelt region
// falling back to HW_REGION_NAME). Each configuration is first validated as
// written, so the failure is the misspelling's alone.
func TestMisspeltKeyFailsValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform")
	}
	cli := acctest.NewCLI(t, map[string]string{"main.tf": acctest.RequiredProviders})
	if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	actions := cliKnowsActions(t, cli)
	validate := func(t *testing.T, config string) (string, error) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(cli.Dir, "main.tf"), []byte(acctest.RequiredProviders+config+"\n"+usesProvider), 0o600); err != nil {
			t.Fatal(err)
		}
		return cli.Run("validate", "-no-color")
	}
	for _, c := range misspeltKeys {
		t.Run(c.name, func(t *testing.T) {
			if c.actions && !actions {
				t.Skip("the CLI under test has no actions (Terraform 1.14 and later)")
			}
			if out, err := validate(t, fmt.Sprintf(c.config, c.key)); err != nil {
				t.Fatalf("validate of the configuration as written: %v\n%s", err, out)
			}
			out, err := validate(t, fmt.Sprintf(c.config, c.misspelt))
			if err == nil {
				t.Fatalf("validate passed with %q misspelt as %q: the key was dropped\n%s", c.key, c.misspelt, out)
			}
			if !strings.Contains(out, `"`+c.misspelt+`"`) {
				t.Fatalf("validate failed without naming %q:\n%s", c.misspelt, out)
			}
		})
	}
}

// A provider block may hold each cloud's block once: a second one is
// refused, not merged or silently preferred.
func TestProviderBlockTwiceFailsValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform")
	}
	for _, name := range []string{"huaweicloud", "alicloud", "rate_limits"} {
		t.Run(name, func(t *testing.T) {
			cli := acctest.NewCLI(t, map[string]string{"main.tf": acctest.RequiredProviders})
			if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
				t.Fatalf("init: %v\n%s", err, out)
			}
			write := func(blocks string) {
				config := acctest.RequiredProviders + "provider \"cloudlock\" {\n" + blocks + "}\n" + usesProvider
				if err := os.WriteFile(filepath.Join(cli.Dir, "main.tf"), []byte(config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			write("  " + name + " {}\n")
			if out, err := cli.Run("validate", "-no-color"); err != nil {
				t.Fatalf("validate with one %s block: %v\n%s", name, err, out)
			}
			write("  " + name + " {}\n  " + name + " {}\n")
			out, err := cli.Run("validate", "-no-color")
			if err == nil || !strings.Contains(out, name) {
				t.Fatalf("validate with two %s blocks: %v\n%s", name, err, out)
			}
		})
	}
}

// The alicloud block absent, empty, or holding only the region: each
// setting it leaves out is read from the environment, as before the
// settings became a block. Not parallel: it sets process environment.
func TestAlicloudBlockAbsentOrEmptyFallsBackToEnvironment(t *testing.T) {
	m, _ := aliMock(t, 3)
	t.Setenv("ALICLOUD_ACCESS_KEY", acctest.AlibabaAccessKey)
	t.Setenv("ALICLOUD_SECRET_KEY", acctest.AlibabaSecretKey)
	t.Setenv("ALICLOUD_REGION", acctest.AlibabaRegion)
	t.Setenv("ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST", m.URL())
	for i, block := range []string{"", "  alicloud {}\n", "  alicloud {\n    region = \"" + acctest.AlibabaRegion + "\"\n  }\n"} {
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				Config: "provider \"cloudlock\" {\n" + block + "}\n" + aliResource(fmt.Sprint(i+1)),
				Check:  unlocked(m, fmt.Sprint(i+1)),
			}},
		})
	}
}

// agency_name is required in an assume_role block (checked by the provider:
// the framework would also ask for it with the block left out), and the
// error names it, with no call.
func TestAssumeRoleBlockNeedsAgencyName(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: strings.Replace(acctest.ProviderConfig(m), "  huaweicloud {\n", "  huaweicloud {\n    assume_role {\n      domain_name = \"d\"\n    }\n", 1) +
				`resource "cloudlock_sms_task_unlock" "x" {
  task_id = ` + validateTask + `
}
`,
			PlanOnly:    true,
			ExpectError: acctest.WrappedError(`huaweicloud.assume_role.agency_name: the huaweicloud.assume_role block needs agency_name.`),
		}},
	})
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("%d API calls, want 0", n)
	}
}
