package provider_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Acceptance tests of the Alibaba Cloud credential sources, through the real
// CLI against the mock's STS, ECS metadata and credentials URI. The mock's
// Bastionhost accepts the temporary credentials it issued, until they expire.

const (
	aliInstance = "bastionhost-cn-cred0000001"
	aliAddr     = "cloudlock_bastionhost_user_unlock.test"
	opAssume    = "sts.AssumeRole"
	opOIDC      = "sts.AssumeRoleWithOIDC"
	opUnlock    = "bastionhost.UnlockUsers"
)

// aliMock is a mock with one bastion host whose users 1..n are locked, and
// the STS world of acctest.AlibabaSTS; it returns the STS endpoint too.
func aliMock(t *testing.T, n int) (*mockcloud.Server, string) {
	t.Helper()
	return aliMockWith(t, n, mockcloud.Options{})
}

// aliMockWith is aliMock with more options (a clock, say).
func aliMockWith(t *testing.T, n int, opts mockcloud.Options) (*mockcloud.Server, string) {
	t.Helper()
	m := acctest.StartMockWith(t, opts)
	inst := mockcloud.BastionhostInstance{ID: aliInstance}
	for i := 1; i <= n; i++ {
		id := fmt.Sprint(i)
		inst.Users = append(inst.Users, mockcloud.BastionhostUser{UserID: id, UserName: "user" + id, UserState: []string{"Frozen"}})
	}
	m.PutBastionhostInstance(inst)
	return m, acctest.AlibabaSTS(t, m)
}

func aliResource(userIDs ...string) string {
	return fmt.Sprintf(`
resource "cloudlock_bastionhost_user_unlock" "test" {
  instance_id = %q
  user_ids    = ["%s"]
}
`, aliInstance, strings.Join(userIDs, `", "`))
}

// keysHCL are the account's own keys, as alicloud block attributes.
var keysHCL = fmt.Sprintf("    access_key = %q\n    secret_key = %q\n", acctest.AlibabaAccessKey, acctest.AlibabaSecretKey)

// unlocked checks that the mock's user is Normal again and that no request
// was refused.
func unlocked(m *mockcloud.Server, userID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, ok := m.BastionhostUser(aliInstance, userID)
		if !ok || len(u.UserState) != 1 || u.UserState[0] != "Normal" {
			return fmt.Errorf("user %s is %v, want Normal", userID, u.UserState)
		}
		return noFailedCalls(m)
	}
}

func noFailedCalls(m *mockcloud.Server) error {
	for _, e := range m.Journal() {
		if e.Op == "auth" || e.Status >= 400 {
			return fmt.Errorf("the mock refused %s %s (op %q): status %d", e.Method, e.Path, e.Op, e.Status)
		}
	}
	return nil
}

// calls checks how many requests of op the mock served.
func calls(m *mockcloud.Server, op string, atLeast int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := m.Calls(op); n < atLeast {
			return fmt.Errorf("%s was called %d times, want at least %d", op, n, atLeast)
		}
		return nil
	}
}

// issuedBy checks that temporary credentials of issuer were handed out.
func issuedBy(m *mockcloud.Server, issuer string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, c := range m.Issued() {
			if c.Issuer == issuer {
				return nil
			}
		}
		return fmt.Errorf("no temporary credentials from %s were issued", issuer)
	}
}

func runAli(t *testing.T, m *mockcloud.Server, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.AlibabaProviderFactories(m),
		Steps:                    steps,
	})
}

// cliProfile is an Alibaba Cloud CLI configuration with an AK profile
// "deploy" (not the current one) holding the test keys.
func cliProfile() string {
	return fmt.Sprintf(`{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "LTAIotheraccountkey01", "access_key_secret": "other-secret", "region_id": "cn-beijing"},
    {"name": "deploy", "mode": "AK", "access_key_id": %q, "access_key_secret": %q, "region_id": "cn-hangzhou"}
  ],
  "meta_path": ""
}`, acctest.AlibabaAccessKey, acctest.AlibabaSecretKey)
}

func TestAccAlibabaCredentials_envKeys(t *testing.T) {
	m, sts := aliMock(t, 1)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", acctest.AlibabaAccessKey)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", acctest.AlibabaSecretKey)
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, "") + aliResource("1"),
		Check:  unlocked(m, "1"),
	})
}

