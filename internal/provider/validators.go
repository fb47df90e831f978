package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// endpointValidator rejects endpoint overrides that are not full URLs.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be a full URL with scheme and host, e.g. https://sms.cn-north-4.myhuaweicloud.com"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := conns.ValidateEndpoint(req.ConfigValue.ValueString()); err != nil {
		// Terraform shows the provider block, not the nested attribute:
		// the text names it.
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint URL", fmt.Sprintf("Attribute %s: %v", req.Path, err))
	}
}

// regionValidator accepts a region the provider knows, or any region when
// every endpoint of its cloud is set beside it (new regions open before a
// release lists them). An unknown endpoint leaves the decision to Configure.
type regionValidator struct {
	known []string
	// endpoints are the attributes of <block>.endpoints, each with the
	// environment variable that can set it instead ("" for none).
	endpoints map[string]string
	hint      string
}

func (v regionValidator) Description(context.Context) string {
	return "must be a region the provider knows, unless every endpoint is set"
}

func (v regionValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v regionValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	set := true
	for name, env := range v.endpoints {
		var e types.String
		if diags := req.Config.GetAttribute(ctx, req.Path.ParentPath().AtName("endpoints").AtName(name), &e); diags.HasError() {
			e = types.StringNull() // read as not set; the environment may still set it
		}
		if e.IsUnknown() {
			return
		}
		if e.ValueString() == "" && (env == "" || os.Getenv(env) == "") {
			set = false
		}
	}
	if err := conns.CheckRegion(req.ConfigValue.ValueString(), v.known, set, v.hint); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown region", fmt.Sprintf("Attribute %s: %v", req.Path, err))
	}
}

// requiredInBlock makes an attribute required when its block is written.
// The framework checks Required attributes of a SingleNestedBlock even when
// the block is absent (its value is then null), so an attribute that must be
// set inside an optional block is Optional and checked here instead.
type requiredInBlock struct{ name string }

func (v requiredInBlock) Description(context.Context) string {
	return "`" + v.name + "` is required in this block"
}

func (v requiredInBlock) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v requiredInBlock) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if a, ok := req.ConfigValue.Attributes()[v.name]; ok && !a.IsNull() {
		return
	}
	p := req.Path.AtName(v.name)
	resp.Diagnostics.AddAttributeError(p, "Missing required argument",
		fmt.Sprintf("%s: the %s block needs %s.", p, req.Path, v.name))
}
