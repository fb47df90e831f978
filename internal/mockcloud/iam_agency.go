package mockcloud

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

// Temporary credentials of Huawei IAM: an agency's keys
// (POST /v3.0/OS-CREDENTIAL/securitytokens, method assume_role, signed by
// the caller), keys for a federated token (same path, method token), the
// OIDC ID-token exchange (POST /v3.0/OS-AUTH/id-token/tokens) and an ECS
// instance's agency keys through the metadata service (huawei_metadata.go).
// Every issued key is then accepted by every Huawei operation with its
// X-Security-Token until it expires, like the cloud's API gateway.

// huaweiSTS is the mock's state for temporary credentials (under Server.mu).
type huaweiSTS struct {
	ttl            time.Duration           // lifetime of issued keys; 0: what the request asks (IAM default 900 s)
	agencies       map[string]bool         // "domain/agency" that may be assumed; domain is a name or an id
	idps           map[string]string       // identity provider id -> the ID token it accepts
	subjectTokens  map[string]time.Time    // federated (unscoped) tokens -> expiry
	instanceAgency bool                    // the "instance" has an agency bound
	metadataTokens map[string]time.Time    // metadata session tokens -> expiry
	imdsV1Status   int                     // non-zero: the token endpoint answers this, and keys need no token
	keys           map[string]temporaryKey // access key -> issued key
	issued         map[string]int          // by how: "assume_role", "token", "metadata"
	lastAgencyAuth map[string]string       // agency -> access key that assumed it last
}

type temporaryKey struct {
	secret, token string
	expires       time.Time
}

func newHuaweiSTS() huaweiSTS {
	return huaweiSTS{
		agencies: map[string]bool{}, idps: map[string]string{}, subjectTokens: map[string]time.Time{},
		metadataTokens: map[string]time.Time{}, keys: map[string]temporaryKey{}, issued: map[string]int{},
		lastAgencyAuth: map[string]string{},
	}
}

// AllowHuaweiAgency lets callers assume agency in domain (a domain name or id).
func (s *Server) AllowHuaweiAgency(domain, agency string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sts.agencies[domain+"/"+agency] = true
}

// AllowHuaweiIdP registers an OIDC identity provider that accepts idToken.
func (s *Server) AllowHuaweiIdP(idpID, idToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sts.idps[idpID] = idToken
}

// SetHuaweiInstanceAgency binds (or unbinds) an agency to the instance the
// metadata service describes.
func (s *Server) SetHuaweiInstanceAgency(bound bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sts.instanceAgency = bound
}

// SetHuaweiMetadataV1 makes the metadata service one without session
// tokens (IMDSv1): PUT /meta-data/latest/api/token answers status (404, 405
// or 503, as older or restricted services do), and the keys are served to a
// request without X-Metadata-Token. 0 goes back to requiring a token.
func (s *Server) SetHuaweiMetadataV1(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sts.imdsV1Status = status
}

// SetHuaweiTemporaryTTL makes every temporary key issued from now on expire
// after d (seconds in tests); 0 goes back to what the request asks.
func (s *Server) SetHuaweiTemporaryTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sts.ttl = d
}

// HuaweiTemporaryIssued counts the temporary keys issued, by how:
// "assume_role", "token" (OIDC) or "metadata".
func (s *Server) HuaweiTemporaryIssued(how string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sts.issued[how]
}

// HuaweiAgencyAssumedWith is the access key that signed the last assume of
// agency (to check a chain: profile keys -> agency).
func (s *Server) HuaweiAgencyAssumedWith(agency string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sts.lastAgencyAuth[agency]
}

// huaweiTemporarySecret is the lookup of temporary keys for signature checks.
func (s *Server) huaweiTemporarySecret(ak string) (temporaryKey, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.sts.keys[ak]
	return k, ok
}

