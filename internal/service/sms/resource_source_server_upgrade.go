package sms

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

var _ resource.ResourceWithUpgradeState = (*sourceServerResource)(nil)

// sourceServerLists are the nested lists: nested attributes in schema
// version 0, lists of blocks from version 1 on.
var sourceServerLists = []string{"disks", "btrfs_list", "networks", "volume_groups"}

// sourceServerNestedLists are the lists inside an element of each.
var sourceServerNestedLists = map[string]string{
	"disks": "physical_volumes", "btrfs_list": "subvolume", "volume_groups": "logical_volumes",
}

// UpgradeState takes a state of version 0, whose nested lists held what SMS
// holds (configured or read back when left out), to version 1: the lists
// go into the blocks and into `registered`. A configuration that writes
// the blocks as they were plans empty; one that left a list out plans the
// blocks' removal in place, with no call (replaceUnlessRecording).
func (r *sourceServerResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeSourceServerV0}}
}

func upgradeSourceServerV0(_ context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var st map[string]any
	if req.RawState == nil || json.Unmarshal(req.RawState.JSON, &st) != nil {
		resp.Diagnostics.AddError("Cannot upgrade the state of cloudlock_sms_source_server",
			"The state of schema version 0 is not the JSON the provider wrote; remove it from state (terraform state rm) and import the server by its SMS id.")
		return
	}
	registered := map[string]any{}
	for _, name := range sourceServerLists {
		l := blocksJSON(st[name], sourceServerNestedLists[name])
		st[name] = l
		registered[name] = l
	}
	st["registered"] = registered
	b, err := json.Marshal(st)
	if err != nil {
		resp.Diagnostics.AddError("Cannot upgrade the state of cloudlock_sms_source_server", err.Error())
		return
	}
	resp.DynamicValue = &tfprotov6.DynamicValue{JSON: b}
}

// blocksJSON is a list of version 0 as a list of blocks: null is [], and so
// is a null nested list in an element.
func blocksJSON(v any, nested string) []any {
	l, _ := v.([]any)
	if l == nil {
		l = []any{}
	}
	for _, e := range l {
		if o, ok := e.(map[string]any); ok && nested != "" && o[nested] == nil {
			o[nested] = []any{}
		}
	}
	return l
}
