package validate_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/validate"
)

// warnEmpty warns about every value and never fails.
type warnEmpty struct{}

func (warnEmpty) Description(context.Context) string         { return "warns" }
func (warnEmpty) MarkdownDescription(context.Context) string { return "warns" }
func (warnEmpty) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	resp.Diagnostics.AddAttributeWarning(req.Path, "w", "w")
}

func TestInOrderStopsAtTheFirstError(t *testing.T) {
	v := validate.InOrder(warnEmpty{}, stringvalidator.LengthAtLeast(1), stringvalidator.RegexMatches(regexp.MustCompile(`^\S+$`), "no space"))
	for value, want := range map[string][2]int{"": {1, 1}, "a b": {1, 1}, "ab": {0, 1}} {
		resp := &validator.StringResponse{}
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(value)}, resp)
		if e, w := resp.Diagnostics.ErrorsCount(), resp.Diagnostics.WarningsCount(); e != want[0] || w != want[1] {
			t.Errorf("%q: %d errors, %d warnings, want %v", value, e, w, want)
		}
	}
	if got := v.Description(context.Background()); got != "warns, and string length must be at least 1, and no space" {
		t.Errorf("description %q", got)
	}
}

func TestSetInOrderStopsAtTheFirstError(t *testing.T) {
	v := validate.SetInOrder(setvalidator.SizeAtLeast(1), setvalidator.SizeAtLeast(2))
	resp := &validator.SetResponse{}
	empty := types.SetValueMust(types.StringType, nil)
	v.ValidateSet(context.Background(), validator.SetRequest{Path: path.Root("s"), ConfigValue: empty}, resp)
	if n := resp.Diagnostics.ErrorsCount(); n != 1 {
		t.Errorf("%d errors, want 1: %v", n, resp.Diagnostics)
	}
}
