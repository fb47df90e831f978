package sms

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewTaskUnlockResource is the constructor of cloudlock_sms_task_unlock.
func NewTaskUnlockResource() resource.Resource { return &taskUnlockResource{} }

type taskUnlockResource struct{ client *conns.Client }

var (
	_ resource.ResourceWithConfigure   = (*taskUnlockResource)(nil)
	_ resource.ResourceWithImportState = (*taskUnlockResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*taskUnlockResource)(nil)
)

type taskUnlockModel struct {
	ID               types.String   `tfsdk:"id"`
	TaskID           types.String   `tfsdk:"task_id"`
	Triggers         types.Map      `tfsdk:"triggers"`
	TaskName         types.String   `tfsdk:"task_name"`
	TargetServerID   types.String   `tfsdk:"target_server_id"`
	TargetServerName types.String   `tfsdk:"target_server_name"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

const (
	defaultCreateTimeout = 5 * time.Minute
	defaultReadTimeout   = 2 * time.Minute
)

func (r *taskUnlockResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_task_unlock"
}

func (r *taskUnlockResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Unlocks the target server of a Huawei Cloud SMS migration task " +
			"(`POST /v3/tasks/{task_id}/unlock`). The unlock runs on create, and again whenever `task_id` or `triggers` change. " +
			"Destroying the resource does **not** lock the target server again: it only forgets the unlock.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The task id.",
				PlanModifiers:       keep,
			},
			"task_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: taskIDDescription + " Changing it unlocks the new task's target server.",
				Validators:          taskIDValidators,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"triggers": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Arbitrary values; changing any of them unlocks the target server again (for example after it was locked by a new migration run). " +
					"After an import, the first apply records the configured value without an unlock.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplaceIf(replaceUnlessAdoptingMap,
					adoptTriggersDescription, adoptTriggersDescription)},
			},
			"task_name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Name of the task. Null when the credentials may not read the task (HTTP 403).",
				PlanModifiers:       keep,
			},
			"target_server_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "ID of the task's target server (the ECS that was unlocked), for chaining, e.g. into `cloudlock_ecs_server_lock`. Null when the credentials may not read the task (HTTP 403).",
				PlanModifiers:       keep,
			},
			"target_server_name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Name of the task's target server. Null when the credentials may not read the task (HTTP 403).",
				PlanModifiers:       keep,
			},
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true}),
		},
	}
}

func (r *taskUnlockResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan, before any call, when Huawei Cloud is not
// configured, gives the identity of a state written before identity, and
// says what a destroy or a replace does to the target server. Only the
// plan can tell the two apart (Delete runs the same in both), so the
// warnings are given here rather than by Delete.
func (r *taskUnlockResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		if !req.State.Raw.IsNull() {
			var taskID types.String
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("task_id"), &taskID)...)
			resp.Diagnostics.AddWarning("The target server stays unlocked",
				fmt.Sprintf("Destroying cloudlock_sms_task_unlock only removes it from state: the target server of SMS task %q is not locked again.",
					taskID.ValueString()))
		}
		return
	}
	if r.client == nil {
		return
	}
	if !operation.CheckHuawei(ctx, r.client, &resp.Diagnostics) {
		return
	}
	planIdentityFromState(ctx, req, resp, "task_id")
	if req.State.Raw.IsNull() {
		return
	}
	// The attributes' RequiresReplace are not in resp (the framework keeps
	// them apart until ModifyPlan returns): the same conditions, here.
	var state, plan taskUnlockModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.TaskID.Equal(state.TaskID) ||
		(!plan.Triggers.Equal(state.Triggers) && !adopting(ctx, req.Private, state.Triggers.IsNull())) {
		resp.Diagnostics.AddWarning(replaceSummary(state.TaskID, plan.TaskID), replaceDetail(state.TaskID, plan.TaskID))
	}
}

// replaceSummary and replaceDetail say what replacing an unlock does: it
// unlocks again (the same task's target server, or the new task's), and
// removing the old unlock from state locks nothing.
func replaceSummary(before, after types.String) string {
	if before.Equal(after) {
		return "The target server is unlocked again"
	}
	return "The new task's target server is unlocked"
}

func replaceDetail(before, after types.String) string {
	if before.Equal(after) {
		return fmt.Sprintf("Changing triggers replaces cloudlock_sms_task_unlock: the apply unlocks the target server of SMS task %q again. "+
			"Nothing is locked in between: removing the previous unlock from state does not lock the server.", before.ValueString())
	}
	next := "the new task"
	if !after.IsUnknown() {
		next = fmt.Sprintf("SMS task %q", after.ValueString())
	}
	return fmt.Sprintf("Changing task_id replaces cloudlock_sms_task_unlock: the apply unlocks the target server of %s. "+
		"The target server of SMS task %q stays unlocked: removing its unlock from state does not lock it again.", next, before.ValueString())
}

func (r *taskUnlockResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan taskUnlockModel
	ctx, cancel, ok := operation.Start(ctx, req.Plan, &plan, operation.Create(&plan.Timeouts, defaultCreateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	taskID := plan.TaskID.ValueString()
	api := NewAPI(r.client)
	if err := api.UnlockTargetServer(ctx, taskID); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("task_id"), "Failed to unlock the target server of an SMS task",
			conns.WriteErrorDetail(fmt.Sprintf("Unlocking the target server of SMS task %q", taskID),
				"Nothing was recorded in state, so the next apply sends the unlock again; unlocking a target server that is already unlocked changes nothing.", err))
		return
	}
	plan.ID = plan.TaskID
	plan.TaskName, plan.TargetServerID, plan.TargetServerName = types.StringNull(), types.StringNull(), types.StringNull()

	// The unlock happened: from here on the resource is written to state
	// whatever the read of the task's details says.
	task, err := api.ShowTask(ctx, taskID)
	switch {
	case err == nil:
		plan.setTask(task)
	case conns.IsForbidden(err):
		resp.Diagnostics.AddWarning("Task details not readable",
			fmt.Sprintf("The target server of SMS task %q was unlocked, but these credentials may not read the task (sms:task:get), "+
				"so task_name, target_server_id and target_server_name are null.\n\n%v", taskID, err))
	default:
		resp.Diagnostics.AddWarning("Task details not read",
			fmt.Sprintf("The target server of SMS task %q was unlocked, but reading the task failed; the next refresh retries.\n\n%v", taskID, err))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "task_id", plan.TaskID)...)
}

func (m *taskUnlockModel) setTask(t *Task) {
	m.TaskName = nullIfEmpty(t.Name)
	m.TargetServerID = nullIfEmpty(t.TargetServerID)
	m.TargetServerName = nullIfEmpty(t.TargetServerName)
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func (r *taskUnlockResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state taskUnlockModel
	ctx, cancel, ok := operation.Start(ctx, req.State, &state, operation.Read(&state.Timeouts, defaultReadTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	taskID := state.TaskID.ValueString()
	// Set before the read: a task deleted out of band leaves state with an
	// identity even when the state had none (written before identity).
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "task_id", state.TaskID)...)
	task, err := NewAPI(r.client).ShowTask(ctx, taskID)
	switch {
	case err == nil:
		state.setTask(task)
	case conns.IsNotFound(err):
		tflog.Info(ctx, "SMS task is gone; removing cloudlock_sms_task_unlock from state", map[string]any{"task_id": taskID})
		resp.State.RemoveResource(ctx)
		return
	case conns.IsForbidden(err):
		// Unlock-only credentials: keep what is known rather than fail every plan.
		tflog.Warn(ctx, "no permission to read SMS task; keeping state as it is", map[string]any{"task_id": taskID, "error": err.Error()})
	default:
		resp.Diagnostics.AddError("Failed to read an SMS task", conns.ErrorDetail(fmt.Sprintf("Reading SMS task %q", taskID), err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update calls nothing: task_id replaces, and so do triggers except
// right after an import, when they and timeouts are only recorded.
func (r *taskUnlockResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan taskUnlockModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, "task_id", plan.TaskID)...)
	// The triggers an import could not read now hold configured values.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, nil)...)
}

// Delete calls nothing: the plan has said what a destroy or a replace
// does (ModifyPlan).
func (r *taskUnlockResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// ImportState takes a task id, as the import id or an import block's
// identity. Importing unlocks nothing, and the private mark lets the first
// apply record the configured triggers without unlocking either.
func (r *taskUnlockResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, what, diags := importedID(ctx, req, "task_id")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The import id skips the schema's validators: check it here, before
	// the read puts it into a URL path.
	if len(id) < 1 || len(id) > 36 || !taskIDPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid "+what,
			fmt.Sprintf("The %s must be an SMS task id: 1–36 letters, digits, '-' and '_', got %q.", what, id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("task_id"), id)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, []byte(`true`))...)
}
