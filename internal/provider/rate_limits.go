package provider

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// rateLimitsModel is the rate_limits block: calls per second per API.
type rateLimitsModel struct {
	Huaweicloud         types.Float64 `tfsdk:"huaweicloud"`
	AlicloudBastionhost types.Float64 `tfsdk:"alicloud_bastionhost"`
}

func rateLimitsBlock() schema.Block {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Client-side pacing: the most calls per second this provider sends to each API (each operation, such as " +
			"`UnlockUsers`), shared by all the resources, actions and reads of one Terraform run. " +
			"When the cloud answers a call with throttling (HTTP 429, `APIGW.0308`, `Throttling*`), every caller of that API slows down " +
			"at once and the rate recovers step by step: Huawei Cloud drops to 0.5 calls/s (under API Gateway's 200 calls per 5 minutes) " +
			"and doubles every 60 s without throttling; Alibaba Cloud halves (down to 1 call/s) and doubles back every 5 s.",
		Attributes: map[string]schema.Attribute{
			"huaweicloud": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Calls per second to each Huawei Cloud API. Default: not paced until the API Gateway throttles " +
					"a call (limits differ between accounts); set it to your account's limit to stay under it from the first call, " +
					"for example `0.6` for 200 calls per 5 minutes.",
				Validators: []validator.Float64{positiveRate{}},
			},
			"alicloud_bastionhost": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Calls per second to each Bastionhost API. Default `" + strconv.FormatFloat(conns.DefaultAlibabaCallsPerSecond, 'f', -1, 64) +
					"`: the documented limit of `UnlockUsers` and `LockUsers` is 10 calls per second per account, and the default " +
					"leaves room for other callers and network jitter. Raise it only if your account's limit is higher.",
				Validators: []validator.Float64{positiveRate{}},
			},
		},
	}
}

// rateLimits turns the attribute into the client's setting (0: default).
func (m *rateLimitsModel) rateLimits() conns.RateLimits {
	if m == nil {
		return conns.RateLimits{}
	}
	return conns.RateLimits{Huawei: m.Huaweicloud.ValueFloat64(), Alibaba: m.AlicloudBastionhost.ValueFloat64()}
}

// positiveRate accepts a positive, finite number of calls per second.
type positiveRate struct{}

func (positiveRate) Description(context.Context) string {
	return "must be a positive number of calls per second"
}

func (v positiveRate) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (positiveRate) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if f := req.ConfigValue.ValueFloat64(); f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid rate limit",
			fmt.Sprintf("%s: must be a positive number of calls per second, got %s.", req.Path, strconv.FormatFloat(f, 'g', -1, 64)))
	}
}
