package sms

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/listing"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewSourceServerListResource is the constructor of the list resource
// cloudlock_sms_source_server (`terraform query`, Terraform 1.14 and later).
func NewSourceServerListResource() list.ListResource {
	return &sourceServerList{listing.Base{TypeName: "_sms_source_server"}}
}

type sourceServerList struct{ listing.Base }

var _ list.ListResourceWithConfigure = (*sourceServerList)(nil)

type sourceServerListModel struct {
	ID    types.String `tfsdk:"id"`
	Name  types.String `tfsdk:"name"`
	State types.String `tfsdk:"state"`
	IP    types.String `tfsdk:"ip"`
}

func (l *sourceServerList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	filter := func(desc string, v ...validator.String) listschema.StringAttribute {
		return listschema.StringAttribute{Optional: true, MarkdownDescription: desc,
			Validators: append([]validator.String{stringvalidator.LengthAtMost(255)}, v...)}
	}
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the source servers registered with Huawei Cloud SMS (`GET /v3/sources`, every page, " +
			"100 servers a call), with the filters of the data source `cloudlock_sms_source_servers`; SMS applies them. " +
			"Each result is a source server by its `id`, shown as `<name> (<id>)`.\n\n" +
			"Without `include_resource` a query costs the listing calls and nothing more. With `include_resource = true` " +
			"each result also carries what a refresh of the resource reads (`GET /v3/sources/{id}`, one call per result), " +
			"which `-generate-config-out` writes as the resource's arguments (Terraform asks for it whenever it generates " +
			"configuration). The arguments SMS never returns (marked *not read back* on the resource's page) are written as " +
			"`null`; the apply that adopts the server calls nothing, and values you set there later are recorded by the next " +
			"apply without registering the server again.",
		Attributes: map[string]listschema.Attribute{
			"id":    filter("Filter: the source server ID."),
			"name":  filter("Filter: the source server name."),
			"state": filter("Filter: the source server status, one of `"+strings.Join(listStates, "`, `")+"`.", stringvalidator.OneOf(listStates...)),
			"ip":    filter("Filter: the IP address of the source server."),
		},
	}
}

func (l *sourceServerList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m sourceServerListModel
	if !listing.Start(ctx, req, stream, &m, func(d *diag.Diagnostics) bool { return operation.CheckHuawei(ctx, l.Client, d) }) {
		return
	}
	api := NewAPI(l.Client)
	f := ServerFilter{ID: m.ID.ValueString(), Name: m.Name.ValueString(), State: m.State.ValueString(), IP: m.IP.ValueString()}
	stream.Results = listing.Stream(req, api.Servers(ctx, f), func(s model.SourceServersResponseBody) (list.ListResult, bool) {
		id := deref(s.Id)
		result := req.NewListResult(ctx)
		result.DisplayName = fmt.Sprintf("%s (%s)", deref(s.Name), id)
		result.Diagnostics.Append(setIdentityAttribute(ctx, result.Identity, "id", types.StringValue(id))...)
		if req.IncludeResource && !result.Diagnostics.HasError() {
			result.Diagnostics.Append(l.readInto(ctx, api, id, result.Resource)...)
		}
		return result, true
	}, func(err error) (diags diag.Diagnostics) {
		diags.AddError("Failed to list SMS source servers", conns.ErrorDetail(fmt.Sprintf("Listing source servers (filters %+v)", f), err))
		return diags
	})
}

// readInto sets into r what the resource's Read sets after an import of id.
func (l *sourceServerList) readInto(ctx context.Context, api API, id string, r *tfsdk.Resource) diag.Diagnostics {
	var diags diag.Diagnostics
	shown, err := api.ShowServer(ctx, id)
	if err != nil {
		diags.AddError("Failed to read an SMS source server", conns.ErrorDetail(fmt.Sprintf("Reading source server %q", id), err))
		return diags
	}
	answered, d := fromShow(ctx, shown)
	diags.Append(d...)
	var m sourceServerModel
	m.Timeouts, d = listing.NullTimeouts(ctx, r)
	diags.Append(d...)
	m.setAll(answered)
	m.ID = types.StringValue(id)
	diags.Append(r.Set(ctx, &m)...)
	return diags
}
