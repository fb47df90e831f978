// Package provider defines the cloudlock provider: its configuration and the
// list of types it offers.
package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// New returns a constructor of the provider at version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &cloudlockProvider{version: version} }
}

// NewForTests is New with settings only tests give (internal/acctest):
// they reach the client as its configuration, so each test's provider can
// have its own.
func NewForTests(version string, settings conns.TestSettings) func() provider.Provider {
	return func() provider.Provider { return &cloudlockProvider{version: version, test: settings} }
}

type cloudlockProvider struct {
	version string
	test    conns.TestSettings
}

var (
	_ provider.Provider                       = (*cloudlockProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*cloudlockProvider)(nil)
	_ provider.ProviderWithActions            = (*cloudlockProvider)(nil)
	_ provider.ProviderWithListResources      = (*cloudlockProvider)(nil)
)

type providerModel struct {
	Huaweicloud *huaweiModel     `tfsdk:"huaweicloud"`
	Alicloud    *alibabaModel    `tfsdk:"alicloud"`
	MaxRetries  types.Int64      `tfsdk:"max_retries"`
	RateLimits  *rateLimitsModel `tfsdk:"rate_limits"`
}

type huaweiModel struct {
	Region        types.String     `tfsdk:"region"`
	AccessKey     types.String     `tfsdk:"access_key"`
	SecretKey     types.String     `tfsdk:"secret_key"`
	SecurityToken types.String     `tfsdk:"security_token"`
	ProjectID     types.String     `tfsdk:"project_id"`
	Insecure      types.Bool       `tfsdk:"insecure"`
	Endpoints     *huaweiEndpoints `tfsdk:"endpoints"`

	// Other sources of credentials (credentials_huawei.go).
	SharedConfigFile types.String      `tfsdk:"shared_config_file"`
	Profile          types.String      `tfsdk:"profile"`
	AssumeRole       *huaweiAssumeRole `tfsdk:"assume_role"`
	IdpID            types.String      `tfsdk:"idp_id"`
	IDTokenFile      types.String      `tfsdk:"id_token_file"`
}

type huaweiEndpoints struct {
	IAM types.String `tfsdk:"iam"`
	SMS types.String `tfsdk:"sms"`
	ECS types.String `tfsdk:"ecs"`
}

type alibabaModel struct {
	Region        types.String      `tfsdk:"region"`
	AccessKey     types.String      `tfsdk:"access_key"`
	SecretKey     types.String      `tfsdk:"secret_key"`
	SecurityToken types.String      `tfsdk:"security_token"`
	Endpoints     *alibabaEndpoints `tfsdk:"endpoints"`

	// Credential sources besides keys (credentials_alibaba.go).
	Profile               types.String            `tfsdk:"profile"`
	SharedCredentialsFile types.String            `tfsdk:"shared_credentials_file"`
	ECSRoleName           types.String            `tfsdk:"ecs_role_name"`
	CredentialsURI        types.String            `tfsdk:"credentials_uri"`
	AssumeRole            *alibabaAssumeRoleModel `tfsdk:"assume_role"`
	AssumeRoleWithOIDC    *alibabaOIDCModel       `tfsdk:"assume_role_with_oidc"`
}

type alibabaEndpoints struct {
	Bastionhost types.String `tfsdk:"bastionhost"`
	STS         types.String `tfsdk:"sts"`
}

func (p *cloudlockProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cloudlock"
	resp.Version = p.version
}

func endpointAttr(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: desc + " Full URL, `https://` or `http://`, scheme and host only.",
		Validators:          []validator.String{endpointValidator{}},
	}
}

