package conns

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials/providers"
)

// Alibaba Cloud credential sources, in the order of precedence the official
// alicloud provider documents: the first one set is used, and assume_role,
// when set, assumes a RAM role with the credentials of that source.
const (
	AlibabaSourceKeys    = "access keys"
	AlibabaSourceProfile = "profile"
	AlibabaSourceECSRole = "ECS instance RAM role"
	AlibabaSourceOIDC    = "assume_role_with_oidc"
	AlibabaSourceURI     = "credentials_uri"
)

// Environment variables of the credential sources: the official alicloud
// provider's names first, then credentials-go's.
var (
	EnvAlibabaProfile         = []string{"ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"}
	EnvAlibabaCredentialsFile = []string{"ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_CONFIG_FILE"}
	EnvAlibabaECSRoleName     = []string{"ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"}
	EnvAlibabaCredentialsURI  = []string{"ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI"}
	EnvAlibabaRoleARN         = []string{"ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN"}
	EnvAlibabaRoleSessionName = []string{"ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME"}
	EnvAlibabaSessionExpiry   = []string{"ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION"}
	EnvAlibabaOIDCProviderARN = []string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN"}
	EnvAlibabaOIDCTokenFile   = []string{"ALIBABA_CLOUD_OIDC_TOKEN_FILE"}
	EnvAlibabaOIDCRoleARN     = []string{"ALIBABA_CLOUD_ROLE_ARN"}
	EnvAlibabaSTSEndpoint     = "ALIBABA_CLOUD_ENDPOINT_STS"
)

// AlibabaAssumeRole is the alicloud.assume_role block.
type AlibabaAssumeRole struct {
	RoleARN           string
	SessionName       string
	SessionExpiration int // seconds; 0 = 3600
	ExternalID        string
	Policy            string
	// From names where RoleARN came from: "alicloud.assume_role.role_arn"
	// or an environment variable.
	From string
}

// AlibabaAssumeRoleWithOIDC is the alicloud.assume_role_with_oidc block.
type AlibabaAssumeRoleWithOIDC struct {
	OIDCProviderARN   string
	RoleARN           string
	TokenFile         string
	RoleSessionName   string
	SessionExpiration int
	From              string
}

// Limits of an STS session, in seconds (AssumeRole's DurationSeconds).
const (
	AlibabaMinSessionSeconds = 900
	AlibabaMaxSessionSeconds = 43200
	alibabaSessionName       = "terraform-provider-cloudlock"
)

var (
	alibabaRoleARN         = regexp.MustCompile(`^acs:ram::\d+:role/[A-Za-z0-9._-]{1,64}$`)
	alibabaOIDCProviderARN = regexp.MustCompile(`^acs:ram::\d+:oidc-provider/[A-Za-z0-9._-]{1,128}$`)
	alibabaSessionNameRE   = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)
)

// CheckAlibabaRoleARN checks the shape acs:ram::<account id>:role/<name>.
func CheckAlibabaRoleARN(s string) error {
	if !alibabaRoleARN.MatchString(s) {
		return fmt.Errorf("%q is not a RAM role ARN: expected acs:ram::<account id>:role/<role name>, e.g. acs:ram::1234567890123456:role/terraform", s)
	}
	return nil
}

// CheckAlibabaOIDCProviderARN checks acs:ram::<account id>:oidc-provider/<name>.
func CheckAlibabaOIDCProviderARN(s string) error {
	if !alibabaOIDCProviderARN.MatchString(s) {
		return fmt.Errorf("%q is not an OIDC provider ARN: expected acs:ram::<account id>:oidc-provider/<provider name>", s)
	}
	return nil
}

// CheckAlibabaSessionName checks what STS accepts as RoleSessionName.
func CheckAlibabaSessionName(s string) error {
	if !alibabaSessionNameRE.MatchString(s) {
		return fmt.Errorf("%q is not a session name: 2 to 64 letters, digits and . @ - _", s)
	}
	return nil
}

// CheckAlibabaSessionExpiration checks STS's DurationSeconds range.
func CheckAlibabaSessionExpiration(n int) error {
	if n < AlibabaMinSessionSeconds || n > AlibabaMaxSessionSeconds {
		return fmt.Errorf("%d is outside %d to %d seconds (STS DurationSeconds; the role's MaxSessionDuration may be lower)",
			n, AlibabaMinSessionSeconds, AlibabaMaxSessionSeconds)
	}
	return nil
}

// CheckReadableFile checks that path names a readable, non-empty file.
func CheckReadableFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	if st.IsDir() {
		return fmt.Errorf("%s is a directory, not a file", path)
	}
	f, err := os.Open(path) //nolint:gosec // the user names this file
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	_ = f.Close()
	if st.Size() == 0 {
		return fmt.Errorf("%s is empty", path)
	}
	return nil
}

