package acctest

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// ProviderFactoriesWithoutIdentity serve the provider as it was before
// resources had an identity: the same resources, with no identity schema,
// so Terraform writes state without identity. Tests use it in a first step
// to check that the provider of today adds the identity to such state.
var ProviderFactoriesWithoutIdentity = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudlock": providerserver.NewProtocol6WithError(&providerWithoutIdentity{NewProvider()()}),
}

type providerWithoutIdentity struct{ provider.Provider }

func (p *providerWithoutIdentity) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, newResource := range p.Provider.Resources(ctx) {
		out = append(out, func() resource.Resource { return &resourceWithoutIdentity{newResource()} })
	}
	return out
}

func (p *providerWithoutIdentity) DataSources(ctx context.Context) []func() datasource.DataSource {
	return p.Provider.DataSources(ctx)
}

// resourceWithoutIdentity offers what the provider's resources offered
// before identity: CRUD, Configure, ImportState and ModifyPlan.
type resourceWithoutIdentity struct{ r resource.Resource }

var (
	_ resource.ResourceWithConfigure   = (*resourceWithoutIdentity)(nil)
	_ resource.ResourceWithImportState = (*resourceWithoutIdentity)(nil)
	_ resource.ResourceWithModifyPlan  = (*resourceWithoutIdentity)(nil)
)

func (w *resourceWithoutIdentity) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	w.r.Metadata(ctx, req, resp)
}

func (w *resourceWithoutIdentity) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	w.r.Schema(ctx, req, resp)
}

func (w *resourceWithoutIdentity) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	w.r.Create(ctx, req, resp)
}

func (w *resourceWithoutIdentity) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	w.r.Read(ctx, req, resp)
}

func (w *resourceWithoutIdentity) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	w.r.Update(ctx, req, resp)
}

func (w *resourceWithoutIdentity) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	w.r.Delete(ctx, req, resp)
}

func (w *resourceWithoutIdentity) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c, ok := w.r.(resource.ResourceWithConfigure); ok {
		c.Configure(ctx, req, resp)
	}
}

func (w *resourceWithoutIdentity) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if i, ok := w.r.(resource.ResourceWithImportState); ok {
		i.ImportState(ctx, req, resp)
		return
	}
	resp.Diagnostics.AddError("Import not supported", "this resource has no ImportState")
}

func (w *resourceWithoutIdentity) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if m, ok := w.r.(resource.ResourceWithModifyPlan); ok {
		m.ModifyPlan(ctx, req, resp)
	}
}

// WriteCalls lists the operations the mock at m served that change
// something in the cloud: every operation but the reads (List*, Show*,
// Get*, and IAM's project lookup). Adoption tests expect none.
func WriteCalls(m *mockcloud.Server) []string {
	var out []string
	for _, e := range m.Journal() {
		_, name, _ := strings.Cut(e.Op, ".")
		name = strings.TrimPrefix(name, "Nova")
		name = strings.TrimPrefix(name, "Keystone")
		if e.Op == "" || e.Op == "auth" || strings.HasPrefix(name, "List") || strings.HasPrefix(name, "Show") || strings.HasPrefix(name, "Get") {
			continue
		}
		out = append(out, e.Op)
	}
	return out
}

// CheckNoWriteCalls fails when the mock at m served any write (WriteCalls).
func CheckNoWriteCalls(m *mockcloud.Server) testresource.TestCheckFunc {
	return func(*terraform.State) error {
		if w := WriteCalls(m); len(w) > 0 {
			return fmt.Errorf("%d write call(s) to the cloud, want none: %v", len(w), w)
		}
		return nil
	}
}

// ExpectPlannedIdentity checks the identity a plan gives addr
// (after_identity), attribute by attribute.
func ExpectPlannedIdentity(addr string, want map[string]string) plancheck.PlanCheck {
	return identityPlanCheck{addr: addr, want: want}
}

// ExpectRefreshedIdentity checks the identity of addr in the state the
// plan started from: after the refresh, before any apply.
func ExpectRefreshedIdentity(addr string, want map[string]string) plancheck.PlanCheck {
	return identityPlanCheck{addr: addr, want: want, prior: true}
}

type identityPlanCheck struct {
	addr  string
	want  map[string]string
	prior bool
}

func (c identityPlanCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var got map[string]any
	if c.prior {
		if req.Plan.PriorState != nil && req.Plan.PriorState.Values != nil {
			for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
				if r.Address == c.addr {
					got = r.IdentityValues
				}
			}
		}
	} else {
		for _, rc := range req.Plan.ResourceChanges {
			if rc.Address == c.addr && rc.Change != nil {
				got, _ = rc.Change.AfterIdentity.(map[string]any)
			}
		}
	}
	for k, v := range c.want {
		if got[k] != v {
			resp.Error = fmt.Errorf("%s: identity %v, want %s = %q", c.addr, got, k, v)
			return
		}
	}
}