func (p *cloudlockProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The cloudlock provider runs the lock and key operations of Huawei Cloud and Alibaba Cloud " +
			"that other providers lack. Credentials of a cloud are needed only when a type of that cloud is used.",
		Attributes: map[string]schema.Attribute{
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How many times a throttled, 5xx or dropped call is retried, with exponential backoff. " +
					"Environment: `CLOUDLOCK_MAX_RETRIES`. Default `5`.",
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
		},
		// Blocks, not nested attributes, for every object a person types:
		// Terraform checks a block's keys and refuses a misspelt one, but
		// drops unknown keys of a nested attribute before the provider sees
		// them (hashicorp/terraform#33570), so `regoin` would silently fall
		// back to HW_REGION_NAME. See docs/design.md.
		Blocks: map[string]schema.Block{
			"huaweicloud": schema.SingleNestedBlock{
				MarkdownDescription: "Huawei Cloud settings, used by the `sms_*` and `ecs_*` types.",
				Attributes: map[string]schema.Attribute{
					"region": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Region, e.g. `cn-north-4`. Environment: `HW_REGION_NAME`. A region this provider does not know yet is accepted when every endpoint in `endpoints` is set.",
						Validators: []validator.String{regionValidator{known: conns.HuaweiRegions, hint: conns.HuaweiNewRegionHint,
							endpoints: map[string]string{"iam": "", "sms": "", "ecs": ""}}},
					},
					"access_key": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "Access key id. Environment: `HW_ACCESS_KEY`.",
					},
					"secret_key": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "Secret access key. Environment: `HW_SECRET_KEY`.",
					},
					"security_token": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "Security token of temporary credentials. Environment: `HW_SECURITY_TOKEN`.",
					},
					"project_id": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Project id of the region. Environment: `HW_PROJECT_ID`. When unset it is looked up once " +
							"through IAM (`GET /v3/projects?name=<region>`), only by types that need it.",
					},
					"insecure": schema.BoolAttribute{
						Optional:            true,
						MarkdownDescription: "Skip TLS certificate verification. Environment: `HW_INSECURE`. Default `false`.",
					},
					// Other sources of credentials: credentials_huawei.go.
					"shared_config_file": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "An hcloud (KooCLI) `config.json` to read access keys (and region, project id, agency) from, " +
							"as the huaweicloud provider does. Environment: `HW_SHARED_CONFIG_FILE`. Default `~/.hcloud/config.json` when `profile` is set.",
					},
					"profile": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Profile of `shared_config_file` to use. Environment: `HW_PROFILE`. Default: the file's `current` profile.",
					},
					"idp_id": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "OIDC federation: id of the IAM identity provider that trusts the ID token in `id_token_file`. " +
							"Environment: `HW_ASSUME_ROLE_IDP_ID` or `HUAWEICLOUD_SDK_IDP_ID`.",
						Validators: []validator.String{stringvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("id_token_file"))},
					},
					"id_token_file": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "OIDC federation: file holding the ID token (a JWT), read at every exchange. " +
							"Environment: `HW_ASSUME_ROLE_ID_TOKEN_FILE` or `HUAWEICLOUD_SDK_ID_TOKEN_FILE`.",
						Validators: []validator.String{stringvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("idp_id"))},
					},
				},
				Blocks: map[string]schema.Block{
					"assume_role": schema.SingleNestedBlock{
						MarkdownDescription: "Use the temporary keys of an IAM agency, obtained with the credentials found otherwise " +
							"(`CreateTemporaryAccessKeyByAgency`) and renewed before they expire.",
						Validators: []validator.Object{requiredInBlock{name: "agency_name"}},
						Attributes: map[string]schema.Attribute{
							"agency_name": schema.StringAttribute{
								// Required in the block: requiredInBlock (the framework
								// would ask for it with the block absent too).
								Optional:            true,
								MarkdownDescription: "Name of the agency, required in this block. Environment (without the block): `HW_ASSUME_ROLE_AGENCY_NAME`.",
								Validators:          []validator.String{agencyNameValidator()},
							},
							"domain_name": schema.StringAttribute{
								Optional:            true,
								MarkdownDescription: "Name of the account (domain) that created the agency. Environment: `HW_ASSUME_ROLE_DOMAIN_NAME`. One of `domain_name` and `domain_id` is needed.",
							},
							"domain_id": schema.StringAttribute{
								Optional:            true,
								MarkdownDescription: "Id of the account (domain) that created the agency. Environment: `HW_ASSUME_ROLE_DOMAIN_ID`.",
							},
							"duration": schema.Int64Attribute{
								Optional:            true,
								MarkdownDescription: "Lifetime of the agency's keys in seconds, 900 to 86400. Environment: `HW_ASSUME_ROLE_DURATION`. Default: IAM's, 900.",
								Validators:          []validator.Int64{int64validator.Between(conns.HuaweiMinAgencyDuration, conns.HuaweiMaxAgencyDuration)},
							},
						},
					},
					"endpoints": schema.SingleNestedBlock{
						MarkdownDescription: "Endpoint overrides.",
						Attributes: map[string]schema.Attribute{
							"iam": endpointAttr("IAM endpoint. Default `https://iam.<region>.myhuaweicloud.com`."),
							"sms": endpointAttr("SMS endpoint. Default `https://sms.cn-north-4.myhuaweicloud.com` for Chinese mainland regions, `https://sms.ap-southeast-3.myhuaweicloud.com` elsewhere."),
							"ecs": endpointAttr("ECS endpoint. Default `https://ecs.<region>.myhuaweicloud.com`."),
						},
					},
				},
			},
			"alicloud": schema.SingleNestedBlock{
				MarkdownDescription: "Alibaba Cloud settings, used by the `bastionhost_*` types.",
				Attributes: map[string]schema.Attribute{
					"region": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Region, e.g. `cn-hangzhou`. Environment: `ALICLOUD_REGION`, `ALIBABA_CLOUD_REGION` (the alicloud provider's names) or `ALIBABA_CLOUD_REGION_ID` (the credentials library's). A region this provider does not know yet is accepted when `endpoints.bastionhost` is set.",
						Validators: []validator.String{regionValidator{known: conns.AlibabaRegions, hint: conns.AlibabaNewRegionHint,
							endpoints: map[string]string{"bastionhost": conns.EnvAlibabaBastionhost}}},
					},
					"access_key": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "AccessKey id. Environment: `ALICLOUD_ACCESS_KEY` or `ALIBABA_CLOUD_ACCESS_KEY_ID`.",
					},
					"secret_key": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "AccessKey secret. Environment: `ALICLOUD_SECRET_KEY` or `ALIBABA_CLOUD_ACCESS_KEY_SECRET`.",
					},
					"security_token": schema.StringAttribute{
						Optional: true, Sensitive: true,
						MarkdownDescription: "STS token. Environment: `ALICLOUD_SECURITY_TOKEN` or `ALIBABA_CLOUD_SECURITY_TOKEN`.",
					},
				},
				Blocks: map[string]schema.Block{
					"endpoints": schema.SingleNestedBlock{
						MarkdownDescription: "Endpoint overrides.",
						Attributes: map[string]schema.Attribute{
							"bastionhost": endpointAttr("Bastionhost endpoint. Environment: `ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST`. Default per region: `https://yundun-bastionhost.aliyuncs.com`, or `https://bastionhost.<region>.aliyuncs.com` in the regions that have their own."),
							"sts": schema.StringAttribute{
								Optional: true,
								MarkdownDescription: "STS endpoint used by `assume_role`, `assume_role_with_oidc` and profiles that assume a role, `https://` only. Environment: `ALIBABA_CLOUD_ENDPOINT_STS`. " +
									"Default `https://sts.aliyuncs.com` (credentials-go also reads `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`).",
								Validators: []validator.String{checkString(checkSTSEndpoint)},
							},
						},
					},
				},
			},
			"rate_limits": rateLimitsBlock(),
		},
	}
	ali := resp.Schema.Blocks["alicloud"].(schema.SingleNestedBlock)
	attrs, blocks := alibabaCredentialSchema()
	for name, a := range attrs {
		ali.Attributes[name] = a
	}
	for name, b := range blocks {
		ali.Blocks[name] = b
	}
	resp.Schema.Blocks["alicloud"] = ali
}

