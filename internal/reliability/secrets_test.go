package reliability_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
)

// The secrets of the secrets tests: temporary credentials of both clouds
// (the mock insists on the tokens) and two passphrases, one read by the data
// source (sensitive, stored in state by design) and one by the ephemeral
// resource (never stored anywhere).
const (
	secretHWToken       = "hw-sts-token-VGhpcyBpcyBub3QgYSByZWFsIHRva2Vu"
	secretAliToken      = "ali-sts-token-Q0FJU0VzdHNUb2tlbk5vdFJlYWw"
	secretDataPass      = "Data-Pass-7fQ2x9LmZ"
	secretEphemeralPass = "Ephemeral-Pass-3kW8vN1pR"
	secretsTaskData     = "7a9a9540-ff28-4869-b9e4-855fbe12d001"
	secretsTaskEph      = "7a9a9540-ff28-4869-b9e4-855fbe12d002"
	secretsInstance     = "bastionhost-cn-secrets01"
)

// secrets are the values that must never appear in clear (by name).
func secrets() map[string]string {
	return map[string]string{
		"Huawei secret key":      acctest.HuaweiSecretKey,
		"Huawei security token":  secretHWToken,
		"Alibaba secret key":     acctest.AlibabaSecretKey,
		"Alibaba security token": secretAliToken,
		"ephemeral passphrase":   secretEphemeralPass,
	}
}

