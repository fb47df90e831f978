package conns_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// The order of precedence of the Alibaba Cloud credential sources: the
// official provider's (keys, profile, instance role, OIDC, credentials URI).
func TestAlibabaSourcePrecedence(t *testing.T) {
	oidc := &conns.AlibabaAssumeRoleWithOIDC{RoleARN: "r"}
	all := conns.AlibabaConfig{AccessKey: "a", SecretKey: "s", Profile: "p", ECSRoleName: "e", AssumeRoleWithOIDC: oidc, CredentialsURI: "http://x"}
	cases := []struct {
		name string
		drop func(*conns.AlibabaConfig)
		want string
	}{
		{"everything set: keys", func(*conns.AlibabaConfig) {}, conns.AlibabaSourceKeys},
		{"only the secret key still chooses keys (to report the missing id)", func(c *conns.AlibabaConfig) { c.AccessKey = "" }, conns.AlibabaSourceKeys},
		{"no keys: profile", func(c *conns.AlibabaConfig) { c.AccessKey, c.SecretKey = "", "" }, conns.AlibabaSourceProfile},
		{"a credentials file alone chooses the profile", func(c *conns.AlibabaConfig) {
			c.AccessKey, c.SecretKey, c.Profile, c.SharedCredentialsFile = "", "", "", "/f"
		}, conns.AlibabaSourceProfile},
		{"no profile: instance role", func(c *conns.AlibabaConfig) { c.AccessKey, c.SecretKey, c.Profile = "", "", "" }, conns.AlibabaSourceECSRole},
		{"no instance role: OIDC", func(c *conns.AlibabaConfig) { c.AccessKey, c.SecretKey, c.Profile, c.ECSRoleName = "", "", "", "" }, conns.AlibabaSourceOIDC},
		{"no OIDC: credentials URI", func(c *conns.AlibabaConfig) {
			c.AccessKey, c.SecretKey, c.Profile, c.ECSRoleName, c.AssumeRoleWithOIDC = "", "", "", "", nil
		}, conns.AlibabaSourceURI},
		{"nothing", func(c *conns.AlibabaConfig) {
			*c = conns.AlibabaConfig{AssumeRole: &conns.AlibabaAssumeRole{RoleARN: "r"}}
		}, ""},
	}
	for _, tc := range cases {
		c := all
		tc.drop(&c)
		if got := c.AlibabaSource(); got != tc.want {
			t.Errorf("%s: source %q, want %q", tc.name, got, tc.want)
		}
	}
}

// With nothing set, the error lists every source it tried, in order; an
// assume_role alone does not count as a source.
func TestAlibabaNothingFoundNamesEverySource(t *testing.T) {
	c := conns.New(conns.Config{Alibaba: conns.AlibabaConfig{Region: "cn-hangzhou", AssumeRole: &conns.AlibabaAssumeRole{RoleARN: "acs:ram::1:role/x"}}})
	err := c.CheckAlibaba()
	if !conns.IsCredentialsError(err) {
		t.Fatalf("want a credentials error, got %v", err)
	}
	msg := err.Error()
	last := -1
	for _, s := range []string{"ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_ECS_METADATA", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_CREDENTIALS_URI"} {
		i := strings.Index(msg, s)
		if i <= last {
			t.Fatalf("%s missing or out of order in:\n%s", s, msg)
		}
		last = i
	}
}

func TestCheckAlibabaProfile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "config.json")
	_ = os.WriteFile(good, []byte(`{"current":"a","profiles":[{"name":"a","mode":"AK"},{"name":"b","mode":"CloudSSO"}]}`), 0o600)
	secret := "super-secret-value-never-shown"
	broken := filepath.Join(dir, "broken.json")
	_ = os.WriteFile(broken, []byte(`{"profiles":[{"name":"a","access_key_secret":"`+secret+`"`), 0o600)
	chains := filepath.Join(dir, "chains.json")
	_ = os.WriteFile(chains, []byte(`{"profiles":[
		{"name":"loop","mode":"ChainableRamRoleArn","source_profile":"x"},
		{"name":"x","mode":"ChainableRamRoleArn","source_profile":"loop"},
		{"name":"orphan","mode":"ChainableRamRoleArn"},
		{"name":"to-sso","mode":"ChainableRamRoleArn","source_profile":"sso"},
		{"name":"sso","mode":"CloudSSO"}]}`), 0o600)
	if name, err := conns.CheckAlibabaProfile(good, ""); err != nil || name != "a" {
		t.Errorf("current profile: %q %v", name, err)
	}
	for _, tc := range []struct{ file, profile, want string }{
		{good, "c", `profile "c" is not in the shared credentials file ` + good + ` (it has: a, b)`},
		{good, "b", `mode "CloudSSO"`},
		{broken, "a", broken + " is not valid JSON"},
		{filepath.Join(dir, "none.json"), "a", "cannot read the shared credentials file " + filepath.Join(dir, "none.json")},
		{chains, "loop", `the source_profile chain of profile "loop" in ` + chains + ` goes round in a loop: loop → x → loop`},
		{chains, "orphan", `profile "orphan" in ` + chains + ` has mode ChainableRamRoleArn but no source_profile`},
		{chains, "to-sso", `profile "sso" in ` + chains + ` has mode "CloudSSO"`},
	} {
		_, err := conns.CheckAlibabaProfile(tc.file, tc.profile)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: %v, want %q", tc.file, tc.profile, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("the error quotes the file's secret: %v", err)
		}
	}
}

