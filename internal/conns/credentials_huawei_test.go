package conns_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// hwEnv is every variable the sources read; tests start from none of them.
var hwEnv = []string{
	"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_ASSUME_ROLE_IDP_ID", "HW_ASSUME_ROLE_ID_TOKEN_FILE",
	"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_IDP_ID", "HUAWEICLOUD_SDK_ID_TOKEN_FILE",
}

func huaweiConfig(m *mockcloud.Server) conns.HuaweiConfig {
	return conns.HuaweiConfig{Region: acctest.HuaweiRegion, Endpoints: conns.HuaweiEndpoints{IAM: m.URL(), SMS: m.URL(), ECS: m.URL()}}
}

// The first source that is set wins, in the documented order: keys in the
// configuration, OIDC in the configuration, keys in the environment, OIDC
// in the environment, the SDK's environment, the hcloud profile, the SDK's
// credentials file, the instance's metadata.
func TestHuaweiSourceOrder(t *testing.T) {
	m := acctest.StartMock(t)
	m.AllowHuaweiIdP("idp", "tok")
	m.SetHuaweiInstanceAgency(true)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	sdkFile := filepath.Join(dir, "credentials")
	for f, content := range map[string]string{
		tokenFile: "tok",
		sdkFile:   fmt.Sprintf("[basic]\nak = %s\nsk = %s\n", acctest.HuaweiAccessKey, acctest.HuaweiSecretKey),
	} {
		if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfgOIDC := &conns.HuaweiOIDC{IdpID: "idp", IDTokenFile: tokenFile, Origin: "huaweicloud.idp_id"}
	envOIDC := &conns.HuaweiOIDC{IdpID: "idp", IDTokenFile: tokenFile, Origin: conns.EnvHuaweiIdpID}
	profile := &conns.HuaweiProfile{File: "config.json", Name: "ci", AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey}

	type set struct {
		keys, keysFromEnv bool
		oidc              *conns.HuaweiOIDC
		sdkEnv, profile   bool
		sdkFile, metadata bool
	}
	all := set{keys: true, oidc: cfgOIDC, sdkEnv: true, profile: true, sdkFile: true, metadata: true}
	tests := []struct {
		name string
		set  set
		want string
	}{
		{"configuration keys beat everything", all, "access keys (huaweicloud.access_key, huaweicloud.secret_key)"},
		{"configuration OIDC beats keys from the environment", set{keys: true, keysFromEnv: true, oidc: cfgOIDC, sdkEnv: true}, `OIDC federation with identity provider "idp"`},
		{"environment keys beat environment OIDC", set{keys: true, keysFromEnv: true, oidc: envOIDC, sdkEnv: true}, "access keys (HW_ACCESS_KEY, HW_SECRET_KEY)"},
		{"environment OIDC beats the SDK's environment", set{oidc: envOIDC, sdkEnv: true, profile: true}, "(HW_ASSUME_ROLE_IDP_ID)"},
		{"the SDK's environment beats the profile", set{sdkEnv: true, profile: true, sdkFile: true}, "the SDK's environment (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)"},
		{"the profile beats the SDK's file", set{profile: true, sdkFile: true, metadata: true}, `profile "ci" of config.json`},
		{"the SDK's file beats the metadata", set{sdkFile: true, metadata: true}, "the SDK's credentials file " + sdkFile},
		{"the metadata last", set{metadata: true}, "the ECS instance's agency (metadata service " + m.URL() + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, e := range hwEnv {
				t.Setenv(e, "")
			}
			t.Setenv(conns.EnvHuaweiSDKCredentials, filepath.Join(dir, "none"))
			t.Setenv(conns.EnvHuaweiMetadataEndpoint, "http://127.0.0.1:1")
			h := huaweiConfig(m)
			if tt.set.keys {
				h.AccessKey, h.SecretKey, h.KeysFromEnv = acctest.HuaweiAccessKey, acctest.HuaweiSecretKey, tt.set.keysFromEnv
			}
			h.OIDC = tt.set.oidc
			if tt.set.sdkEnv {
				t.Setenv("HUAWEICLOUD_SDK_AK", acctest.HuaweiAccessKey)
				t.Setenv("HUAWEICLOUD_SDK_SK", acctest.HuaweiSecretKey)
			}
			if tt.set.profile {
				h.Profile = profile
			}
			if tt.set.sdkFile {
				t.Setenv(conns.EnvHuaweiSDKCredentials, sdkFile)
			}
			if tt.set.metadata {
				t.Setenv(conns.EnvHuaweiMetadataEndpoint, m.URL())
			}
			c := conns.New(conns.Config{Huawei: h})
			if err := c.CheckHuawei(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := c.HuaweiCredentialSource(); !strings.Contains(got, tt.want) {
				t.Errorf("source %q, want %q", got, tt.want)
			}
			// The source's keys open the mock: the project look-up works.
			if _, err := c.HuaweiProjectID(context.Background(), ""); err != nil {
				t.Errorf("a call with the keys of %s: %v", c.HuaweiCredentialSource(), err)
			}
		})
	}
}

// Concurrent calls share one fetch of the agency's keys.
func TestHuaweiAgencyKeysFetchedOnceForConcurrentCalls(t *testing.T) {
	m := acctest.StartMock(t)
	m.AllowHuaweiAgency("mock-domain", "ops")
	h := huaweiConfig(m)
	h.AccessKey, h.SecretKey = acctest.HuaweiAccessKey, acctest.HuaweiSecretKey
	h.AssumeRole = &conns.HuaweiAssumeRole{AgencyName: "ops", DomainName: "mock-domain", Origin: "huaweicloud.assume_role"}
	c := conns.New(conns.Config{Huawei: h})
	var wg sync.WaitGroup
	regions := []string{"cn-north-4", "cn-north-1", "cn-east-3", "cn-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "af-south-1"}
	for _, r := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.HuaweiProjectID(context.Background(), r) // only cn-north-4 has a project; every call is signed
		}()
	}
	wg.Wait()
	if n := m.Calls("iam.KeystoneListProjects"); n != len(regions) {
		t.Fatalf("%d project look-ups, want %d", n, len(regions))
	}
	if n := m.HuaweiTemporaryIssued("assume_role"); n != 1 || c.HuaweiCredentialFetches() != 1 {
		t.Errorf("agency assumed %d times (client counted %d) for %d concurrent calls, want once", n, c.HuaweiCredentialFetches(), len(regions))
	}
	if m.Calls("auth") != 0 {
		t.Errorf("%d calls refused", m.Calls("auth"))
	}
}