// secretsWorld starts a mock that requires security tokens, seeds one object
// for every type, and puts the credentials in the environment, as people
// do (so that no configuration the harness logs holds them). Callers must
// not be parallel.
func secretsWorld(t *testing.T) (*mockcloud.Server, string) {
	t.Helper()
	m := mockcloud.StartT(t, mockcloud.Options{
		Huawei:    mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey, SecurityToken: secretHWToken},
		Alibaba:   mockcloud.Credentials{AccessKey: acctest.AlibabaAccessKey, SecretKey: acctest.AlibabaSecretKey, SecurityToken: secretAliToken},
		ProjectID: acctest.ProjectID,
		Region:    acctest.HuaweiRegion,
	})
	m.PutTask(mockcloud.Task{ID: secretsTaskData, Name: "data", Passphrase: secretDataPass, TargetServerID: opServerID, TargetLocked: true})
	m.PutTask(mockcloud.Task{ID: secretsTaskEph, Name: "eph", Passphrase: secretEphemeralPass, TargetLocked: true})
	m.PutECSServer(mockcloud.ECSServer{ID: opServerID, Name: "secrets-ecs"})
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: secretsInstance, Users: []mockcloud.BastionhostUser{
		{UserID: "1", UserName: "alice", UserState: []string{bastionhost.StateFrozen}},
	}})
	for k, v := range map[string]string{
		"HW_ACCESS_KEY": acctest.HuaweiAccessKey, "HW_SECRET_KEY": acctest.HuaweiSecretKey, "HW_SECURITY_TOKEN": secretHWToken,
		"HW_REGION_NAME": acctest.HuaweiRegion, "HW_PROJECT_ID": "",
		"ALICLOUD_ACCESS_KEY": acctest.AlibabaAccessKey, "ALICLOUD_SECRET_KEY": acctest.AlibabaSecretKey,
		"ALICLOUD_SECURITY_TOKEN": secretAliToken, "ALICLOUD_REGION": acctest.AlibabaRegion,
	} {
		t.Setenv(k, v)
	}
	cfg := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    endpoints {
      iam = %[1]q
      sms = %[1]q
      ecs = %[1]q
    }
  }
  alicloud {
    endpoints { bastionhost = %[1]q }
  }
}
resource "cloudlock_sms_task_unlock" "s" {
  task_id = %[2]q
}
data "cloudlock_sms_task_passphrase" "s" {
  task_id = %[2]q
}
ephemeral "cloudlock_sms_task_passphrase" "s" {
  task_id = %[3]q
}
resource "cloudlock_ecs_server_lock" "s" {
  server_id = cloudlock_sms_task_unlock.s.target_server_id
}
resource "cloudlock_bastionhost_user_unlock" "s" {
  instance_id = %[4]q
  user_ids    = ["1"]
}
resource "cloudlock_sms_source_server" "s" {
  ip         = "10.0.0.51"
  hostname   = "secrets-web-01"
  os_type    = "LINUX"
  os_version = "CENTOS_7_9_64BIT"
}
data "cloudlock_sms_source_servers" "s" {
  name = "secrets-web-01"
}
`, m.URL(), secretsTaskData, secretsTaskEph, secretsInstance)
	return m, cfg
}

// checkCalledEveryType fails the test unless the run called every type's
// API: otherwise a clean log would prove nothing.
func checkCalledEveryType(t *testing.T, m *mockcloud.Server) {
	t.Helper()
	ephemeralRead := false
	for _, e := range m.Journal() {
		if e.Op == "sms.ShowPassphrase" && strings.Contains(e.Path, secretsTaskEph) && e.Status == 200 {
			ephemeralRead = true
		}
	}
	for _, op := range []string{"sms.UnlockTargetEcs", "sms.ShowPassphrase", "ecs.NovaServerAction", "bastionhost.UnlockUsers",
		"bastionhost.ListUsers", "sms.RegisterServer", "sms.ListServers"} {
		if m.Calls(op) == 0 {
			t.Errorf("%s was never called: the run did not exercise every type", op)
		}
	}
	if !ephemeralRead {
		t.Error("the ephemeral passphrase was never read")
	}
	if m.Calls("auth") != 0 {
		t.Errorf("%d requests were refused by the mock's signature or token check", m.Calls("auth"))
	}
}

// scan reports every secret found in text, which is what `where` names.
func scan(t *testing.T, where, text string, found map[string]string) {
	t.Helper()
	for name, v := range found {
		if strings.Contains(text, v) {
			t.Errorf("the %s appears in clear in %s", name, where)
		}
	}
}

// planWithoutDataSource checks that the data source's passphrase is marked
// sensitive in a plan, as is every output carrying it, and returns the
// plan's JSON without those marked values: the passphrase must not appear
// in what is left.
func planWithoutDataSource(t *testing.T, p *tfjson.Plan) string {
	t.Helper()
	dropSensitive := func(outs map[string]*tfjson.StateOutput) map[string]*tfjson.StateOutput {
		kept := map[string]*tfjson.StateOutput{}
		for name, o := range outs {
			if o.Sensitive {
				o = &tfjson.StateOutput{Sensitive: true}
			}
			kept[name] = o
		}
		return kept
	}
	changes := map[string]*tfjson.Change{}
	for name, c := range p.OutputChanges {
		if c.AfterSensitive != true {
			changes[name] = c
			continue
		}
		changes[name] = &tfjson.Change{Actions: c.Actions, AfterSensitive: true}
	}
	var keep []*tfjson.StateResource
	for _, r := range p.PriorState.Values.RootModule.Resources {
		if r.Address == "data.cloudlock_sms_task_passphrase.s" {
			var sv map[string]any
			_ = json.Unmarshal(r.SensitiveValues, &sv)
			if sv["passphrase"] != true {
				t.Errorf("the data source's passphrase is not marked sensitive in the plan: %s", r.SensitiveValues)
			}
			continue
		}
		keep = append(keep, r)
	}
	cp := *p
	cp.OutputChanges = changes
	ps := *p.PriorState
	vals := *ps.Values
	vals.Outputs = dropSensitive(vals.Outputs)
	mod := *vals.RootModule
	mod.Resources = keep
	vals.RootModule = &mod
	ps.Values = &vals
	cp.PriorState = &ps
	if p.PlannedValues != nil {
		pv := *p.PlannedValues
		pv.Outputs = dropSensitive(pv.Outputs)
		cp.PlannedValues = &pv
	}
	b, err := json.Marshal(&cp)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// capturePlan is a plan check that keeps the plan (`terraform show -json`).
type capturePlan struct{ plans *[]*tfjson.Plan }

func (c capturePlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, _ *plancheck.CheckPlanResponse) {
	*c.plans = append(*c.plans, req.Plan)
}

// captureState is a state check that keeps the state (`terraform show -json`).
type captureState struct{ states *[]*tfjson.State }

func (c captureState) CheckState(_ context.Context, req statecheck.CheckStateRequest, _ *statecheck.CheckStateResponse) {
	*c.states = append(*c.states, req.State)
}

// At TF_LOG=trace, an apply, refresh, plan and destroy of every type write
// no secret key, security token or passphrase to the logs (Terraform's and
// the provider's); the plans hold none, the data source's passphrase aside
// (marked sensitive, as documented); the state holds no credential and not
// the ephemeral passphrase. Not parallel: it sets the process environment.
func TestAccSecretsNotInLogsPlansOrState(t *testing.T) {
	logDir := t.TempDir()
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(logDir, "terraform.log"))
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
	m, cfg := secretsWorld(t)
	var plans []*tfjson.Plan
	var states []*tfjson.State

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{capturePlan{&plans}},
				PostApplyPostRefresh: []plancheck.PlanCheck{capturePlan{&plans}, plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				captureState{&states},
				statecheck.ExpectSensitiveValue("data.cloudlock_sms_task_passphrase.s", tfjsonpath.New("passphrase")),
			},
		}},
	})
	checkCalledEveryType(t, m)

	if d := os.Getenv("CLOUDLOCK_KEEP_TRACE"); d != "" {
		_ = os.CopyFS(d, os.DirFS(logDir))
	}
	files, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
	var log strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		log.Write(b)
	}
	all := log.String()
	for _, want := range []string{"cloudlock: cloud request", "/v3/tasks/" + secretsTaskEph + "/passphrase", "UnlockUsers", "/action"} {
		if !strings.Contains(all, want) {
			t.Fatalf("the trace log (%d bytes, %d files) lacks %q: it would prove nothing", len(all), len(files), want)
		}
	}
	inLog := secrets()
	inLog["data source passphrase"] = secretDataPass
	scan(t, "the TF_LOG=trace log", all, inLog)

	if len(plans) != 2 || len(states) != 1 {
		t.Fatalf("captured %d plans and %d states, want 2 and 1", len(plans), len(states))
	}
	for i, p := range plans {
		scan(t, fmt.Sprintf("plan %d (terraform show -json)", i+1), planWithoutDataSource(t, p), inLog)
	}
	st, err := json.Marshal(states[0])
	if err != nil {
		t.Fatal(err)
	}
	scan(t, "the state (terraform show -json)", string(st), secrets())
	if !strings.Contains(string(st), secretDataPass) {
		t.Error("the data source's passphrase is not in state: the state check would prove nothing")
	}
}

// The same run through the terraform binary itself: what it prints (plan,
// apply, a second plan, destroy, with the passphrase as a sensitive output),
// the saved plan file as `terraform show -json` reads it, the state files
// and Terraform's own TF_LOG=trace log hold no secret in clear. Not
// parallel: it sets the process environment.
func TestAccSecretsNotInOutputOrPlanFile(t *testing.T) {
	m, cfg := secretsWorld(t)
	// The provider served in process logs (at trace, no sink being set)
	// to this process's stderr: catch it in a file to scan it too. Safe
	// because no other test runs while a non-parallel one does.
	providerLog, err := os.Create(filepath.Join(t.TempDir(), "provider.log"))
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = providerLog
	t.Cleanup(func() { os.Stderr = stderr })
	cli := acctest.NewCLI(t, map[string]string{"main.tf": acctest.RequiredProviders + cfg + `