func (p *cloudlockProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg := conns.Config{MaxRetries: conns.DefaultMaxRetries, UserAgent: "terraform-provider-cloudlock/" + p.version, Test: p.test}
	cfg.RateLimits = m.RateLimits.rateLimits()
	hw := m.Huaweicloud
	if hw == nil {
		hw = &huaweiModel{}
	}
	cfg.Huawei = conns.HuaweiConfig{
		Region:        pick(hw.Region, conns.EnvHuaweiRegion),
		AccessKey:     pick(hw.AccessKey, conns.EnvHuaweiAccessKey),
		SecretKey:     pick(hw.SecretKey, conns.EnvHuaweiSecretKey),
		SecurityToken: pick(hw.SecurityToken, conns.EnvHuaweiSecurityToken),
		ProjectID:     pick(hw.ProjectID, conns.EnvHuaweiProjectID),
	}
	configureHuaweiCredentials(hw, &cfg.Huawei, resp)
	if hw.Endpoints != nil {
		cfg.Huawei.Endpoints = conns.HuaweiEndpoints{
			IAM: hw.Endpoints.IAM.ValueString(),
			SMS: hw.Endpoints.SMS.ValueString(),
			ECS: hw.Endpoints.ECS.ValueString(),
		}
	}
	if !hw.Insecure.IsNull() && !hw.Insecure.IsUnknown() {
		cfg.Huawei.Insecure = hw.Insecure.ValueBool()
	} else if v := os.Getenv(conns.EnvHuaweiInsecure); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("huaweicloud").AtName("insecure"), "Invalid HW_INSECURE",
				"huaweicloud.insecure: the environment variable HW_INSECURE must be true or false, got "+strconv.Quote(v)+".")
		}
		cfg.Huawei.Insecure = b
	}

	ali := m.Alicloud
	if ali == nil {
		ali = &alibabaModel{}
	}
	cfg.Alibaba = conns.AlibabaConfig{
		Region:        pick(ali.Region, conns.EnvAlibabaRegion, "ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_REGION_ID"),
		SecurityToken: pick(ali.SecurityToken, conns.EnvAlibabaSecurityToken, "ALIBABA_CLOUD_SECURITY_TOKEN"),
	}
	var akFrom, skFrom string
	cfg.Alibaba.AccessKey, akFrom = pickFrom(ali.AccessKey, "alicloud.access_key", conns.EnvAlibabaAccessKey, "ALIBABA_CLOUD_ACCESS_KEY_ID")
	cfg.Alibaba.SecretKey, skFrom = pickFrom(ali.SecretKey, "alicloud.secret_key", conns.EnvAlibabaSecretKey, "ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	var bastionEndpoint types.String
	if ali.Endpoints != nil {
		bastionEndpoint = ali.Endpoints.Bastionhost
	}
	cfg.Alibaba.Endpoints.Bastionhost = pick(bastionEndpoint, conns.EnvAlibabaBastionhost)
	configureAlibabaCredentials(ali, &cfg.Alibaba, resp)
	if cfg.Alibaba.AlibabaSource() == conns.AlibabaSourceKeys {
		// Where the keys came from, for a message when the cloud refuses them.
		cfg.Alibaba.SourceFrom = akFrom + ", " + skFrom
	}

	if !m.MaxRetries.IsNull() && !m.MaxRetries.IsUnknown() {
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	} else if v := os.Getenv(conns.EnvMaxRetries); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 20 {
			resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid CLOUDLOCK_MAX_RETRIES",
				"max_retries: the environment variable CLOUDLOCK_MAX_RETRIES must be a whole number from 0 to 20, got "+strconv.Quote(v)+".")
		}
		cfg.MaxRetries = n
	}

	// Values from the environment get the checks the schema gives config
	// values; so do config values the validator could not decide on (an
	// endpoint unknown then). An endpoint still unknown now counts as set.
	var hwEndpointUnknown bool
	if hw.Endpoints != nil {
		hwEndpointUnknown = hw.Endpoints.IAM.IsUnknown() || hw.Endpoints.SMS.IsUnknown() || hw.Endpoints.ECS.IsUnknown()
	}
	checkRegion(resp, path.Root("huaweicloud").AtName("region"), conns.EnvHuaweiRegion, cfg.Huawei.Region, hw.Region, conns.HuaweiRegions,
		cfg.Huawei.Endpoints.AllSet() || hwEndpointUnknown, conns.HuaweiNewRegionHint)
	checkRegion(resp, path.Root("alicloud").AtName("region"), conns.EnvAlibabaRegion, cfg.Alibaba.Region, ali.Region, conns.AlibabaRegions,
		cfg.Alibaba.Endpoints.AllSet() || bastionEndpoint.IsUnknown(), conns.AlibabaNewRegionHint)
	if bastionEndpoint.IsNull() && cfg.Alibaba.Endpoints.Bastionhost != "" {
		if err := conns.ValidateEndpoint(cfg.Alibaba.Endpoints.Bastionhost); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("alicloud").AtName("endpoints").AtName("bastionhost"),
				"Invalid "+conns.EnvAlibabaBastionhost, "alicloud.endpoints.bastionhost: the environment variable "+conns.EnvAlibabaBastionhost+": "+err.Error())
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	client := conns.New(cfg)
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.EphemeralResourceData = client
	resp.ActionData = client
	resp.ListResourceData = client
}

