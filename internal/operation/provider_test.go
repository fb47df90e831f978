package operation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// A type planned with no credentials at all fails with the cloud's
// "credentials missing" and the settings to set, for either cloud.
func TestCheckCredentialsNamesWhatIsMissing(t *testing.T) {
	for _, e := range []string{conns.EnvHuaweiRegion, conns.EnvHuaweiAccessKey, conns.EnvHuaweiSecretKey,
		conns.EnvAlibabaRegion, conns.EnvAlibabaAccessKey, conns.EnvAlibabaSecretKey} {
		t.Setenv(e, "")
	}
	c := conns.New(conns.Config{})
	for name, check := range map[string]func(*diag.Diagnostics) bool{
		"Huawei Cloud":  func(d *diag.Diagnostics) bool { return operation.CheckHuawei(context.Background(), c, d) },
		"Alibaba Cloud": func(d *diag.Diagnostics) bool { return operation.CheckAlibaba(c, d) },
	} {
		var diags diag.Diagnostics
		if check(&diags) || len(diags) != 1 {
			t.Fatalf("%s: passed or not one diagnostic: %v", name, diags)
		}
		if got := diags[0].Summary(); got != name+" credentials missing" {
			t.Errorf("summary %q", got)
		}
		if !strings.Contains(diags[0].Detail(), "access_key") {
			t.Errorf("%s: detail names no setting: %s", name, diags[0].Detail())
		}
	}
}