// AlibabaSource is the credential source the configuration chooses ("" when
// none is set). Keys win when either key is set, so that a half-set pair is
// reported as such rather than silently passed over.
func (a AlibabaConfig) AlibabaSource() string {
	switch {
	case a.AccessKey != "" || a.SecretKey != "":
		return AlibabaSourceKeys
	case a.Profile != "" || a.SharedCredentialsFile != "":
		return AlibabaSourceProfile
	case a.ECSRoleName != "":
		return AlibabaSourceECSRole
	case a.AssumeRoleWithOIDC != nil:
		return AlibabaSourceOIDC
	case a.CredentialsURI != "":
		return AlibabaSourceURI
	}
	return ""
}

// alibabaTried lists every source, with where it is set, for the message of
// a plan that finds none.
var alibabaTried = []string{
	"access_key and secret_key (alicloud.access_key or ALICLOUD_ACCESS_KEY / ALIBABA_CLOUD_ACCESS_KEY_ID, alicloud.secret_key or ALICLOUD_SECRET_KEY / ALIBABA_CLOUD_ACCESS_KEY_SECRET)",
	"a profile (alicloud.profile or ALICLOUD_PROFILE / ALIBABA_CLOUD_PROFILE, alicloud.shared_credentials_file or ALICLOUD_SHARED_CREDENTIALS_FILE / ALIBABA_CLOUD_CREDENTIALS_FILE / ALIBABA_CLOUD_CONFIG_FILE)",
	"the ECS instance RAM role (alicloud.ecs_role_name or ALICLOUD_ECS_ROLE_NAME / ALIBABA_CLOUD_ECS_METADATA)",
	"OIDC (alicloud.assume_role_with_oidc, or ALIBABA_CLOUD_OIDC_PROVIDER_ARN + ALIBABA_CLOUD_OIDC_TOKEN_FILE + ALIBABA_CLOUD_ROLE_ARN)",
	"a credentials URI (alicloud.credentials_uri or ALICLOUD_CREDENTIALS_URI / ALIBABA_CLOUD_CREDENTIALS_URI)",
}

// AlibabaCredentialsError is a credential source that could not give
// credentials: which source, the attribute (or variable) that chose it, and
// why. Permanent errors (a refusal, a bad file) are not asked again.
type AlibabaCredentialsError struct {
	Source    string
	From      string
	Err       error
	Permanent bool
}

func (e *AlibabaCredentialsError) Error() string {
	return fmt.Sprintf("Alibaba Cloud credentials from %s (chosen by %s) could not be obtained: %v", e.Source, e.From, e.Err)
}

func (e *AlibabaCredentialsError) Unwrap() error { return e.Err }

// alibabaCredentials hands out the credentials of the configured source. It
// is shared by every call of one provider process: credentials-go's
// providers cache temporary credentials and renew them 180 seconds before
// they expire, but are not safe for concurrent use, hence the lock.
type alibabaCredentials struct {
	mu       sync.Mutex
	build    func() (providers.CredentialsProvider, error)
	provider providers.CredentialsProvider
	source   string // for messages, e.g. "assume_role on a profile"
	from     string // the attribute or variable that chose it
	failed   error  // permanent failure, returned without asking again
	seen     func(secrets ...string)
	lastKey  string
}

// GetCredentials implements providers.CredentialsProvider.
func (ac *alibabaCredentials) GetCredentials() (*providers.Credentials, error) {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	if ac.failed != nil {
		return nil, ac.failed
	}
	if ac.provider == nil {
		p, err := ac.build()
		if err != nil {
			ac.failed = &AlibabaCredentialsError{Source: ac.source, From: ac.from, Err: err, Permanent: true}
			return nil, ac.failed
		}
		ac.provider = p
	}
	cc, err := ac.provider.GetCredentials()
	if err != nil {
		ce := ac.explain(err)
		if ce.Permanent {
			ac.failed = ce
		}
		return nil, ce
	}
	if cc.AccessKeyId != ac.lastKey && ac.seen != nil {
		ac.seen(cc.AccessKeySecret, cc.SecurityToken)
	}
	ac.lastKey = cc.AccessKeyId
	return cc, nil
}

// GetProviderName implements providers.CredentialsProvider.
func (ac *alibabaCredentials) GetProviderName() string { return "cloudlock" }

