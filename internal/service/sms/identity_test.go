package sms_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Resource identity needs Terraform (or OpenTofu) 1.12.
var identityCLI = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

func expectTaskIdentity() statecheck.StateCheck {
	return statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"task_id": knownvalue.StringExact(taskID)})
}

const adoptTimeouts = `
  timeouts {
    create = "5m"
  }`

// unlockAdoptConfig is an unlock with triggers and timeouts, adopted by an
// import block with identity.
func unlockAdoptConfig(m *mockcloud.Server, triggers string) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_sms_task_unlock" "test" {
  task_id  = %q
  triggers = %s
  %s
}

import {
  to = cloudlock_sms_task_unlock.test
  identity = {
    task_id = %q
  }
}
`, taskID, triggers, adoptTimeouts, taskID)
}

// Create sets the identity; import by identity and by id give it back.
func TestAccTaskUnlock_identity(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            unlockConfig(m, taskID, "null"),
				ConfigStateChecks: []statecheck.StateCheck{expectTaskIdentity()},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateVerify: true,
			},
		},
		CheckDestroy: checkCalls(m, "sms.UnlockTargetEcs", 1),
	})
}

// An import block with identity adopts an unlock whose configuration has
// triggers and timeouts: the plan is an in-place update that records them,
// the apply calls nothing but reads, and the plan after is empty. Changing
// the triggers afterwards unlocks again, as it always does.
func TestAccTaskUnlock_adoptByIdentity(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: unlockAdoptConfig(m, `{ run = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectTaskIdentity()},
				Check:             acctest.CheckNoWriteCalls(m),
			},
			{
				Config: unlockAdoptConfig(m, `{ run = "2" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectTaskIdentity()},
				Check:             checkCalls(m, "sms.UnlockTargetEcs", 1),
			},
		},
	})
}

// The same through `terraform import`: the next plan records triggers and
// timeouts in place, with no unlock.
func TestAccTaskUnlock_importCommandThenTriggers(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(lockedTask(taskID))
	cfg := unlockConfig(m, taskID, `{ run = "1" }`)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      taskID,
				ImportStatePersist: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: acctest.CheckNoWriteCalls(m),
			},
		},
	})
}

// State written before identity gains it at the next refresh, and with
// -refresh=false an update records it; a task deleted out of band leaves
// state with no identity error.
func TestAccTaskUnlock_identityAddedToOldState(t *testing.T) {
	t.Parallel()
	want := map[string]string{"task_id": taskID}
	t.Run("refresh", func(t *testing.T) {
		t.Parallel()
		m := acctest.StartMock(t)
		m.PutTask(lockedTask(taskID))
		resource.Test(t, resource.TestCase{
			PreCheck:               func() { acctest.PreCheck(t) },
			TerraformVersionChecks: identityCLI,
			Steps: []resource.TestStep{
				{ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity, Config: unlockConfig(m, taskID, "null")},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Config:                   unlockConfig(m, taskID, "null"),
					PlanOnly:                 true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPreRefresh:  []plancheck.PlanCheck{acctest.ExpectPlannedIdentity(addr, want)},
						PostApplyPostRefresh: []plancheck.PlanCheck{acctest.ExpectRefreshedIdentity(addr, want)},
					},
				},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Config:                   unlockConfig(m, taskID, "null"),
					ConfigStateChecks:        []statecheck.StateCheck{expectTaskIdentity()},
				},
			},
		})
	})
	t.Run("no-refresh update", func(t *testing.T) {
		t.Parallel()
		m := acctest.StartMock(t)
		m.PutTask(lockedTask(taskID))
		resource.Test(t, resource.TestCase{
			PreCheck:               func() { acctest.PreCheck(t) },
			TerraformVersionChecks: identityCLI,
			AdditionalCLIOptions:   &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
			Steps: []resource.TestStep{
				{ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity, Config: unlockConfig(m, taskID, "null")},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Config: acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_sms_task_unlock" "test" {
  task_id = %q
  %s
}
`, taskID, adoptTimeouts),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					},
					ConfigStateChecks: []statecheck.StateCheck{expectTaskIdentity()},
				},
			},
		})
	})
	t.Run("deleted", func(t *testing.T) {
		t.Parallel()
		m := acctest.StartMock(t)
		m.PutTask(lockedTask(taskID))
		resource.Test(t, resource.TestCase{
			PreCheck:               func() { acctest.PreCheck(t) },
			TerraformVersionChecks: identityCLI,
			Steps: []resource.TestStep{
				{ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity, Config: unlockConfig(m, taskID, "null")},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					PreConfig:                func() { m.DeleteTask(taskID) },
					Config:                   unlockConfig(m, taskID, "null"),
					PlanOnly:                 true,
					ExpectNonEmptyPlan:       true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
				},
			},
		})
	})
}

