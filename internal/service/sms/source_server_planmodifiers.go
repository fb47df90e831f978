package sms

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
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

// adoptTriggersDescription is for triggers of cloudlock_sms_task_unlock,
// which share the mark: an import cannot read them.
const adoptTriggersDescription = "Unlocks again when the value changes, except when an imported unlock gets its first triggers."

func replaceUnlessAdoptingMap(ctx context.Context, req planmodifier.MapRequest, resp *mapplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !adopting(ctx, req.Private, req.StateValue.IsNull())
}

func replaceUnlessAdoptingFloat64(ctx context.Context, req planmodifier.Float64Request, resp *float64planmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !adopting(ctx, req.Private, req.StateValue.IsNull())
}
