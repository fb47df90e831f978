package bastionhost

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

var _ resource.ResourceWithIdentity = (*userUnlockResource)(nil)

// userUnlockIdentity is what an unlock is of: the users (sorted ids) of an
// instance in a region. Changing any of them replaces the resource, so the
// identity never changes for the life of one.
type userUnlockIdentity struct {
	InstanceID types.String `tfsdk:"instance_id"`
	Region     types.String `tfsdk:"region"`
	UserIDs    types.List   `tfsdk:"user_ids"`
}

func (r *userUnlockResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"instance_id": identityschema.StringAttribute{RequiredForImport: true, Description: "ID of the Bastionhost instance."},
			"region": identityschema.StringAttribute{OptionalForImport: true,
				Description: "Region of the instance. On import, the provider's `alicloud.region` when unset."},
			"user_ids": identityschema.ListAttribute{RequiredForImport: true, ElementType: types.StringType,
				Description: "IDs of the users, sorted as text and without duplicates (on import, any order)."},
		},
	}
}

// setUnlockIdentity records the identity of the unlock of users (sorted)
// of instanceID in region. identity is nil only when the resource is served
// without an identity schema, as tests serve the provider of before.
func setUnlockIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, instanceID, region string, users []string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	sorted := slices.Clone(users)
	slices.Sort(sorted)
	vals := make([]attr.Value, 0, len(sorted))
	for _, u := range sorted {
		vals = append(vals, types.StringValue(u))
	}
	return identity.Set(ctx, userUnlockIdentity{
		InstanceID: types.StringValue(instanceID),
		Region:     types.StringValue(region),
		UserIDs:    types.ListValueMust(types.StringType, vals),
	})
}

// importByIdentity fills the state from an import block's identity, checked
// as the schema checks the arguments.
func (r *userUnlockResource) importByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id userUnlockIdentity
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	instanceID := id.InstanceID.ValueString()
	if instanceID == "" || !noWhitespace.MatchString(instanceID) {
		resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Invalid import identity",
			fmt.Sprintf("identity.instance_id must be a Bastionhost instance id such as bastionhost-cn-st220aw0001, got %q.", instanceID))
	}
	var users []string
	if !id.UserIDs.IsNull() {
		resp.Diagnostics.Append(id.UserIDs.ElementsAs(ctx, &users, false)...)
	}
	if len(users) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("user_ids"), "Invalid import identity", "identity.user_ids must name at least one user.")
	}
	for _, u := range users {
		if u == "" || !noWhitespace.MatchString(u) {
			resp.Diagnostics.AddAttributeError(path.Root("user_ids"), "Invalid import identity",
				fmt.Sprintf("identity.user_ids must hold user ids without whitespace, got %q.", u))
			break
		}
	}
	if !id.Region.IsNull() && !slices.Contains(conns.AlibabaRegions, id.Region.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid import identity",
			fmt.Sprintf("identity.region must be an Alibaba Cloud region such as cn-hangzhou, got %q.", id.Region.ValueString()))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	slices.Sort(users)
	users = slices.Compact(users)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), unlockID(instanceID, users))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("instance_id"), instanceID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_ids"), users)...)
	if !id.Region.IsNull() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), id.Region)...)
	}
}

// adoptKey marks, in private state, an unlock that was imported: an import
// cannot read triggers, so the first apply records the configured ones
// without unlocking again; that apply (Update) removes the mark.
const adoptKey = "adopt_triggers"

const adoptTriggersDescription = "Unlocks the whole set again when the value changes, except when an imported unlock gets its first triggers."

func replaceUnlessAdopting(ctx context.Context, req planmodifier.MapRequest, resp *mapplanmodifier.RequiresReplaceIfFuncResponse) {
	if req.StateValue.IsNull() && req.Private != nil {
		if v, _ := req.Private.GetKey(ctx, adoptKey); len(v) > 0 {
			return
		}
	}
	resp.RequiresReplace = true
}
