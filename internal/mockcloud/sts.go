package mockcloud

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Alibaba Cloud STS (API 2015-04-01, RPC): AssumeRole, signed by the caller
// (keys or temporary credentials with their SecurityToken), and
// AssumeRoleWithOIDC, anonymous, which checks the OIDC token. Both hand out
// temporary credentials that the Bastionhost actions then accept until they
// expire, as the real gateway does. The instance metadata and a credentials
// URI hand out the same kind (alibaba_metadata.go).

// TempCredentials are temporary credentials the mock issued.
type TempCredentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
	Expiration      time.Time
	// Issuer is the operation that issued them (sts.AssumeRole, ...).
	Issuer string
	// Role is the role ARN (or the ECS role name) they act as.
	Role string
}

// stsState is the STS side of the Server, guarded by Server.mu.
type stsState struct {
	roles     map[string]bool // role ARNs that exist and trust the caller
	oidc      map[string]string
	lifetime  time.Duration
	issued    map[string]TempCredentials // by access key id
	ecsRole   string
	imdsToken map[string]time.Time // IMDSv2 tokens and when they end
	// keysOnlySTS: the account's keys may only assume roles (the RAM
	// user's policy grants sts:AssumeRole and nothing else).
	keysOnlySTS bool
}

func (s *Server) stsInit() {
	if s.aliSTS.roles == nil {
		s.aliSTS.roles = map[string]bool{}
		s.aliSTS.oidc = map[string]string{}
		s.aliSTS.issued = map[string]TempCredentials{}
		s.aliSTS.imdsToken = map[string]time.Time{}
	}
}

// AddRole makes a RAM role that AssumeRole and AssumeRoleWithOIDC grant.
// Any other role ARN is answered EntityNotExist.Role.
func (s *Server) AddRole(arn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stsInit()
	s.aliSTS.roles[arn] = true
}

// AddOIDCProvider registers an OIDC identity provider and the one token it
// vouches for (the contents of the token file, surrounding space ignored).
func (s *Server) AddOIDCProvider(arn, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stsInit()
	s.aliSTS.oidc[arn] = strings.TrimSpace(token)
}

// SetCredentialLifetime makes every temporary credential issued from now on
// expire after d, whatever DurationSeconds asked (0 restores it). SDKs renew
// temporary credentials some time before they expire (credentials-go: 180
// s), so a lifetime a few seconds above that makes them renew every few
// seconds.
func (s *Server) SetCredentialLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aliSTS.lifetime = d
}

// RestrictKeysToSTS makes the account's own keys good for AssumeRole only:
// every other action then needs temporary credentials, as for a RAM user
// whose only permission is to assume the deployment role.
func (s *Server) RestrictKeysToSTS() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aliSTS.keysOnlySTS = true
}

func (s *Server) keysOnlySTS() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.aliSTS.keysOnlySTS
}

// Issued returns every temporary credential issued so far, oldest first.
func (s *Server) Issued() []TempCredentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TempCredentials, 0, len(s.aliSTS.issued))
	for _, c := range s.aliSTS.issued {
		out = append(out, c)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Expiration.Before(out[j-1].Expiration); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// issue makes temporary credentials for role, valid for seconds (or the
// lifetime set by SetCredentialLifetime). The caller holds s.mu.
func (s *Server) issue(issuer, role string, seconds int) TempCredentials {
	s.stsInit()
	life := time.Duration(seconds) * time.Second
	if s.aliSTS.lifetime > 0 {
		life = s.aliSTS.lifetime
	}
	tc := TempCredentials{
		AccessKeyID:     "STS.NT" + randomToken(18),
		AccessKeySecret: randomToken(20),
		SecurityToken:   "CAIS" + base64.StdEncoding.EncodeToString([]byte(randomToken(60))),
		// Expiration is whole seconds, as the API answers it.
		Expiration: s.now().Add(life).UTC().Truncate(time.Second),
		Issuer:     issuer,
		Role:       role,
	}
	s.aliSTS.issued[tc.AccessKeyID] = tc
	return tc
}

// temporary returns issued credentials by access key id.
func (s *Server) temporary(ak string) (TempCredentials, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tc, ok := s.aliSTS.issued[ak]
	return tc, ok
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n*2]
}