// pick returns the configured value, else the first environment variable set.
func pick(v types.String, envs ...string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	for _, e := range envs {
		if s := os.Getenv(e); s != "" {
			return s
		}
	}
	return ""
}

// checkRegion checks the region in use, from the configuration or the
// environment, as regionValidator does.
func checkRegion(resp *provider.ConfigureResponse, p path.Path, env, value string, configured types.String, known []string, endpointsSet bool, hint string) {
	if value == "" {
		return
	}
	err := conns.CheckRegion(value, known, endpointsSet, hint)
	switch {
	case err == nil:
	case configured.IsNull():
		resp.Diagnostics.AddAttributeError(p, "Unknown region", fmt.Sprintf("%s: the region from the environment (%s): %v", p, env, err))
	default:
		resp.Diagnostics.AddAttributeError(p, "Unknown region", fmt.Sprintf("Attribute %s: %v", p, err))
	}
}

func (p *cloudlockProvider) Resources(_ context.Context) []func() resource.Resource {
	return resources
}

func (p *cloudlockProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return dataSources
}

func (p *cloudlockProvider) Actions(_ context.Context) []func() action.Action {
	return actions
}

func (p *cloudlockProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return ephemeralResources
}

// ListResources are read by `terraform query` (Terraform 1.14 and later);
// older CLIs and OpenTofu never ask for them.
func (p *cloudlockProvider) ListResources(_ context.Context) []func() list.ListResource {
	return listResources
}