func TestAccAlibabaCredentials_profile(t *testing.T) {
	m, sts := aliMock(t, 1)
	file := acctest.WriteFile(t, "config.json", cliProfile())
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, fmt.Sprintf("    shared_credentials_file = %q\n    profile = \"deploy\"\n", file)) + aliResource("1"),
		Check:  unlocked(m, "1"),
	})
}

// The profile comes from ALIBABA_CLOUD_PROFILE and the file from
// ALIBABA_CLOUD_CONFIG_FILE, as the CLI and credentials-go name them.
func TestAccAlibabaCredentials_profileFromEnv(t *testing.T) {
	m, sts := aliMock(t, 1)
	t.Setenv("ALIBABA_CLOUD_CONFIG_FILE", acctest.WriteFile(t, "config.json", cliProfile()))
	t.Setenv("ALIBABA_CLOUD_PROFILE", "deploy")
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, "") + aliResource("1"),
		Check:  unlocked(m, "1"),
	})
}

// profile -> assume_role: the profile's keys may only assume the role (the
// mock refuses them anything else), so the unlock proves the chain.
func TestAccAlibabaCredentials_profileAssumeRole(t *testing.T) {
	m, sts := aliMock(t, 1)
	m.RestrictKeysToSTS()
	file := acctest.WriteFile(t, "config.json", cliProfile())
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, fmt.Sprintf(`
    shared_credentials_file = %q
    profile                 = "deploy"
    assume_role {
      role_arn           = %q
      session_name       = "ci-deploy"
      session_expiration = 900
      external_id        = "abcd1234"
    }
`, file, acctest.AlibabaRoleARN)) + aliResource("1"),
		Check: resource.ComposeTestCheckFunc(unlocked(m, "1"), issuedBy(m, opAssume)),
	})
}

// keys -> assume_role, the role from ALICLOUD_ASSUME_ROLE_ARN.
func TestAccAlibabaCredentials_keysAssumeRoleFromEnv(t *testing.T) {
	m, sts := aliMock(t, 1)
	m.RestrictKeysToSTS()
	t.Setenv("ALICLOUD_ASSUME_ROLE_ARN", acctest.AlibabaRoleARN)
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, keysHCL) + aliResource("1"),
		Check:  resource.ComposeTestCheckFunc(unlocked(m, "1"), issuedBy(m, opAssume)),
	})
}

// Without the assume_role the restricted keys are refused: the chain tests
// above would fail without it.
func TestAccAlibabaCredentials_restrictedKeysAloneAreRefused(t *testing.T) {
	m, sts := aliMock(t, 1)
	m.RestrictKeysToSTS()
	runAli(t, m, resource.TestStep{
		Config:      acctest.AlibabaProviderConfig(m, sts, keysHCL) + aliResource("1"),
		ExpectError: regexp.MustCompile(`Forbidden\.RAM`),
	})
}

func TestAccAlibabaCredentials_ecsRole(t *testing.T) {
	m, sts := aliMock(t, 1)
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, fmt.Sprintf("    ecs_role_name = %q\n", acctest.AlibabaECSRole)) + aliResource("1"),
		Check: resource.ComposeTestCheckFunc(unlocked(m, "1"), issuedBy(m, "ecsmetadata.RoleCredentials"),
			calls(m, "ecsmetadata.PutToken", 1)),
	})
}

// instance role -> assume_role, the instance role from ALIBABA_CLOUD_ECS_METADATA.
func TestAccAlibabaCredentials_ecsRoleAssumeRole(t *testing.T) {
	m, sts := aliMock(t, 1)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA", acctest.AlibabaECSRole)
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, fmt.Sprintf("    assume_role { role_arn = %q }\n", acctest.AlibabaRoleARN)) + aliResource("1"),
		Check:  resource.ComposeTestCheckFunc(unlocked(m, "1"), issuedBy(m, "ecsmetadata.RoleCredentials"), issuedBy(m, opAssume)),
	})
}

func oidcBlock(tokenFile string) string {
	return fmt.Sprintf(`
    assume_role_with_oidc {
      oidc_provider_arn = %q
      role_arn          = %q
      oidc_token_file   = %q
      role_session_name = "github-actions"
    }
`, acctest.AlibabaOIDCProviderARN, acctest.AlibabaOIDCRoleARN, tokenFile)
}

