package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Sources of Huawei credentials other than static keys, through the real
// CLI against the mock's IAM and metadata service. Not parallel: they set
// the process environment the in-process provider reads.

const (
	testAgency   = "cloudlock-ops"
	testDomainID = "d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f" // the mock's account
	testIdP      = "github-actions"
	// A JWT-shaped ID token; the mock's identity provider accepts only it.
	testIDToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvaW5mcmEifQ.c2lnbmF0dXJlLW5vdC1yZWFs"
)

// clearHuaweiEnv unsets every variable that is a source of Huawei
// credentials, and points the metadata service at a closed port.
func clearHuaweiEnv(t *testing.T) {
	t.Helper()
	for _, e := range []string{
		"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN", "HW_REGION_NAME", "HW_PROJECT_ID",
		"HW_SHARED_CONFIG_FILE", "HW_PROFILE", "HW_ASSUME_ROLE_AGENCY_NAME", "HW_ASSUME_ROLE_DOMAIN_NAME",
		"HW_ASSUME_ROLE_DOMAIN_ID", "HW_ASSUME_ROLE_DURATION", "HW_ASSUME_ROLE_IDP_ID", "HW_ASSUME_ROLE_ID_TOKEN_FILE",
		"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_IDP_ID",
		"HUAWEICLOUD_SDK_ID_TOKEN_FILE",
	} {
		t.Setenv(e, "")
	}
	t.Setenv("CLOUDLOCK_HW_METADATA_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
}

// hwProvider is a provider block for the mock with no keys, plus settings.
func hwProvider(m *mockcloud.Server, settings string) string {
	return fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    region    = %q
    endpoints {
      iam = %q
      sms = %q
      ecs = %q
    }
%s
  }
  max_retries = 3
}
`, acctest.HuaweiRegion, m.URL(), m.URL(), m.URL(), settings)
}

func unlockTask(name, id string) string {
	return fmt.Sprintf("resource \"cloudlock_sms_task_unlock\" %q {\n  task_id = %q\n}\n", name, id)
}

func lockServer(name, id string) string {
	return fmt.Sprintf("resource \"cloudlock_ecs_server_lock\" %q {\n  server_id = %q\n}\n", name, id)
}

// writeFile writes a file under the test's temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// hcloudConfig is an hcloud (KooCLI) config.json with a "default" profile of
// wrong keys and a "ci" profile of the mock's keys, optionally with an agency.
func hcloudConfig(t *testing.T, agency string) string {
	t.Helper()
	return writeFile(t, "config.json", fmt.Sprintf(`{
  "language": "en",
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "AKSK", "accessKeyId": "HWWRONGKEY0000000000", "secretAccessKey": "wrong", "region": "cn-north-4"},
    {"name": "ci", "mode": "AKSK", "accessKeyId": %q, "secretAccessKey": %q, "region": %q,
     "agencyName": %q, "agencyDomainName": "mock-domain"}
  ]
}`, acctest.HuaweiAccessKey, acctest.HuaweiSecretKey, acctest.HuaweiRegion, agency))
}

// signedWithTemporaryKeys checks that every call of op was signed by a key
// IAM issued, with its security token.
func signedWithTemporaryKeys(t *testing.T, m *mockcloud.Server, op string) {
	t.Helper()
	n := 0
	for _, e := range m.Journal() {
		if e.Op != op {
			continue
		}
		n++
		if !strings.Contains(e.Header.Get("Authorization"), "Access=HWTMP") || e.Header.Get("X-Security-Token") == "" {
			t.Errorf("%s was not signed with temporary keys: %s", op, e.Header.Get("Authorization"))
		}
	}
	if n == 0 {
		t.Errorf("no %s call", op)
	}
}

func putTasks(m *mockcloud.Server, ids ...string) {
	for _, id := range ids {
		m.PutTask(mockcloud.Task{ID: id, Name: "t", State: "MIGRATE_SUCCESS", Passphrase: "p", TargetServerID: "vm-" + id[:4], TargetLocked: true})
	}
}

func taskN(n int) string { return fmt.Sprintf("7a9a9540-ff28-4869-b9e4-855fbe12a%03d", n) }

// An hcloud profile, chosen by attributes and then by HW_SHARED_CONFIG_FILE
// and HW_PROFILE.
func TestAccHuaweiCredentialsProfile(t *testing.T) {
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	putTasks(m, taskN(1), taskN(2))
	file := hcloudConfig(t, "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: hwProvider(m, fmt.Sprintf("shared_config_file = %q\n    profile = \"ci\"", file)) + unlockTask("a", taskN(1))},
			{
				PreConfig: func() { _ = os.Setenv("HW_SHARED_CONFIG_FILE", file); _ = os.Setenv("HW_PROFILE", "ci") },
				Config:    hwProvider(m, "") + unlockTask("a", taskN(1)) + unlockTask("b", taskN(2)),
			},
		},
	})
	for _, id := range []string{taskN(1), taskN(2)} {
		if tk, _ := m.Task(id); tk.TargetLocked {
			t.Errorf("task %s not unlocked", id)
		}
	}
	if n := m.Calls("auth"); n != 0 {
		t.Errorf("%d calls were refused", n)
	}
}

// profile -> agency: the profile's keys assume the agency, every call is
// signed with the agency's temporary keys, including the project id look-up
// through IAM (X-Security-Token).
func TestAccHuaweiCredentialsProfileThenAgency(t *testing.T) {
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	m.AllowHuaweiAgency("mock-domain", testAgency)
	m.PutECSServer(mockcloud.ECSServer{ID: "c0ffee00-0000-4000-8000-000000000001", Name: "web-01"})
	file := hcloudConfig(t, "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hwProvider(m, fmt.Sprintf(`shared_config_file = %q
    profile = "ci"
    assume_role {
      agency_name = %q
      domain_name = "mock-domain"
      duration    = 3600
    }`, file, testAgency)) + lockServer("web", "c0ffee00-0000-4000-8000-000000000001"),
		}},
	})
	if n, calls := m.HuaweiTemporaryIssued("assume_role"), len(m.Journal()); n == 0 || n*2 > calls {
		t.Errorf("the agency was assumed %d times for %d calls: keys are not shared", n, calls)
	}
	if ak := m.HuaweiAgencyAssumedWith(testAgency); ak != acctest.HuaweiAccessKey {
		t.Errorf("the agency was assumed with %q, want the profile's key", ak)
	}
	signedWithTemporaryKeys(t, m, "iam.KeystoneListProjects")
	signedWithTemporaryKeys(t, m, "ecs.NovaServerAction")
}

// The profile's own agencyName is assumed too, as the huaweicloud provider does.
func TestAccHuaweiCredentialsProfileAgencyFromFile(t *testing.T) {
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	m.AllowHuaweiAgency("mock-domain", testAgency)
	putTasks(m, taskN(3))
	file := hcloudConfig(t, testAgency)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hwProvider(m, fmt.Sprintf("shared_config_file = %q\n    profile = \"ci\"", file)) + unlockTask("a", taskN(3)),
		}},
	})
	signedWithTemporaryKeys(t, m, "sms.UnlockTargetEcs")
}

// Static keys from HW_ACCESS_KEY with the agency from HW_ASSUME_ROLE_*: the
// CI variables of the huaweicloud provider work unchanged.
func TestAccHuaweiCredentialsAgencyFromEnvironment(t *testing.T) {
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	m.AllowHuaweiAgency(testDomainID, testAgency)
	putTasks(m, taskN(4))
	t.Setenv("HW_ACCESS_KEY", acctest.HuaweiAccessKey)
	t.Setenv("HW_SECRET_KEY", acctest.HuaweiSecretKey)
	t.Setenv("HW_ASSUME_ROLE_AGENCY_NAME", testAgency)
	t.Setenv("HW_ASSUME_ROLE_DOMAIN_ID", testDomainID)
	t.Setenv("HW_ASSUME_ROLE_DURATION", "900")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    []resource.TestStep{{Config: hwProvider(m, "") + unlockTask("a", taskN(4))}},
	})
	signedWithTemporaryKeys(t, m, "sms.UnlockTargetEcs")
}

// OIDC federation: the ID token in a file is exchanged for a federated
// token, then for temporary keys — from the attributes, from the
// huaweicloud provider's variables and from the SDK's.
func TestAccHuaweiCredentialsOIDC(t *testing.T) {
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	m.AllowHuaweiIdP(testIdP, testIDToken)
	putTasks(m, taskN(5), taskN(6), taskN(7))
	tokenFile := writeFile(t, "id-token", testIDToken+"\n")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: hwProvider(m, fmt.Sprintf("idp_id = %q\n    id_token_file = %q", testIdP, tokenFile)) + unlockTask("a", taskN(5))},
			{
				PreConfig: func() {
					_ = os.Setenv("HW_ASSUME_ROLE_IDP_ID", testIdP)
					_ = os.Setenv("HW_ASSUME_ROLE_ID_TOKEN_FILE", tokenFile)
				},
				Config: hwProvider(m, "") + unlockTask("a", taskN(5)) + unlockTask("b", taskN(6)),
			},
			{
				PreConfig: func() {
					_ = os.Setenv("HW_ASSUME_ROLE_IDP_ID", "")
					_ = os.Setenv("HW_ASSUME_ROLE_ID_TOKEN_FILE", "")
					_ = os.Setenv("HUAWEICLOUD_SDK_IDP_ID", testIdP)
					_ = os.Setenv("HUAWEICLOUD_SDK_ID_TOKEN_FILE", tokenFile)
				},
				Config: hwProvider(m, "") + unlockTask("a", taskN(5)) + unlockTask("b", taskN(6)) + unlockTask("c", taskN(7)),
			},
		},
	})
	for _, id := range []string{taskN(5), taskN(6), taskN(7)} {
		if tk, _ := m.Task(id); tk.TargetLocked {
			t.Errorf("task %s not unlocked", id)
		}
	}
	signedWithTemporaryKeys(t, m, "sms.UnlockTargetEcs")
	if m.Calls("iam.CreateTokenWithIdToken") == 0 || m.HuaweiTemporaryIssued("token") == 0 {
		t.Error("no ID-token exchange")
	}
}

// OIDC -> agency: the federated keys assume the agency.
func TestAccHuaweiCredentialsOIDCThenAgency(t *testing.T) {
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	m.AllowHuaweiIdP(testIdP, testIDToken)
	m.AllowHuaweiAgency("mock-domain", testAgency)
	putTasks(m, taskN(8))
	tokenFile := writeFile(t, "id-token", testIDToken)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{Config: hwProvider(m, fmt.Sprintf(`idp_id = %q
    id_token_file = %q
    assume_role {
      agency_name = %q
      domain_name = "mock-domain"
    }`, testIdP, tokenFile, testAgency)) + unlockTask("a", taskN(8))}},
	})
	if ak := m.HuaweiAgencyAssumedWith(testAgency); !strings.HasPrefix(ak, "HWTMP") {
		t.Errorf("the agency was assumed with %q, want the federated temporary key", ak)
	}
	if m.HuaweiTemporaryIssued("token") == 0 || m.HuaweiTemporaryIssued("assume_role") == 0 {
		t.Errorf("issued %d federated and %d agency keys", m.HuaweiTemporaryIssued("token"), m.HuaweiTemporaryIssued("assume_role"))
	}
	signedWithTemporaryKeys(t, m, "sms.UnlockTargetEcs")
}

// Nothing set: the ECS instance's agency, through the metadata service.
func TestAccHuaweiCredentialsInstanceMetadata(t *testing.T) {
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	m.SetHuaweiInstanceAgency(true)
	putTasks(m, taskN(9))
	t.Setenv("CLOUDLOCK_HW_METADATA_ENDPOINT", m.URL())
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    []resource.TestStep{{Config: hwProvider(m, "") + unlockTask("a", taskN(9))}},
	})
	if m.Calls("metadata.GetToken") == 0 || m.HuaweiTemporaryIssued("metadata") == 0 {
		t.Error("the metadata service was not asked")
	}
	signedWithTemporaryKeys(t, m, "sms.UnlockTargetEcs")
}

// An apply that outlives the temporary keys: they expire after 4 s, the
// apply runs for 12 s (each unlock takes 1 s, one at a time), and no call is
// refused, because keys are fetched again before they expire. The seconds
// are the mock's and the provider's one fake clock, which each unlock moves
// on: the test waits for none of them.
func TestAccHuaweiCredentialsRefreshDuringLongApply(t *testing.T) {
	clearHuaweiEnv(t)
	clk := acctest.NewClock()
	m := acctest.StartMockWith(t, mockcloud.Options{Now: clk.Now})
	m.AllowHuaweiAgency("mock-domain", testAgency)
	m.SetHuaweiTemporaryTTL(4 * time.Second)
	m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Do: func() { clk.Advance(time.Second) }})
	settings := acctest.ProviderSettings
	settings.Now = clk.Now
	const n = 12
	start := clk.Now()
	applyChainedUnlocks(t, m, acctest.ProviderFactoriesWith(settings), 100, n, "")
	elapsed := clk.Now().Sub(start)
	failed, _, keysUsed := unlockKeys(m)
	t.Logf("apply of %d unlocks (%s in all by the clock): signed with %d agency keys in turn (lifetime 4 s), %d agency fetches, %d calls, %d failed",
		n, elapsed, len(keysUsed), m.HuaweiTemporaryIssued("assume_role"), len(m.Journal()), failed)
	if failed != 0 {
		t.Errorf("%d calls failed", failed)
	}
	if len(keysUsed) < 3 {
		t.Errorf("the apply's unlocks used %d keys over %s with a 4 s lifetime: want at least 3 (two refreshes)", len(keysUsed), elapsed)
	}
	for i := 0; i < n; i++ {
		if tk, _ := m.Task(taskN(100 + i)); tk.TargetLocked {
			t.Errorf("task %d not unlocked", i)
		}
	}
}

// The figure for the notes: an apply of CLOUDLOCK_LONG_APPLY (e.g. 10m)
// through an agency whose keys live 6/10 of it, so that they are renewed
// twice (a third of their life before expiry) while the mock refuses keys
// once expired: with no renewal the last unlocks would fail. Skipped unless
// the variable is set.
func TestAccHuaweiCredentialsLongApply(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("CLOUDLOCK_LONG_APPLY"))
	if err != nil || d < time.Minute {
		t.Skip("set CLOUDLOCK_LONG_APPLY=10m (at least 1m) to run")
	}
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	m.AllowHuaweiAgency("mock-domain", testAgency)
	m.SetHuaweiTemporaryTTL(d * 6 / 10)
	const n = 20
	m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Delay: d / n})
	start := time.Now()
	applyChainedUnlocks(t, m, acctest.ProviderFactories, 200, n, `  timeouts { create = "5m" }`+"\n")
	failed, unlocks, keysUsed := unlockKeys(m)
	t.Logf("apply and checks of %d unlocks over %v: keys lived %v, %d agency key sets fetched, %d used by the unlocks, %d calls, %d failed",
		n, time.Since(start).Round(time.Second), d*6/10, m.HuaweiTemporaryIssued("assume_role"), len(keysUsed), len(m.Journal()), failed)
	if failed != 0 || unlocks < n || len(keysUsed) < 3 {
		t.Errorf("%d failed calls, %d unlocks, %d key sets used by them: want 0, %d, ≥ 3", failed, unlocks, len(keysUsed), n)
	}
}

// applyChainedUnlocks applies n task unlocks (tasks first, first+1, …), each
// after the one before, through the agency testAgency of a CLI profile, with
// the provider of factories; extra is added to each resource block.
func applyChainedUnlocks(t *testing.T, m *mockcloud.Server, factories map[string]func() (tfprotov6.ProviderServer, error), first, n int, extra string) {
	var resources strings.Builder
	for i := 0; i < n; i++ {
		putTasks(m, taskN(first+i))
		fmt.Fprintf(&resources, "resource \"cloudlock_sms_task_unlock\" \"t%d\" {\n  task_id = %q\n", i, taskN(first+i))
		if i > 0 {
			fmt.Fprintf(&resources, "  depends_on = [cloudlock_sms_task_unlock.t%d]\n", i-1)
		}
		resources.WriteString(extra + "}\n")
	}
	file := hcloudConfig(t, "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{Config: hwProvider(m, fmt.Sprintf(`shared_config_file = %q
    profile = "ci"
    assume_role {
      agency_name = %q
      domain_name = "mock-domain"
    }`, file, testAgency)) + resources.String()}},
	})
}

// unlockKeys reads the journal: the calls that failed (refused, or an
// "auth" entry: keys the mock would not take), the unlocks, and the
// temporary access keys that signed them.
func unlockKeys(m *mockcloud.Server) (failed, unlocks int, keysUsed map[string]bool) {
	keysUsed = map[string]bool{}
	for _, e := range m.Journal() {
		if e.Status >= 400 || e.Op == "auth" {
			failed++
		}
		if e.Op == "sms.UnlockTargetEcs" {
			unlocks++
			keysUsed[regexp.MustCompile(`Access=(\w+)`).FindStringSubmatch(e.Header.Get("Authorization"))[1]] = true
		}
	}
	return failed, unlocks, keysUsed
}

// Failures: each names its cause and the setting that chose the source; a
// bad attribute or file costs no call, a refused exchange is not retried.
func TestAccHuaweiCredentialsFailures(t *testing.T) {
	clearHuaweiEnv(t)
	m := acctest.StartMock(t)
	m.AllowHuaweiIdP(testIdP, testIDToken)
	putTasks(m, taskN(10))
	file := hcloudConfig(t, "")
	wrongToken := writeFile(t, "wrong-token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzb21lb25lLWVsc2UifQ.bm90LXZhbGlk")
	emptyToken := writeFile(t, "empty-token", "")
	res := unlockTask("a", taskN(10))
	keys := fmt.Sprintf("access_key = %q\n    secret_key = %q\n", acctest.HuaweiAccessKey, acctest.HuaweiSecretKey)
	zeroCalls := func(step string) func() {
		return func() {
			if n := len(m.Journal()); n != 0 {
				t.Errorf("%s: %d API calls, want 0", step, n)
			}
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			// Plan-time validation: no call.
			{Config: hwProvider(m, keys+`    assume_role {
      agency_name = "ops/admin"
      domain_name = "d"
    }`) + res,
				ExpectError: inOrder("Attribute huaweicloud.assume_role.agency_name must be 1 to 64 letters, digits, spaces and - _ . characters, got: ops/admin")},
			{PreConfig: zeroCalls("bad agency name"),
				Config: hwProvider(m, keys+`    assume_role {
      agency_name = "ops"
      domain_name = "d"
      duration = 60
    }`) + res,
				ExpectError: inOrder("Attribute huaweicloud.assume_role.duration value must be between 900 and 86400, got: 60")},
			{PreConfig: zeroCalls("short duration"),
				Config:      hwProvider(m, keys+`    assume_role { agency_name = "ops" }`) + res,
				ExpectError: acctest.WrappedError("huaweicloud.assume_role: set domain_name or domain_id")},
			{PreConfig: zeroCalls("no domain"),
				Config:      hwProvider(m, `idp_id = "x"`) + res,
				ExpectError: inOrder("id_token_file", "must be specified when", "idp_id")},
			{Config: hwProvider(m, fmt.Sprintf("idp_id = %q\n    id_token_file = %q", testIdP, filepath.Join(t.TempDir(), "gone"))) + res,
				ExpectError: inOrder("huaweicloud.id_token_file (set by huaweicloud.id_token_file): cannot read the ID token file", `gone": no such file or directory`)},
			{PreConfig: zeroCalls("missing token file"),
				Config:      hwProvider(m, fmt.Sprintf("shared_config_file = %q\n    profile = \"prod\"", file)) + res,
				ExpectError: inOrder("huaweicloud.profile: the shared config file", `config.json has no profile "prod" (it has "default", "ci")`)},
			{Config: hwProvider(m, fmt.Sprintf("shared_config_file = %q", filepath.Join(t.TempDir(), "nope.json"))) + res,
				ExpectError: inOrder("huaweicloud.shared_config_file: reading the shared config file", "nope.json: no such file or directory")},
			{Config: hwProvider(m, `assume_role {
      agency_name = "x"
      domain_name = "d"
    }`) + res,
				ExpectError: inOrder("missing access_key (huaweicloud.access_key or HW_ACCESS_KEY)", "Sources of credentials tried, in order:", "1. access keys", "2. OIDC",
					"3. the SDK's environment", "4. profile", "5. the SDK's credentials file", "6. the ECS instance's agency: metadata service http://127.0.0.1:1")},
			// An empty token file is read at the exchange: no call either.
			{PreConfig: zeroCalls("nothing set"),
				Config:      hwProvider(m, fmt.Sprintf("idp_id = %q\n    id_token_file = %q", testIdP, emptyToken)) + res,
				ExpectError: inOrder("the ID token file", "empty-token is empty")},
			// Refused exchanges: the cloud's code, message and request id,
			// the setting that chose them, one call (no retry).
			{PreConfig: zeroCalls("empty token file"),
				Config: hwProvider(m, fmt.Sprintf("idp_id = %q\n    id_token_file = %q", testIdP, wrongToken)) + res,
				ExpectError: inOrder(`OIDC federation with identity provider "github-actions"`, "(huaweicloud.idp_id) failed:",
					"iam.CreateTokenWithIdToken: HTTP 401, error code IAM.0001: The id_token is invalid", "(request id: ")},
			{PreConfig: func() {
				if n := m.Calls("iam.CreateTokenWithIdToken"); n != 1 {
					t.Errorf("refused ID-token exchange sent %d times, want 1", n)
				}
			},
				Config: hwProvider(m, keys+fmt.Sprintf(`    assume_role {
      agency_name = %q
      domain_name = "mock-domain"
    }`, testAgency)) + res,
				ExpectError: inOrder(`assuming agency "cloudlock-ops" of domain "mock-domain" (huaweicloud.assume_role)`,
					"iam.CreateTemporaryAccessKeyByAgency: HTTP 403, error code IAM.0002: You are not authorized", "(request id: ")},
		},
	})
	if n := m.Calls("iam.CreateTemporaryAccessKey"); n != 1 {
		t.Errorf("refused agency sent %d times, want 1", n)
	}
	if tk, _ := m.Task(taskN(10)); !tk.TargetLocked {
		t.Error("a failed plan unlocked the task")
	}
}

