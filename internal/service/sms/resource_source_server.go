package sms

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewSourceServerResource is the constructor of cloudlock_sms_source_server.
func NewSourceServerResource() resource.Resource { return &sourceServerResource{} }

type sourceServerResource struct{ client *conns.Client }

var (
	_ resource.ResourceWithConfigure   = (*sourceServerResource)(nil)
	_ resource.ResourceWithImportState = (*sourceServerResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*sourceServerResource)(nil)
)

const (
	sourceCreateTimeout = 5 * time.Minute
	sourceReadTimeout   = 2 * time.Minute
	sourceUpdateTimeout = 5 * time.Minute
	sourceDeleteTimeout = 5 * time.Minute
)

func (r *sourceServerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_source_server"
}

func (r *sourceServerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = sourceServerResourceSchema(ctx)
}

func (r *sourceServerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = conns.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan, before any call, when Huawei Cloud is not
// configured, and gives the identity of a state written before identity.
func (r *sourceServerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	if err := r.client.CheckHuawei(ctx); err != nil {
		resp.Diagnostics.AddError("Huawei Cloud credentials missing", err.Error())
		return
	}
	planIdentityFromState(ctx, req, resp, "id")
}

func describe(m *sourceServerModel) string {
	return fmt.Sprintf("source server %q (ip %s, %s %s)", m.Hostname.ValueString(), m.IP.ValueString(),
		m.OSType.ValueString(), m.OSVersion.ValueString())
}

func (r *sourceServerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan sourceServerModel
	ctx, cancel, ok := operation.Start(ctx, req.Plan, &plan, operation.Create(&plan.Timeouts, sourceCreateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	body, diags := plan.registration(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	api := NewAPI(r.client)
	id, err := api.RegisterServer(ctx, body)
	if err != nil {
		resp.Diagnostics.AddError("Failed to register the SMS source server",
			conns.ErrorDetail("Registering "+describe(&plan), err))
		return
	}
	plan.ID = types.StringValue(id)

	// The server is registered: from here on it is written to state,
	// whatever the read of its details says.
	shown, err := api.ShowServer(ctx, id)
	if err != nil {
		plan.fillUnknown(ctx, nil)
		resp.Diagnostics.AddWarning("Source server registered but not read back",
			fmt.Sprintf("SMS registered %s as %q, but reading it back failed; values SMS fills in are null until the next refresh.\n\n%s",
				plan.Hostname.ValueString(), id, conns.ErrorDetail("Reading source server "+id, err)))
	} else {
		answered, diags := fromShow(ctx, shown)
		resp.Diagnostics.Append(diags...)
		plan.fillUnknown(ctx, &answered)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "id", plan.ID)...)
}

func (r *sourceServerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sourceServerModel
	ctx, cancel, ok := operation.Start(ctx, req.State, &state, operation.Read(&state.Timeouts, sourceReadTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	// Set before the read: a server deleted out of band leaves state with
	// an identity even when the state had none (written before identity).
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "id", state.ID)...)
	shown, err := NewAPI(r.client).ShowServer(ctx, id)
	switch {
	case conns.IsNotFound(err):
		tflog.Info(ctx, "SMS source server is gone; removing it from state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Failed to read an SMS source server", conns.ErrorDetail(fmt.Sprintf("Reading source server %q", id), err))
		return
	}
	answered, diags := fromShow(ctx, shown)
	resp.Diagnostics.Append(diags...)
	state.setRead(answered)
	state.ID = types.StringValue(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update renames the server when name changed; the plan modifiers replace
// the server for any other argument, except values recorded after an
// import (adoptKey), which need no call.
func (r *sourceServerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state sourceServerModel
	// The state first: Start then reads the plan and stops at an error of either.
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, ok := operation.Start(ctx, req.Plan, &plan, operation.Update(&plan.Timeouts, sourceUpdateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	api := NewAPI(r.client)
	if !plan.Name.IsUnknown() && !plan.Name.Equal(state.Name) {
		if err := api.UpdateServerName(ctx, id, plan.Name.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Failed to rename the SMS source server",
				conns.ErrorDetail(fmt.Sprintf("Renaming source server %q from %q to %q", id, state.Name.ValueString(), plan.Name.ValueString()), err))
			return
		}
	}
	shown, err := api.ShowServer(ctx, id)
	if err != nil {
		plan.fillUnknown(ctx, &state)
		resp.Diagnostics.AddWarning("Source server not read back",
			fmt.Sprintf("Reading source server %q after the update failed; its status attributes keep their last values until the next refresh.\n\n%s",
				id, conns.ErrorDetail("Reading source server "+id, err)))
	} else {
		answered, diags := fromShow(ctx, shown)
		resp.Diagnostics.Append(diags...)
		plan.fillUnknown(ctx, &answered)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "id", state.ID)...)
	// The arguments an import could not read now hold configured values.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, nil)...)
}

func (r *sourceServerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state sourceServerModel
	ctx, cancel, ok := operation.Start(ctx, req.State, &state, operation.Delete(&state.Timeouts, sourceDeleteTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	err := NewAPI(r.client).DeleteServer(ctx, id)
	switch {
	case conns.IsNotFound(err):
		tflog.Info(ctx, "SMS source server was already deleted", map[string]any{"id": id})
	case err != nil:
		resp.Diagnostics.AddError("Failed to delete the SMS source server", conns.ErrorDetail(fmt.Sprintf("Deleting source server %q", id), err))
	}
}

// ImportState takes a source server id, as the import id or an import
// block's identity. The arguments SMS never returns stay null; the private
// mark lets the first apply record their configured values instead of
// registering the server again.
func (r *sourceServerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, what, diags := importedID(ctx, req, "id")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The id goes into the URL path unescaped (GET /v3/sources/{id}): a "/",
	// "?" or ".." would read another API's answer as this server's.
	if id == "" || len(id) > 255 || !taskIDPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid "+what, fmt.Sprintf("Expected an SMS source server id (1–255 letters, digits, '-' and '_') as the %s, got %q.", what, id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, []byte(`true`))...)
}
