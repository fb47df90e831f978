package ecs

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*serverLockResource)(nil)

// serverLockIdentity names the locked server wherever it is: the server, its
// region and its project. None of them changes for the life of a lock
// (changing any replaces it), so the identity never changes either.
type serverLockIdentity struct {
	ServerID  types.String `tfsdk:"server_id"`
	Region    types.String `tfsdk:"region"`
	ProjectID types.String `tfsdk:"project_id"`
}

func (r *serverLockResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"server_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "ID of the ECS server (a UUID).",
			},
			"region": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "Region of the server. On import, the provider's region when unset.",
			},
			"project_id": identityschema.StringAttribute{
				OptionalForImport: true,
				Description: "Project that owns the server. On import, when unset: the provider's project id in the provider's " +
					"region, otherwise the project IAM names for the region.",
			},
		},
	}
}

// setIdentity records where t is. id is nil only when the CLI was not
// given an identity schema by the framework, which v1.19 always does.
func setIdentity(ctx context.Context, id *tfsdk.ResourceIdentity, t Target) diag.Diagnostics {
	if id == nil {
		return nil
	}
	return id.Set(ctx, serverLockIdentity{
		ServerID:  types.StringValue(t.ServerID),
		Region:    types.StringValue(t.Region),
		ProjectID: types.StringValue(t.ProjectID),
	})
}

// identityMissing reports an identity that a state written before identity
// existed (or by Terraform < 1.12) left null.
func identityMissing(id *tfsdk.ResourceIdentity) bool {
	return id != nil && id.Raw.IsFullyNull()
}

// importByIdentity fills the state from an import block's identity: the
// region and project id are checked as the schema would, and the read that
// follows resolves what was left out.
func (r *serverLockResource) importByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id serverLockIdentity
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID := id.ServerID.ValueString()
	if !serverIDPattern.MatchString(serverID) {
		resp.Diagnostics.AddAttributeError(path.Root("server_id"), "Invalid import identity",
			fmt.Sprintf("identity.server_id %s, got %q.", serverIDRule, serverID))
	}
	if !id.Region.IsNull() && !validRegion(id.Region.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid import identity",
			fmt.Sprintf("identity.region must be a Huawei Cloud region such as cn-north-4, got %q.", id.Region.ValueString()))
	}
	if !id.ProjectID.IsNull() && !projectIDPattern.MatchString(id.ProjectID.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("project_id"), "Invalid import identity",
			fmt.Sprintf("identity.project_id %s, got %q.", projectIDRule, id.ProjectID.ValueString()))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), serverID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), serverID)...)
	if !id.Region.IsNull() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), id.Region)...)
	}
	if !id.ProjectID.IsNull() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), id.ProjectID)...)
	}
}
