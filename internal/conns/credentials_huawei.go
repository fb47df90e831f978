package conns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/provider"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/impl"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
)

// Huawei Cloud credentials come from one source, chosen in this order (the
// huaweicloud provider's: configuration, then environment, then profiles,
// then the instance):
//
//  1. access keys in the configuration (access_key, secret_key, security_token);
//  2. OIDC federation in the configuration (idp_id, id_token_file);
//  3. access keys in the environment (HW_ACCESS_KEY, HW_SECRET_KEY, HW_SECURITY_TOKEN);
//  4. OIDC federation in the environment (HW_ASSUME_ROLE_IDP_ID, HW_ASSUME_ROLE_ID_TOKEN_FILE);
//  5. the SDK's environment (HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN or HUAWEICLOUD_SDK_IDP_ID/ID_TOKEN_FILE);
//  6. a profile of the hcloud (KooCLI) config.json (shared_config_file, profile; HW_SHARED_CONFIG_FILE, HW_PROFILE);
//  7. the SDK's credentials file (HUAWEICLOUD_SDK_CREDENTIALS_FILE, default ~/.huaweicloud/credentials);
//  8. the ECS instance's agency, through the metadata service.
//
// assume_role (or the profile's agencyName) then trades them for the keys
// of an agency. Temporary keys are fetched once per provider process, shared
// by every call and fetched again before they expire.

// Environment variable names of the huaweicloud provider and of the SDK.
//
//nolint:gosec // names of variables, not credentials
const (
	EnvHuaweiSharedConfigFile = "HW_SHARED_CONFIG_FILE"
	EnvHuaweiProfile          = "HW_PROFILE"
	EnvHuaweiAgencyName       = "HW_ASSUME_ROLE_AGENCY_NAME"
	EnvHuaweiAgencyDomainName = "HW_ASSUME_ROLE_DOMAIN_NAME"
	EnvHuaweiAgencyDomainID   = "HW_ASSUME_ROLE_DOMAIN_ID"
	EnvHuaweiAgencyDuration   = "HW_ASSUME_ROLE_DURATION"
	EnvHuaweiIdpID            = "HW_ASSUME_ROLE_IDP_ID"
	EnvHuaweiIDTokenFile      = "HW_ASSUME_ROLE_ID_TOKEN_FILE"
	EnvHuaweiSDKIdpID         = "HUAWEICLOUD_SDK_IDP_ID"
	EnvHuaweiSDKIDTokenFile   = "HUAWEICLOUD_SDK_ID_TOKEN_FILE"
	EnvHuaweiSDKCredentials   = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
	// EnvHuaweiMetadataEndpoint overrides the ECS metadata service address
	// (http://169.254.169.254), for tests and proxies. The SDK's own
	// metadata provider has the address built in, so cloudlock asks the
	// service itself, the same way.
	EnvHuaweiMetadataEndpoint = "CLOUDLOCK_HW_METADATA_ENDPOINT"
)

// DefaultHuaweiMetadataEndpoint is the ECS metadata service.
const DefaultHuaweiMetadataEndpoint = "http://169.254.169.254"

// Agency durations IAM accepts (CreateTemporaryAccessKeyByAgency: 15 min to 24 h).
const (
	HuaweiMinAgencyDuration = 900
	HuaweiMaxAgencyDuration = 86400
)

// HuaweiAgencyName is the shape of an IAM agency name: 1 to 64 letters,
// digits, spaces and -_. characters.
var HuaweiAgencyName = regexp.MustCompile(`^[A-Za-z0-9 _.\-]{1,64}$`)

// HuaweiAssumeRole is huaweicloud.assume_role: the agency whose keys are used.
type HuaweiAssumeRole struct {
	AgencyName string
	DomainName string
	DomainID   string
	Duration   int    // seconds; 0 leaves IAM's default (900)
	Origin     string // what set it, for messages: "huaweicloud.assume_role", "HW_ASSUME_ROLE_AGENCY_NAME", a profile
}

// HuaweiOIDC is OIDC federation: an identity provider of IAM and a file
// holding the ID token (rewritten by CI as it rotates; read at each exchange).
type HuaweiOIDC struct {
	IdpID       string
	IDTokenFile string
	Origin      string // "huaweicloud.idp_id", "HW_ASSUME_ROLE_IDP_ID", ...
}

// HuaweiProfile is a profile read from an hcloud (KooCLI) config.json.
type HuaweiProfile struct {
	File, Name    string
	AccessKey     string
	SecretKey     string
	SecurityToken string
	Region        string
	ProjectID     string
	Agency        *HuaweiAssumeRole
}

