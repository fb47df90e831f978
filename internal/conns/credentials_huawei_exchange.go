package conns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/impl"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
)

// The exchanges that turn a source into temporary keys: OIDC federation,
// an agency, the instance's metadata service.

// oidcSource exchanges the ID token in the file for a federated token
// (CreateTokenWithIdToken), then that for temporary keys
// (CreateTemporaryAccessKeyByToken), as the SDK's federal accessor does.
func (c *Client) oidcSource(o HuaweiOIDC) *hwSource {
	desc := fmt.Sprintf("OIDC federation with identity provider %q and the ID token in %s (%s)", o.IdpID, o.IDTokenFile, o.Origin)
	return &hwSource{desc: desc, now: c.now, fetch: func(ctx context.Context) (hwKeys, error) {
		data, err := os.ReadFile(o.IDTokenFile)
		if err != nil {
			return hwKeys{}, fmt.Errorf("reading the ID token file %s: %w", o.IDTokenFile, unwrapPathError(err))
		}
		idToken := strings.TrimSpace(string(data))
		if idToken == "" {
			return hwKeys{}, fmt.Errorf("the ID token file %s is empty", o.IDTokenFile)
		}
		c.tr.addSecrets(idToken)
		out, err := c.callHuawei(ctx, HuaweiCall{
			Service: ServiceIAM, Operation: "iam.CreateTokenWithIdToken", Idempotent: true,
			Request: &iammodel.CreateTokenWithIdTokenRequest{XIdpId: o.IdpID, Body: &iammodel.GetIdTokenRequestBody{
				Auth: &iammodel.GetIdTokenAuthParams{IdToken: &iammodel.GetIdTokenIdTokenBody{Id: idToken}},
			}},
			NewDef: iam.GenReqDefForCreateTokenWithIdToken,
		}, nil)
		if err != nil {
			return hwKeys{}, err
		}
		resp := out.(*iammodel.CreateTokenWithIdTokenResponse)
		if resp.XSubjectToken == nil || *resp.XSubjectToken == "" {
			return hwKeys{}, errors.New("IAM answered the ID-token exchange without X-Subject-Token")
		}
		subject := *resp.XSubjectToken
		c.tr.addSecrets(subject)
		method := iammodel.GetTokenAuthIdentityMethodsEnum().TOKEN
		out, err = c.callHuawei(ctx, HuaweiCall{
			Service: ServiceIAM, Operation: "iam.CreateTemporaryAccessKeyByToken", Idempotent: true,
			Request: &iammodel.CreateTemporaryAccessKeyByTokenRequest{Body: &iammodel.CreateTemporaryAccessKeyByTokenRequestBody{
				Auth: &iammodel.TokenAuth{Identity: &iammodel.TokenAuthIdentity{
					Methods: []iammodel.TokenAuthIdentityMethods{method},
					Token:   &iammodel.IdentityToken{Id: &subject},
				}},
			}},
			NewDef: iam.GenReqDefForCreateTemporaryAccessKeyByToken,
		}, nil)
		if err != nil {
			return hwKeys{}, err
		}
		return c.temporaryKeys(out.(*iammodel.CreateTemporaryAccessKeyByTokenResponse).Credential)
	}}
}

// agencySource signs CreateTemporaryAccessKeyByAgency with the keys of base.
func (c *Client) agencySource(base *hwSource, a HuaweiAssumeRole) *hwSource {
	domain := a.DomainName
	if domain == "" {
		domain = a.DomainID
	}
	desc := fmt.Sprintf("assuming agency %q of domain %q (%s) with %s", a.AgencyName, domain, a.Origin, base.desc)
	return &hwSource{desc: desc, now: c.now, fetch: func(ctx context.Context) (hwKeys, error) {
		bk, err := base.get(ctx)
		if err != nil {
			return hwKeys{}, err
		}
		ar := &iammodel.IdentityAssumerole{AgencyName: a.AgencyName}
		if a.DomainName != "" {
			ar.DomainName = &a.DomainName
		}
		if a.DomainID != "" {
			ar.DomainId = &a.DomainID
		}
		if a.Duration != 0 {
			d := int32(a.Duration) //nolint:gosec // validated: 900 to 86400
			ar.DurationSeconds = &d
		}
		out, err := c.callHuawei(ctx, HuaweiCall{
			Service: ServiceIAM, Operation: "iam.CreateTemporaryAccessKeyByAgency", Idempotent: true,
			Request: &iammodel.CreateTemporaryAccessKeyByAgencyRequest{Body: &iammodel.CreateTemporaryAccessKeyByAgencyRequestBody{
				Auth: &iammodel.AgencyAuth{Identity: &iammodel.AgencyAuthIdentity{
					Methods:    []iammodel.AgencyAuthIdentityMethods{iammodel.GetAgencyAuthIdentityMethodsEnum().ASSUME_ROLE},
					AssumeRole: ar,
				}},
			}},
			NewDef: iam.GenReqDefForCreateTemporaryAccessKeyByAgency,
		}, func(context.Context) (hwKeys, error) { return bk, nil })
		if err != nil {
			return hwKeys{}, err
		}
		return c.temporaryKeys(out.(*iammodel.CreateTemporaryAccessKeyByAgencyResponse).Credential)
	}}
}

