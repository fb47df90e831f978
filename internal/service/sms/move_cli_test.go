package sms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// huaweicloudStub stands in for the huaweicloud provider, which cannot be
// installed offline: terraform needs a provider for the state it wrote,
// and a move to another provider calls only the target.
type huaweicloudStub struct{}

func (huaweicloudStub) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "huaweicloud"
}
func (huaweicloudStub) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (huaweicloudStub) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (huaweicloudStub) Resources(context.Context) []func() resource.Resource       { return nil }
func (huaweicloudStub) DataSources(context.Context) []func() datasource.DataSource { return nil }

// tfstate is a state file holding one huaweicloud_sms_source_server, as
// the huaweicloud provider writes it, with the recorded attributes.
func tfstate(t *testing.T, providerHost string, attributes []byte) string {
	t.Helper()
	var attrs map[string]any
	if err := json.Unmarshal(attributes, &attrs); err != nil {
		t.Fatal(err)
	}
	state := map[string]any{
		"version": 4, "terraform_version": "1.9.8", "serial": 3, "lineage": "5d1e0c52-2b7a-4b4e-9d0c-4f1f2d9c0a11",
		"outputs": map[string]any{},
		"resources": []any{map[string]any{
			"mode": "managed", "type": "huaweicloud_sms_source_server", "name": "db",
			"provider": fmt.Sprintf(`provider["%s/huaweicloud/huaweicloud"]`, providerHost),
			"instances": []any{map[string]any{
				"schema_version": 0, "attributes": attrs, "sensitive_attributes": []any{},
				"private": "eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ==",
			}},
		}},
		"check_results": nil,
	}
	b, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Through the CLI: a state written by the huaweicloud provider and a moved
// block. The plan moves it with no other change, the apply calls nothing
// that writes, and the plan after is empty.
func TestAccSourceServer_movedFromHuaweicloud(t *testing.T) {
	t.Parallel()
	acctest.PreCheck(t)
	if os.Getenv("TF_ACC") == "" {
		t.Skip("TF_ACC is not set")
	}
	// The registry host the CLI under test gives "huaweicloud/huaweicloud".
	host := strings.TrimSuffix(acctest.ProviderAddress(), "/cloudlock/cloudlock")
	m := acctest.StartMock(t)
	id := putAgentServer(m)
	// The configuration the huaweicloud provider wrote that state from.
	resourceBlock := strings.Replace(dbConfig(m, ""), "  has_rsync      = true\n", `  has_rsync      = true
  boot_loader          = "GRUB"
  domain_id            = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
  virtualization_type  = "HVM"
`, 1)
	cfg := acctest.RequiredProviders + resourceBlock + `
moved {
  from = huaweicloud_sms_source_server.db
  to   = cloudlock_sms_source_server.db
}
`
	c := acctest.NewCLI(t, map[string]string{
		"main.tf":           cfg,
		"terraform.tfstate": tfstate(t, host, recordedHuaweicloudState(t, id)),
	})
	c.AddProvider(t, host+"/huaweicloud/huaweicloud", providerserver.NewProtocol6(huaweicloudStub{}))

	run := func(args ...string) string {
		t.Helper()
		out, err := c.Run(args...)
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run("init", "-input=false")
	out := run("plan", "-input=false", "-no-color")
	if !acctest.Contains(out, "huaweicloud_sms_source_server.db has moved to cloudlock_sms_source_server.db",
		"0 to add, 0 to change, 0 to destroy") {
		t.Fatalf("plan:\n%s", out)
	}
	run("apply", "-input=false", "-auto-approve", "-no-color")
	if w := acctest.WriteCalls(m); len(w) > 0 {
		t.Fatalf("write calls %v, want none", w)
	}
	if out, err := c.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after the move is not empty: %v\n%s", err, out)
	}
	show := run("state", "show", "-no-color", "cloudlock_sms_source_server.db")
	if !strings.Contains(show, id) || !strings.Contains(show, `"3.10.0-1160.el7.x86_64"`) {
		t.Fatalf("state:\n%s", show)
	}
}
