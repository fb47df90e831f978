package provider

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

type alibabaAssumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	ExternalID        types.String `tfsdk:"external_id"`
	Policy            types.String `tfsdk:"policy"`
}

type alibabaOIDCModel struct {
	OIDCProviderARN   types.String `tfsdk:"oidc_provider_arn"`
	RoleARN           types.String `tfsdk:"role_arn"`
	OIDCTokenFile     types.String `tfsdk:"oidc_token_file"`
	RoleSessionName   types.String `tfsdk:"role_session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
}

func envList(envs []string) string {
	return "`" + strings.Join(envs, "` or `") + "`"
}

// alibabaCredentialSchema is the alicloud block's credential sources other
// than keys, with the official alicloud provider's names: attributes, and
// the two role blocks.
func alibabaCredentialSchema() (map[string]schema.Attribute, map[string]schema.Block) {
	sessionExpiration := func(env string) schema.Int64Attribute {
		d := "Lifetime of the STS credentials in seconds, 900 to 43200 (the role's `MaxSessionDuration` may be lower). Default `3600`. " +
			"They are renewed 3 minutes before they expire."
		if env != "" {
			d += " Environment: `" + env + "`."
		}
		return schema.Int64Attribute{
			Optional: true, MarkdownDescription: d,
			Validators: []validator.Int64{int64validator.Between(conns.AlibabaMinSessionSeconds, conns.AlibabaMaxSessionSeconds)},
		}
	}
	return map[string]schema.Attribute{
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Profile of the Alibaba Cloud CLI configuration file (modes `AK`, `RamRoleArn`, `EcsRamRole`, `OIDC`, `ChainableRamRoleArn`). " +
					"Environment: " + envList(conns.EnvAlibabaProfile) + ". Default: the file's `current` profile.",
				Validators: []validator.String{checkString(func(s string) error {
					if strings.TrimSpace(s) == "" {
						return fmt.Errorf("must not be empty")
					}
					return nil
				})},
			},
			"shared_credentials_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of the Alibaba Cloud CLI configuration file. Environment: " + envList(conns.EnvAlibabaCredentialsFile) +
					". Default `~/.aliyun/config.json`. It must exist when a plan needs Alibaba Cloud.",
			},
			"ecs_role_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "RAM role of the ECS instance Terraform runs on: its temporary credentials are read from the instance metadata " +
					"(`100.100.100.200`, with an IMDSv2 token). Environment: " + envList(conns.EnvAlibabaECSRoleName) + ".",
			},
			"credentials_uri": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "URI of a sidecar that serves credentials (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`). " +
					"Environment: " + envList(conns.EnvAlibabaCredentialsURI) + ".",
				Validators: []validator.String{checkString(checkHTTPURL)},
			},
		}, map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role (STS `AssumeRole`) with the credentials of whichever source above is used: keys, profile, " +
					"instance role, OIDC or credentials URI.",
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "ARN of the role, `acs:ram::<account id>:role/<name>`. Environment: " + envList(conns.EnvAlibabaRoleARN) +
							" (`ALIBABA_CLOUD_ROLE_ARN` only when `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` is unset: it then names the OIDC role).",
						Validators: []validator.String{checkString(conns.CheckAlibabaRoleARN)},
					},
					"session_name": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Role session name, shown in ActionTrail. Environment: " + envList(conns.EnvAlibabaRoleSessionName) +
							". Default `terraform-provider-cloudlock`.",
						Validators: []validator.String{checkString(conns.CheckAlibabaSessionName)},
					},
					"session_expiration": sessionExpiration(conns.EnvAlibabaSessionExpiry[0]),
					"external_id": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "External id the role's trust policy asks for.",
					},
					"policy": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "A policy (JSON) that narrows the session's permissions.",
					},
				},
			},
			"assume_role_with_oidc": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role with an OIDC token (STS `AssumeRoleWithOIDC`, no keys needed): GitHub Actions, GitLab CI, ACK RRSA. " +
					"Without this block the environment variables `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` and `ALIBABA_CLOUD_ROLE_ARN` " +
					"(as ACK RRSA sets them) choose it.",
				Attributes: map[string]schema.Attribute{
					"oidc_provider_arn": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "ARN of the OIDC identity provider, `acs:ram::<account id>:oidc-provider/<name>`. Environment: `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`.",
						Validators:          []validator.String{checkString(conns.CheckAlibabaOIDCProviderARN)},
					},
					"role_arn": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "ARN of the role to assume. Environment: `ALIBABA_CLOUD_ROLE_ARN`.",
						Validators:          []validator.String{checkString(conns.CheckAlibabaRoleARN)},
					},
					"oidc_token_file": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "File holding the OIDC token (read again at each renewal, so a rotated token is picked up). " +
							"Environment: `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.",
					},
					"role_session_name": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Role session name. Environment: `ALIBABA_CLOUD_ROLE_SESSION_NAME`. Default `terraform-provider-cloudlock`.",
						Validators:          []validator.String{checkString(conns.CheckAlibabaSessionName)},
					},
					"session_expiration": sessionExpiration(""),
				},
			},
		}
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// checkSTSEndpoint accepts https:// URLs only: credentials-go calls STS over HTTPS.
func checkSTSEndpoint(s string) error {
	if err := conns.ValidateEndpoint(s); err != nil {
		return err
	}
	if !strings.HasPrefix(s, "https://") {
		return fmt.Errorf("%q must start with https:// (STS is called over HTTPS only)", s)
	}
	return nil
}

