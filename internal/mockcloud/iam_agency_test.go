package mockcloud_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

func iamClient(t *testing.T, url string, creds mockcloud.Credentials) *iam.IamClient {
	t.Helper()
	auth, err := basic.NewCredentialsBuilder().
		WithAk(creds.AccessKey).WithSk(creds.SecretKey).WithSecurityToken(creds.SecurityToken).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := iam.IamClientBuilder().WithEndpoints([]string{url}).WithCredential(auth).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewIamClient(hc)
}

func assumeAgency(c *iam.IamClient, domain, agency string, duration int32) (*iammodel.CreateTemporaryAccessKeyByAgencyResponse, error) {
	ar := &iammodel.IdentityAssumerole{AgencyName: agency, DomainName: &domain}
	if duration != 0 {
		ar.DurationSeconds = &duration
	}
	return c.CreateTemporaryAccessKeyByAgency(&iammodel.CreateTemporaryAccessKeyByAgencyRequest{
		Body: &iammodel.CreateTemporaryAccessKeyByAgencyRequestBody{Auth: &iammodel.AgencyAuth{Identity: &iammodel.AgencyAuthIdentity{
			Methods:    []iammodel.AgencyAuthIdentityMethods{iammodel.GetAgencyAuthIdentityMethodsEnum().ASSUME_ROLE},
			AssumeRole: ar,
		}}},
	})
}

// The agency's keys, signed for by the caller, work with their security
// token until they expire (by the mock's clock); then the gateway answers
// APIGW.0307.
func TestHuaweiAgencyKeysWorkUntilTheyExpire(t *testing.T) {
	clk := acctest.NewClock()
	s := startMockWith(t, mockcloud.Options{Now: clk.Now})
	s.AllowHuaweiAgency("mock-domain", "ops")
	s.SetHuaweiTemporaryTTL(1500 * time.Millisecond)

	if _, err := assumeAgency(iamClient(t, s.URL(), mockcloud.Credentials{AccessKey: hwCreds.AccessKey, SecretKey: "wrong"}), "mock-domain", "ops", 0); serviceError(t, err).ErrorCode != "APIGW.0301" {
		t.Fatalf("a wrong signature assumed the agency: %v", err)
	}
	if _, err := assumeAgency(iamClient(t, s.URL(), hwCreds), "mock-domain", "admin", 0); serviceError(t, err).ErrorCode != "IAM.0002" {
		t.Fatalf("an agency not allowed: %v", err)
	}
	if _, err := assumeAgency(iamClient(t, s.URL(), hwCreds), "mock-domain", "ops", 600); serviceError(t, err).StatusCode != 400 {
		t.Fatalf("duration 600 s (IAM's minimum is 900): %v", err)
	}
	resp, err := assumeAgency(iamClient(t, s.URL(), hwCreds), "mock-domain", "ops", 900)
	if err != nil {
		t.Fatal(err)
	}
	c := resp.Credential
	if c.Access == "" || c.Secret == "" || c.Securitytoken == "" || c.ExpiresAt == "" {
		t.Fatalf("credential incomplete: %+v", c)
	}
	temp := mockcloud.Credentials{AccessKey: c.Access, SecretKey: c.Secret, SecurityToken: c.Securitytoken}
	if err := unlock(hcClient(t, s.URL(), temp), taskID); err != nil {
		t.Fatalf("the agency's keys were refused: %v", err)
	}
	noToken := temp
	noToken.SecurityToken = ""
	if err := unlock(hcClient(t, s.URL(), noToken), taskID); serviceError(t, err).ErrorCode != "APIGW.0301" {
		t.Fatalf("temporary keys without their token: %v", err)
	}
	clk.Advance(1500 * time.Millisecond) // the last instant of their life
	if err := unlock(hcClient(t, s.URL(), temp), taskID); err != nil {
		t.Fatalf("keys at their expiry time were refused: %v", err)
	}
	clk.Advance(time.Millisecond)
	if err := unlock(hcClient(t, s.URL(), temp), taskID); serviceError(t, err).ErrorCode != "APIGW.0307" {
		t.Fatalf("expired keys: %v", err)
	}
	if n := s.HuaweiTemporaryIssued("assume_role"); n != 1 {
		t.Errorf("issued %d, want 1", n)
	}
}

