// Package listing holds what the list resources (`terraform query`) of the
// service packages share.
package listing

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NullTimeouts is the null timeouts value of a result's resource: a listing
// sets no timeouts, and a zero timeouts.Value has no attribute types to
// write.
func NullTimeouts(ctx context.Context, r *tfsdk.Resource) (timeouts.Value, diag.Diagnostics) {
	t, diags := r.Schema.TypeAtPath(ctx, path.Root("timeouts"))
	tt, ok := t.(timeouts.Type)
	if !ok {
		diags.AddError("Unexpected resource schema", "The resource's timeouts attribute is not a timeouts value. This is a bug in the provider.")
		return timeouts.Value{}, diags
	}
	return timeouts.Value{Object: types.ObjectNull(tt.AttrTypes)}, diags
}

// Error is a stream holding only an error, for a listing that failed
// before any result.
func Error(summary, detail string) func(push func(list.ListResult) bool) {
	var diags diag.Diagnostics
	diags.AddError(summary, detail)
	return list.ListResultsStreamDiagnostics(diags)
}

// full reports whether n results are as many as Terraform asked for (the
// list block's limit, 100 unless set).
func full(req list.ListRequest, n int) bool {
	return req.Limit > 0 && int64(n) >= req.Limit
}

// Base is what every list resource has besides its schema and List: its
// type name and the provider's client. Embedded, it gives the resource its
// Metadata and Configure.
type Base struct {
	// TypeName is the type name after the provider's, e.g. "_ecs_server_lock".
	TypeName string
	// Client is the provider's client, set by Configure.
	Client *conns.Client
}

// Metadata names the list resource after the resource it lists.
func (b *Base) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + b.TypeName
}

// Configure takes the provider's client.
func (b *Base) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.Client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}