func stsError(fixture string) answer { return answer{fixture: fixture} }

// durationSeconds checks DurationSeconds as STS does: 900 up to the role's
// maximum session duration (43200 at most).
func durationSeconds(c *call) (int, *answer) {
	v := c.params["DurationSeconds"]
	if v == "" {
		return 3600, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 900 || n > 43200 {
		a := stsError("sts/error_400_InvalidParameter.DurationSeconds.json")
		return 0, &a
	}
	return n, nil
}

func credentialsData(tc TempCredentials, role, session string) map[string]any {
	return map[string]any{
		"TempAccessKeyId":     tc.AccessKeyID,
		"TempAccessKeySecret": tc.AccessKeySecret,
		"TempSecurityToken":   tc.SecurityToken,
		"Expiration":          tc.Expiration.Format("2006-01-02T15:04:05Z"),
		"RoleArn":             role,
		"RoleName":            role[strings.LastIndex(role, "/")+1:],
		"RoleSessionName":     session,
		"AssumedRoleID":       "3" + randomDigits(17) + ":" + session,
	}
}

func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

func (s *Server) assumeRole(c *call) answer {
	role, session := c.params["RoleArn"], c.params["RoleSessionName"]
	if role == "" || session == "" {
		return stsError("sts/error_400_MissingParameter.json")
	}
	seconds, bad := durationSeconds(c)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stsInit()
	if !s.aliSTS.roles[role] {
		return stsError("sts/error_404_EntityNotExist.Role.json")
	}
	tc := s.issue("sts.AssumeRole", role, seconds)
	return answer{fixture: "sts/assume_role.json", data: credentialsData(tc, role, session)}
}

func (s *Server) assumeRoleWithOIDC(c *call) answer {
	role, provider, token, session := c.params["RoleArn"], c.params["OIDCProviderArn"], c.params["OIDCToken"], c.params["RoleSessionName"]
	if role == "" || provider == "" {
		return stsError("sts/error_400_MissingParameter.json")
	}
	if strings.TrimSpace(token) == "" {
		return stsError("sts/error_401_AuthenticationFail.OIDCToken.Invalid.json")
	}
	seconds, bad := durationSeconds(c)
	if bad != nil {
		return *bad
	}
	if session == "" {
		session = "oidc"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stsInit()
	want, ok := s.aliSTS.oidc[provider]
	if !ok {
		return stsError("sts/error_401_AuthenticationFail.NoPermission.json")
	}
	if strings.TrimSpace(token) != want {
		return stsError("sts/error_401_AuthenticationFail.OIDCToken.Invalid.json")
	}
	if !s.aliSTS.roles[role] {
		return stsError("sts/error_404_EntityNotExist.Role.json")
	}
	tc := s.issue("sts.AssumeRoleWithOIDC", role, seconds)
	d := credentialsData(tc, role, session)
	d["OIDCProviderArn"] = provider
	return answer{fixture: "sts/assume_role_with_oidc.json", data: d}
}

// checkAlibabaTemporary is the gateway's check of a request signed with temporary
// credentials: the token must be the one issued with the key, and unexpired.
func (s *Server) checkAlibabaTemporary(c *call, tc TempCredentials) *answer {
	if alibabaToken(c) != tc.SecurityToken {
		return &answer{fixture: "alibaba/error_400_InvalidSecurityToken.MismatchWithAccessKey.json"}
	}
	if !s.now().Before(tc.Expiration) {
		return &answer{fixture: "alibaba/error_400_InvalidSecurityToken.Expired.json"}
	}
	return nil
}