// issueHuaweiKey stores and returns the template data of a new temporary key.
func (s *Server) issueHuaweiKey(how string, asked time.Duration) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	ttl := s.sts.ttl
	if ttl == 0 {
		ttl = asked
	}
	ak := "HWTMP" + strings.ToUpper(randomHex(8))
	k := temporaryKey{secret: randomHex(20), token: "gQpjbi1ub3J0aC00" + randomHex(48), expires: s.now().Add(ttl)}
	s.sts.keys[ak] = k
	s.sts.issued[how]++
	return map[string]any{
		"Access": ak, "Secret": k.secret, "SecurityToken": k.token,
		"ExpiresAt": k.expires.UTC().Format("2006-01-02T15:04:05.000000Z"),
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type securityTokensBody struct {
	Auth struct {
		Identity struct {
			Methods    []string `json:"methods"`
			AssumeRole *struct {
				AgencyName      string `json:"agency_name"`
				DomainName      string `json:"domain_name"`
				DomainID        string `json:"domain_id"`
				DurationSeconds *int   `json:"duration_seconds"`
			} `json:"assume_role"`
			Token *struct {
				ID              string `json:"id"`
				DurationSeconds *int   `json:"duration_seconds"`
			} `json:"token"`
		} `json:"identity"`
	} `json:"auth"`
}

func iamError(fixture, code, msg string) answer {
	return answer{fixture: fixture, data: map[string]any{"Code": code, "Message": msg}}
}

// durationAsked checks duration_seconds as IAM does: 900 to 86400, default 900.
func durationAsked(v *int) (time.Duration, *answer) {
	if v == nil {
		return 900 * time.Second, nil
	}
	if *v < 900 || *v > 86400 {
		a := iamError("iam/error_400_bad_request.json", "IAM.0007", "duration_seconds must be between 900 and 86400.")
		return 0, &a
	}
	return time.Duration(*v) * time.Second, nil
}

// createTemporaryAccessKey is POST /v3.0/OS-CREDENTIAL/securitytokens.
// assume_role needs the caller's signature (permanent or temporary keys) and
// an agency the mock allows; token needs a live federated token.
func (s *Server) createTemporaryAccessKey(c *call) answer {
	var body securityTokensBody
	if err := json.Unmarshal(c.body, &body); err != nil || len(body.Auth.Identity.Methods) != 1 {
		return iamError("iam/error_400_bad_request.json", "IAM.0007", "Request parameter error: auth.identity.methods.")
	}
	id := body.Auth.Identity
	switch id.Methods[0] {
	case "assume_role":
		if a := s.authenticate(c); a != nil {
			return *a
		}
		ar := id.AssumeRole
		if ar == nil || ar.AgencyName == "" || (ar.DomainName == "" && ar.DomainID == "") {
			return iamError("iam/error_400_bad_request.json", "IAM.0007", "Request parameter error: assume_role needs agency_name and domain_name or domain_id.")
		}
		ttl, bad := durationAsked(ar.DurationSeconds)
		if bad != nil {
			return *bad
		}
		s.mu.Lock()
		ok := s.sts.agencies[ar.DomainName+"/"+ar.AgencyName] || s.sts.agencies[ar.DomainID+"/"+ar.AgencyName]
		if ok {
			s.sts.lastAgencyAuth[ar.AgencyName] = signature.AccessKey(c.r, c.body)
		}
		s.mu.Unlock()
		if !ok {
			return iamError("iam/error_403_forbidden.json", "IAM.0002",
				"You are not authorized to perform the requested action: no agency "+ar.AgencyName+" you may assume.")
		}
		return answer{fixture: "iam/create_temporary_access_key.json", data: s.issueHuaweiKey("assume_role", ttl)}
	case "token":
		tok := c.r.Header.Get("X-Auth-Token")
		var asked *int
		if id.Token != nil {
			asked = id.Token.DurationSeconds
			if id.Token.ID != "" {
				tok = id.Token.ID
			}
		}
		ttl, bad := durationAsked(asked)
		if bad != nil {
			return *bad
		}
		s.mu.Lock()
		exp, ok := s.sts.subjectTokens[tok]
		s.mu.Unlock()
		if !ok || s.now().After(exp) {
			return iamError("iam/error_401_unauthorized.json", "IAM.0001", "The token is invalid or has expired.")
		}
		return answer{fixture: "iam/create_temporary_access_key.json", data: s.issueHuaweiKey("token", ttl)}
	}
	return iamError("iam/error_400_bad_request.json", "IAM.0007", "Request parameter error: unsupported method "+id.Methods[0]+".")
}

// createTokenWithIDToken is POST /v3.0/OS-AUTH/id-token/tokens: an OIDC ID
// token of a registered identity provider (X-Idp-Id) for a federated token.
func (s *Server) createTokenWithIDToken(c *call) answer {
	var body struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
		} `json:"auth"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil || body.Auth.IDToken.ID == "" {
		return iamError("iam/error_400_bad_request.json", "IAM.0007", "Request parameter error: auth.id_token.id is required.")
	}
	idp := c.r.Header.Get("X-Idp-Id")
	s.mu.Lock()
	want, known := s.sts.idps[idp]
	s.mu.Unlock()
	if !known {
		return iamError("iam/error_400_bad_request.json", "IAM.0007", "The identity provider "+idp+" does not exist.")
	}
	if body.Auth.IDToken.ID != want {
		return iamError("iam/error_401_unauthorized.json", "IAM.0001", "The id_token is invalid: signature verification failed or it has expired.")
	}
	now := s.now()
	tok := "MIIDkgYJKoZIhvcNAQcCoIIDgzCCA38CAQExDTALBglghkgBZQMEAgEw" + randomHex(32)
	exp := now.Add(24 * time.Hour)
	s.mu.Lock()
	s.sts.subjectTokens[tok] = exp
	s.mu.Unlock()
	return answer{fixture: "iam/create_token_with_id_token.json", data: map[string]any{
		"SubjectToken": tok, "IdpID": idp, "UserID": randomHex(16),
		"ExpiresAt": exp.UTC().Format("2006-01-02T15:04:05.000000Z"),
		"IssuedAt":  now.UTC().Format("2006-01-02T15:04:05.000000Z"),
	}}
}

// checkTemporary is the gateway's check of a temporary key that signed a
// request correctly: its security token must come with it, unexpired.
func (s *Server) checkTemporary(c *call, ak string) *answer {
	k, ok := s.huaweiTemporarySecret(ak)
	if !ok {
		return nil
	}
	if c.r.Header.Get("X-Security-Token") != k.token {
		return &answer{fixture: "huawei/error_401_APIGW.0301_token.json"}
	}
	if s.now().After(k.expires) {
		return &answer{fixture: "huawei/error_401_APIGW.0307.json"}
	}
	return nil
}

// unsignedOps check their callers themselves: the ID-token exchange and
// federated-token keys need no signature, assume_role checks it in its
// handler, and the metadata service is reached from inside the instance.
var unsignedOps = map[string]bool{
	"iam.CreateTemporaryAccessKey": true,
	"iam.CreateTokenWithIdToken":   true,
	"metadata.GetToken":            true,
	"metadata.GetSecurityKey":      true,
}

// huaweiLookup finds the secret of the permanent key or of an issued one.
func (s *Server) huaweiLookup() signature.Lookup {
	creds := s.opts.Huawei
	return func(ak string) (string, bool) {
		if ak == creds.AccessKey {
			return creds.SecretKey, true
		}
		if k, ok := s.huaweiTemporarySecret(ak); ok {
			return k.secret, true
		}
		return "", false
	}
}

// HuaweiIssuedSecrets is every secret the mock handed out, by a name that
// does not reveal it: temporary keys and their security tokens, federated
// tokens and metadata session tokens (for secret scans).
func (s *Server) HuaweiIssuedSecrets() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	i := 0
	for ak, k := range s.sts.keys {
		i++
		out[fmt.Sprintf("temporary access key %d", i)] = ak
		out[fmt.Sprintf("temporary secret key %d", i)] = k.secret
		out[fmt.Sprintf("temporary security token %d", i)] = k.token
	}
	i = 0
	for tok := range s.sts.subjectTokens {
		i++
		out[fmt.Sprintf("federated token %d", i)] = tok
	}
	i = 0
	for tok := range s.sts.metadataTokens {
		i++
		out[fmt.Sprintf("metadata session token %d", i)] = tok
	}
	return out
}