// temporaryKeys checks IAM's credential and hides its values from logs.
func (c *Client) temporaryKeys(cred *iammodel.Credential) (hwKeys, error) {
	if cred == nil || cred.Access == "" || cred.Secret == "" || cred.Securitytoken == "" {
		return hwKeys{}, errors.New("IAM answered without credential.access, secret and securitytoken")
	}
	c.tr.addSecrets(cred.Access, cred.Secret, cred.Securitytoken)
	exp, err := parseHuaweiTime(cred.ExpiresAt)
	if err != nil {
		return hwKeys{}, fmt.Errorf("IAM answered credential.expires_at %q: %w", cred.ExpiresAt, err)
	}
	return hwKeys{AK: cred.Access, SK: cred.Secret, Token: cred.Securitytoken, Expires: exp, obtained: c.now()}, nil
}

func parseHuaweiTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000000Z"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a time")
}

// metadataEndpoint is the ECS metadata service to ask.
func metadataEndpoint() string {
	if e := os.Getenv(EnvHuaweiMetadataEndpoint); e != "" {
		return strings.TrimRight(e, "/")
	}
	return DefaultHuaweiMetadataEndpoint
}

// metadataSource is tried last, when nothing else is set (as the
// huaweicloud provider does): one quick request tells whether this is an
// ECS instance with an agency.
func (c *Client) metadataSource(ctx context.Context, tried []string) (*hwSource, []string) {
	endpoint := metadataEndpoint()
	src := &hwSource{
		desc:  "the ECS instance's agency (metadata service " + endpoint + ")",
		now:   c.now,
		fetch: func(ctx context.Context) (hwKeys, error) { return c.metadataKeys(ctx, endpoint) },
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := src.get(ctx); err != nil {
		return nil, append(tried, "the ECS instance's agency: metadata service "+endpoint+" ("+err.Error()+")")
	}
	return src, tried
}

// metadataKeys asks the metadata service as the SDK's metadata accessor
// does (core/auth/internal/metadata_accessor.go): a session token (PUT
// /meta-data/latest/api/token), then the keys (GET
// /openstack/latest/securitykey with X-Metadata-Token). A service that
// answers the token request 404, 405 or 503 has no session tokens (IMDSv1):
// like the SDK, ask for the keys without one.
func (c *Client) metadataKeys(ctx context.Context, endpoint string) (hwKeys, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	hc := &http.Client{Transport: c.tr}
	do := func(method, path string, header map[string]string) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, method, endpoint+path, http.NoBody)
		if err != nil {
			return 0, nil, err
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return resp.StatusCode, body, err
	}
	status, tok, err := do(http.MethodPut, "/meta-data/latest/api/token", map[string]string{"X-Metadata-Token-Ttl-Seconds": "21600", secretAnswerHeader: "1"})
	if err != nil {
		return hwKeys{}, err
	}
	keyHeader := map[string]string{}
	switch status {
	case http.StatusOK:
		c.tr.addSecrets(string(tok))
		keyHeader["X-Metadata-Token"] = string(tok)
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusServiceUnavailable:
		// IMDSv1: no token to send.
	default:
		return hwKeys{}, fmt.Errorf("PUT /meta-data/latest/api/token: HTTP %d: %s", status, strings.TrimSpace(string(tok)))
	}
	status, body, err := do(http.MethodGet, "/openstack/latest/securitykey", keyHeader)
	if err != nil {
		return hwKeys{}, err
	}
	if status != http.StatusOK {
		return hwKeys{}, fmt.Errorf("GET /openstack/latest/securitykey: HTTP %d: %s", status, strings.TrimSpace(string(body)))
	}
	var out struct {
		Credential *iammodel.Credential `json:"credential"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return hwKeys{}, fmt.Errorf("GET /openstack/latest/securitykey: the answer is not JSON: %w", err)
	}
	return c.temporaryKeys(out.Credential)
}

// unsignedCredential sends a call without a signature: the ID-token
// exchange and federated-token calls authenticate by their body.
type unsignedCredential struct{}

func (unsignedCredential) ProcessAuthParams(*impl.DefaultHttpClient, string) (auth.ICredential, error) {
	return unsignedCredential{}, nil
}

func (unsignedCredential) ProcessAuthRequest(_ *impl.DefaultHttpClient, req *request.DefaultHttpRequest) (*request.DefaultHttpRequest, error) {
	return req, nil
}
