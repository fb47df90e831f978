package ecs

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

// NewServerLockAction is the constructor of the action cloudlock_ecs_server_lock.
func NewServerLockAction() action.Action { return &serverLockAction{lock: true} }

// NewServerUnlockAction is the constructor of the action cloudlock_ecs_server_unlock.
func NewServerUnlockAction() action.Action { return &serverLockAction{lock: false} }

// serverLockAction locks or unlocks a server once, through the same calls
// as the resource (setLock).
type serverLockAction struct {
	client *conns.Client
	lock   bool
}

var (
	_ action.ActionWithConfigure  = (*serverLockAction)(nil)
	_ action.ActionWithModifyPlan = (*serverLockAction)(nil)
)

type serverLockActionModel struct {
	ServerID  types.String   `tfsdk:"server_id"`
	Region    types.String   `tfsdk:"region"`
	ProjectID types.String   `tfsdk:"project_id"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

func (a *serverLockAction) verb() string {
	if a.lock {
		return "lock"
	}
	return "unlock"
}

func (a *serverLockAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ecs_server_" + a.verb()
}

func (a *serverLockAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	body, state := `{"lock": null}`, "locked"
	if !a.lock {
		body, state = `{"unlock": null}`, "unlocked"
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Sends `%s` to a Huawei Cloud ECS server (`POST /v2.1/{project_id}/servers/{server_id}/action`) "+
			"once, each time the action is triggered, and waits until the server reports itself %s. Needs Terraform 1.14 or later. "+
			"To keep a server locked for as long as Terraform manages it, use the resource `cloudlock_ecs_server_lock` instead.", body, state),
		Attributes: map[string]schema.Attribute{
			"server_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the ECS server (a UUID).",
				Validators:          serverIDValidators(),
			},
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Region of the server. Default: the provider's `huaweicloud.region`. A region the provider " +
					"does not know is accepted when every endpoint of the provider's `huaweicloud.endpoints` is set (checked at plan).",
			},
			"project_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Project that owns the server. Default: the provider's `huaweicloud.project_id` for its region, " +
					"otherwise the project IAM names for the region.",
				Validators: projectIDValidators(),
			},
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (a *serverLockAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan, before any call, when Huawei Cloud is not
// configured or the region is not one it can reach.
func (a *serverLockAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.client == nil {
		return
	}
	if !operation.CheckHuawei(ctx, a.client, &resp.Diagnostics) {
		return
	}
	var region types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &region)...)
	operation.CheckRegion(&resp.Diagnostics, region, a.client.HuaweiRegionError)
}

func (a *serverLockAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m serverLockActionModel
	ctx, cancel, ok := operation.Start(ctx, req.Config, &m, operation.Invoke(&m.Timeouts, defaultCreateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	t, diags := resolveTarget(ctx, a.client, m.ServerID, m.Region, m.ProjectID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	start := time.Now()
	progress := func(format string, args ...any) {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}
	progress("Sending %s to %s", a.verb(), t)
	next := fmt.Sprintf("The next apply does not run the action again by itself: invoke it again (terraform apply -invoke=action.cloudlock_ecs_server_%s.<name>); "+
		"it changes nothing on a server already in that state.", a.verb())
	if !setLock(ctx, NewAPI(a.client), t, a.lock, next, &resp.Diagnostics) {
		return
	}
	progress("%s is %sed (%s)", t, a.verb(), time.Since(start).Round(time.Millisecond))
}