// Keys are fetched again before they expire: a third of their life before,
// at most 5 minutes; a call before that reuses them, and none is refused.
// The mock and the client read one fake clock, so the test waits for none
// of it.
func TestHuaweiKeysRenewedBeforeExpiry(t *testing.T) {
	clk := acctest.NewClock()
	m := mockcloud.StartT(t, mockcloud.Options{
		Huawei:    mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey},
		ProjectID: acctest.ProjectID, Region: acctest.HuaweiRegion, Now: clk.Now,
	})
	m.AllowHuaweiAgency("mock-domain", "ops")
	m.SetHuaweiTemporaryTTL(time.Hour) // renewed 5 minutes before expiry
	h := huaweiConfig(m)
	h.AccessKey, h.SecretKey = acctest.HuaweiAccessKey, acctest.HuaweiSecretKey
	h.AssumeRole = &conns.HuaweiAssumeRole{AgencyName: "ops", DomainName: "mock-domain", Origin: "huaweicloud.assume_role"}
	c := conns.New(conns.Config{Huawei: h, Test: conns.TestSettings{Now: clk.Now}})
	for i, step := range []struct {
		after   time.Duration // since the call before
		ttl     time.Duration // of the keys issued from now on, if set
		fetches int64         // keys fetched so far, after the call
	}{
		{0, 0, 1},
		{55*time.Minute - time.Second, 0, 1}, // 5 min 1 s left: kept
		{time.Second, 0, 2},                  // 5 min left: renewed
		{55 * time.Minute, 0, 3},             // renewed again, at 5 min left
		{54 * time.Minute, 3 * time.Minute, 3},
		{time.Minute, 0, 4},                 // renewed, now for 3 minutes
		{2*time.Minute - time.Second, 0, 4}, // 1 min 1 s left: kept
		{time.Second, 0, 5},                 // a third of their life left: renewed
	} {
		if step.ttl != 0 {
			m.SetHuaweiTemporaryTTL(step.ttl)
		}
		clk.Advance(step.after)
		// A new region each time: a real call each time, not the cached project id.
		if _, err := c.HuaweiProjectID(context.Background(), conns.HuaweiRegions[i]); err != nil && !strings.Contains(err.Error(), "has no project") {
			t.Fatalf("call %d: %v", i, err)
		}
		if n := c.HuaweiCredentialFetches(); n != step.fetches {
			t.Errorf("after call %d (+%v): keys fetched %d times, want %d", i, step.after, n, step.fetches)
		}
	}
	if m.Calls("auth") != 0 {
		t.Errorf("%d calls refused (expired keys used)", m.Calls("auth"))
	}
}