// koocliConfig is the hcloud (KooCLI) config.json, as the huaweicloud
// provider reads it.
type koocliConfig struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name             string `json:"name"`
		Mode             string `json:"mode"`
		AccessKeyID      string `json:"accessKeyId"`
		SecretAccessKey  string `json:"secretAccessKey"`
		SecurityToken    string `json:"securityToken"`
		Region           string `json:"region"`
		ProjectID        string `json:"projectId"`
		AgencyDomainID   string `json:"agencyDomainId"`
		AgencyDomainName string `json:"agencyDomainName"`
		AgencyName       string `json:"agencyName"`
	} `json:"profiles"`
}

// DefaultHuaweiSharedConfigFile is where hcloud keeps its configuration.
func DefaultHuaweiSharedConfigFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join("~", ".hcloud", "config.json")
	}
	return filepath.Join(home, ".hcloud", "config.json")
}

// LoadHuaweiProfile reads profile name (the file's "current" when empty)
// from an hcloud config.json. Errors name the file and the profile.
func LoadHuaweiProfile(file, name string) (HuaweiProfile, error) {
	if strings.HasPrefix(file, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			file = filepath.Join(home, file[2:])
		}
	}
	data, err := os.ReadFile(file) //nolint:gosec // the file the user named to read keys from
	if err != nil {
		return HuaweiProfile{}, fmt.Errorf("reading the shared config file %s: %w", file, unwrapPathError(err))
	}
	var cfg koocliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return HuaweiProfile{}, fmt.Errorf("the shared config file %s is not an hcloud config.json: %w", file, err)
	}
	chosen := name
	if chosen == "" {
		chosen = cfg.Current
	}
	var names []string
	for _, p := range cfg.Profiles {
		names = append(names, p.Name)
		if p.Name != chosen || chosen == "" {
			continue
		}
		if p.AccessKeyID == "" || p.SecretAccessKey == "" {
			return HuaweiProfile{}, fmt.Errorf("profile %q of the shared config file %s has no accessKeyId and secretAccessKey (mode %q); "+
				"cloudlock reads AKSK profiles stored unencrypted (hcloud configure set --cli-auth-encrypt=false)", chosen, file, p.Mode)
		}
		hp := HuaweiProfile{
			File: file, Name: chosen, AccessKey: p.AccessKeyID, SecretKey: p.SecretAccessKey,
			SecurityToken: p.SecurityToken, Region: p.Region, ProjectID: p.ProjectID,
		}
		if p.AgencyName != "" {
			hp.Agency = &HuaweiAssumeRole{
				AgencyName: p.AgencyName, DomainName: p.AgencyDomainName, DomainID: p.AgencyDomainID,
				Origin: fmt.Sprintf("agencyName of profile %q in %s", chosen, file),
			}
		}
		return hp, nil
	}
	if chosen == "" {
		return HuaweiProfile{}, fmt.Errorf("the shared config file %s names no current profile; set huaweicloud.profile (or %s) to one of %s",
			file, EnvHuaweiProfile, quoteList(names))
	}
	return HuaweiProfile{}, fmt.Errorf("the shared config file %s has no profile %q (it has %s)", file, chosen, quoteList(names))
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// unwrapPathError drops the path os adds, since messages name the file themselves.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// hwKeys are access keys, with their expiry when temporary.
type hwKeys struct {
	AK, SK, Token string
	Expires       time.Time // zero: permanent
	obtained      time.Time
}

// String keeps keys out of any log line that formats them by accident.
func (k hwKeys) String() string { return "hwKeys{***}" }

// GoString is String for %#v.
func (k hwKeys) GoString() string { return k.String() }

// refreshDue reports whether temporary keys should be fetched again: a
// third of their life before expiry, at most 5 minutes before, so a call
// signed with them never reaches the cloud after they expire.
func (k *hwKeys) refreshDue(now time.Time) bool {
	if k.Expires.IsZero() {
		return false
	}
	margin := k.Expires.Sub(k.obtained) / 3
	if margin > 5*time.Minute {
		margin = 5 * time.Minute
	}
	return !now.Before(k.Expires.Add(-margin))
}

// hwSource is one source of keys. fetch is nil for permanent keys.
type hwSource struct {
	desc  string // for messages: "access keys (huaweicloud.access_key, huaweicloud.secret_key)"
	keys  hwKeys // permanent keys, or the last temporary ones
	fetch func(ctx context.Context) (hwKeys, error)

	mu      sync.Mutex
	fetched atomic.Int64
}