output "passphrase" {
  value     = data.cloudlock_sms_task_passphrase.s.passphrase
  sensitive = true
}
`})
	coreLog := filepath.Join(cli.Dir, "core.log")
	cli.Env = append(cli.Env, "TF_LOG=trace", "TF_LOG_PATH="+coreLog)
	// A provider binary inherits TF_LOG from terraform; the one served in
	// this process reads this process's environment.
	t.Setenv("TF_LOG", "trace")
	inOutput := secrets()
	inOutput["data source passphrase"] = secretDataPass

	run := func(args ...string) string {
		t.Helper()
		out, err := cli.Run(args...)
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		if args[0] != "show" { // its JSON is scanned below, without the values marked sensitive
			scan(t, "the output of terraform "+args[0], out, inOutput)
		}
		return out
	}
	run("init", "-input=false", "-no-color")
	run("plan", "-input=false", "-no-color", "-out=tfplan")
	shown := run("show", "-json", "tfplan")
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(shown), &plan); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	scan(t, "the plan file (terraform show -json)", planWithoutDataSource(t, &plan), inOutput)
	if out := run("apply", "-input=false", "-no-color", "tfplan"); !strings.Contains(out, "passphrase = <sensitive>") {
		t.Errorf("apply does not show the passphrase output as <sensitive>:\n%s", out)
	}
	if out := run("plan", "-input=false", "-no-color", "-detailed-exitcode"); !strings.Contains(out, "No changes.") {
		t.Errorf("the plan after apply is not empty:\n%s", out)
	}
	scanStateFiles(t, cli.Dir, 1)
	run("destroy", "-auto-approve", "-input=false", "-no-color")
	scanStateFiles(t, cli.Dir, 2)
	checkCalledEveryType(t, m)

	os.Stderr = stderr
	for name, path := range map[string]string{"terraform's own TF_LOG=trace log": coreLog, "the provider's log": providerLog.Name()} {
		b, err := os.ReadFile(path)
		if err != nil || len(b) < 10000 {
			t.Fatalf("%s: %d bytes, %v", name, len(b), err)
		}
		if name == "the provider's log" && !strings.Contains(string(b), "cloudlock: cloud request") {
			t.Fatalf("%s does not show the cloud requests: it would prove nothing", name)
		}
		scan(t, name, string(b), inOutput)
	}
}

// scanStateFiles scans terraform.tfstate and its backup for secrets; want
// is how many such files there must be.
func scanStateFiles(t *testing.T, dir string, want int) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "terraform.tfstate*"))
	if len(files) != want {
		t.Fatalf("state files %v, want %d", files, want)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scan(t, filepath.Base(f), string(b), secrets())
	}
}
