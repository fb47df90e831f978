package conns

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/provider"
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

	// now is the clock that says when temporary keys are due (Client.now);
	// nil for permanent keys.
	now func() time.Time

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
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	if s.keys.AK != "" && !s.keys.refreshDue(now()) {
		return s.keys, nil
	}
	k, err := s.fetch(ctx)
	if err != nil {
		return hwKeys{}, err
	}
	if k.obtained.IsZero() {
		k.obtained = now()
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

// hwCredentials resolves the source on first use and keeps it for the
// process once one is found; a failure is not kept, and concurrent callers
// share one resolution (flight says how), so a machine without any source
// probes the metadata service once for them all, not once each in turn.
type hwCredentials struct {
	src atomic.Pointer[hwSource]
	flight[*hwSource]
}

// huaweiSource returns the source of keys, resolving it if none is kept.
func (c *Client) huaweiSource(ctx context.Context) (*hwSource, error) {
	h := &c.hwCreds
	if src := h.src.Load(); src != nil {
		return src, nil
	}
	return h.do(ctx, func(ctx context.Context) (*hwSource, error) {
		if src := h.src.Load(); src != nil {
			return src, nil // found by a run that ended as this one began
		}
		src, err := c.resolveHuawei(ctx)
		if err == nil {
			h.src.Store(src)
		}
		return src, err
	})
}

// huaweiKeys returns the keys to sign a Huawei call with.
func (c *Client) huaweiKeys(ctx context.Context) (hwKeys, error) {
	src, err := c.huaweiSource(ctx)
	if err != nil {
		return hwKeys{}, err
	}
	k, err := src.get(ctx)
	if err != nil {
		return hwKeys{}, &HuaweiCredentialsError{Source: src.desc, Err: err}
	}
	return k, nil
}

// HuaweiCredentialSource describes the source in use ("" before the first
// call, or when none was found).
func (c *Client) HuaweiCredentialSource() string {
	if src := c.hwCreds.src.Load(); src != nil {
		return src.desc
	}
	return ""
}

// HuaweiCredentialFetches counts the temporary keys fetched so far.
func (c *Client) HuaweiCredentialFetches() int64 {
	if src := c.hwCreds.src.Load(); src != nil {
		return src.fetched.Load()
	}
	return 0
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
