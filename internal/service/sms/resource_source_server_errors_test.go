package sms_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

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
	// A mandatory nested field left out is the provider's error, at its path
	// (nested attributes are Optional + Computed: see nestedObject).
	steps = append(steps, resource.TestStep{
		Config:      withSUSE(`    mac     = "1a9660eb8a3ffcf4df6d7865b52eb54f7b0cd194029e0eadd8e2c7f1267d80c0"`, ""),
		ExpectError: regexp.MustCompile(`(?s)Missing mandatory attribute.*networks\[0\]\.mac\s+is\s+mandatory`),
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