func TestAccAlibabaCredentials_oidc(t *testing.T) {
	m, sts := aliMock(t, 1)
	token := acctest.WriteFile(t, "token", acctest.AlibabaOIDCToken+"\n")
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, oidcBlock(token)) + aliResource("1"),
		Check:  resource.ComposeTestCheckFunc(unlocked(m, "1"), issuedBy(m, opOIDC)),
	})
}

// OIDC from ACK RRSA's variables -> assume_role into another role.
func TestAccAlibabaCredentials_oidcFromEnvAssumeRole(t *testing.T) {
	m, sts := aliMock(t, 1)
	t.Setenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", acctest.AlibabaOIDCProviderARN)
	t.Setenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE", acctest.WriteFile(t, "token", acctest.AlibabaOIDCToken))
	t.Setenv("ALIBABA_CLOUD_ROLE_ARN", acctest.AlibabaOIDCRoleARN)
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, fmt.Sprintf("    assume_role { role_arn = %q }\n", acctest.AlibabaRoleARN)) + aliResource("1"),
		Check:  resource.ComposeTestCheckFunc(unlocked(m, "1"), issuedBy(m, opOIDC), issuedBy(m, opAssume)),
	})
}

func TestAccAlibabaCredentials_credentialsURI(t *testing.T) {
	m, sts := aliMock(t, 1)
	runAli(t, m, resource.TestStep{
		Config: acctest.AlibabaProviderConfig(m, sts, fmt.Sprintf("    credentials_uri = %q\n", m.URL()+mockcloud.CredentialsURIPath)) + aliResource("1"),
		Check:  resource.ComposeTestCheckFunc(unlocked(m, "1"), issuedBy(m, "credentialsuri.Get")),
	})
}

// Temporary credentials that expire in seconds, and an apply that outlives
// several of them: the calls after the first credentials expired succeed,
// because credentials-go renews them (the mock rejects expired ones), and
// no call fails. The seconds are the mock's fake clock, which each unlock
// moves on: credentials-go renews within 180 s of expiry by its own clock,
// so with a 2 s lifetime it renews for every call either way.
func TestAccAlibabaCredentials_refreshDuringApply(t *testing.T) {
	clk := acctest.NewClock()
	m, sts := aliMockWith(t, 4, mockcloud.Options{Now: clk.Now})
	m.RestrictKeysToSTS()
	m.SetCredentialLifetime(2 * time.Second)
	m.InjectFault(opUnlock, mockcloud.Fault{Do: func() { clk.Advance(2500 * time.Millisecond) }})
	// Four unlocks one after another, 2.5 s each: 10 s of apply.
	var res strings.Builder
	for i := 1; i <= 4; i++ {
		dep := ""
		if i > 1 {
			dep = fmt.Sprintf("depends_on = [cloudlock_bastionhost_user_unlock.u%d]", i-1)
		}
		fmt.Fprintf(&res, "resource \"cloudlock_bastionhost_user_unlock\" \"u%d\" {\n  instance_id = %q\n  user_ids = [\"%d\"]\n  %s\n}\n", i, aliInstance, i, dep)
	}
	var applyStart time.Time
	runAli(t, m, resource.TestStep{
		PreConfig: func() { applyStart = clk.Now(); m.ResetJournal() },
		Config:    acctest.AlibabaProviderConfig(m, sts, keysHCL+fmt.Sprintf("    assume_role { role_arn = %q }\n", acctest.AlibabaRoleARN)) + res.String(),
		Check: func(*terraform.State) error {
			if err := noFailedCalls(m); err != nil {
				return err
			}
			n := 0
			for _, e := range m.Journal() {
				if e.Op == opUnlock {
					n++
				}
			}
			if n != 4 {
				return fmt.Errorf("%d unlocks, want 4", n)
			}
			issued := m.Issued()
			if len(issued) < 3 {
				return fmt.Errorf("%d credentials issued, want at least 3 (two renewals)", len(issued))
			}
			if end := clk.Now(); !issued[0].Expiration.Before(end) {
				return fmt.Errorf("the apply did not outlive its first credentials (expired %v, apply ended %v)", issued[0].Expiration, end)
			}
			t.Logf("apply of %v by the clock: %d unlocks, %d credentials issued (%d renewals), 0 failed calls",
				clk.Now().Sub(applyStart), n, len(issued), len(issued)-1)
			return nil
		},
	})
}

// words matches phrase across Terraform's line wrapping.
func words(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `\s+`))
}

