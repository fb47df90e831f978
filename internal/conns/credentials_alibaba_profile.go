package conns

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aliyun/credentials-go/credentials/providers"
)

// The Alibaba Cloud CLI's profiles (~/.aliyun/config.json). credentials-go
// reads them in its CLI profile provider, but builds the providers of a
// profile's mode (RamRoleArn, OIDC, EcsRamRole, ChainableRamRoleArn) with
// its own defaults: STS at sts.aliyuncs.com whatever alicloud.endpoints.sts
// says, no timeouts of ours, the metadata service at its fixed address. So
// the profile is read here, in the same format, and each mode is built with
// credentials-go's own builders, as its CLI provider does, plus the
// provider's STS endpoint and HTTP options.

// DefaultAlibabaProfileFile is the Alibaba Cloud CLI's configuration file.
func DefaultAlibabaProfileFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join("~", ".aliyun", "config.json")
	}
	return filepath.Join(home, ".aliyun", "config.json")
}

// alibabaProfileModes are the CLI profile modes credentials-go can use.
var alibabaProfileModes = []string{"AK", "RamRoleArn", "EcsRamRole", "OIDC", "ChainableRamRoleArn"}

// alibabaCLIProfile is one profile, with the fields (and JSON names) that
// credentials-go's CLI profile provider reads.
type alibabaCLIProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	RoleArn         string `json:"ram_role_arn"`
	RoleSessionName string `json:"ram_session_name"`
	DurationSeconds int    `json:"expired_seconds"`
	StsRegion       string `json:"sts_region"`
	EnableVpc       bool   `json:"enable_vpc"`
	SourceProfile   string `json:"source_profile"`
	RoleName        string `json:"ram_role_name"`
	OIDCTokenFile   string `json:"oidc_token_file"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	Policy          string `json:"policy"`
	ExternalID      string `json:"external_id"`
}

// alibabaProfiles is the CLI configuration file, read.
type alibabaProfiles struct {
	file     string
	Current  string               `json:"current"`
	Profiles []*alibabaCLIProfile `json:"profiles"`
}

// CheckAlibabaProfile reads the CLI configuration file and checks that the
// profile (or the file's current one, when name is "") exists in a mode we
// can use, and so does every profile it takes credentials from. It never
// returns the file's contents: they hold secrets. It returns the profile
// name used.
func CheckAlibabaProfile(file, name string) (string, error) {
	_, name, err := loadAlibabaProfiles(file, name)
	return name, err
}

// loadAlibabaProfiles reads file and checks the profile name (the file's
// current one when "") and its chain of source profiles.
func loadAlibabaProfiles(file, name string) (*alibabaProfiles, string, error) {
	raw, err := os.ReadFile(file) //nolint:gosec // the user names this file
	if err != nil {
		return nil, name, fmt.Errorf("cannot read the shared credentials file %s: %w", file, unwrapPathError(err))
	}
	conf := &alibabaProfiles{file: file}
	if err := json.Unmarshal(raw, conf); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, name, fmt.Errorf("the shared credentials file %s is not valid JSON (at byte %d)", file, se.Offset)
		}
		return nil, name, fmt.Errorf("the shared credentials file %s is not an Alibaba Cloud CLI configuration (expected {\"current\": ..., \"profiles\": [...]})", file)
	}
	if name == "" {
		name = conf.Current
	}
	if name == "" {
		return nil, name, fmt.Errorf("no profile chosen: set alicloud.profile (or ALICLOUD_PROFILE), or \"current\" in %s", file)
	}
	var seen []string
	for p := name; ; {
		prof, err := conf.profile(p)
		if err != nil {
			return nil, name, err
		}
		if !slices.Contains(alibabaProfileModes, prof.Mode) {
			return nil, name, fmt.Errorf("profile %q in %s has mode %q, which cloudlock cannot use; use one of %s",
				p, file, prof.Mode, strings.Join(alibabaProfileModes, ", "))
		}
		seen = append(seen, p)
		if prof.Mode != "ChainableRamRoleArn" {
			return conf, name, nil
		}
		if prof.SourceProfile == "" {
			return nil, name, fmt.Errorf("profile %q in %s has mode ChainableRamRoleArn but no source_profile", p, file)
		}
		if slices.Contains(seen, prof.SourceProfile) {
			return nil, name, fmt.Errorf("the source_profile chain of profile %q in %s goes round in a loop: %s → %s",
				name, file, strings.Join(seen, " → "), prof.SourceProfile)
		}
		p = prof.SourceProfile
	}
}

func (c *alibabaProfiles) profile(name string) (*alibabaCLIProfile, error) {
	var names []string
	for _, p := range c.Profiles {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("profile %q is not in the shared credentials file %s (it has: %s)", name, c.file, strings.Join(names, ", "))
}

// profileOptions are the provider's own settings for what a profile builds.
type profileOptions struct {
	stsHost  string // alicloud.endpoints.sts's host; "" = the profile's sts_region, as credentials-go
	http     *providers.HttpOptions
	metadata *providers.HttpOptions
}

// assumeRole assumes the role of p (RAM role ARN, session, duration,
// policy, external id, STS region) with the credentials of prev: for a
// profile, and for the alicloud block's assume_role.
func (o profileOptions) assumeRole(prev providers.CredentialsProvider, p *alibabaCLIProfile) (providers.CredentialsProvider, error) {
	b := providers.NewRAMRoleARNCredentialsProviderBuilder().WithCredentialsProvider(prev).
		WithRoleArn(p.RoleArn).WithRoleSessionName(p.RoleSessionName).WithDurationSeconds(p.DurationSeconds).
		WithStsRegionId(p.StsRegion).WithEnableVpc(p.EnableVpc).WithPolicy(p.Policy).WithExternalId(p.ExternalID).
		WithHttpOptions(o.http)
	if o.stsHost != "" {
		b = b.WithStsEndpoint(o.stsHost)
	}
	return b.Build()
}

// oidc exchanges the OIDC token in p's token file for the role of p: for a
// profile, and for the alicloud block's assume_role_with_oidc.
func (o profileOptions) oidc(p *alibabaCLIProfile) (providers.CredentialsProvider, error) {
	b := providers.NewOIDCCredentialsProviderBuilder().WithOIDCTokenFilePath(p.OIDCTokenFile).
		WithOIDCProviderARN(p.OIDCProviderARN).WithRoleArn(p.RoleArn).WithStsRegionId(p.StsRegion).
		WithEnableVpc(p.EnableVpc).WithDurationSeconds(p.DurationSeconds).WithRoleSessionName(p.RoleSessionName).
		WithPolicy(p.Policy).WithHttpOptions(o.http)
	if o.stsHost != "" {
		b = b.WithSTSEndpoint(o.stsHost)
	}
	return b.Build()
}

// provider builds the credentials provider of profile name, as
// credentials-go's CLI profile provider does (loadAlibabaProfiles has
// checked the modes and that the source chain ends).
func (c *alibabaProfiles) provider(name string, o profileOptions) (providers.CredentialsProvider, error) {
	p, err := c.profile(name)
	if err != nil {
		return nil, err
	}
	switch p.Mode {
	case "AK":
		return providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(p.AccessKeyID).
			WithAccessKeySecret(p.AccessKeySecret).Build()
	case "RamRoleArn":
		prev, err := providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(p.AccessKeyID).
			WithAccessKeySecret(p.AccessKeySecret).Build()
		if err != nil {
			return nil, fmt.Errorf("profile %q: %w", name, err)
		}
		return o.assumeRole(prev, p)
	case "ChainableRamRoleArn":
		prev, err := c.provider(p.SourceProfile, o)
		if err != nil {
			return nil, fmt.Errorf("source profile %q of profile %q: %w", p.SourceProfile, name, err)
		}
		return o.assumeRole(prev, p)
	case "EcsRamRole":
		return providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(p.RoleName).
			WithHttpOptions(o.metadata).Build()
	case "OIDC":
		if err := CheckReadableFile(p.OIDCTokenFile); err != nil {
			return nil, fmt.Errorf("the OIDC token file of profile %q: %w", name, err)
		}
		return o.oidc(p)
	}
	return nil, fmt.Errorf("profile %q has mode %q, which cloudlock cannot use", name, p.Mode)
}
