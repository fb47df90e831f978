// Command baseline is baseline (b) of `make bench`: the floor for any
// terraform-plugin-framework provider. It is built from the same framework
// version as cloudlock (same go.mod) and does nothing: a no-op resource, data
// source and ephemeral resource, each with one required and one computed
// attribute, so a configuration of the same shape as cloudlock's costs only
// what the framework and Terraform cost.
//
// Built with -tags benchwide (wide.go) it is "noopwide": the same, but its
// resource has the state shape of a cloudlock lock, to tell what a provider
// costs from what its instances' size costs Terraform.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	if err := providerserver.Serve(context.Background(), func() provider.Provider { return noop{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/bench/" + typeName}); err != nil {
		log.Fatal(err)
	}
}

// The provider's name, and its resource's schema and state model (wide.go
// changes them).
var (
	typeName       = "noop"
	resourceSchema = rschema.Schema{Attributes: map[string]rschema.Attribute{
		"name": rschema.StringAttribute{Required: true},
		"id":   rschema.StringAttribute{Computed: true},
	}}
	newModel = func() stateModel { return &model{} }
)

// stateModel is a resource state; fill sets its computed values.
type stateModel interface{ fill() }

type noop struct{}

var _ provider.ProviderWithEphemeralResources = noop{}

func (noop) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = typeName
}
func (noop) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse)          {}
func (noop) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}
func (noop) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return thing{} }}
}
func (noop) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return dataThing{} }}
}
func (noop) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{func() ephemeral.EphemeralResource { return ephemeralThing{} }}
}

// noop_thing exists as a resource (thing), a data source (dataThing) and an
// ephemeral resource (ephemeralThing); each copies name into id.
type (
	thing          struct{}
	dataThing      struct{}
	ephemeralThing struct{}
)

type model struct {
	Name types.String `tfsdk:"name"`
	ID   types.String `tfsdk:"id"`
}

func (m *model) fill() { m.ID = m.Name }

func (thing) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_thing"
}

func (thing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema
}

func (thing) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	m := newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, m)...)
	m.fill()
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (thing) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m := newModel()
	resp.Diagnostics.Append(req.State.Get(ctx, m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (thing) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	m := newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, m)...)
	m.fill()
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (thing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (dataThing) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_thing"
}

func (dataThing) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dschema.Schema{Attributes: map[string]dschema.Attribute{
		"name": dschema.StringAttribute{Required: true},
		"id":   dschema.StringAttribute{Computed: true},
	}}
}

func (dataThing) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	m.fill()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (ephemeralThing) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_thing"
}

func (ephemeralThing) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = eschema.Schema{Attributes: map[string]eschema.Attribute{
		"name": eschema.StringAttribute{Required: true},
		"id":   eschema.StringAttribute{Computed: true},
	}}
}

func (ephemeralThing) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	m.fill()
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
