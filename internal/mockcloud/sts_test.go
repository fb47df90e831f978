package mockcloud_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

const stsRole = "acs:ram::1234567890123456:role/deployer"

// aliRPC sends an ACS3-signed RPC action with form params; token, if set,
// is the x-acs-security-token.
func aliRPC(t *testing.T, base, action, ak, secret, token string, params url.Values) (int, map[string]any) {
	t.Helper()
	body := []byte(params.Encode())
	r, _ := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(string(body)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", "2015-04-01")
	if token != "" {
		r.Header.Set("x-acs-security-token", token)
	}
	if ak != "" {
		if err := signature.SignAlibabaACS3(r, body, ak, secret, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// AssumeRole checks the caller's signature and the role; the credentials
// it hands out open Bastionhost until they expire, then are refused.
func TestSTSAssumeRoleAndExpiry(t *testing.T) {
	clk := acctest.NewClock()
	m := mockcloud.StartT(t, mockcloud.Options{Now: clk.Now})
	m.AddRole(stsRole)
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: "bh-1", Users: []mockcloud.BastionhostUser{{UserID: "1", UserName: "u"}}})
	ak, sk := mockcloud.DemoAlibaba.AccessKey, mockcloud.DemoAlibaba.SecretKey
	ask := url.Values{"RoleArn": {stsRole}, "RoleSessionName": {"s"}, "DurationSeconds": {"900"}}

	if st, out := aliRPC(t, m.URL(), "AssumeRole", ak, "wrong-secret", "", ask); st != 400 || out["Code"] != "SignatureDoesNotMatch" {
		t.Fatalf("wrong secret: %d %v", st, out)
	}
	other := url.Values{"RoleArn": {"acs:ram::1:role/other"}, "RoleSessionName": {"s"}}
	if st, out := aliRPC(t, m.URL(), "AssumeRole", ak, sk, "", other); st != 404 || out["Code"] != "EntityNotExist.Role" || out["RequestId"] == "" {
		t.Fatalf("unknown role: %d %v", st, out)
	}
	if st, out := aliRPC(t, m.URL(), "AssumeRole", ak, sk, "", url.Values{"RoleArn": {stsRole}, "RoleSessionName": {"s"}, "DurationSeconds": {"60"}}); st != 400 {
		t.Fatalf("DurationSeconds 60: %d %v", st, out)
	}

	m.SetCredentialLifetime(1500 * time.Millisecond)
	st, out := aliRPC(t, m.URL(), "AssumeRole", ak, sk, "", ask)
	creds, _ := out["Credentials"].(map[string]any)
	if st != 200 || creds == nil {
		t.Fatalf("AssumeRole: %d %v", st, out)
	}
	tak, tsk, tok := creds["AccessKeyId"].(string), creds["AccessKeySecret"].(string), creds["SecurityToken"].(string)
	if _, err := time.Parse("2006-01-02T15:04:05Z", creds["Expiration"].(string)); err != nil || !strings.HasPrefix(tak, "STS.") {
		t.Fatalf("credentials not shaped as STS answers them: %v", creds)
	}
	list := url.Values{"InstanceId": {"bh-1"}, "RegionId": {"cn-hangzhou"}}
	if st, out := aliRPC(t, m.URL(), "ListUsers", tak, tsk, tok, list); st != 200 {
		t.Fatalf("temporary credentials refused: %d %v", st, out)
	}
	if st, out := aliRPC(t, m.URL(), "ListUsers", tak, tsk, "", list); st != 400 || out["Code"] != "InvalidSecurityToken.MismatchWithAccessKey" {
		t.Fatalf("temporary key without its token: %d %v", st, out)
	}
	// Expiration is in whole seconds: at most 1.5 s from the issue.
	clk.Advance(1500 * time.Millisecond)
	if st, out := aliRPC(t, m.URL(), "ListUsers", tak, tsk, tok, list); st != 400 || out["Code"] != "InvalidSecurityToken.Expired" {
		t.Fatalf("expired credentials: %d %v", st, out)
	}
}

// AssumeRoleWithOIDC is anonymous and checks the token and the provider.
func TestSTSAssumeRoleWithOIDC(t *testing.T) {
	m := mockcloud.StartT(t, mockcloud.Options{})
	m.AddRole(stsRole)
	provider := "acs:ram::1234567890123456:oidc-provider/gh"
	m.AddOIDCProvider(provider, "the-token")
	ask := func(p, tok string) (int, map[string]any) {
		return aliRPC(t, m.URL(), "AssumeRoleWithOIDC", "", "", "", url.Values{"RoleArn": {stsRole}, "OIDCProviderArn": {p}, "OIDCToken": {tok}})
	}
	if st, out := ask(provider, "the-token\n"); st != 200 || out["Credentials"] == nil || out["OIDCTokenInfo"] == nil {
		t.Fatalf("good token: %d %v", st, out)
	}
	if st, out := ask(provider, "another"); st != 401 || out["Code"] != "AuthenticationFail.OIDCToken.Invalid" {
		t.Fatalf("wrong token: %d %v", st, out)
	}
	if st, out := ask("acs:ram::1:oidc-provider/x", "the-token"); st != 401 || out["Code"] != "AuthenticationFail.NoPermission" {
		t.Fatalf("unknown provider: %d %v", st, out)
	}
}

// The metadata service insists on an IMDSv2 token.
func TestECSMetadataIMDSv2(t *testing.T) {
	m := mockcloud.StartT(t, mockcloud.Options{})
	m.SetECSRole("runner")
	get := func(path, token string) (int, string) {
		r, _ := http.NewRequest(http.MethodGet, m.URL()+path, nil)
		r.Host = mockcloud.MetadataHost
		if token != "" {
			r.Header.Set("X-aliyun-ecs-metadata-token", token)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, _ := get("/latest/meta-data/ram/security-credentials/runner", ""); st != 403 {
		t.Fatalf("without a token: %d", st)
	}
	r, _ := http.NewRequest(http.MethodPut, m.URL()+"/latest/api/token", nil)
	r.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", "60")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if st, body := get("/latest/meta-data/ram/security-credentials/", string(tok)); st != 200 || body != "runner" {
		t.Fatalf("role list: %d %q", st, body)
	}
	if st, body := get("/latest/meta-data/ram/security-credentials/runner", string(tok)); st != 200 || !strings.Contains(body, `"Code":"Success"`) {
		t.Fatalf("role credentials: %d %s", st, body)
	}
	if st, _ := get("/latest/meta-data/ram/security-credentials/other", string(tok)); st != 404 {
		t.Fatalf("another role: %d", st)
	}
}
