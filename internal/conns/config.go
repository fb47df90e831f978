// Package conns holds the one client every cloudlock type uses: signed Huawei
// Cloud calls through the SDK core, Alibaba Cloud RPC calls through
// darabonba-openapi, one retry policy, request tracing and cloud errors.
package conns

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Config is the resolved provider configuration (config merged with env).
type Config struct {
	Huawei     HuaweiConfig
	Alibaba    AlibabaConfig
	MaxRetries int
	// RateLimits pace the calls of each API (pace.go).
	RateLimits RateLimits
	// UserAgent is appended to the SDKs' user agents.
	UserAgent string
	// Test holds what only tests set (internal/acctest), never the
	// provider's schema; its zero value is what users run with.
	Test TestSettings
}

// TestSettings shorten the client's waits in tests. They are configuration
// of one client, not package variables, so tests that run in parallel can
// each have their own.
type TestSettings struct {
	// RetryBaseDelay and RetryMaxDelay replace the backoff's
	// (DefaultBaseDelay, DefaultMaxDelay) when set.
	RetryBaseDelay, RetryMaxDelay time.Duration
	// AlibabaCallsPerSecond replaces the default pacing of Alibaba APIs
	// (DefaultAlibabaCallsPerSecond) when rate_limits sets none, so that
	// tests not about pacing do not wait for it.
	AlibabaCallsPerSecond float64
	// Now is the clock temporary Huawei keys are renewed by (nil:
	// time.Now), so a test can go past their renewal without waiting.
	Now func() time.Time
	// AlibabaMetadataProxy, if set, is the HTTP proxy ECS metadata requests
	// (an instance's RAM role) go through: the mock, which answers them.
	AlibabaMetadataProxy string
	// ThrottleScale, when above 1, makes the rates after throttling that
	// many times higher and their recovery that many times faster, so that
	// fault tests that throttle on purpose do not wait minutes. 0 or 1 is
	// the real pace, which the pacing tests keep.
	ThrottleScale float64
}

// throttleScale is ThrottleScale, 1 when unset.
func (t TestSettings) throttleScale() float64 {
	return max(t.ThrottleScale, 1)
}

// HuaweiConfig is the huaweicloud block.
type HuaweiConfig struct {
	Region        string
	AccessKey     string
	SecretKey     string
	SecurityToken string
	ProjectID     string
	Insecure      bool
	Endpoints     HuaweiEndpoints

	// Sources of credentials other than keys (credentials_huawei.go).
	// KeysFromEnv says AccessKey and SecretKey came from the environment,
	// which ranks them after OIDC set in the configuration.
	KeysFromEnv bool
	OIDC        *HuaweiOIDC
	Profile     *HuaweiProfile
	AssumeRole  *HuaweiAssumeRole
}

// HuaweiEndpoints overrides default endpoints with full URLs.
type HuaweiEndpoints struct {
	IAM string
	SMS string
	ECS string
}

// AlibabaConfig is the alicloud block.
type AlibabaConfig struct {
	Region        string
	AccessKey     string
	SecretKey     string
	SecurityToken string
	Endpoints     AlibabaEndpoints

	// Credential sources besides keys (credentials_alibaba.go).
	Profile               string
	SharedCredentialsFile string
	ECSRoleName           string
	CredentialsURI        string
	AssumeRole            *AlibabaAssumeRole
	AssumeRoleWithOIDC    *AlibabaAssumeRoleWithOIDC
	// SourceFrom names the attribute or environment variable that chose the
	// source (AlibabaSource), for messages.
	SourceFrom string
}

// AlibabaEndpoints overrides default endpoints with full URLs.
type AlibabaEndpoints struct {
	Bastionhost string
	// STS is used by assume_role and assume_role_with_oidc; credentials-go
	// speaks HTTPS only, so only https:// URLs are accepted.
	STS string
}

// Environment variable names users already have from the official providers.
const (
	EnvHuaweiRegion        = "HW_REGION_NAME"
	EnvHuaweiAccessKey     = "HW_ACCESS_KEY"
	EnvHuaweiSecretKey     = "HW_SECRET_KEY"
	EnvHuaweiSecurityToken = "HW_SECURITY_TOKEN"
	EnvHuaweiProjectID     = "HW_PROJECT_ID"
	EnvHuaweiInsecure      = "HW_INSECURE"

	EnvAlibabaRegion        = "ALICLOUD_REGION"
	EnvAlibabaAccessKey     = "ALICLOUD_ACCESS_KEY"
	EnvAlibabaSecretKey     = "ALICLOUD_SECRET_KEY"
	EnvAlibabaSecurityToken = "ALICLOUD_SECURITY_TOKEN"
	EnvAlibabaBastionhost   = "ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST"

	EnvMaxRetries = "CLOUDLOCK_MAX_RETRIES"
)

