package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Protocol drives the provider through the plugin protocol, as Terraform
// does, for what the CLI here cannot run (actions need Terraform >= 1.14).
type Protocol struct {
	t      testing.TB
	Server tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

// NewProtocol returns a provider server whose provider is configured for
// the mock at m (nil: left unconfigured).
func NewProtocol(t testing.TB, m *mockcloud.Server) *Protocol {
	t.Helper()
	ctx := context.Background()
	srv := providerserver.NewProtocol6(NewProvider()())()
	schema, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasError(schema.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, diagText(schema.Diagnostics))
	}
	p := &Protocol{t: t, Server: srv, schema: schema}
	if m == nil {
		return p
	}
	cfg := map[string]any{
		"huaweicloud": map[string]any{
			"region": HuaweiRegion, "access_key": HuaweiAccessKey, "secret_key": HuaweiSecretKey,
			"security_token": nil, "project_id": nil, "insecure": nil,
			"endpoints": map[string]any{"iam": m.URL(), "sms": m.URL(), "ecs": m.URL()},
		},
		"alicloud": map[string]any{
			"region": AlibabaRegion, "access_key": AlibabaAccessKey, "secret_key": AlibabaSecretKey,
			"security_token": nil, "endpoints": map[string]any{"bastionhost": m.URL()},
		},
		"max_retries": 3,
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config:           p.value(cfg),
	})
	if err != nil || hasError(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %v", err, diagText(resp.Diagnostics))
	}
	return p
}

// NewProtocolWithConfig returns a provider server configured with cfg
// (provider attributes as JSON-able values; absent ones are null).
func NewProtocolWithConfig(t testing.TB, cfg map[string]any) *Protocol {
	t.Helper()
	p := NewProtocol(t, nil)
	full := map[string]any{"huaweicloud": nil, "alicloud": nil, "max_retries": nil}
	for k, v := range cfg {
		full[k] = v
	}
	if hw, ok := full["huaweicloud"].(map[string]any); ok {
		for _, k := range []string{"region", "access_key", "secret_key", "security_token", "project_id", "insecure", "endpoints"} {
			if _, set := hw[k]; !set {
				hw[k] = nil
			}
		}
	}
	resp, err := p.Server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0", Config: p.value(full),
	})
	if err != nil || hasError(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %v", err, diagText(resp.Diagnostics))
	}
	return p
}

// value encodes v (a JSON-able map) as a protocol value.
func (p *Protocol) value(v any) *tfprotov6.DynamicValue {
	b, err := json.Marshal(v)
	if err != nil {
		p.t.Fatal(err)
	}
	return &tfprotov6.DynamicValue{JSON: b}
}

// ProviderServerWithActions is deprecated only because its methods are moving
// into ProviderServer; in terraform-plugin-go v0.31 they are not there yet.
func (p *Protocol) actions() tfprotov6.ProviderServerWithActions { //nolint:staticcheck // see above
	a, ok := p.Server.(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // see above
	if !ok {
		p.t.Fatal("the provider server does not serve actions")
	}
	return a
}

// ActionSchema returns the protocol schema of an action type.
func (p *Protocol) ActionSchema(actionType string) *tfprotov6.ActionSchema {
	s, ok := p.schema.ActionSchemas[actionType]
	if !ok {
		p.t.Fatalf("no action %s", actionType)
	}
	return s
}

// ActionConfig encodes an action's configuration: every attribute and block
// (timeouts) of its schema, null unless set in attrs.
func (p *Protocol) ActionConfig(actionType string, attrs map[string]any) *tfprotov6.DynamicValue {
	full := map[string]any{}
	block := p.ActionSchema(actionType).Schema.Block
	for _, a := range block.Attributes {
		full[a.Name] = nil
	}
	for _, b := range block.BlockTypes {
		full[b.TypeName] = nil
	}
	for k, v := range attrs {
		if _, ok := full[k]; !ok {
			p.t.Fatalf("action %s has no attribute %s", actionType, k)
		}
		full[k] = v
	}
	b, err := json.Marshal(full)
	if err != nil {
		p.t.Fatal(err)
	}
	return &tfprotov6.DynamicValue{JSON: b}
}

// ValidateAction runs ValidateActionConfig and returns its diagnostics.
func (p *Protocol) ValidateAction(actionType string, attrs map[string]any) []*tfprotov6.Diagnostic {
	resp, err := p.actions().ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, attrs),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// PlanAction runs PlanAction and returns its diagnostics.
func (p *Protocol) PlanAction(actionType string, attrs map[string]any) []*tfprotov6.Diagnostic {
	resp, err := p.actions().PlanAction(context.Background(), &tfprotov6.PlanActionRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, attrs),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// Invocation is what an InvokeAction stream delivered.
type Invocation struct {
	Progress    []string
	Diagnostics []*tfprotov6.Diagnostic
	Completed   bool
}

// InvokeAction runs InvokeAction and collects the event stream.
func (p *Protocol) InvokeAction(ctx context.Context, actionType string, attrs map[string]any) Invocation {
	stream, err := p.actions().InvokeAction(ctx, &tfprotov6.InvokeActionRequest{
		ActionType: actionType, Config: p.ActionConfig(actionType, attrs),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var inv Invocation
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			inv.Progress = append(inv.Progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			inv.Completed = true
			inv.Diagnostics = append(inv.Diagnostics, e.Diagnostics...)
		}
	}
	return inv
}

// HasError reports whether diags hold an error.
func HasError(diags []*tfprotov6.Diagnostic) bool { return hasError(diags) }

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// DiagText renders diagnostics for assertions and failure messages.
func DiagText(diags []*tfprotov6.Diagnostic) string { return diagText(diags) }

func diagText(diags []*tfprotov6.Diagnostic) string {
	out := ""
	for _, d := range diags {
		attr := ""
		if d.Attribute != nil {
			attr = fmt.Sprint(d.Attribute) + ": "
		}
		out += fmt.Sprintf("[%s] %s%s: %s\n", d.Severity, attr, d.Summary, d.Detail)
	}
	return out
}
