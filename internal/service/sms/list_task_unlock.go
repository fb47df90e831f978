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

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/listing"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewTaskUnlockListResource is the constructor of the list resource
// cloudlock_sms_task_unlock (`terraform query`, Terraform 1.14 and later).
func NewTaskUnlockListResource() list.ListResource {
	return &taskUnlockList{listing.Base{TypeName: "_sms_task_unlock"}}
}

type taskUnlockList struct{ listing.Base }

var _ list.ListResourceWithConfigure = (*taskUnlockList)(nil)

type taskUnlockListModel struct {
	Name  types.String `tfsdk:"name"`
	State types.String `tfsdk:"state"`
}

// taskStates are the statuses GET /v3/tasks filters on (the SDK's
// ListTasksRequestState).
var taskStates = []string{"READY", "RUNNING", "SYNCING", "MIGRATE_SUCCESS", "MIGRATE_FAIL", "ABORTING", "ABORT", "DELETING",
	"SYNC_F_ROLLBACKING", "SYNC_F_ROLLBACK_SUCCESS"}

func (l *taskUnlockList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the SMS migration tasks (`GET /v3/tasks`, every page, 100 tasks a call), optionally " +
			"filtered by SMS. Each result is a task by its `task_id`, shown as `<task name> (<task id>) -> <target server name>`.\n\n" +
			"**Why tasks.** What one writes for this resource is a task: `task_id` is its only required argument, and " +
			"everything else it records (`task_name`, `target_server_id`, `target_server_name`) is in the listing itself, so " +
			"`include_resource = true` costs no call beyond the listing pages.\n\n" +
			"**What adopting does.** Like `terraform import`, adopting a listed task records it and calls nothing: it does " +
			"**not** unlock the task's target server. Adopt the tasks whose targets are already unlocked (for example with " +
			"`state = \"MIGRATE_SUCCESS\"` after unlocking them through the console or the action `cloudlock_sms_task_unlock`), " +
			"so that Terraform tracks them and unlocks a target again when `triggers` change; to unlock a target now, " +
			"write the resource for its task (a create unlocks) or invoke the action.",
		Attributes: map[string]listschema.Attribute{
			"name": listschema.StringAttribute{
				Optional: true, MarkdownDescription: "Filter: the task name.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"state": listschema.StringAttribute{
				Optional: true, MarkdownDescription: "Filter: the task status, one of `" + strings.Join(taskStates, "`, `") + "`.",
				Validators: []validator.String{stringvalidator.OneOf(taskStates...)},
			},
		},
	}
}

func (l *taskUnlockList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m taskUnlockListModel
	if !listing.Start(ctx, req, stream, &m, func(d *diag.Diagnostics) bool { return operation.CheckHuawei(ctx, l.Client, d) }) {
		return
	}
	f := TaskFilter{Name: m.Name.ValueString(), State: m.State.ValueString()}
	stream.Results = listing.Stream(req, NewAPI(l.Client).Tasks(ctx, f), func(t Task) (list.ListResult, bool) {
		result := req.NewListResult(ctx)
		result.DisplayName = fmt.Sprintf("%s (%s) -> %s", t.Name, t.ID, t.TargetServerName)
		result.Diagnostics.Append(setIdentityAttribute(ctx, result.Identity, "task_id", types.StringValue(t.ID))...)
		if req.IncludeResource {
			result.Diagnostics.Append(setTaskUnlockResource(ctx, result.Resource, t)...)
		}
		return result, true
	}, func(err error) (diags diag.Diagnostics) {
		diags.AddError("Failed to list SMS migration tasks", conns.ErrorDetail(fmt.Sprintf("Listing tasks (filters %+v)", f), err))
		return diags
	})
}

// setTaskUnlockResource sets what the resource's Read sets after an import
// of t: the listing has all of it.
func setTaskUnlockResource(ctx context.Context, r *tfsdk.Resource, t Task) diag.Diagnostics {
	m := taskUnlockModel{ID: types.StringValue(t.ID), TaskID: types.StringValue(t.ID), Triggers: types.MapNull(types.StringType)}
	m.setTask(&t)
	var diags diag.Diagnostics
	m.Timeouts, diags = listing.NullTimeouts(ctx, r)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.Set(ctx, &m)...)
	return diags
}
