package operation

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// ProviderClient returns the shared client handed to a type's Configure.
// Data is nil before the provider is configured (e.g. during validate).
func ProviderClient(data any, diags *diag.Diagnostics) *conns.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*conns.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *conns.Client, got %T. This is a bug in the provider.", data))
		return nil
	}
	return c
}

// CheckRegion checks the region attribute of a resource or action at plan
// time, where the provider's endpoints are known (its validators run
// without them); false means diags say why it is refused.
func CheckRegion(diags *diag.Diagnostics, region types.String, check func(string) error) bool {
	if region.IsNull() || region.IsUnknown() {
		return true
	}
	if err := check(region.ValueString()); err != nil {
		diags.AddAttributeError(path.Root("region"), "Unknown region", "Attribute region: "+err.Error())
		return false
	}
	return true
}

// CheckHuawei is the plan-time check of every Huawei Cloud type: a region
// and a source of keys that gives them (conns' CheckHuawei, which may make
// an agency or OIDC exchange, traced and cancelled with ctx). False means
// diags say what is missing and where it is read from.
func CheckHuawei(ctx context.Context, c *conns.Client, diags *diag.Diagnostics) bool {
	return checkCredentials("Huawei Cloud", c.CheckHuawei(ctx), diags)
}

// CheckAlibaba is the same check for every Alibaba Cloud type. It takes no
// context: credentials-go fetches temporary credentials without one.
func CheckAlibaba(c *conns.Client, diags *diag.Diagnostics) bool {
	return checkCredentials("Alibaba Cloud", c.CheckAlibaba(), diags)
}

func checkCredentials(cloud string, err error, diags *diag.Diagnostics) bool {
	if err == nil {
		return true
	}
	diags.AddError(conns.CredentialsSummary(cloud, err), err.Error())
	return false
}