func TestAlibabaShapes(t *testing.T) {
	for _, ok := range []string{"acs:ram::1234567890123456:role/terraform", "acs:ram::1:role/a.b-c_d"} {
		if err := conns.CheckAlibabaRoleARN(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "acs:ram::x:role/a", "acs:ram::1:user/a", "arn:aws:iam::1:role/a", "acs:ram::1:role/", "acs:ram::1:role/a b"} {
		if conns.CheckAlibabaRoleARN(bad) == nil {
			t.Errorf("%q accepted as a role ARN", bad)
		}
	}
	if conns.CheckAlibabaOIDCProviderARN("acs:ram::1:oidc-provider/GitHub") != nil || conns.CheckAlibabaOIDCProviderARN("acs:ram::1:role/x") == nil {
		t.Error("OIDC provider ARN shape")
	}
	for n, ok := range map[int]bool{899: false, 900: true, 3600: true, 43200: true, 43201: false} {
		if (conns.CheckAlibabaSessionExpiration(n) == nil) != ok {
			t.Errorf("session expiration %d: want ok=%v", n, ok)
		}
	}
}

// A refusal is asked once per provider process, however many calls need
// credentials, concurrently or not.
func TestAlibabaRefusalAskedOnce(t *testing.T) {
	m := acctest.StartMock(t)
	sts := acctest.AlibabaSTS(t, m)
	c := conns.New(conns.Config{MaxRetries: 3, Alibaba: conns.AlibabaConfig{
		Region: acctest.AlibabaRegion, AccessKey: acctest.AlibabaAccessKey, SecretKey: acctest.AlibabaSecretKey,
		Endpoints:  conns.AlibabaEndpoints{Bastionhost: m.URL(), STS: sts},
		AssumeRole: &conns.AlibabaAssumeRole{RoleARN: "acs:ram::1:role/missing", From: "alicloud.assume_role.role_arn"},
	}})
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = c.CheckAlibaba() }()
	}
	wg.Wait()
	for _, err := range errs {
		var ce *conns.AlibabaCredentialsError
		if !errors.As(err, &ce) || !ce.Permanent || !strings.Contains(err.Error(), "EntityNotExist.Role") {
			t.Fatalf("want a permanent refusal, got %v", err)
		}
	}
	if n := m.Calls("sts.AssumeRole"); n != 1 {
		t.Errorf("AssumeRole asked %d times, want 1", n)
	}
}

// Temporary credentials are fetched once and shared by concurrent calls.
func TestAlibabaTemporaryCredentialsShared(t *testing.T) {
	m := acctest.StartMock(t)
	sts := acctest.AlibabaSTS(t, m)
	m.AddRole(acctest.AlibabaRoleARN)
	c := conns.New(conns.Config{Alibaba: conns.AlibabaConfig{
		Region: acctest.AlibabaRegion, AccessKey: acctest.AlibabaAccessKey, SecretKey: acctest.AlibabaSecretKey,
		Endpoints:  conns.AlibabaEndpoints{Bastionhost: m.URL(), STS: sts},
		AssumeRole: &conns.AlibabaAssumeRole{RoleARN: acctest.AlibabaRoleARN},
	}})
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.CheckAlibaba(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := m.Calls("sts.AssumeRole"); n != 1 {
		t.Errorf("AssumeRole asked %d times for 16 concurrent calls, want 1", n)
	}
}