// The ID-token exchange checks the identity provider and the token; its
// federated token buys keys without a signature.
func TestHuaweiIDTokenExchange(t *testing.T) {
	s := startMock(t)
	s.AllowHuaweiIdP("gh", "good-token")
	c := iamClient(t, s.URL(), hwCreds) // the exchange ignores the signature
	exchange := func(idp, tok string) (*iammodel.CreateTokenWithIdTokenResponse, error) {
		return c.CreateTokenWithIdToken(&iammodel.CreateTokenWithIdTokenRequest{XIdpId: idp, Body: &iammodel.GetIdTokenRequestBody{
			Auth: &iammodel.GetIdTokenAuthParams{IdToken: &iammodel.GetIdTokenIdTokenBody{Id: tok}},
		}})
	}
	if _, err := exchange("gh", "bad-token"); serviceError(t, err).ErrorCode != "IAM.0001" {
		t.Fatalf("a wrong ID token: %v", err)
	}
	if _, err := exchange("other", "good-token"); serviceError(t, err).StatusCode != 400 {
		t.Fatalf("an unknown identity provider: %v", err)
	}
	resp, err := exchange("gh", "good-token")
	if err != nil || resp.XSubjectToken == nil || resp.Token == nil || resp.Token.ExpiresAt == "" {
		t.Fatalf("exchange: %v %+v", err, resp)
	}
	keys := func(tok string) (*iammodel.CreateTemporaryAccessKeyByTokenResponse, error) {
		return c.CreateTemporaryAccessKeyByToken(&iammodel.CreateTemporaryAccessKeyByTokenRequest{
			Body: &iammodel.CreateTemporaryAccessKeyByTokenRequestBody{Auth: &iammodel.TokenAuth{Identity: &iammodel.TokenAuthIdentity{
				Methods: []iammodel.TokenAuthIdentityMethods{iammodel.GetTokenAuthIdentityMethodsEnum().TOKEN},
				Token:   &iammodel.IdentityToken{Id: &tok},
			}}},
		})
	}
	if _, err := keys("not-a-token"); serviceError(t, err).StatusCode != 401 {
		t.Fatalf("keys for an unknown token: %v", err)
	}
	k, err := keys(*resp.XSubjectToken)
	if err != nil || k.Credential == nil || k.Credential.Securitytoken == "" {
		t.Fatalf("keys: %v %+v", err, k)
	}
	temp := mockcloud.Credentials{AccessKey: k.Credential.Access, SecretKey: k.Credential.Secret, SecurityToken: k.Credential.Securitytoken}
	if err := unlock(hcClient(t, s.URL(), temp), taskID); err != nil {
		t.Fatalf("federated keys were refused: %v", err)
	}
}

// The metadata service wants a session token, and an agency bound to the
// instance.
func TestHuaweiMetadataSecurityKey(t *testing.T) {
	s := startMock(t)
	get := func(method, path string, header map[string]string) (int, string) {
		req, _ := http.NewRequest(method, s.URL()+path, http.NoBody)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, _ := get("GET", "/openstack/latest/securitykey", nil); st != 401 {
		t.Fatalf("no session token: %d", st)
	}
	if st, _ := get("PUT", "/meta-data/latest/api/token", nil); st != 400 {
		t.Fatalf("token without a TTL: %d", st)
	}
	st, tok := get("PUT", "/meta-data/latest/api/token", map[string]string{"X-Metadata-Token-Ttl-Seconds": "60"})
	if st != 200 || tok == "" {
		t.Fatalf("token: %d %q", st, tok)
	}
	if st, body := get("GET", "/openstack/latest/securitykey", map[string]string{"X-Metadata-Token": tok}); st != 404 || body != "Please configure Cloud Service Agency first" {
		t.Fatalf("no agency bound: %d %s", st, body)
	}
	s.SetHuaweiInstanceAgency(true)
	st, body := get("GET", "/openstack/latest/securitykey", map[string]string{"X-Metadata-Token": tok})
	var out struct {
		Credential struct{ Access, Secret, Securitytoken, ExpiresAt string } `json:"credential"`
	}
	if err := json.Unmarshal([]byte(body), &out); st != 200 || err != nil || out.Credential.Securitytoken == "" {
		t.Fatalf("securitykey: %d %v %s", st, err, body)
	}
	temp := mockcloud.Credentials{AccessKey: out.Credential.Access, SecretKey: out.Credential.Secret, SecurityToken: out.Credential.Securitytoken}
	if err := unlock(hcClient(t, s.URL(), temp), taskID); err != nil {
		t.Fatalf("the instance's keys were refused: %v", err)
	}
}
