package sms_test

import (
	"fmt"
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

func networkConfig(m *mockcloud.Server, platform, gateway, mtu string) string {
	return minimalConfig(m, fmt.Sprintf(`  platform = %q
  networks {
    name    = "eth0"
    ip      = "10.0.0.21"
    netmask = "255.255.255.0"
    gateway = %q
    mac     = "fa:16:3e:00:00:21"%s
  }`, platform, gateway, mtu))
}

// Changes the API cannot make replace the server: a value in a nested list,
// a nested value set where SMS had none, an argument SMS never returns.
func TestAccSourceServer_replacements(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	replaced := func(cfg string, check func(mockcloud.SourceServer) error) resource.TestStep {
		return resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(minAddr, plancheck.ResourceActionDestroyBeforeCreate)},
			},
			Check: func(s *terraform.State) error {
				v, err := onlyServer(m)
				if err != nil {
					return err
				}
				if v.ID != stateID(s, minAddr) {
					return fmt.Errorf("mock %s, state %s", v.ID, stateID(s, minAddr))
				}
				return check(v)
			},
		}
	}
	network := func(v mockcloud.SourceServer) mockcloud.SourceNetwork { return (*v.Networks)[0] }

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: networkConfig(m, "hw", "10.0.0.1", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(minAddr, tfjsonpath.New("networks").AtSliceIndex(0).AtMapKey("mtu"), knownvalue.Null()),
				},
			},
			replaced(networkConfig(m, "hw", "10.0.0.254", ""), func(v mockcloud.SourceServer) error {
				if g := *network(v).Gateway; g != "10.0.0.254" {
					return fmt.Errorf("gateway %s", g)
				}
				return nil
			}),
			replaced(networkConfig(m, "hw", "10.0.0.254", "\n    mtu     = 1500"), func(v mockcloud.SourceServer) error {
				if network(v).MTU == nil || *network(v).MTU != 1500 {
					return fmt.Errorf("mtu %v", network(v).MTU)
				}
				return nil
			}),
			replaced(networkConfig(m, "aws", "10.0.0.254", "\n    mtu     = 1500"), func(v mockcloud.SourceServer) error {
				if *v.Platform != "aws" {
					return fmt.Errorf("platform %s", *v.Platform)
				}
				return nil
			}),
		},
		CheckDestroy: func(*terraform.State) error {
			// Each replacement deleted the old record before registering
			// the new one; destroy deleted the last.
			got := ops(m)
			if len(got) != 8 || m.Calls("sms.RegisterServer") != 4 || m.Calls("sms.DeleteServer") != 4 {
				return fmt.Errorf("operations %v", got)
			}
			for i, op := range got {
				if want := []string{"sms.RegisterServer", "sms.DeleteServer"}[i%2]; !strings.HasPrefix(op, want) {
					return fmt.Errorf("operation %d is %s, want %s: %v", i, op, want, got)
				}
			}
			return nil
		},
	})
}
