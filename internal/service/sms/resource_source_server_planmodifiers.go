package sms

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
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

const recordDescription = "Replaces the source server when the blocks change, except when an imported or moved server gets the " +
	"blocks it could not read back, or when the blocks are removed from the configuration."

// replaceUnlessRecording is for the lists of blocks (disks, networks, ...),
// which hold the configured registration only. Two changes need no new
// registration and are recorded in place with no call: blocks written for
// a server imported or moved with none in state (the adopt mark, as for the
// arguments SMS never returns; the next refresh reads SMS's values into them,
// so a difference then plans the replace), and blocks removed from the
// configuration (SMS keeps what it recorded, still shown in `registered`;
// before 0.1.0 leaving a list out kept it too, and a state upgraded from
// then holds SMS's lists in the blocks whatever the configuration said).
func replaceUnlessRecording(ctx context.Context, req planmodifier.ListRequest, resp *listplanmodifier.RequiresReplaceIfFuncResponse) {
	if req.ConfigValue.IsUnknown() {
		resp.RequiresReplace = true
		return
	}
	configured, stated := len(req.ConfigValue.Elements()), len(req.StateValue.Elements())
	switch {
	case configured == 0:
		resp.RequiresReplace = false
	case stated == 0:
		resp.RequiresReplace = !adopting(ctx, req.Private, true)
	default:
		resp.RequiresReplace = true
	}
}