// A refresh that fails (the ID token file gone) fails the call with the
// file's name, and is not retried.
func TestHuaweiRefreshFailureNamesTheFile(t *testing.T) {
	clk := acctest.NewClock()
	m := mockcloud.StartT(t, mockcloud.Options{
		Huawei:    mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey},
		ProjectID: acctest.ProjectID, Region: acctest.HuaweiRegion, Now: clk.Now,
	})
	m.AllowHuaweiIdP("idp", "tok")
	m.SetHuaweiTemporaryTTL(time.Hour)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("tok"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := huaweiConfig(m)
	h.OIDC = &conns.HuaweiOIDC{IdpID: "idp", IDTokenFile: tokenFile, Origin: "huaweicloud.idp_id"}
	c := conns.New(conns.Config{Huawei: h, MaxRetries: 3, Test: conns.TestSettings{Now: clk.Now}})
	if err := c.CheckHuawei(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(tokenFile)
	clk.Advance(55 * time.Minute) // the keys are due for renewal
	_, err := c.HuaweiProjectID(context.Background(), "")
	if err == nil || !strings.Contains(err.Error(), "reading the ID token file "+tokenFile+": no such file or directory") {
		t.Fatalf("got %v", err)
	}
	if n := m.Calls("iam.CreateTokenWithIdToken"); n != 1 {
		t.Errorf("%d exchanges, want 1", n)
	}
}

// A profile that cannot be used names the file and the profile.
func TestLoadHuaweiProfileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("config.json", `{"current":"a","profiles":[{"name":"a","mode":"AKSK","accessKeyId":"AK","secretAccessKey":"SK","region":"cn-north-4","agencyName":"ops","agencyDomainName":"d"},
		{"name":"sso","mode":"SSO"}]}`)
	p, err := conns.LoadHuaweiProfile(good, "")
	if err != nil || p.Name != "a" || p.AccessKey != "AK" || p.Region != "cn-north-4" || p.Agency == nil || p.Agency.AgencyName != "ops" {
		t.Fatalf("current profile: %+v %v", p, err)
	}
	for _, tt := range []struct{ file, profile, want string }{
		{good, "b", `has no profile "b" (it has "a", "sso")`},
		{good, "sso", `profile "sso" of the shared config file ` + good + ` has no accessKeyId and secretAccessKey (mode "SSO")`},
		{write("broken.json", "{"), "", "is not an hcloud config.json"},
		{write("nocurrent.json", `{"profiles":[{"name":"x"}]}`), "", `names no current profile; set huaweicloud.profile (or HW_PROFILE) to one of "x"`},
		{filepath.Join(dir, "missing.json"), "a", "reading the shared config file " + filepath.Join(dir, "missing.json") + ": no such file or directory"},
	} {
		if _, err := conns.LoadHuaweiProfile(tt.file, tt.profile); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %q: got %v, want %q", tt.file, tt.profile, err, tt.want)
		}
	}
}

