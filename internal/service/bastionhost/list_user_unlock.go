package bastionhost

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/listing"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewUserUnlockListResource is the constructor of the list resource
// cloudlock_bastionhost_user_unlock (`terraform query`, Terraform 1.14 and later).
func NewUserUnlockListResource() list.ListResource {
	return &userUnlockList{listing.Base{TypeName: "_bastionhost_user_unlock"}}
}

type userUnlockList struct{ listing.Base }

var _ list.ListResourceWithConfigure = (*userUnlockList)(nil)

type userUnlockListModel struct {
	InstanceID types.String `tfsdk:"instance_id"`
	Region     types.String `tfsdk:"region"`
}

func (l *userUnlockList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the **frozen** (locked) users of a Bastionhost instance (`ListUsers` filtered by " +
			"`UserState = Frozen`, every page: one call per 100 frozen users) as **one** result: the unlock of all of them, " +
			"shown as `<n> frozen user(s) of <instance>: <names>`. An instance without frozen users gives no result.\n\n" +
			"**Why one result for the frozen users.** What one writes for this resource is an instance and the users to " +
			"keep unlocked; the users that need it are the frozen ones. One resource for all of them is what the resource is " +
			"made for: its apply unlocks 100 users a call, where a resource per user would cost a call per user. " +
			"Everything the resource records is in the listing, so `include_resource = true` costs no further call.\n\n" +
			"**What adopting does.** The users are frozen, so the plan after the import shows `frozen_user_ids` changing " +
			"to `[]`, and the apply unlocks them (`UnlockUsers`, 100 users a call): adopting this listing *is* unlocking " +
			"the users, and the plan says so before anything is called.",
		Attributes: map[string]listschema.Attribute{
			"instance_id": listschema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the Bastionhost instance, e.g. `bastionhost-cn-st220aw****`.",
				Validators:          instanceIDValidators,
			},
			"region": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Region of the instance. Default: the provider's `alicloud.region`.",
			},
		},
	}
}

func (l *userUnlockList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m userUnlockListModel
	if !listing.Start(ctx, req, stream, &m, func(d *diag.Diagnostics) bool { return operation.CheckAlibaba(l.Client, d) }) {
		return
	}
	// The resource checks its region at plan; a listing has no plan, so here.
	var diags diag.Diagnostics
	if !operation.CheckRegion(&diags, m.Region, l.Client.AlibabaRegionError) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	region, instanceID := regionOr(l.Client, m.Region), m.InstanceID.ValueString()
	users, _, err := NewAPI(l.Client).ListUsers(ctx, region, instanceID, ListUsersFilter{UserState: StateFrozen})
	if err != nil {
		stream.Results = listing.Error("Failed to list Bastionhost users",
			conns.ErrorDetail(fmt.Sprintf("Listing the frozen users of Bastionhost instance %q", instanceID), err))
		return
	}
	// The filter already says Frozen; checking again keeps a lax answer
	// from adopting users that are not locked.
	users = slices.DeleteFunc(users, func(u User) bool { return !u.Frozen() })
	if len(users) == 0 {
		stream.Results = list.NoListResults
		return
	}
	ids := make([]string, 0, len(users))
	names := make([]string, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
		names = append(names, u.Name)
	}
	slices.Sort(ids)
	result := req.NewListResult(ctx)
	result.DisplayName = frozenDisplayName(instanceID, names)
	result.Diagnostics.Append(setUnlockIdentity(ctx, result.Identity, instanceID, region, ids)...)
	if req.IncludeResource {
		result.Diagnostics.Append(setUserUnlockResource(ctx, result.Resource, instanceID, region, ids)...)
	}
	stream.Results = func(push func(list.ListResult) bool) { push(result) }
}

// frozenDisplayName names the instance and up to five of its frozen users.
func frozenDisplayName(instanceID string, names []string) string {
	shown := names
	if len(names) > 5 {
		shown = append(slices.Clone(names[:5]), fmt.Sprintf("and %d more", len(names)-5))
	}
	return fmt.Sprintf("%d frozen user(s) of %s: %s", len(names), instanceID, strings.Join(shown, ", "))
}

// setUserUnlockResource sets what the resource's Read sets after an import
// of the unlock of users, all of them frozen.
func setUserUnlockResource(ctx context.Context, r *tfsdk.Resource, instanceID, region string, users []string) diag.Diagnostics {
	m := userUnlockModel{
		ID: types.StringValue(unlockID(instanceID, users)), InstanceID: types.StringValue(instanceID),
		UserIDs: stringSet(users), Region: types.StringValue(region), Triggers: types.MapNull(types.StringType),
		FrozenUserIDs: stringSet(users),
	}
	var diags diag.Diagnostics
	m.Timeouts, diags = listing.NullTimeouts(ctx, r)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.Set(ctx, &m)...)
	return diags
}
