package sms

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Both SMS resources are identified by one id that never changes for the
// life of the object (changing task_id replaces the unlock; a source
// server is registered again under a new id), so neither identity ever
// changes.

var (
	_ resource.ResourceWithIdentity = (*sourceServerResource)(nil)
	_ resource.ResourceWithIdentity = (*taskUnlockResource)(nil)
)

func (r *sourceServerResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "The SMS source server id."},
		},
	}
}

func (r *taskUnlockResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"task_id": identityschema.StringAttribute{RequiredForImport: true, Description: "The SMS migration task id."},
		},
	}
}

// setIdentityAttribute records the one attribute of an SMS identity.
// identity is nil only when the resource is served without an identity
// schema, as tests serve the provider of before identity.
func setIdentityAttribute(ctx context.Context, identity *tfsdk.ResourceIdentity, name string, value types.String) diag.Diagnostics {
	if identity == nil || value.IsNull() || value.IsUnknown() {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root(name), value)
}

// planIdentityFromState gives a state written before identity (by an
// older provider) its identity at plan, from the state's attribute name,
// so the plan does not show it as a change.
func planIdentityFromState(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, name string) {
	if req.State.Raw.IsNull() || resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() {
		return
	}
	var v types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(name), &v)...)
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.Identity, name, v)...)
}

// importedID is what to import: the import id, or the attribute name of
// an import block's identity. what says which, for messages.
func importedID(ctx context.Context, req resource.ImportStateRequest, name string) (id, what string, diags diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return req.ID, "import id", nil
	}
	var v types.String
	diags = req.Identity.GetAttribute(ctx, path.Root(name), &v)
	return v.ValueString(), "identity." + name, diags
}
