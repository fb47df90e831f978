package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

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