// get returns keys valid for a while yet, fetching them when due. One
// fetch at a time: concurrent callers wait for it and share its keys.
func (s *hwSource) get(ctx context.Context) (hwKeys, error) {
	if s.fetch == nil {
		return s.keys, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys.AK != "" && !s.keys.refreshDue(time.Now()) {
		return s.keys, nil
	}
	k, err := s.fetch(ctx)
	if err != nil {
		return hwKeys{}, err
	}
	if k.obtained.IsZero() {
		k.obtained = time.Now()
	}
	s.keys = k
	s.fetched.Add(1)
	return k, nil
}

// HuaweiCredentialsError is a source that was chosen but could not give
// keys: a refused agency or OIDC exchange, an unreadable token file, a
// metadata service without an agency. It is not retried (it does not unwrap
// to a CloudError): the next call would fail the same way.
type HuaweiCredentialsError struct {
	Source string // what was being done, and which setting chose it
	Err    error
}

func (e *HuaweiCredentialsError) Error() string {
	return fmt.Sprintf("Huawei Cloud credentials: %s failed: %v", e.Source, e.Err)
}

// hwCredentials resolves the source once and keeps it for the process.
type hwCredentials struct {
	once sync.Once
	src  *hwSource
	err  error
}

// huaweiKeys returns the keys to sign a Huawei call with.
func (c *Client) huaweiKeys(ctx context.Context) (hwKeys, error) {
	c.hwCreds.once.Do(func() { c.hwCreds.src, c.hwCreds.err = c.resolveHuawei(ctx) })
	if c.hwCreds.err != nil {
		return hwKeys{}, c.hwCreds.err
	}
	k, err := c.hwCreds.src.get(ctx)
	if err != nil {
		return hwKeys{}, &HuaweiCredentialsError{Source: c.hwCreds.src.desc, Err: err}
	}
	return k, nil
}

// HuaweiCredentialSource describes the source in use ("" before the first
// call, or when none was found).
func (c *Client) HuaweiCredentialSource() string {
	if c.hwCreds.src == nil {
		return ""
	}
	return c.hwCreds.src.desc
}

// HuaweiCredentialFetches counts the temporary keys fetched so far.
func (c *Client) HuaweiCredentialFetches() int64 {
	if c.hwCreds.src == nil {
		return 0
	}
	return c.hwCreds.src.fetched.Load()
}

// resolveHuawei picks the first source that is set, in the documented
// order, and stacks the agency on it. It does no I/O but reading files
// and, last, asking the metadata service.
func (c *Client) resolveHuawei(ctx context.Context) (*hwSource, error) {
	h := c.cfg.Huawei
	var tried []string
	var base *hwSource

	keys := func(origin string) *hwSource {
		return &hwSource{
			desc: "access keys (" + origin + ")",
			keys: hwKeys{AK: h.AccessKey, SK: h.SecretKey, Token: h.SecurityToken},
		}
	}
	keysFromConfig := h.AccessKey != "" && !h.KeysFromEnv
	oidcFromConfig := h.OIDC != nil && strings.HasPrefix(h.OIDC.Origin, "huaweicloud.")
	switch {
	case keysFromConfig:
		base = keys("huaweicloud.access_key, huaweicloud.secret_key")
	case oidcFromConfig:
		base = c.oidcSource(*h.OIDC)
	case h.AccessKey != "":
		base = keys(EnvHuaweiAccessKey + ", " + EnvHuaweiSecretKey)
	case h.OIDC != nil:
		base = c.oidcSource(*h.OIDC)
	}
	tried = append(tried,
		"access keys: huaweicloud.access_key and secret_key, or "+EnvHuaweiAccessKey+" and "+EnvHuaweiSecretKey+" (not set)",
		"OIDC: huaweicloud.idp_id and id_token_file, or "+EnvHuaweiIdpID+" and "+EnvHuaweiIDTokenFile+" (not set)")

	if base == nil {
		base, tried = c.sdkEnvSource(tried)
	}
	fromProfile := base == nil && h.Profile != nil
	if fromProfile {
		p := h.Profile
		base = &hwSource{
			desc: fmt.Sprintf("profile %q of %s", p.Name, p.File),
			keys: hwKeys{AK: p.AccessKey, SK: p.SecretKey, Token: p.SecurityToken},
		}
	}
	if base == nil {
		tried = append(tried, "profile: huaweicloud.shared_config_file and profile, or "+EnvHuaweiSharedConfigFile+" and "+EnvHuaweiProfile+" (not set)")
		base, tried = c.sdkFileSource(tried)
	}
	if base == nil {
		base, tried = c.metadataSource(ctx, tried)
	}
	if base == nil {
		return nil, &CredentialsError{Cloud: "Huawei Cloud", Missing: []string{
			fmt.Sprintf("access_key (huaweicloud.access_key or %s)", EnvHuaweiAccessKey),
			fmt.Sprintf("secret_key (huaweicloud.secret_key or %s)", EnvHuaweiSecretKey),
		}, Tried: tried}
	}
	agency := h.AssumeRole
	if agency == nil && fromProfile {
		agency = h.Profile.Agency
	}
	if agency == nil {
		return base, nil
	}
	return c.agencySource(base, *agency), nil
}

// sdkEnvSource asks the SDK's environment provider (HUAWEICLOUD_SDK_*).
func (c *Client) sdkEnvSource(tried []string) (*hwSource, []string) {
	cred, err := provider.BasicCredentialEnvProvider().GetCredentials()
	if err != nil {
		return nil, append(tried, "the SDK's environment: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or "+
			EnvHuaweiSDKIdpID+" and "+EnvHuaweiSDKIDTokenFile+" (not set)")
	}
	return c.sdkCredentialSource(cred, "the SDK's environment (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)",
		"HUAWEICLOUD_SDK_IDP_ID, HUAWEICLOUD_SDK_ID_TOKEN_FILE"), tried
}

// sdkFileSource asks the SDK's profile provider (~/.huaweicloud/credentials),
// when the file exists.
func (c *Client) sdkFileSource(tried []string) (*hwSource, []string) {
	file := os.Getenv(EnvHuaweiSDKCredentials)
	if file == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, append(tried, "the SDK's credentials file: no home directory ("+err.Error()+")")
		}
		file = filepath.Join(home, ".huaweicloud", "credentials")
	}
	if _, err := os.Stat(file); err != nil { //nolint:gosec // the SDK's credentials file, named by the user or in their home
		return nil, append(tried, "the SDK's credentials file "+file+" ("+unwrapPathError(err).Error()+")")
	}
	cred, err := provider.BasicCredentialProfileProvider().GetCredentials()
	if err != nil {
		return &hwSource{desc: "the SDK's credentials file " + file, fetch: func(context.Context) (hwKeys, error) {
			return hwKeys{}, fmt.Errorf("reading section [basic] of %s: %w", file, err)
		}}, tried
	}
	return c.sdkCredentialSource(cred, "the SDK's credentials file "+file, "idp_id, id_token_file of "+file), tried
}

