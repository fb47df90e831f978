package bastionhost

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewUserUnlockResource is the constructor of cloudlock_bastionhost_user_unlock.
func NewUserUnlockResource() resource.Resource { return &userUnlockResource{} }

type userUnlockResource struct{ client *conns.Client }

var (
	_ resource.ResourceWithConfigure   = (*userUnlockResource)(nil)
	_ resource.ResourceWithImportState = (*userUnlockResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*userUnlockResource)(nil)
)

type userUnlockModel struct {
	ID            types.String   `tfsdk:"id"`
	InstanceID    types.String   `tfsdk:"instance_id"`
	UserIDs       types.Set      `tfsdk:"user_ids"`
	Region        types.String   `tfsdk:"region"`
	Triggers      types.Map      `tfsdk:"triggers"`
	FrozenUserIDs types.Set      `tfsdk:"frozen_user_ids"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

const (
	defaultCreateTimeout = 10 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
)

// After a failed create nothing is in state; this says what the next apply does.
const reapplyNote = "Nothing was written to state, so the next apply unlocks the whole set again. " +
	"That is safe: unlocking a user that is not locked succeeds."

func (r *userUnlockResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bastionhost_user_unlock"
}

func (r *userUnlockResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Unlocks users of an Alibaba Cloud Bastionhost instance (API 2019-12-09, action `UnlockUsers`), " +
			"any number of them: ids are sent at most 100 per call (the API's limit), and every user's result code is checked, " +
			"because the API answers HTTP 200 even when some users fail. If any user fails, the apply fails naming each failed " +
			"user id with its code and saying which users were unlocked, and nothing is written to state.\n\n" +
			"**Drift.** Each refresh lists the instance's `Frozen` users (`ListUsers` filtered by `UserState`, pages of 100: one call " +
			"per 100 frozen users, never one call per user) and records the users of `user_ids` that are locked again in " +
			"`frozen_user_ids`. The plan then shows `frozen_user_ids` changing to `[]`, an in-place update, and the apply unlocks " +
			"exactly those users again.\n\n" +
			"Destroying the resource calls nothing: it does **not** lock the users again, it only forgets the unlock.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`<instance_id>:<hash>`, where the hash is the first 16 hex digits of the SHA-256 of the sorted user ids: " +
					"the same instance and set of users always give the same id.",
			},
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the Bastionhost instance, e.g. `bastionhost-cn-st220aw****`. Changing it unlocks the users of the new instance.",
				Validators:          instanceIDValidators,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"user_ids": schema.SetAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: "IDs of the users to unlock (at least one; no empty strings). Any number: they are sent 100 per call. " +
					"Changing the set unlocks the new set. A set has no duplicates: an id written twice (`[\"1\", \"1\"]`) is merged by " +
					"Terraform before the provider sees it, so it is unlocked once and is no error.",
				Validators:    userIDsValidators,
				PlanModifiers: []planmodifier.Set{setplanmodifier.RequiresReplace()},
			},
			"region": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Region of the instance, e.g. `cn-hangzhou`. Default: the provider's `alicloud.region`. " +
					"Changing it (or the provider's region, when this is unset) replaces the resource. " + regionNote,
			},
			"triggers": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Arbitrary values; changing any of them unlocks the whole set again. " +
					"After an import, the first apply records the configured value without an unlock.",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplaceIf(replaceUnlessAdopting,
					adoptTriggersDescription, adoptTriggersDescription)},
			},
			"frozen_user_ids": schema.SetAttribute{
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Users of `user_ids` that the last refresh found `Frozen` (locked) again, e.g. after too many failed logins. " +
					"Always empty after an apply; when a refresh finds some, the plan changes it to `[]` and the apply unlocks those users again.",
			},
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true}),
		},
	}
}