// DefaultMaxRetries is used when neither config nor environment sets max_retries.
const DefaultMaxRetries = 5

// HuaweiRegions are the regions the Huawei Cloud SDK knows endpoints for.
var HuaweiRegions = []string{
	"ae-ad-1", "af-north-1", "af-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
	"ap-southeast-4", "ap-southeast-5", "cn-east-2", "cn-east-3", "cn-east-4", "cn-east-5",
	"cn-north-1", "cn-north-11", "cn-north-12", "cn-north-2", "cn-north-4", "cn-north-9",
	"cn-south-1", "cn-south-2", "cn-south-4", "cn-southwest-2", "cn-southwest-3", "eu-west-0",
	"eu-west-101", "la-north-2", "la-south-2", "me-east-1", "my-kualalumpur-1", "na-mexico-1",
	"ru-moscow-1", "sa-brazil-1", "tr-west-1",
}

// AlibabaRegions are the public Alibaba Cloud regions.
var AlibabaRegions = []string{
	"cn-hangzhou", "cn-shanghai", "cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote",
	"cn-wulanchabu", "cn-shenzhen", "cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-hongkong",
	"cn-nanjing", "cn-fuzhou", "cn-wuhan-lr", "cn-shanghai-finance-1", "cn-shenzhen-finance-1",
	"cn-beijing-finance-1", "cn-north-2-gov-1", "ap-northeast-1", "ap-northeast-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-5", "ap-southeast-6",
	"ap-southeast-7", "ap-south-1", "us-east-1", "us-west-1", "eu-west-1", "eu-central-1",
	"me-east-1", "me-central-1", "na-south-1",
}

// bastionhostRegionalEndpoints are the regions whose Bastionhost endpoint is
// bastionhost.<region>.aliyuncs.com instead of the shared one.
var bastionhostRegionalEndpoints = []string{
	"cn-zhangjiakou", "cn-huhehaote", "cn-hongkong", "ap-northeast-1", "ap-southeast-1",
	"ap-southeast-3", "ap-southeast-5", "us-east-1", "us-west-1", "eu-west-1", "eu-central-1",
}

// DefaultHuaweiEndpoint returns the endpoint of a Huawei service in a region.
func DefaultHuaweiEndpoint(service, region string) string {
	switch service {
	case ServiceSMS:
		// SMS is a global service with one endpoint per site.
		switch {
		case region == "ru-moscow-1":
			return "https://sms-api.ru-moscow-1.myhuaweicloud.com"
		case region == "my-kualalumpur-1":
			return "https://sms.my-kualalumpur-1.myhuaweicloud.com"
		case strings.HasPrefix(region, "cn-"):
			return "https://sms.cn-north-4.myhuaweicloud.com"
		default:
			return "https://sms.ap-southeast-3.myhuaweicloud.com"
		}
	default:
		return fmt.Sprintf("https://%s.%s.myhuaweicloud.com", service, region)
	}
}

// DefaultBastionhostEndpoint returns the Bastionhost host for a region.
func DefaultBastionhostEndpoint(region string) string {
	switch {
	case slices.Contains(bastionhostRegionalEndpoints, region):
		return "bastionhost." + region + ".aliyuncs.com"
	case slices.Contains(AlibabaRegions, region):
		return "yundun-bastionhost.aliyuncs.com"
	default:
		return "yundun-bastionhost." + region + ".aliyuncs.com"
	}
}

// ValidateEndpoint checks that an endpoint override is a full http(s) URL
// with a host and nothing after the path root.
func ValidateEndpoint(raw string) error {
	if !strings.Contains(raw, "://") {
		// Go reads "127.0.0.1:8080" as a path with a colon, "host:8080" as
		// scheme "host": say what is expected instead of what Go found.
		example := "https://ecs.cn-north-4.myhuaweicloud.com"
		if raw != "" && !strings.ContainsAny(raw, " \t/?#@") {
			example = "https://" + raw
		}
		return fmt.Errorf("%q is not a full URL: write https:// (or http://) before the host, e.g. %q", raw, example)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%q is not a valid URL (%w): expected https:// (or http://), a host and an optional port", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q must start with https:// (or http://)", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", raw)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q must be a scheme and host (and port) only, like https://sms.cn-north-4.myhuaweicloud.com", raw)
	}
	return nil
}

// Huawei service names, as used in endpoints.
const (
	ServiceIAM = "iam"
	ServiceSMS = "sms"
	ServiceECS = "ecs"
)