// sdkCredentialSource turns what an SDK provider built (keys, or an
// identity provider and token file it has not exchanged yet) into a source.
func (c *Client) sdkCredentialSource(cred auth.ICredential, keysDesc, oidcOrigin string) *hwSource {
	b, ok := cred.(*auth.BasicCredentials)
	if !ok {
		return &hwSource{desc: keysDesc, fetch: func(context.Context) (hwKeys, error) {
			return hwKeys{}, fmt.Errorf("unexpected credentials %T", cred)
		}}
	}
	if b.IdpId != "" && b.IdTokenFile != "" {
		return c.oidcSource(HuaweiOIDC{IdpID: b.IdpId, IDTokenFile: b.IdTokenFile, Origin: oidcOrigin})
	}
	return &hwSource{desc: keysDesc, keys: hwKeys{AK: b.AK, SK: b.SK, Token: b.SecurityToken}}
}

// oidcSource exchanges the ID token in the file for a federated token
// (CreateTokenWithIdToken), then that for temporary keys
// (CreateTemporaryAccessKeyByToken), as the SDK's federal accessor does.
func (c *Client) oidcSource(o HuaweiOIDC) *hwSource {
	desc := fmt.Sprintf("OIDC federation with identity provider %q and the ID token in %s (%s)", o.IdpID, o.IDTokenFile, o.Origin)
	return &hwSource{desc: desc, fetch: func(ctx context.Context) (hwKeys, error) {
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
	return &hwSource{desc: desc, fetch: func(ctx context.Context) (hwKeys, error) {
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
	return hwKeys{AK: cred.Access, SK: cred.Secret, Token: cred.Securitytoken, Expires: exp, obtained: time.Now()}, nil
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
// does: a session token (PUT /meta-data/latest/api/token), then the keys
// (GET /openstack/latest/securitykey with X-Metadata-Token).
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
	if status != http.StatusOK {
		return hwKeys{}, fmt.Errorf("PUT /meta-data/latest/api/token: HTTP %d: %s", status, strings.TrimSpace(string(tok)))
	}
	c.tr.addSecrets(string(tok))
	status, body, err := do(http.MethodGet, "/openstack/latest/securitykey", map[string]string{"X-Metadata-Token": string(tok)})
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