// --- cloudlock_sms_source_server ---

const dbAddr = "cloudlock_sms_source_server.db"

// putAgentServer registers a source server as its Agent would.
func putAgentServer(m *mockcloud.Server) string {
	fw, plat := "UEFI", "vmware"
	return m.PutSourceServer(mockcloud.SourceServer{
		IP: "10.0.0.31", Name: "db-01", Hostname: "db-01", OSType: "LINUX", OSVersion: "CENTOS_7_9_64BIT",
		Firmware: &fw, Platform: &plat, State: "waiting", Connected: true, AddDate: 1731290000000, EnterpriseProjectID: "0",
	})
}

// dbConfig is the configuration of that server, with more (e.g. an import
// block) appended.
func dbConfig(m *mockcloud.Server, more string) string {
	return acctest.ProviderConfig(m) + `
resource "cloudlock_sms_source_server" "db" {
  ip             = "10.0.0.31"
  name           = "db-01"
  hostname       = "db-01"
  os_type        = "LINUX"
  os_version     = "CENTOS_7_9_64BIT"
  firmware       = "UEFI"
  platform       = "vmware"
  kernel_version = "3.10.0-1160.el7.x86_64"
  has_rsync      = true
}
` + more
}

func expectSourceIdentity(id string) statecheck.StateCheck {
	return statecheck.ExpectIdentity(dbAddr, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
}

// An import block with identity = { id } adopts a server its Agent
// registered: the arguments SMS does not return are recorded in place, no
// write call, an empty plan after; import by identity and by id agree.
func TestAccSourceServer_adoptByIdentity(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	id := putAgentServer(m)
	adopt := dbConfig(m, fmt.Sprintf(`
import {
  to = cloudlock_sms_source_server.db
  identity = {
    id = %q
  }
}
`, id))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   identityCLI,
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: adopt,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dbAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectSourceIdentity(id)},
				Check:             acctest.CheckNoWriteCalls(m),
			},
			{
				Config:             dbConfig(m, ""),
				ResourceName:       dbAddr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithResourceIdentity,
				ExpectNonEmptyPlan: true, // the unread arguments, as above
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dbAddr, plancheck.ResourceActionUpdate)},
				},
			},
			{
				Config:          dbConfig(m, ""),
				ResourceName:    dbAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportCommandWithID,
			},
		},
	})
}

// State written before identity gains it at the next refresh; a server
// deleted out of band leaves state with no identity error.
func TestAccSourceServer_identityAddedToOldState(t *testing.T) {
	t.Parallel()
	t.Run("refresh", func(t *testing.T) {
		t.Parallel()
		m := acctest.StartMock(t)
		resource.Test(t, resource.TestCase{
			PreCheck:               func() { acctest.PreCheck(t) },
			TerraformVersionChecks: identityCLI,
			Steps: []resource.TestStep{
				{ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity, Config: dbConfig(m, "")},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Config:                   dbConfig(m, ""),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentityValueMatchesState(dbAddr, tfjsonpath.New("id"))},
				},
			},
		})
	})
	t.Run("deleted", func(t *testing.T) {
		t.Parallel()
		m := acctest.StartMock(t)
		resource.Test(t, resource.TestCase{
			PreCheck:               func() { acctest.PreCheck(t) },
			TerraformVersionChecks: identityCLI,
			Steps: []resource.TestStep{
				{ProtoV6ProviderFactories: acctest.ProviderFactoriesWithoutIdentity, Config: dbConfig(m, "")},
				{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					PreConfig: func() {
						for _, s := range m.SourceServers() {
							m.DeleteSourceServer(s.ID)
						}
					},
					Config:             dbConfig(m, ""),
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dbAddr, plancheck.ResourceActionCreate)},
					},
				},
			},
		})
	})
}