// inOrder matches each part, in order, in terraform's wrapped output.
func inOrder(parts ...string) *regexp.Regexp {
	res := make([]string, len(parts))
	for i, p := range parts {
		res[i] = acctest.WrappedError(p).String()
	}
	return regexp.MustCompile(`(?s)` + strings.Join(res, `.*`))
}

var logEntryStart = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT`)

// The agency is assumed at plan time (ModifyPlan checks the credentials),
// with the plan request's context: at TF_LOG=trace the exchange is logged
// as part of PlanResourceChange, not lost to a context of its own.
func TestAccHuaweiCredentialsPlanTimeExchangeTraced(t *testing.T) {
	clearHuaweiEnv(t)
	logDir := t.TempDir()
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(logDir, "terraform.log"))
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
	m := acctest.StartMock(t)
	m.AllowHuaweiAgency("mock-domain", testAgency)
	putTasks(m, taskN(7))
	file := hcloudConfig(t, "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hwProvider(m, fmt.Sprintf(`shared_config_file = %q
    profile = "ci"
    assume_role {
      agency_name = %q
      domain_name = "mock-domain"
    }`, file, testAgency)) + unlockTask("a", taskN(7)),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
	if n := m.HuaweiTemporaryIssued("assume_role"); n == 0 {
		t.Fatal("the plan assumed no agency: the test would prove nothing")
	}
	files, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
	traced := false
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// An entry starts with its time stamp; long ones go on over more lines.
		for _, entry := range logEntryStart.Split(string(b), -1) {
			if strings.Contains(entry, "cloudlock: cloud request") && strings.Contains(entry, "/v3.0/OS-CREDENTIAL/securitytokens") &&
				strings.Contains(entry, "tf_rpc=PlanResourceChange") {
				traced = true
			}
		}
	}
	if !traced {
		t.Errorf("no trace line of the agency exchange within PlanResourceChange in %v", files)
	}
}
