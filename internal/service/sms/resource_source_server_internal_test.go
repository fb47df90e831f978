package sms

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var nicType = types.ObjectType{AttrTypes: map[string]attr.Type{"name": types.StringType, "mtu": types.Int64Type}}

func nic(name types.String, mtu types.Int64) attr.Value {
	return types.ObjectValueMust(nicType.AttrTypes, map[string]attr.Value{"name": name, "mtu": mtu})
}

func nics(v ...attr.Value) types.List { return types.ListValueMust(nicType, v) }

// mergeUnknown fills only what the plan left unknown, keeps what was
// planned, and gives null where the answer has nothing to offer.
func TestMergeUnknown(t *testing.T) {
	ctx := context.Background()
	planned := nics(nic(types.StringValue("eth0"), types.Int64Unknown()), nic(types.StringValue("eth1"), types.Int64Value(9000)))
	answered := nics(nic(types.StringValue("ETH0"), types.Int64Value(1500)), nic(types.StringValue("eth1"), types.Int64Value(1500)))
	want := nics(nic(types.StringValue("eth0"), types.Int64Value(1500)), nic(types.StringValue("eth1"), types.Int64Value(9000)))
	if got := mergeUnknown(ctx, planned, answered); !got.Equal(want) {
		t.Errorf("merge = %v, want %v", got, want)
	}
	// An answer with another number of elements fills nothing.
	short := nics(nic(types.StringValue("eth0"), types.Int64Value(1500)))
	want = nics(nic(types.StringValue("eth0"), types.Int64Null()), nic(types.StringValue("eth1"), types.Int64Value(9000)))
	if got := mergeUnknown(ctx, planned, short); !got.Equal(want) {
		t.Errorf("merge with a shorter answer = %v, want %v", got, want)
	}
	if got := mergeUnknown(ctx, types.ListUnknown(nicType), nil); !got.Equal(types.ListNull(nicType)) {
		t.Errorf("unknown with no answer = %v, want null", got)
	}
	if got := fill(ctx, types.StringUnknown(), types.StringValue("x")); got.ValueString() != "x" {
		t.Errorf("fill = %v", got)
	}
	var m sourceServerModel
	m.Disks, m.Name = types.ListUnknown(diskType), types.StringUnknown()
	m.fillUnknown(ctx, nil)
	if !m.Disks.IsNull() || !m.Name.IsNull() {
		t.Errorf("fillUnknown(nil) left %v %v", m.Disks, m.Name)
	}
}
