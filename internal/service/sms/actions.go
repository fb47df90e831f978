package sms

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewTaskUnlockAction is the constructor of the action cloudlock_sms_task_unlock.
func NewTaskUnlockAction() action.Action { return &taskUnlockAction{} }

type taskUnlockAction struct{ client *conns.Client }

var (
	_ action.ActionWithConfigure  = (*taskUnlockAction)(nil)
	_ action.ActionWithModifyPlan = (*taskUnlockAction)(nil)
)

type taskUnlockActionModel struct {
	TaskID   types.String   `tfsdk:"task_id"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (a *taskUnlockAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_task_unlock"
}

func (a *taskUnlockAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Unlocks the target server of a Huawei Cloud SMS migration task (`POST /v3/tasks/{task_id}/unlock`), " +
			"once, each time the action is triggered. Needs Terraform 1.14 or later; with older versions use the resource " +
			"`cloudlock_sms_task_unlock`.",
		Attributes: map[string]schema.Attribute{
			"task_id": schema.StringAttribute{Required: true, MarkdownDescription: taskIDDescription, Validators: taskIDValidators},
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (a *taskUnlockAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan, before any call, when Huawei Cloud is not configured.
func (a *taskUnlockAction) ModifyPlan(ctx context.Context, _ action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.client == nil {
		return
	}
	operation.CheckHuawei(ctx, a.client, &resp.Diagnostics)
}

func (a *taskUnlockAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m taskUnlockActionModel
	ctx, cancel, ok := operation.Start(ctx, req.Config, &m, operation.Invoke(&m.Timeouts, 5*time.Minute), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	taskID := m.TaskID.ValueString()
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Unlocking the target server of SMS task %s", taskID)})
	if err := NewAPI(a.client).UnlockTargetServer(ctx, taskID); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("task_id"), "Failed to unlock the target server of an SMS task",
			conns.WriteErrorDetail(fmt.Sprintf("Unlocking the target server of SMS task %q", taskID),
				"The next apply does not run the action again by itself: invoke it again (terraform apply -invoke=action.cloudlock_sms_task_unlock.<name>); "+
					"unlocking a target server that is already unlocked changes nothing.", err))
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Unlocked the target server of SMS task %s", taskID)})
}