// stringCheck is a validator from a check function.
type stringCheck func(string) error

func checkString(f func(string) error) validator.String { return stringCheck(f) }

func (stringCheck) Description(context.Context) string { return "checks the value's shape" }

func (c stringCheck) MarkdownDescription(ctx context.Context) string { return c.Description(ctx) }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := c(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value", fmt.Sprintf("Attribute %s: %v", req.Path, err))
	}
}

// pickFrom is pick that also says where the value came from: the attribute
// (label) or the environment variable.
func pickFrom(v types.String, label string, envs ...string) (value, from string) {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString(), label
	}
	for _, e := range envs {
		if s := os.Getenv(e); s != "" {
			return s, e
		}
	}
	return "", ""
}

// configureAlibabaCredentials fills the credential sources of cfg from the
// alicloud block and the environment, and checks at plan time, with no call,
// what the schema could not: values from the environment, and the files.
func configureAlibabaCredentials(ali *alibabaModel, cfg *conns.AlibabaConfig, resp *provider.ConfigureResponse) {
	root := path.Root("alicloud")
	bad := func(p path.Path, from string, err error) {
		where := p.String()
		if from != "" && !strings.HasPrefix(from, "alicloud.") {
			where += " (from the environment variable " + from + ")"
		}
		resp.Diagnostics.AddAttributeError(p, "Invalid Alibaba Cloud credential setting", where+": "+err.Error())
	}
	var fromProfile, fromFile, fromECS, fromURI string
	cfg.Profile, fromProfile = pickFrom(ali.Profile, "alicloud.profile", conns.EnvAlibabaProfile...)
	cfg.SharedCredentialsFile, fromFile = pickFrom(ali.SharedCredentialsFile, "alicloud.shared_credentials_file", conns.EnvAlibabaCredentialsFile...)
	cfg.ECSRoleName, fromECS = pickFrom(ali.ECSRoleName, "alicloud.ecs_role_name", conns.EnvAlibabaECSRoleName...)
	cfg.CredentialsURI, fromURI = pickFrom(ali.CredentialsURI, "alicloud.credentials_uri", conns.EnvAlibabaCredentialsURI...)
	if fromURI != "" && ali.CredentialsURI.IsNull() {
		if err := checkHTTPURL(cfg.CredentialsURI); err != nil {
			bad(root.AtName("credentials_uri"), fromURI, err)
		}
	}

	// OIDC: the block, or ACK RRSA's three variables.
	oidcProviderFromEnv := os.Getenv(conns.EnvAlibabaOIDCProviderARN[0])
	if o := ali.AssumeRoleWithOIDC; o != nil || (oidcProviderFromEnv != "" && os.Getenv(conns.EnvAlibabaOIDCTokenFile[0]) != "") {
		if o == nil {
			o = &alibabaOIDCModel{}
		}
		p := root.AtName("assume_role_with_oidc")
		var from [3]string
		oc := &conns.AlibabaAssumeRoleWithOIDC{}
		oc.OIDCProviderARN, from[0] = pickFrom(o.OIDCProviderARN, "alicloud.assume_role_with_oidc.oidc_provider_arn", conns.EnvAlibabaOIDCProviderARN...)
		oc.RoleARN, from[1] = pickFrom(o.RoleARN, "alicloud.assume_role_with_oidc.role_arn", conns.EnvAlibabaOIDCRoleARN...)
		oc.TokenFile, from[2] = pickFrom(o.OIDCTokenFile, "alicloud.assume_role_with_oidc.oidc_token_file", conns.EnvAlibabaOIDCTokenFile...)
		oc.RoleSessionName, _ = pickFrom(o.RoleSessionName, "", "ALIBABA_CLOUD_ROLE_SESSION_NAME")
		if !o.SessionExpiration.IsNull() && !o.SessionExpiration.IsUnknown() {
			oc.SessionExpiration = int(o.SessionExpiration.ValueInt64())
		}
		oc.From = "alicloud.assume_role_with_oidc"
		if ali.AssumeRoleWithOIDC == nil {
			oc.From = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE"
		}
		names := []string{"oidc_provider_arn", "role_arn", "oidc_token_file"}
		envs := []string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"}
		for i, v := range []string{oc.OIDCProviderARN, oc.RoleARN, oc.TokenFile} {
			if v == "" {
				resp.Diagnostics.AddAttributeError(p.AtName(names[i]), "Missing OIDC setting",
					fmt.Sprintf("%s: set it, or the environment variable %s.", p.AtName(names[i]), envs[i]))
			}
		}
		if from[0] != "" && o.OIDCProviderARN.IsNull() {
			if err := conns.CheckAlibabaOIDCProviderARN(oc.OIDCProviderARN); err != nil {
				bad(p.AtName("oidc_provider_arn"), from[0], err)
			}
		}
		if from[1] != "" && o.RoleARN.IsNull() {
			if err := conns.CheckAlibabaRoleARN(oc.RoleARN); err != nil {
				bad(p.AtName("role_arn"), from[1], err)
			}
		}
		cfg.AssumeRoleWithOIDC = oc
	}

	// assume_role: the block, or ALICLOUD_ASSUME_ROLE_ARN / ALIBABA_CLOUD_ROLE_ARN
	// (the latter names the OIDC role when an OIDC provider is set).
	roleEnvs := []string{"ALICLOUD_ASSUME_ROLE_ARN"}
	if oidcProviderFromEnv == "" {
		roleEnvs = append(roleEnvs, "ALIBABA_CLOUD_ROLE_ARN")
	}
	r := ali.AssumeRole
	if r == nil {
		r = &alibabaAssumeRoleModel{}
	}
	roleARN, fromRole := pickFrom(r.RoleARN, "alicloud.assume_role.role_arn", roleEnvs...)
	if ali.AssumeRole != nil && roleARN == "" {
		resp.Diagnostics.AddAttributeError(root.AtName("assume_role").AtName("role_arn"), "Missing role ARN",
			"alicloud.assume_role.role_arn: set it, or the environment variable ALICLOUD_ASSUME_ROLE_ARN.")
	}
	if roleARN != "" {
		ar := &conns.AlibabaAssumeRole{RoleARN: roleARN, From: fromRole,
			ExternalID: r.ExternalID.ValueString(), Policy: r.Policy.ValueString()}
		p := root.AtName("assume_role")
		if r.RoleARN.IsNull() {
			if err := conns.CheckAlibabaRoleARN(roleARN); err != nil {
				bad(p.AtName("role_arn"), fromRole, err)
			}
		}
		var fromName string
		ar.SessionName, fromName = pickFrom(r.SessionName, "alicloud.assume_role.session_name", conns.EnvAlibabaRoleSessionName...)
		if fromName != "" && r.SessionName.IsNull() {
			if err := conns.CheckAlibabaSessionName(ar.SessionName); err != nil {
				bad(p.AtName("session_name"), fromName, err)
			}
		}
		if !r.SessionExpiration.IsNull() && !r.SessionExpiration.IsUnknown() {
			ar.SessionExpiration = int(r.SessionExpiration.ValueInt64())
		} else if v := os.Getenv(conns.EnvAlibabaSessionExpiry[0]); v != "" {
			n, err := strconv.Atoi(v)
			if err == nil {
				err = conns.CheckAlibabaSessionExpiration(n)
			} else {
				err = fmt.Errorf("%q is not a whole number of seconds", v)
			}
			if err != nil {
				bad(p.AtName("session_expiration"), conns.EnvAlibabaSessionExpiry[0], err)
			}
			ar.SessionExpiration = n
		}
		cfg.AssumeRole = ar
	}

	var stsEndpoint types.String
	if ali.Endpoints != nil {
		stsEndpoint = ali.Endpoints.STS
	}
	var fromSTS string
	cfg.Endpoints.STS, fromSTS = pickFrom(stsEndpoint, "alicloud.endpoints.sts", conns.EnvAlibabaSTSEndpoint)
	if fromSTS == conns.EnvAlibabaSTSEndpoint {
		if err := checkSTSEndpoint(cfg.Endpoints.STS); err != nil {
			bad(root.AtName("endpoints").AtName("sts"), fromSTS, err)
		}
	}

	// Which source is used. Its files (profile, token) are checked when a
	// type of Alibaba Cloud first needs credentials (still at plan, with no
	// call), so a plan that uses only Huawei Cloud does not need them.
	switch cfg.AlibabaSource() {
	case conns.AlibabaSourceKeys:
		// Configure names where each key came from.
	case conns.AlibabaSourceProfile:
		cfg.SourceFrom = fromProfile
		if cfg.Profile == "" {
			cfg.SourceFrom = fromFile
		}
	case conns.AlibabaSourceECSRole:
		cfg.SourceFrom = fromECS
	case conns.AlibabaSourceOIDC:
		cfg.SourceFrom = cfg.AssumeRoleWithOIDC.From
	case conns.AlibabaSourceURI:
		cfg.SourceFrom = fromURI
	}
}
