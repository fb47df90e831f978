package ecs

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/listing"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewServerLockListResource is the constructor of the list resource
// cloudlock_ecs_server_lock (`terraform query`, Terraform 1.14 and later).
func NewServerLockListResource() list.ListResource {
	return &serverLockList{listing.Base{TypeName: "_ecs_server_lock"}}
}

type serverLockList struct{ listing.Base }

var _ list.ListResourceWithConfigure = (*serverLockList)(nil)

type serverLockListModel struct {
	Region    types.String `tfsdk:"region"`
	ProjectID types.String `tfsdk:"project_id"`
	Locked    types.Bool   `tfsdk:"locked"`
	Name      types.String `tfsdk:"name"`
}

func (l *serverLockList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the ECS servers of a region and project (`GET /v1/{project_id}/cloudservers/detail`, " +
			"every page, 1,000 servers a call: 2,000 servers are 2 calls). Each result is a server by its identity " +
			"(`server_id`, `region`, `project_id`), shown as `<server name> (<server id>)`.\n\n" +
			"The listing has each server's lock state, so `include_resource = true` costs no call beyond the listing pages. " +
			"Adopt the servers that are locked already (`locked = true`): their import and the apply that follows send " +
			"nothing. An unlocked server adopted this way is locked by that apply, as the plan shows (`locked` -> `true`).",
		Attributes: map[string]listschema.Attribute{
			"region": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Region to list. Default: the provider's `huaweicloud.region`.",
			},
			"project_id": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Project to list (32 hex digits). Default: the provider's `huaweicloud.project_id` when " +
					"`region` is the provider's region, otherwise the project IAM names for the region.",
				Validators: projectIDValidators(),
			},
			"locked": listschema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Filter: `true` lists only locked servers, `false` only unlocked ones. Unset: all servers.",
			},
			"name": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Filter: servers whose name matches, as ECS matches it (the API's `name`: a server " +
					"whose name contains it).",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
		},
	}
}

func (l *serverLockList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m serverLockListModel
	if !listing.Start(ctx, req, stream, &m, func(d *diag.Diagnostics) bool { return operation.CheckHuawei(ctx, l.Client, d) }) {
		return
	}
	// The resource checks its region at plan; a listing has no plan, so here.
	var diags diag.Diagnostics
	if !operation.CheckRegion(&diags, m.Region, l.Client.HuaweiRegionError) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	// Where to list: the resource's rules for region and project id.
	t, diags := resolveTarget(ctx, l.Client, types.StringNull(), m.Region, m.ProjectID)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	servers := NewAPI(l.Client).Servers(ctx, t.Region, t.ProjectID, ListFilter{Name: m.Name.ValueString()})
	stream.Results = listing.Stream(req, servers, func(s Server) (list.ListResult, bool) {
		if !m.Locked.IsNull() && s.Locked != m.Locked.ValueBool() {
			return list.ListResult{}, false
		}
		st := Target{ServerID: s.ID, Region: t.Region, ProjectID: t.ProjectID}
		result := req.NewListResult(ctx)
		result.DisplayName = fmt.Sprintf("%s (%s)", s.Name, s.ID)
		result.Diagnostics.Append(setIdentity(ctx, result.Identity, st)...)
		if req.IncludeResource {
			result.Diagnostics.Append(setServerLockResource(ctx, result.Resource, st, s.Locked)...)
		}
		return result, true
	}, func(err error) (diags diag.Diagnostics) {
		diags.AddError("Failed to list ECS servers",
			conns.ErrorDetail(fmt.Sprintf("Listing the ECS servers of project %s in %s", t.ProjectID, t.Region), err))
		return diags
	})
}

// setServerLockResource sets what the resource's Read sets after an import
// of the server at t: the listing has its lock state.
func setServerLockResource(ctx context.Context, r *tfsdk.Resource, t Target, locked bool) diag.Diagnostics {
	m := serverLockModel{
		ID: types.StringValue(t.ServerID), ServerID: types.StringValue(t.ServerID), Region: types.StringValue(t.Region),
		ProjectID: types.StringValue(t.ProjectID), Locked: types.BoolValue(locked),
	}
	var diags diag.Diagnostics
	m.Timeouts, diags = listing.NullTimeouts(ctx, r)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.Set(ctx, &m)...)
	return diags
}
