package sms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/validate"
)

// NewSourceServersDataSource is the constructor of the data source cloudlock_sms_source_servers.
func NewSourceServersDataSource() datasource.DataSource { return &sourceServersDataSource{} }

type sourceServersDataSource struct{ client *conns.Client }

var _ datasource.DataSourceWithConfigure = (*sourceServersDataSource)(nil)

type sourceServersModel struct {
	ID       types.String   `tfsdk:"id"`
	Name     types.String   `tfsdk:"name"`
	State    types.String   `tfsdk:"state"`
	IP       types.String   `tfsdk:"ip"`
	Servers  types.List     `tfsdk:"servers"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type listedServerModel struct {
	ID                       types.String `tfsdk:"id"`
	IP                       types.String `tfsdk:"ip"`
	Name                     types.String `tfsdk:"name"`
	EnterpriseProjectID      types.String `tfsdk:"enterprise_project_id"`
	AddDate                  types.Int64  `tfsdk:"add_date"`
	OSType                   types.String `tfsdk:"os_type"`
	OSVersion                types.String `tfsdk:"os_version"`
	OEMSystem                types.Bool   `tfsdk:"oem_system"`
	State                    types.String `tfsdk:"state"`
	Connected                types.Bool   `tfsdk:"connected"`
	CPUQuantity              types.Int64  `tfsdk:"cpu_quantity"`
	Memory                   types.Int64  `tfsdk:"memory"`
	CurrentTask              types.Object `tfsdk:"current_task"`
	Checks                   types.List   `tfsdk:"checks"`
	Replicatesize            types.Int64  `tfsdk:"replicatesize"`
	Totalsize                types.Int64  `tfsdk:"totalsize"`
	StageActionTime          types.Int64  `tfsdk:"stage_action_time"`
	LastVisitTime            types.Int64  `tfsdk:"last_visit_time"`
	MigrationCycle           types.String `tfsdk:"migration_cycle"`
	StateActionTime          types.Int64  `tfsdk:"state_action_time"`
	IsConsistencyResultExist types.Bool   `tfsdk:"is_consistency_result_exist"`
	HasTc                    types.Bool   `tfsdk:"has_tc"`
	StartType                types.String `tfsdk:"start_type"`
}

type listedTaskModel struct {
	ID                types.String  `tfsdk:"id"`
	Name              types.String  `tfsdk:"name"`
	Type              types.String  `tfsdk:"type"`
	State             types.String  `tfsdk:"state"`
	StartDate         types.Int64   `tfsdk:"start_date"`
	SpeedLimit        types.Int64   `tfsdk:"speed_limit"`
	MigrateSpeed      types.Float64 `tfsdk:"migrate_speed"`
	StartTargetServer types.Bool    `tfsdk:"start_target_server"`
	VMTemplateID      types.String  `tfsdk:"vm_template_id"`
	RegionID          types.String  `tfsdk:"region_id"`
	ProjectID         types.String  `tfsdk:"project_id"`
	ProjectName       types.String  `tfsdk:"project_name"`
}

type listedCheckModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Result      types.String `tfsdk:"result"`
	Params      types.List   `tfsdk:"params"`
	ErrorCode   types.String `tfsdk:"error_code"`
	ErrorOrWarn types.String `tfsdk:"error_or_warn"`
	ErrorParams types.String `tfsdk:"error_params"`
}

// listStates are the statuses GET /v3/sources filters on (the SDK's
// ListServersRequestState, a superset of the registration statuses).
var listStates = []string{"unavailable", "waiting", "initialize", "replicate", "syncing", "stopping", "stopped", "skipping",
	"deleting", "clearing", "cleared", "clearfailed", "premigready", "premiged", "premigfailed", "cloning", "cutovering",
	"finished", "error"}

func (d *sourceServersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_source_servers"
}

func computedStr(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func computedBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
}

func sourceServersDataSourceSchema(ctx context.Context) schema.Schema {
	// A filter is at most 255 characters; more checks come after that one.
	filter := func(desc string, v ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, MarkdownDescription: desc,
			Validators: []validator.String{validate.InOrder(append([]validator.String{stringvalidator.LengthAtMost(255)}, v...)...)}}
	}
	return schema.Schema{
		MarkdownDescription: "Lists the source servers registered with Huawei Cloud SMS (`GET /v3/sources`, every page), " +
			"optionally filtered, so that an existing server's `id` can be found (e.g. for `huaweicloud_sms_task`). " +
			"The filters and the `servers` list have the names of `huaweicloud_sms_source_servers` of the huaweicloud " +
			"provider; each server has the fields of the API's answer. The filters are applied by SMS, as it matches them.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Filter: the source server ID. When not set, it is an identifier of this query (a hash of the filters).",
				Validators:          []validator.String{stringvalidator.LengthAtMost(255)},
			},
			"name":  filter("Filter: the source server name."),
			"state": filter("Filter: the source server status, one of `"+strings.Join(listStates, "`, `")+"`.", stringvalidator.OneOf(listStates...)),
			"ip":    filter("Filter: the IP address of the source server."),
			"servers": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching source servers, in the order SMS lists them.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                    computedStr("The source server ID."),
					"ip":                    computedStr("The IP address."),
					"name":                  computedStr("The name in SMS."),
					"enterprise_project_id": computedStr("The enterprise project ID."),
					"add_date":              computedInt("When the server was registered, in milliseconds since the Unix epoch."),
					"os_type":               computedStr("The OS type: `WINDOWS` or `LINUX`."),
					"os_version":            computedStr("The OS version, e.g. `CENTOS_7_9_64BIT`."),
					"oem_system":            computedBool("Whether the OS is an OEM version (Windows)."),
					"state":                 computedStr("The status, e.g. `waiting`, `replicate`, `finished`."),
					"connected":             computedBool("Whether the Agent is connected to SMS."),
					"cpu_quantity":          computedInt("The number of CPU cores."),
					"memory":                computedInt("The physical memory size in bytes, as the list API (`GET /v3/sources`) reports it. The `memory` of `cloudlock_sms_source_server` (registration and `GET /v3/sources/{source_id}`) is in MB: 4096 there is 4294967296 here."),
					"current_task": schema.SingleNestedAttribute{
						Computed:            true,
						MarkdownDescription: "The migration task the server is in; null when none.",
						Attributes: map[string]schema.Attribute{
							"id":                  computedStr("The task ID."),
							"name":                computedStr("The task name."),
							"type":                computedStr("The migration type: `MIGRATE_BLOCK` or `MIGRATE_FILE`."),
							"state":               computedStr("The task status."),
							"start_date":          computedInt("When the task started, in milliseconds since the Unix epoch."),
							"speed_limit":         computedInt("The speed limit."),
							"migrate_speed":       schema.Float64Attribute{Computed: true, MarkdownDescription: "The migration rate."},
							"start_target_server": computedBool("Whether the target server is started after the migration."),
							"vm_template_id":      computedStr("The ID of the target server template."),
							"region_id":           computedStr("The region of the target."),
							"project_id":          computedStr("The project of the target."),
							"project_name":        computedStr("The name of the project of the target."),
						},
					},
					"checks": schema.ListNestedAttribute{
						Computed:            true,
						MarkdownDescription: "The results of the environment checks.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id":            computedInt("The check ID."),
							"name":          computedStr("The check name."),
							"result":        computedStr("`OK`, `WARN` or `ERROR`."),
							"params":        schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The parameters."},
							"error_code":    computedStr("The error code when the check failed."),
							"error_or_warn": computedStr("The error or warning."),
							"error_params":  computedStr("The parameters of the error."),
						}},
					},
					"replicatesize":               computedInt("The data replicated so far, in bytes."),
					"totalsize":                   computedInt("The data to migrate, in bytes."),
					"stage_action_time":           computedInt("When `migration_cycle` last changed."),
					"last_visit_time":             computedInt("When the Agent's connection last changed."),
					"migration_cycle":             computedStr("The migration stage: `checking`, `setting`, `replicating`, `syncing`, `cutovering` or `cutovered`."),
					"state_action_time":           computedInt("When `state` last changed."),
					"is_consistency_result_exist": computedBool("Whether there is a consistency check result."),
					"has_tc":                      computedBool("Whether TC is installed."),
					"start_type":                  computedStr("The startup mode."),
				}},
			},
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

var (
	listedServerType = sourceServersDataSourceSchema(context.Background()).Type().(types.ObjectType).AttrTypes["servers"].(types.ListType).ElemType.(types.ObjectType)
	listedTaskType   = listedServerType.AttrTypes["current_task"].(types.ObjectType)
	listedCheckType  = listedServerType.AttrTypes["checks"].(types.ListType).ElemType.(types.ObjectType)
)

func (d *sourceServersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = sourceServersDataSourceSchema(ctx)
}

func (d *sourceServersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

func (d *sourceServersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m sourceServersModel
	ctx, cancel, ok := operation.Start(ctx, req.Config, &m, operation.DataSourceRead(&m.Timeouts, 2*time.Minute), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	if d.client == nil {
		resp.Diagnostics.AddError("Provider not configured", "The cloudlock provider was not configured before the data source was read.")
		return
	}

	f := ServerFilter{ID: m.ID.ValueString(), Name: m.Name.ValueString(), State: m.State.ValueString(), IP: m.IP.ValueString()}
	servers, err := NewAPI(d.client).ListServers(ctx, f)
	if err != nil {
		resp.Diagnostics.AddError("Failed to list SMS source servers", conns.ErrorDetail(fmt.Sprintf("Listing source servers (filters %+v)", f), err))
		return
	}
	items := make([]listedServerModel, 0, len(servers))
	for _, s := range servers {
		items = append(items, listedServer(ctx, s, &resp.Diagnostics))
	}
	list, diags := types.ListValueFrom(ctx, listedServerType, items)
	resp.Diagnostics.Append(diags...)
	m.Servers = list
	if m.ID.IsNull() {
		sum := sha256.Sum256([]byte(f.Name + "\x00" + f.State + "\x00" + f.IP))
		m.ID = types.StringValue("sms-source-servers-" + hex.EncodeToString(sum[:8]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// listedServer maps one item of the list answer.
func listedServer(ctx context.Context, s model.SourceServersResponseBody, diags *diag.Diagnostics) listedServerModel {
	m := listedServerModel{
		ID: types.StringPointerValue(s.Id), IP: types.StringPointerValue(s.Ip), Name: types.StringPointerValue(s.Name),
		EnterpriseProjectID: types.StringPointerValue(s.EnterpriseProjectId), AddDate: types.Int64PointerValue(s.AddDate),
		OSType: enumValue(s.OsType), OSVersion: types.StringPointerValue(s.OsVersion), OEMSystem: types.BoolPointerValue(s.OemSystem),
		State: enumValue(s.State), Connected: types.BoolPointerValue(s.Connected), CPUQuantity: int32Value(s.CpuQuantity),
		Memory: types.Int64PointerValue(s.Memory), Replicatesize: types.Int64PointerValue(s.Replicatesize),
		Totalsize: types.Int64PointerValue(s.Totalsize), StageActionTime: types.Int64PointerValue(s.StageActionTime),
		LastVisitTime: types.Int64PointerValue(s.LastVisitTime), MigrationCycle: enumValue(s.MigrationCycle),
		StateActionTime: types.Int64PointerValue(s.StateActionTime), IsConsistencyResultExist: types.BoolPointerValue(s.IsConsistencyResultExist),
		HasTc: types.BoolPointerValue(s.HasTc), StartType: types.StringPointerValue(s.StartType),
		CurrentTask: types.ObjectNull(listedTaskType.AttrTypes),
	}
	if t := s.CurrentTask; t != nil {
		task := listedTaskModel{
			ID: types.StringPointerValue(t.Id), Name: types.StringPointerValue(t.Name), Type: enumValue(t.Type),
			State: types.StringPointerValue(t.State), StartDate: types.Int64PointerValue(t.StartDate),
			SpeedLimit: int32Value(t.SpeedLimit), MigrateSpeed: types.Float64PointerValue(t.MigrateSpeed),
			StartTargetServer: types.BoolPointerValue(t.StartTargetServer), VMTemplateID: types.StringPointerValue(t.VmTemplateId),
			RegionID: types.StringPointerValue(t.RegionId), ProjectID: types.StringPointerValue(t.ProjectId),
			ProjectName: types.StringPointerValue(t.ProjectName),
		}
		obj, d := types.ObjectValueFrom(ctx, listedTaskType.AttrTypes, task)
		diags.Append(d...)
		m.CurrentTask = obj
	}
	var checks []listedCheckModel
	if s.Checks != nil {
		for _, c := range *s.Checks {
			params := types.ListNull(types.StringType)
			if c.Params != nil {
				l, d := types.ListValueFrom(ctx, types.StringType, *c.Params)
				diags.Append(d...)
				params = l
			}
			checks = append(checks, listedCheckModel{
				ID: types.Int64Value(c.Id), Name: types.StringValue(c.Name), Result: types.StringValue(c.Result.Value()),
				Params: params, ErrorCode: types.StringPointerValue(c.ErrorCode), ErrorOrWarn: types.StringPointerValue(c.ErrorOrWarn),
				ErrorParams: types.StringPointerValue(c.ErrorParams),
			})
		}
	}
	m.Checks = listOf(ctx, listedCheckType, s.Checks != nil, checks, diags)
	return m
}