// A refused AssumeRole fails the plan with STS's code, message and request
// id and names the attribute that chose it; it is asked once, not retried,
// even with max_retries = 5.
func TestAccAlibabaCredentials_assumeRoleRefused(t *testing.T) {
	m, sts := aliMock(t, 1)
	unknown := "acs:ram::" + acctest.AlibabaAccountID + ":role/no-such-role"
	cfg := strings.Replace(acctest.AlibabaProviderConfig(m, sts, keysHCL+fmt.Sprintf("    assume_role { role_arn = %q }\n", unknown)),
		"max_retries = 0", "max_retries = 5", 1) + aliResource("1")
	runAli(t, m, resource.TestStep{
		PreConfig:   m.ResetJournal,
		Config:      cfg,
		PlanOnly:    true,
		ExpectError: words(`sts.AssumeRole, error code EntityNotExist.Role: The specified Role not exists.`),
	}, resource.TestStep{
		PreConfig:   m.ResetJournal,
		Config:      cfg,
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Alibaba Cloud credentials unavailable.*chosen\s+by\s+alicloud\.assume_role\.role_arn.*request\s+id:\s+[0-9A-F-]{36}`),
	})
	if n := m.Calls(opAssume); n != 1 {
		t.Errorf("AssumeRole was asked %d times in the last plan, want 1", n)
	}
	if n := m.Calls(opUnlock) + m.Calls("bastionhost.ListUsers") + m.Calls("bastionhost.GetUser"); n != 0 {
		t.Errorf("%d Bastionhost calls after a refused AssumeRole, want 0", n)
	}
}

// A token file whose token STS does not accept.
func TestAccAlibabaCredentials_oidcTokenRefused(t *testing.T) {
	m, sts := aliMock(t, 1)
	token := acctest.WriteFile(t, "token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvdGhlciJ9.not-the-right-token")
	runAli(t, m, resource.TestStep{
		Config:      acctest.AlibabaProviderConfig(m, sts, oidcBlock(token)) + aliResource("1"),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)alicloud\.assume_role_with_oidc.*AuthenticationFail\.OIDCToken\.Invalid.*request\s+id`),
	})
	if n := m.Calls(opOIDC); n != 1 {
		t.Errorf("AssumeRoleWithOIDC was asked %d times, want 1", n)
	}
}

// Bad settings fail the plan before any call: shapes, ranges, files,
// profiles, and nothing configured at all.
func TestAccAlibabaCredentials_badSettingsNoCalls(t *testing.T) {
	m, sts := aliMock(t, 1)
	file := acctest.WriteFile(t, "config.json", cliProfile())
	notJSON := acctest.WriteFile(t, "broken.json", `{"profiles": [ {"name": "x", "access_key_secret": "do-not-print-me"`)
	missing := t.TempDir() + "/nope.json"
	cfg := func(body string) string { return acctest.AlibabaProviderConfig(m, sts, body) + aliResource("1") }
	steps := []resource.TestStep{
		{Config: cfg(`    assume_role { role_arn = "arn:aws:iam::123:role/x" }` + "\n" + keysHCL),
			ExpectError: words(`expected acs:ram::<account id>:role/<role name>`)},
		{Config: cfg(fmt.Sprintf("    assume_role {\n role_arn = %q\n session_expiration = 899\n }\n", acctest.AlibabaRoleARN) + keysHCL),
			ExpectError: regexp.MustCompile(`(?s)session_expiration.*900`)},
		{Config: cfg(fmt.Sprintf("    assume_role_with_oidc {\n oidc_provider_arn = \"acs:ram::1:role/x\"\n role_arn = %q\n oidc_token_file = \"/x\"\n }\n", acctest.AlibabaRoleARN)),
			ExpectError: words(`is not an OIDC provider ARN`)},
		{Config: cfg(fmt.Sprintf("    shared_credentials_file = %q\n    profile = \"prod\"\n", file)),
			ExpectError: regexp.MustCompile(`(?s)profile\s+"prod"\s+is\s+not\s+in\s+the\s+shared\s+credentials\s+file\s+` + regexp.QuoteMeta(file) + `.*it\s+has:\s+default,\s+deploy`)},
		{Config: cfg(fmt.Sprintf("    shared_credentials_file = %q\n    profile = \"deploy\"\n", missing)),
			ExpectError: regexp.MustCompile(`(?s)profile\s+"deploy".*alicloud\.profile.*cannot\s+read\s+the\s+shared\s+credentials\s+file\s+` + regexp.QuoteMeta(missing))},
		{Config: cfg(fmt.Sprintf("    shared_credentials_file = %q\n    profile = \"x\"\n", notJSON)),
			ExpectError: regexp.MustCompile(`(?s)` + regexp.QuoteMeta(notJSON) + `\s+is\s+not\s+valid\s+JSON`)},
		{Config: cfg(oidcBlock(missing)),
			ExpectError: regexp.MustCompile(`(?s)OIDC\s+token\s+file:\s+cannot\s+read\s+` + regexp.QuoteMeta(missing))},
		{Config: cfg(""),
			ExpectError: regexp.MustCompile(`(?s)missing access_key \(alicloud.access_key or\s+ALICLOUD_ACCESS_KEY\).*tried, in order:.*profile.*ecs_role_name.*assume_role_with_oidc.*credentials_uri`)},
	}
	for i := range steps {
		steps[i].PlanOnly = true
	}
	runAli(t, m, steps...)
	if j := m.Journal(); len(j) != 0 {
		t.Errorf("bad settings made %d calls, want 0; first: %s %s", len(j), j[0].Op, j[0].Path)
	}
}

