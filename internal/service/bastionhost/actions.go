package bastionhost

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewUserUnlockAction is the constructor of the action cloudlock_bastionhost_user_unlock.
func NewUserUnlockAction() action.Action { return &userLockAction{lock: false} }

// NewUserLockAction is the constructor of the action cloudlock_bastionhost_user_lock.
func NewUserLockAction() action.Action { return &userLockAction{lock: true} }

// userLockAction unlocks or locks users once, through the same batched
// calls as the resource.
type userLockAction struct {
	client *conns.Client
	lock   bool
}

var (
	_ action.ActionWithConfigure  = (*userLockAction)(nil)
	_ action.ActionWithModifyPlan = (*userLockAction)(nil)
)

type userLockActionModel struct {
	InstanceID types.String   `tfsdk:"instance_id"`
	UserIDs    types.Set      `tfsdk:"user_ids"`
	Region     types.String   `tfsdk:"region"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (a *userLockAction) verb() string {
	if a.lock {
		return "lock"
	}
	return "unlock"
}

func (a *userLockAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bastionhost_user_" + a.verb()
}

func (a *userLockAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	api, alt := "UnlockUsers", "The resource `cloudlock_bastionhost_user_unlock` also unlocks users again when a refresh finds them locked."
	if a.lock {
		api, alt = "LockUsers", "Unlock them again with the action `cloudlock_bastionhost_user_unlock`."
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Calls `%s` (Alibaba Cloud Bastionhost, API 2019-12-09) for any number of users of an instance, "+
			"once, each time the action is triggered: %d users per call, every per-user result checked, and the error groups "+
			"the users that failed by result code, with the request id of each call. Needs Terraform 1.14 or later. %s", api, MaxUserIDsPerCall, alt),
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the Bastionhost instance, e.g. `bastionhost-cn-st220aw0001`.",
				Validators:          instanceIDValidators,
			},
			"user_ids": schema.SetAttribute{
				Required:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "IDs of the users (at least one; no empty ids). A set has no duplicates: an id written twice is merged by Terraform before the provider sees it, so it is sent once and is no error.",
				Validators:          userIDsValidators,
			},
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Region of the instance. Default: the provider's `alicloud.region`. " + regionNote,
			},
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (a *userLockAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan, before any call, when Alibaba Cloud is not
// configured or the region is not one it can reach.
func (a *userLockAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.client == nil {
		return
	}
	if !operation.CheckAlibaba(a.client, &resp.Diagnostics) {
		return
	}
	var region types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("region"), &region)...)
	operation.CheckRegion(&resp.Diagnostics, region, a.client.AlibabaRegionError)
}

func (a *userLockAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m userLockActionModel
	ctx, cancel, ok := operation.Start(ctx, req.Config, &m, operation.Invoke(&m.Timeouts, defaultCreateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	ids, diags := setStrings(ctx, m.UserIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	slices.Sort(ids)
	region := regionOr(a.client, m.Region)
	instanceID := m.InstanceID.ValueString()
	verb := a.verb()
	progress := func(format string, args ...any) {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}
	api := NewAPI(a.client).WithBatchProgress(func(first, last, total int) {
		progress("%sing users %d–%d of %d of Bastionhost instance %s", capitalize(verb), first, last, total, instanceID)
	})
	call := api.UnlockUsers
	if a.lock {
		call = api.LockUsers
	}
	start := time.Now()
	res, err := call(ctx, region, instanceID, ids)
	if err != nil || len(res.Failed()) > 0 {
		doing := fmt.Sprintf("%sing %d user(s) of Bastionhost instance %q", capitalize(verb), len(ids), instanceID)
		resp.Diagnostics.AddAttributeError(failedAttribute(err), "Failed to "+verb+" Bastionhost users",
			batchFailure(doing, res, err, "Running the action again sends every user again, which is harmless for users already done."))
		return
	}
	progress("%sed %d user(s) of Bastionhost instance %s in %d call(s) (%s)", capitalize(verb), len(ids), instanceID, res.Calls,
		time.Since(start).Round(time.Millisecond))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