func (r *userUnlockResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan, before any call, when Alibaba Cloud is not
// configured; fills in the region and the id; and plans frozen_user_ids as
// empty, which is what an apply leaves, so users found locked again by the
// refresh show as a change that the apply fixes. It also says what a
// destroy or a replace does to the users: only the plan can tell the two
// apart (Delete runs the same in both), so the warnings are given here.
func (r *userUnlockResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		if !req.State.Raw.IsNull() {
			var instanceID types.String
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("instance_id"), &instanceID)...)
			resp.Diagnostics.AddWarning("The Bastionhost users stay unlocked",
				fmt.Sprintf("Destroying cloudlock_bastionhost_user_unlock only removes it from state: no API is called and the users "+
					"of Bastionhost instance %q are not locked again.", instanceID.ValueString()))
		}
		return
	}
	defer r.warnReplace(ctx, req, resp)
	if r.client == nil {
		return
	}
	if !operation.CheckAlibaba(r.client, &resp.Diagnostics) {
		return
	}
	var plan, config userUnlockModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !operation.CheckRegion(&resp.Diagnostics, config.Region, r.client.AlibabaRegionError) {
		return
	}
	if config.Region.IsNull() {
		plan.Region = types.StringValue(r.client.Config().Alibaba.Region)
	}
	if !req.State.Raw.IsNull() {
		var state userUnlockModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !plan.Region.IsUnknown() && !state.Region.IsNull() && !plan.Region.Equal(state.Region) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("region"))
		}
		if resp.Identity != nil && resp.Identity.Raw.IsFullyNull() && !state.Region.IsNull() {
			// State written before identity: the plan carries it, so even
			// an apply with -refresh=false records it.
			users, diags := setStrings(ctx, state.UserIDs)
			resp.Diagnostics.Append(diags...)
			resp.Diagnostics.Append(setUnlockIdentity(ctx, resp.Identity, state.InstanceID.ValueString(), state.Region.ValueString(), users)...)
		}
	}
	plan.ID = types.StringUnknown()
	if !plan.InstanceID.IsUnknown() && fullyKnown(plan.UserIDs) {
		ids, diags := setStrings(ctx, plan.UserIDs)
		resp.Diagnostics.Append(diags...)
		plan.ID = types.StringValue(unlockID(plan.InstanceID.ValueString(), ids))
	}
	plan.FrozenUserIDs = types.SetValueMust(types.StringType, []attr.Value{})
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *userUnlockResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userUnlockModel
	ctx, cancel, ok := operation.Start(ctx, req.Plan, &plan, operation.Create(&plan.Timeouts, defaultCreateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	ids, diags := setStrings(ctx, plan.UserIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	region, instanceID := r.region(plan.Region), plan.InstanceID.ValueString()
	doing := fmt.Sprintf("Unlocking %d user(s) of Bastionhost instance %q", len(ids), instanceID)
	res, err := NewAPI(r.client).UnlockUsers(ctx, region, instanceID, ids)
	if err != nil || len(res.Failed()) > 0 {
		resp.Diagnostics.AddAttributeError(failedAttribute(err), "Failed to unlock Bastionhost users", batchFailure(doing, res, err, reapplyNote))
		return
	}
	tflog.Info(ctx, "unlocked Bastionhost users", map[string]any{"instance_id": instanceID, "users": len(ids), "calls": res.Calls})

	plan.ID = types.StringValue(unlockID(instanceID, ids))
	plan.Region = types.StringValue(region)
	plan.FrozenUserIDs = types.SetValueMust(types.StringType, []attr.Value{})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setUnlockIdentity(ctx, resp.Identity, instanceID, region, ids)...)
}

// Read records which users of the set are Frozen again. It lists the
// instance's frozen users (one call per 100 of them) rather than reading
// each user of the set.
func (r *userUnlockResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userUnlockModel
	ctx, cancel, ok := operation.Start(ctx, req.State, &state, operation.Read(&state.Timeouts, defaultReadTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	ids, diags := setStrings(ctx, state.UserIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	region, instanceID := r.region(state.Region), state.InstanceID.ValueString()
	// Set before the read: an instance deleted out of band leaves state
	// with an identity even when the state had none (written before it).
	resp.Diagnostics.Append(setUnlockIdentity(ctx, resp.Identity, instanceID, region, ids)...)
	frozen, calls, err := NewAPI(r.client).FrozenUserIDs(ctx, region, instanceID)
	switch {
	case IsInstanceNotFound(err):
		resp.Diagnostics.AddWarning("Bastionhost instance not found",
			fmt.Sprintf("Bastionhost instance %q no longer exists in %s, so its users cannot be locked; "+
				"cloudlock_bastionhost_user_unlock %s is removed from state.\n\n%v", instanceID, region, state.ID.ValueString(), err))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Failed to read Bastionhost users",
			conns.ErrorDetail(fmt.Sprintf("Listing the frozen users of Bastionhost instance %q", instanceID), err))
		return
	}
	var again []string
	for _, id := range ids {
		if frozen[id] {
			again = append(again, id)
		}
	}
	tflog.Debug(ctx, "listed frozen Bastionhost users", map[string]any{
		"instance_id": instanceID, "frozen_on_instance": len(frozen), "frozen_in_set": len(again), "calls": calls,
	})
	if len(again) > 0 {
		tflog.Info(ctx, "users of the set are locked again; the plan unlocks them", map[string]any{"user_ids": again})
	}
	state.FrozenUserIDs = stringSet(again)
	state.Region = types.StringValue(region)
	state.ID = types.StringValue(unlockID(instanceID, ids))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update unlocks again the users the refresh found Frozen (the only change
// that is not a replacement). Users deleted from the instance meanwhile are
// reported as a warning: there is nothing left to unlock.
func (r *userUnlockResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state userUnlockModel
	// The state first: Start then reads the plan and stops at an error of either.
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, ok := operation.Start(ctx, req.Plan, &plan, operation.Update(&plan.Timeouts, defaultUpdateTimeout), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	frozen, diags := setStrings(ctx, state.FrozenUserIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	region, instanceID := r.region(plan.Region), plan.InstanceID.ValueString()
	users, diags := setStrings(ctx, plan.UserIDs)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(setUnlockIdentity(ctx, resp.Identity, instanceID, region, users)...)
	// The triggers an import could not read now hold configured values.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, nil)...)

	plan.FrozenUserIDs = types.SetValueMust(types.StringType, []attr.Value{})
	if len(frozen) == 0 {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	slices.Sort(frozen)
	res, err := NewAPI(r.client).UnlockUsers(ctx, region, instanceID, frozen)

	var gone, remaining []string
	var failed []UserResult
	for _, f := range res.Failed() {
		if f.Code == codeObjectNotFound {
			gone = append(gone, f.UserID)
		} else {
			failed = append(failed, f)
			remaining = append(remaining, f.UserID)
		}
	}
	remaining = append(remaining, res.NotAttempted...)
	if len(gone) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("user_ids"), "Bastionhost users no longer exist",
			fmt.Sprintf("These users of the set were found locked, but no longer exist on Bastionhost instance %q, "+
				"so there is nothing to unlock (result code OBJECT_NOT_FOUND): %s. Remove them from user_ids.",
				instanceID, idRanges(gone)))
	}
	if err != nil || len(failed) > 0 {
		// State keeps the users still locked, so the next plan tries them again.
		plan.FrozenUserIDs = stringSet(remaining)
		res.Results = slices.DeleteFunc(res.Results, func(u UserResult) bool { return u.Code == codeObjectNotFound })
		resp.Diagnostics.AddAttributeError(path.Root("user_ids"), "Failed to unlock Bastionhost users again",
			batchFailure(fmt.Sprintf("Unlocking again %d user(s) of Bastionhost instance %q found locked", len(frozen), instanceID),
				res, err, "The users still locked stay in frozen_user_ids, so the next plan unlocks them again."))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// warnReplace says what a replace does: the apply unlocks the planned set
// (again, for users it had unlocked), and users the new set leaves out stay
// unlocked, since removing the previous unlock from state locks nothing.
func (r *userUnlockResource) warnReplace(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || resp.Diagnostics.HasError() {
		return
	}
	var state, plan userUnlockModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.InstanceID.IsUnknown() || !fullyKnown(plan.UserIDs) {
		return
	}
	// The attributes' RequiresReplace are not in resp (the framework keeps
	// them apart until ModifyPlan returns): the same conditions, here.
	adopting := false
	if state.Triggers.IsNull() && req.Private != nil {
		v, _ := req.Private.GetKey(ctx, adoptKey)
		adopting = len(v) > 0
	}
	if len(resp.RequiresReplace) == 0 && plan.InstanceID.Equal(state.InstanceID) && plan.UserIDs.Equal(state.UserIDs) &&
		(plan.Triggers.Equal(state.Triggers) || adopting) {
		return
	}
	before, diags := setStrings(ctx, state.UserIDs)
	resp.Diagnostics.Append(diags...)
	after, diags := setStrings(ctx, plan.UserIDs)
	resp.Diagnostics.Append(diags...)
	oldInstance, newInstance := state.InstanceID.ValueString(), plan.InstanceID.ValueString()
	var left []string
	for _, u := range before {
		if oldInstance != newInstance || !slices.Contains(after, u) {
			left = append(left, u)
		}
	}
	summary := "The Bastionhost users are unlocked again"
	detail := fmt.Sprintf("Replacing cloudlock_bastionhost_user_unlock: the apply unlocks the %d user(s) of Bastionhost instance %q "+
		"in user_ids (%s), again for those it had unlocked.", len(after), newInstance, idRanges(after))
	if len(left) > 0 {
		summary = "The Bastionhost users left out stay unlocked"
		detail += fmt.Sprintf(" The users of the previous unlock that it leaves out (instance %q: %s) stay unlocked: removing the previous "+
			"unlock from state does not lock them again.", oldInstance, idRanges(left))
	} else {
		detail += " Nothing is locked in between: removing the previous unlock from state does not lock any user."
	}
	resp.Diagnostics.AddWarning(summary, detail)
}

// Delete calls nothing: the plan has said what a destroy or a replace
// does (ModifyPlan).
func (r *userUnlockResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// ImportState takes `<instance_id>:<user_id>,<user_id>,...`, or an import
// block's identity; the refresh that follows fills in the region and
// frozen_user_ids. Importing unlocks nothing, and the private mark lets
// the first apply record the configured triggers without unlocking either.
func (r *userUnlockResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		r.importByIdentity(ctx, req, resp)
	} else {
		instanceID, users, err := parseImportID(req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import id", err.Error())
			return
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), unlockID(instanceID, users))...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("instance_id"), instanceID)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_ids"), users)...)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, []byte(`true`))...)
	}
}

// region is the configured region, else the provider's.
func (r *userUnlockResource) region(v types.String) string { return regionOr(r.client, v) }

// regionOr is the configured region, else the provider's.
func regionOr(c *conns.Client, v types.String) string {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return v.ValueString()
	}
	return c.Config().Alibaba.Region
}

// failedAttribute is where a failed batch points: the instance when it does
// not exist, otherwise the users.
func failedAttribute(err error) path.Path {
	if IsInstanceNotFound(err) {
		return path.Root("instance_id")
	}
	return path.Root("user_ids")
}

// setStrings returns the elements of a known set of strings, sorted (nil
// when the set is unknown).
func setStrings(ctx context.Context, s types.Set) ([]string, diag.Diagnostics) {
	if s.IsNull() || s.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := s.ElementsAs(ctx, &out, false)
	slices.Sort(out)
	return out, diags
}

// fullyKnown reports a set that is known, element by element (a set built
// from another resource's attributes may be known with unknown elements).
func fullyKnown(s types.Set) bool {
	if s.IsUnknown() || s.IsNull() {
		return false
	}
	for _, e := range s.Elements() {
		if e.IsUnknown() {
			return false
		}
	}
	return true
}

func stringSet(ids []string) types.Set {
	vals := make([]attr.Value, 0, len(ids))
	for _, id := range ids {
		vals = append(vals, types.StringValue(id))
	}
	return types.SetValueMust(types.StringType, vals)
}