// A value from the environment is checked like the attribute, and the
// message names the variable.
func TestAccAlibabaCredentials_badEnvValue(t *testing.T) {
	m, sts := aliMock(t, 1)
	t.Setenv("ALICLOUD_ASSUME_ROLE_ARN", "acs:ram::12:user/alice")
	t.Setenv("ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION", "60")
	runAli(t, m, resource.TestStep{
		Config:      acctest.AlibabaProviderConfig(m, sts, keysHCL) + aliResource("1"),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)ALICLOUD_ASSUME_ROLE_ARN.*not\s+a\s+RAM\s+role\s+ARN.*ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION.*outside\s+900\s+to\s+43200`),
	})
	if j := m.Journal(); len(j) != 0 {
		t.Errorf("%d calls, want 0", len(j))
	}
}

// The figure for the notes: an apply of CLOUDLOCK_LONG_APPLY (e.g. 10m)
// through assume_role whose credentials live 180 s + 5/12 of it, so that
// credentials-go renews them twice during the apply (it renews 180 s before
// they expire), and the mock rejects them once expired: with no renewal the
// calls of the last third would fail. Skipped unless the variable is set.
func TestAccAlibabaCredentials_longApply(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("CLOUDLOCK_LONG_APPLY"))
	if err != nil || d < time.Minute {
		t.Skip("set CLOUDLOCK_LONG_APPLY=10m (at least 1m) to run")
	}
	const n = 20
	m, sts := aliMock(t, n)
	m.RestrictKeysToSTS()
	m.SetCredentialLifetime(180*time.Second + d*5/12)
	m.InjectFault(opUnlock, mockcloud.Fault{Delay: d / n})
	var res strings.Builder
	for i := 1; i <= n; i++ {
		dep := ""
		if i > 1 {
			dep = fmt.Sprintf("depends_on = [cloudlock_bastionhost_user_unlock.u%d]", i-1)
		}
		fmt.Fprintf(&res, "resource \"cloudlock_bastionhost_user_unlock\" \"u%d\" {\n  instance_id = %q\n  user_ids = [\"%d\"]\n  %s\n}\n", i, aliInstance, i, dep)
	}
	var start time.Time
	runAli(t, m, resource.TestStep{
		PreConfig: func() { start = time.Now(); m.ResetJournal() },
		Config:    acctest.AlibabaProviderConfig(m, sts, keysHCL+fmt.Sprintf("    assume_role { role_arn = %q }\n", acctest.AlibabaRoleARN)) + res.String(),
		Check: func(*terraform.State) error {
			failed, unlocks := 0, 0
			for _, e := range m.Journal() {
				if e.Op == "auth" || e.Status >= 400 {
					failed++
				}
				if e.Op == opUnlock {
					unlocks++
				}
			}
			issued := m.Issued()
			t.Logf("apply of %v: %d unlocks, %d AssumeRole calls, %d credentials issued, %d failed calls",
				time.Since(start).Round(time.Second), unlocks, m.Calls(opAssume), len(issued), failed)
			for _, c := range issued {
				t.Logf("  credentials valid until %s", c.Expiration.Format(time.TimeOnly))
			}
			if failed != 0 || unlocks != n || len(issued) < 3 {
				return fmt.Errorf("%d failed calls, %d unlocks, %d credentials", failed, unlocks, len(issued))
			}
			return nil
		},
	})
}

// `terraform validate` needs none of the credential sources: not the profile
// file, not the OIDC token file, not STS. The plan then fails on the file,
// naming it, still without a call.
func TestAlibabaCredentialsValidateNeedsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform")
	}
	m, sts := aliMock(t, 1)
	missing := t.TempDir() + "/token-not-written-yet"
	cli := acctest.NewCLI(t, map[string]string{"main.tf": acctest.RequiredProviders +
		acctest.AlibabaProviderConfig(m, sts, oidcBlock(missing)+fmt.Sprintf("    assume_role { role_arn = %q }\n", acctest.AlibabaRoleARN)) +
		aliResource("1")})
	if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	out, err := cli.Run("validate", "-no-color")
	if err != nil || !strings.Contains(out, "The configuration is valid") {
		t.Fatalf("validate: %v\n%s", err, out)
	}
	out, err = cli.Run("plan", "-input=false", "-no-color")
	if err == nil || !words("OIDC token file: cannot read "+missing).MatchString(out) {
		t.Fatalf("plan should fail naming the token file: %v\n%s", err, out)
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("validate and plan made %d calls, want 0", n)
	}
}

// Every mode of a CLI profile that takes credentials from STS or the
// instance, with the STS endpoint of the alicloud block (credentials-go's
// own CLI profile provider would call sts.aliyuncs.com): RamRoleArn (the
// profile's keys may only assume the role), OIDC, EcsRamRole, and
// ChainableRamRoleArn on the instance's role.
func TestAccAlibabaCredentials_profileModes(t *testing.T) {
	for _, tc := range []struct{ profile, issuer string }{
		{"role", opAssume},
		{"gha", opOIDC},
		{"runner", "ecsmetadata.RoleCredentials"},
		{"chain", opAssume},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			m, sts := aliMock(t, 1)
			m.RestrictKeysToSTS()
			token := acctest.WriteFile(t, "token", acctest.AlibabaOIDCToken)
			file := acctest.WriteFile(t, "config.json", fmt.Sprintf(`{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "LTAIotheraccountkey01", "access_key_secret": "other-secret"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": %[1]q, "access_key_secret": %[2]q,
     "ram_role_arn": %[3]q, "ram_session_name": "cloudlock-ci", "expired_seconds": 900},
    {"name": "gha", "mode": "OIDC", "oidc_provider_arn": %[4]q, "oidc_token_file": %[5]q, "ram_role_arn": %[6]q},
    {"name": "runner", "mode": "EcsRamRole", "ram_role_name": %[7]q},
    {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "runner", "ram_role_arn": %[3]q}
  ]
}`, acctest.AlibabaAccessKey, acctest.AlibabaSecretKey, acctest.AlibabaRoleARN, acctest.AlibabaOIDCProviderARN, token,
				acctest.AlibabaOIDCRoleARN, acctest.AlibabaECSRole))
			runAli(t, m, resource.TestStep{
				Config: acctest.AlibabaProviderConfig(m, sts, fmt.Sprintf("    shared_credentials_file = %q\n    profile = %q\n", file, tc.profile)) + aliResource("1"),
				Check:  resource.ComposeTestCheckFunc(unlocked(m, "1"), issuedBy(m, tc.issuer)),
			})
			if tc.profile == "chain" && m.Calls("ecsmetadata.RoleCredentials") == 0 {
				t.Error("the chained profile did not start from the instance's role")
			}
		})
	}
}

// ALIBABA_CLOUD_REGION, the alicloud provider's other name for the region,
// is read when the block sets none.
func TestAccAlibabaCredentials_regionFromEnv(t *testing.T) {
	m, sts := aliMock(t, 1)
	t.Setenv("ALIBABA_CLOUD_REGION", acctest.AlibabaRegion)
	cfg := strings.Replace(acctest.AlibabaProviderConfig(m, sts, keysHCL), fmt.Sprintf("region    = %q", acctest.AlibabaRegion), "", 1)
	if strings.Contains(cfg, acctest.AlibabaRegion) {
		t.Fatal("the configuration still names the region")
	}
	runAli(t, m, resource.TestStep{Config: cfg + aliResource("1"), Check: unlocked(m, "1")})
}