// stsAnswer is STS's error body, which credentials-go puts in its error text.
type stsAnswer struct {
	RequestID string `json:"RequestId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
}

// explain turns what credentials-go returns into an error that says what the
// cloud said (code, message, request id). credentials-go returns STS's
// refusal as text ending with the answer's JSON body. A refusal is final;
// an unreachable endpoint or a 5xx may pass, so it is asked again by the
// next call (never retried in a loop here).
func (ac *alibabaCredentials) explain(err error) *AlibabaCredentialsError {
	msg := err.Error()
	out := &AlibabaCredentialsError{Source: ac.source, From: ac.from, Err: err}
	if i := strings.Index(msg, "{"); i >= 0 {
		var a stsAnswer
		if json.Unmarshal([]byte(msg[i:]), &a) == nil && a.Code != "" {
			op := "sts.AssumeRole"
			if strings.HasPrefix(msg, "get session token failed") {
				op = "sts.AssumeRoleWithOIDC"
			}
			out.Err = &CloudError{Cloud: "Alibaba Cloud", Operation: op, Code: a.Code, Message: a.Message, RequestID: a.RequestID}
			out.Permanent = !strings.HasPrefix(a.Code, "Throttling") && a.Code != "InternalError" && a.Code != "ServiceUnavailable"
			return out
		}
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		out.Err = fmt.Errorf("cannot read %s: %w", pe.Path, pe.Err)
		out.Permanent = true
		return out
	}
	if strings.Contains(msg, "unmarshal aliyun cli config") {
		// credentials-go quotes the whole file here, secrets included.
		out.Err = errors.New("the shared credentials file is not valid JSON")
		out.Permanent = true
	}
	return out
}

// newAlibabaCredentials builds the chain the configuration asks for. It does
// no I/O: the first call that needs credentials builds and asks the chain.
// metadataProxy is where ECS metadata requests go ("" = straight to
// 100.100.100.200, which credentials-go hard-codes): tests point it at the
// mock (TestSettings.AlibabaMetadataProxy) through credentials-go's
// HttpOptions.Proxy.
func newAlibabaCredentials(a AlibabaConfig, metadataProxy string, seen func(...string)) *alibabaCredentials {
	ac := &alibabaCredentials{seen: seen}
	src := a.AlibabaSource()
	ac.source, ac.from = src, a.SourceFrom
	if src == AlibabaSourceProfile {
		file := a.SharedCredentialsFile
		if file == "" {
			file = DefaultAlibabaProfileFile()
		}
		name := a.Profile
		if name == "" {
			name = "(the file's current one)"
		}
		ac.source = fmt.Sprintf("profile %q of %s", name, file)
	}
	http := &providers.HttpOptions{ConnectTimeout: 10000, ReadTimeout: 30000}
	metadata := &providers.HttpOptions{ConnectTimeout: 1000, ReadTimeout: 2000, Proxy: metadataProxy}
	opts := profileOptions{http: http, metadata: metadata}
	if a.Endpoints.STS != "" {
		if u, err := url.Parse(a.Endpoints.STS); err == nil {
			opts.stsHost = u.Host
		}
	}
	base := func() (providers.CredentialsProvider, error) {
		switch src {
		case AlibabaSourceKeys:
			if a.SecurityToken != "" {
				return providers.NewStaticSTSCredentialsProviderBuilder().WithAccessKeyId(a.AccessKey).
					WithAccessKeySecret(a.SecretKey).WithSecurityToken(a.SecurityToken).Build()
			}
			return providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(a.AccessKey).
				WithAccessKeySecret(a.SecretKey).Build()
		case AlibabaSourceProfile:
			file := a.SharedCredentialsFile
			if file == "" {
				file = DefaultAlibabaProfileFile()
			}
			conf, name, err := loadAlibabaProfiles(file, a.Profile)
			if err != nil {
				return nil, err
			}
			return conf.provider(name, opts)
		case AlibabaSourceECSRole:
			return providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(a.ECSRoleName).
				WithHttpOptions(metadata).Build()
		case AlibabaSourceOIDC:
			o := a.AssumeRoleWithOIDC
			if err := CheckReadableFile(o.TokenFile); err != nil {
				return nil, fmt.Errorf("the OIDC token file: %w", err)
			}
			return opts.oidc(&alibabaCLIProfile{OIDCProviderARN: o.OIDCProviderARN, RoleArn: o.RoleARN, OIDCTokenFile: o.TokenFile,
				RoleSessionName: orDefault(o.RoleSessionName, alibabaSessionName), DurationSeconds: o.SessionExpiration})
		case AlibabaSourceURI:
			return providers.NewURLCredentialsProviderBuilder().WithUrl(a.CredentialsURI).WithHttpOptions(http).Build()
		}
		return nil, errors.New("no credential source is set")
	}
	ac.build = base
	if r := a.AssumeRole; r != nil && src != "" {
		ac.source = "assume_role (" + r.RoleARN + ") with the credentials of " + describeSource(src)
		ac.from = r.From
		ac.build = func() (providers.CredentialsProvider, error) {
			prev, err := base()
			if err != nil {
				return nil, fmt.Errorf("%s (chosen by %s): %w", describeSource(src), a.SourceFrom, err)
			}
			return opts.assumeRole(prev, &alibabaCLIProfile{RoleArn: r.RoleARN, RoleSessionName: orDefault(r.SessionName, alibabaSessionName),
				DurationSeconds: r.SessionExpiration, ExternalID: r.ExternalID, Policy: r.Policy})
		}
	}
	return ac
}

func describeSource(src string) string {
	switch src {
	case AlibabaSourceKeys:
		return "the access keys"
	case AlibabaSourceProfile:
		return "the profile"
	case AlibabaSourceOIDC:
		return "the OIDC role (assume_role_with_oidc)"
	case AlibabaSourceURI:
		return "the credentials URI"
	}
	return "the " + src
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// CredentialsSummary is the summary of a diagnostic for err from a Check
// function: missing settings, or a source that could not give credentials.
func CredentialsSummary(cloud string, err error) string {
	if IsCredentialsError(err) {
		return cloud + " credentials missing"
	}
	return cloud + " credentials unavailable"
}
