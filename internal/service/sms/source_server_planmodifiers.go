package sms

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// adoptKey marks, in private state, a source server that was imported: SMS
// never returns some arguments (noteNotRead), so after an import their
// state is null whatever was registered. The first apply after the import
// records the configured values without replacing the server; the mark is
// removed by that apply (Update).
const adoptKey = "adopt_unread_arguments"

const adoptDescription = "Replaces the source server when the value changes, except when an imported server gets the value it could not read back."

// privateGetter is what plan modifier requests give access to.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func adopting(ctx context.Context, p privateGetter, stateNull bool) bool {
	if !stateNull || p == nil {
		return false
	}
	v, _ := p.GetKey(ctx, adoptKey)
	return len(v) > 0
}

func replaceUnlessAdoptingString(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !adopting(ctx, req.Private, req.StateValue.IsNull())
}

func replaceUnlessAdoptingBool(ctx context.Context, req planmodifier.BoolRequest, resp *boolplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !adopting(ctx, req.Private, req.StateValue.IsNull())
}

func replaceUnlessAdoptingFloat64(ctx context.Context, req planmodifier.Float64Request, resp *float64planmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !adopting(ctx, req.Private, req.StateValue.IsNull())
}

// requiresReplaceIfConfigDiffers replaces the source server when a
// configured list differs from the registered one. Values left unset in the
// configuration (null) match anything: they are Optional + Computed and keep
// what SMS returned. The framework's RequiresReplace cannot be used: it
// compares the planned value, whose unset nested values are unknown until
// the nested UseStateForUnknown modifiers run, after the list's own.
func requiresReplaceIfConfigDiffers() planmodifier.List { return configDiffersModifier{} }

type configDiffersModifier struct{}

func (configDiffersModifier) Description(context.Context) string {
	return "Replaces the source server when the configured list differs from the registered one; values not configured are ignored."
}

func (m configDiffersModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (configDiffersModifier) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return // create or destroy
	}
	if !configMatches(req.ConfigValue, req.StateValue) {
		resp.RequiresReplace = true
	}
}

// configMatches reports whether the configured value cfg agrees with the
// state value st: a null configured value agrees with anything, an unknown
// one with nothing, lists element by element, objects attribute by attribute.
func configMatches(cfg, st attr.Value) bool {
	switch {
	case cfg == nil || cfg.IsNull():
		return true
	case cfg.IsUnknown() || st == nil || st.IsNull() || st.IsUnknown():
		return false
	}
	switch c := cfg.(type) {
	case basetypes.ListValue:
		s, ok := st.(basetypes.ListValue)
		if !ok || len(c.Elements()) != len(s.Elements()) {
			return false
		}
		se := s.Elements()
		for i, e := range c.Elements() {
			if !configMatches(e, se[i]) {
				return false
			}
		}
		return true
	case basetypes.ObjectValue:
		s, ok := st.(basetypes.ObjectValue)
		if !ok {
			return false
		}
		sa := s.Attributes()
		for k, v := range c.Attributes() {
			if !configMatches(v, sa[k]) {
				return false
			}
		}
		return true
	default:
		return cfg.Equal(st)
	}
}
