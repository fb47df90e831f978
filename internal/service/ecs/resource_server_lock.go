package ecs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewServerLockResource is the constructor of cloudlock_ecs_server_lock.
func NewServerLockResource() resource.Resource { return &serverLockResource{} }

type serverLockResource struct{ client *conns.Client }

var (
	_ resource.ResourceWithConfigure   = (*serverLockResource)(nil)
	_ resource.ResourceWithImportState = (*serverLockResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*serverLockResource)(nil)
)

type serverLockModel struct {
	ID        types.String   `tfsdk:"id"`
	ServerID  types.String   `tfsdk:"server_id"`
	Region    types.String   `tfsdk:"region"`
	ProjectID types.String   `tfsdk:"project_id"`
	Locked    types.Bool     `tfsdk:"locked"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

const (
	defaultCreateTimeout = 5 * time.Minute
	defaultUpdateTimeout = 5 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
	defaultReadTimeout   = 2 * time.Minute
)

func (r *serverLockResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ecs_server_lock"
}

func (r *serverLockResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// UseStateForUnknown comes first so that a computed region or project id
	// keeps its value (and does not look changed to RequiresReplace) when
	// something else changes; ModifyPlan sets what a changed provider
	// default asks for.
	keepThenReplace := []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Keeps a Huawei Cloud ECS server **locked** while Terraform manages it, and unlocks it on destroy. " +
			"A locked server cannot be stopped, restarted, resized, rebuilt or deleted by users without the administrator's " +
			"lock permission, which protects production servers from accidents.\n\n" +
			"Create sends `POST /v2.1/{project_id}/servers/{server_id}/action` with `{\"lock\": null}` and waits until the server " +
			"reports `locked = true` (the API answers 202: accepted, not yet done). Every refresh reads the lock state; " +
			"the refreshes of one run share `ListServersDetails` calls (up to 100 servers a call, or one listing of the " +
			"project for a large fleet), and a server a list does not show is read with Nova show " +
			"(`OpenStack-API-Version: compute 2.9`) before it leaves the state. If someone unlocked the server, the next plan shows " +
			"`locked` changing back to `true` and `apply` locks it again. A server deleted outside Terraform leaves the state. " +
			"Destroy sends `{\"unlock\": null}` and waits until the server reports unlocked; a server that no longer exists " +
			"is not an error.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The server id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"server_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the ECS server to lock (a UUID). Changing it unlocks the old server and locks the new one.",
				Validators:          serverIDValidators(),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"region": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Region of the server; its ECS endpoint is called (`https://ecs.<region>.myhuaweicloud.com`, " +
					"or `huaweicloud.endpoints.ecs`). Default: the provider's `huaweicloud.region`. Changing it, or the provider's " +
					"region when this is unset, replaces the resource. A region the provider does not know is accepted when every " +
					"endpoint of the provider's `huaweicloud.endpoints` is set (checked at plan).",
				PlanModifiers: keepThenReplace,
			},
			"project_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Project that owns the server (32 hex digits). Default: the provider's `huaweicloud.project_id` " +
					"when `region` is the provider's region, otherwise the project IAM names for the region " +
					"(`GET /v3/projects?name=<region>`, looked up once per run). Changing it replaces the resource.",
				Validators:    projectIDValidators(),
				PlanModifiers: keepThenReplace,
			},
			"locked": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether the server reports itself locked. Always `true` after an apply; `false` in state " +
					"means it was unlocked outside Terraform, and the next apply locks it again.",
			},
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *serverLockResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan before any call when Huawei Cloud is not
// configured, fills region and project_id from the provider where the
// configuration leaves them out, and plans locked = true, so a server
// unlocked out of band shows up as a change.
func (r *serverLockResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	if !operation.CheckHuawei(ctx, r.client, &resp.Diagnostics) {
		return
	}
	var plan, config serverLockModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var state *serverLockModel
	if !req.State.Raw.IsNull() {
		state = &serverLockModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !operation.CheckRegion(&resp.Diagnostics, config.Region, r.client.HuaweiRegionError) {
		return
	}

	hw := r.client.Config().Huawei
	if config.Region.IsNull() {
		plan.Region = types.StringValue(hw.Region)
	}
	if config.ProjectID.IsNull() {
		configured, isConfigured := r.client.ConfiguredHuaweiProjectID(plan.Region.ValueString())
		switch {
		case plan.Region.IsUnknown():
			plan.ProjectID = types.StringUnknown()
		case isConfigured:
			plan.ProjectID = types.StringValue(configured)
		case state != nil && state.Region.Equal(plan.Region) && !state.ProjectID.IsNull() && !state.ProjectID.IsUnknown():
			plan.ProjectID = state.ProjectID
		default:
			// Looked up through IAM when the lock is created.
			plan.ProjectID = types.StringUnknown()
		}
	}
	if !plan.ServerID.IsUnknown() {
		plan.ID = plan.ServerID
	}
	plan.Locked = types.BoolValue(true)

	if state != nil && identityMissing(resp.Identity) && !state.ServerID.IsNull() && !state.Region.IsNull() && !state.ProjectID.IsNull() {
		// State written before identity existed: the plan carries it, so
		// even an apply with -refresh=false records it.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, Target{
			ServerID: state.ServerID.ValueString(), Region: state.Region.ValueString(), ProjectID: state.ProjectID.ValueString(),
		})...)
	}
	if state != nil {
		// The attributes' RequiresReplace saw the value before the provider's
		// default was filled in; a changed default replaces too.
		if !plan.Region.IsUnknown() && !plan.Region.Equal(state.Region) {
			resp.RequiresReplace.Append(path.Root("region"))
		}
		if !plan.ProjectID.IsUnknown() && !plan.ProjectID.Equal(state.ProjectID) {
			resp.RequiresReplace.Append(path.Root("project_id"))
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// target resolves where the server of m is.
func (r *serverLockResource) target(ctx context.Context, m *serverLockModel) (Target, diag.Diagnostics) {
	return resolveTarget(ctx, r.client, m.ServerID, m.Region, m.ProjectID)
}

func (r *serverLockResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan serverLockModel
	ctx, cancel, ok := operation.Start(ctx, req.Plan, &plan, operation.Create(&plan.Timeouts, defaultCreateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	t, diags := r.target(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.lock(ctx, t, &resp.Diagnostics) {
		// Nothing is stored: running apply again sends the lock again,
		// which is harmless if this one did take effect after all.
		return
	}
	plan.ID = types.StringValue(t.ServerID)
	plan.Region = types.StringValue(t.Region)
	plan.ProjectID = types.StringValue(t.ProjectID)
	plan.Locked = types.BoolValue(true)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, t)...)
}

// lock locks the server and waits until it reports locked; false means it
// failed and diags say how.
func (r *serverLockResource) lock(ctx context.Context, t Target, diags *diag.Diagnostics) bool {
	return setLock(ctx, NewAPI(r.client), t, true,
		"The state was not changed, so the next apply sends the lock again; locking a server that is already locked changes nothing.", diags)
}

func (r *serverLockResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state serverLockModel
	ctx, cancel, ok := operation.Start(ctx, req.State, &state, operation.Read(&state.Timeouts, defaultReadTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	// After an import only server_id (and maybe region) are known.
	t, diags := r.target(ctx, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Set before the read: a server deleted out of band leaves state with
	// an identity even when the state had none (Terraform < 1.12 wrote it).
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, t)...)
	srv, err := NewAPI(r.client).ReadServer(ctx, t)
	switch {
	case conns.IsNotFound(err):
		tflog.Info(ctx, "ECS server is gone; removing cloudlock_ecs_server_lock from state", map[string]any{"server_id": t.ServerID})
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Failed to read the lock state of an ECS server", conns.ErrorDetail(fmt.Sprintf("Reading %s", t), err))
		return
	}
	if !srv.Locked {
		tflog.Warn(ctx, "ECS server was unlocked outside Terraform; the next apply locks it again", map[string]any{"server_id": t.ServerID})
	}
	state.ID = types.StringValue(t.ServerID)
	state.Region = types.StringValue(t.Region)
	state.ProjectID = types.StringValue(t.ProjectID)
	state.Locked = types.BoolValue(srv.Locked)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update locks the server again when it was unlocked out of band (the only
// in-place change besides timeouts: everything else replaces).
func (r *serverLockResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state serverLockModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	t := Target{ServerID: state.ServerID.ValueString(), Region: state.Region.ValueString(), ProjectID: state.ProjectID.ValueString()}
	if !state.Locked.ValueBool() {
		ctx, cancel, ok := operation.WithTimeout(ctx, operation.Update(&plan.Timeouts, defaultUpdateTimeout), &resp.Diagnostics)
		if !ok {
			return
		}
		defer cancel()
		if !r.lock(ctx, t, &resp.Diagnostics) {
			return
		}
	}
	plan.Locked = types.BoolValue(true)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, t)...)
}

func (r *serverLockResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state serverLockModel
	ctx, cancel, ok := operation.Start(ctx, req.State, &state, operation.Delete(&state.Timeouts, defaultDeleteTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	t, diags := r.target(ctx, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	api := NewAPI(r.client)
	requestID, err := api.Unlock(ctx, t)
	if err == nil {
		_, err = api.WaitLockState(ctx, t, false)
	}
	var wt *WaitTimeoutError
	switch {
	case err == nil:
	case conns.IsNotFound(err):
		// Nothing left to unlock.
		tflog.Info(ctx, "ECS server no longer exists; nothing to unlock", map[string]any{"server_id": t.ServerID})
	case errors.As(err, &wt) && wt.Interrupted:
		resp.Diagnostics.AddError("Interrupted waiting for the ECS server to report unlocked",
			err.Error()+".\n\nThe cloud accepted the unlock (HTTP 202"+requestIDNote(requestID)+") and may still apply it. The resource stays in state, so the next destroy sends the unlock again; "+
				"unlocking a server that is already unlocked changes nothing.")
	case errors.As(err, &wt):
		resp.Diagnostics.AddError("Timeout waiting for the ECS server to report unlocked",
			err.Error()+".\n\nThe cloud accepted the unlock (HTTP 202"+requestIDNote(requestID)+"); the resource stays in state: destroy again to retry (and raise timeouts.delete if the cloud is slow).")
	default:
		resp.Diagnostics.AddError("Failed to unlock an ECS server", conns.WriteErrorDetail(fmt.Sprintf("Unlocking %s", t),
			"The resource stays in state, so the next destroy sends the unlock again; unlocking a server that is already unlocked changes nothing.", err))
	}
}

// ImportState takes a server id, or <region>/<server_id> for a server in
// another region than the provider's, or an import block's identity. The
// read that follows fills the rest (and the whole identity).
func (r *serverLockResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		r.importByIdentity(ctx, req, resp)
		return
	}
	region, serverID, hasRegion := strings.Cut(req.ID, "/")
	if !hasRegion {
		region, serverID = "", req.ID
	}
	if !serverIDPattern.MatchString(serverID) || (hasRegion && !validRegion(region)) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The import id must be an ECS server id (a UUID) or <region>/<server_id>, such as "+
				"cn-north-4/2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), serverID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), serverID)...)
	if hasRegion {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), region)...)
	}
}

func validRegion(region string) bool { return slices.Contains(conns.HuaweiRegions, region) }