// A resolution that failed is not kept: a plan whose context ended while
// the source was being looked for does not leave the process without
// credentials, and a source that appears later (here the instance's agency,
// found through the metadata service) is used by the next caller.
func TestHuaweiSourceFailureNotKept(t *testing.T) {
	m := acctest.StartMock(t)
	m.SetHuaweiInstanceAgency(true)
	for _, e := range hwEnv {
		t.Setenv(e, "")
	}
	t.Setenv(conns.EnvHuaweiSDKCredentials, filepath.Join(t.TempDir(), "none"))
	t.Setenv(conns.EnvHuaweiMetadataEndpoint, m.URL())
	c := conns.New(conns.Config{Huawei: huaweiConfig(m)})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.CheckHuawei(cancelled); err == nil {
		t.Fatal("a check with a cancelled context found a source")
	}
	if err := c.CheckHuawei(context.Background()); err != nil {
		t.Fatalf("the next check kept the cancelled one's failure: %v", err)
	}
	if got, want := c.HuaweiCredentialSource(), "the ECS instance's agency"; !strings.Contains(got, want) {
		t.Errorf("source %q, want %q", got, want)
	}

	// Nothing set at all, then keys in the SDK's environment: found.
	t.Setenv(conns.EnvHuaweiMetadataEndpoint, "http://127.0.0.1:1")
	c = conns.New(conns.Config{Huawei: huaweiConfig(m)})
	if err := c.CheckHuawei(context.Background()); !conns.IsCredentialsError(err) {
		t.Fatalf("no source set: %v", err)
	}
	t.Setenv("HUAWEICLOUD_SDK_AK", acctest.HuaweiAccessKey)
	t.Setenv("HUAWEICLOUD_SDK_SK", acctest.HuaweiSecretKey)
	if err := c.CheckHuawei(context.Background()); err != nil {
		t.Fatalf("keys set after a failed resolution: %v", err)
	}
}

// A metadata service without session tokens (IMDSv1) answers the token
// request 404, 405 or 503: like the SDK's metadata accessor, the provider
// then asks for the keys without a token, and they sign calls. Any other
// answer to the token request is an error, as in the SDK.
// Not parallel: it sets process environment.
func TestHuaweiMetadataWithoutTokens(t *testing.T) {
	for _, status := range []int{404, 405, 503, 500} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			m := acctest.StartMock(t)
			m.SetHuaweiInstanceAgency(true)
			m.SetHuaweiMetadataV1(status)
			t.Setenv(conns.EnvHuaweiMetadataEndpoint, m.URL())
			c := conns.New(conns.Config{Huawei: huaweiConfig(m)})
			err := c.CheckHuawei(context.Background())
			if status == 500 {
				if err == nil || !strings.Contains(err.Error(), "PUT /meta-data/latest/api/token: HTTP 500") {
					t.Fatalf("token answer 500: %v, want the SDK's error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("token answer %d: %v", status, err)
			}
			if !strings.Contains(c.HuaweiCredentialSource(), "the ECS instance's agency") {
				t.Errorf("source %q", c.HuaweiCredentialSource())
			}
			if _, err := c.HuaweiProjectID(context.Background(), ""); err != nil {
				t.Errorf("a call signed with the instance's keys: %v", err)
			}
			if m.Calls("metadata.GetToken") != 1 || m.Calls("metadata.GetSecurityKey") != 1 {
				t.Errorf("metadata calls: %d token, %d key", m.Calls("metadata.GetToken"), m.Calls("metadata.GetSecurityKey"))
			}
		})
	}
}

// Keys the cloud refuses are named by their source: a profile's keys as
// the profile and its file, so the message leads to the file to fix.
func TestHuaweiRefusedKeysNameTheirSource(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	h := huaweiConfig(m)
	h.Profile = &conns.HuaweiProfile{File: "/home/ci/.hcloud/config.json", Name: "ci", AccessKey: acctest.HuaweiAccessKey, SecretKey: "not-the-secret"}
	c := conns.New(conns.Config{Huawei: h})
	_, err := c.HuaweiProjectID(context.Background(), "")
	if !conns.IsCredentialsRefused(err) || conns.IsNotFound(err) || conns.IsForbidden(err) {
		t.Fatalf("err = %v", err)
	}
	want := `Huawei Cloud refused the profile "ci" of /home/ci/.hcloud/config.json: check that the access key and its secret are right`
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "error code APIGW.0301") || !strings.Contains(err.Error(), "(request id: ") {
		t.Errorf("error %q lacks %q, the code or the request id", err, want)
	}
}
