package sms

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// setRead copies into m every attribute SMS returns, as read: drift in any
// of them shows in the next plan. The other arguments keep their values.
// The lists of blocks hold the configured registration: SMS's values go
// into a list (and into a nested list of one of its blocks) only where m
// holds blocks, so that blocks left out of the configuration are no diff,
// and drift in configured ones is; `registered` always gets them all.
func (m *sourceServerModel) setRead(a sourceServerModel) {
	m.IP, m.Name, m.Hostname, m.OSType, m.OSVersion = a.IP, a.Name, a.Hostname, a.OSType, a.OSVersion
	m.Firmware, m.CPUQuantity, m.Memory, m.AgentVersion = a.Firmware, a.CPUQuantity, a.Memory, a.AgentVersion
	m.OEMSystem, m.StartType, m.HasTc = a.OEMSystem, a.StartType, a.HasTc
	m.Disks, m.BtrfsList = readBlocks(m.Disks, a.Disks), readBlocks(m.BtrfsList, a.BtrfsList)
	m.Networks, m.VolumeGroups = readBlocks(m.Networks, a.Networks), readBlocks(m.VolumeGroups, a.VolumeGroups)
	m.Registered = a.Registered
	m.setStatus(a)
}

// setAll is setRead for a model with nothing configured (a listed server,
// whose generated configuration writes every block SMS holds).
func (m *sourceServerModel) setAll(a sourceServerModel) {
	m.setRead(a)
	m.Disks, m.BtrfsList, m.Networks, m.VolumeGroups = a.Disks, a.BtrfsList, a.Networks, a.VolumeGroups
}

func (m *sourceServerModel) setStatus(a sourceServerModel) {
	m.CurrentState, m.CurrentMigrationCycle, m.Connected = a.CurrentState, a.CurrentMigrationCycle, a.Connected
	m.AddDate, m.EnterpriseProjectID = a.AddDate, a.EnterpriseProjectID
}

// readBlocks is read, SMS's list, where held (the list of blocks in state)
// has blocks, else held: element by element, a nested list of blocks
// (physical_volumes, subvolume, logical_volumes) is SMS's only where the
// held element has blocks in it. Elements beyond held's are SMS's as read.
// read is known (fromShow gives [] for a list SMS left out).
func readBlocks(held, read types.List) types.List {
	if held.IsUnknown() || read.IsNull() || read.IsUnknown() {
		return held
	}
	if len(held.Elements()) == 0 {
		// A list of blocks is never null: no block is [].
		return types.ListValueMust(read.ElementType(context.Background()), []attr.Value{})
	}
	he := held.Elements()
	out := make([]attr.Value, len(read.Elements()))
	for i, e := range read.Elements() {
		o, ok := e.(types.Object)
		if !ok || i >= len(he) {
			out[i] = e
			continue
		}
		h, _ := he[i].(types.Object)
		attrs := map[string]attr.Value{}
		for k, v := range o.Attributes() {
			if l, ok := v.(types.List); ok {
				hl, _ := h.Attributes()[k].(types.List)
				v = readBlocks(hl, l)
			}
			attrs[k] = v
		}
		out[i] = types.ObjectValueMust(o.AttributeTypes(context.Background()), attrs)
	}
	return types.ListValueMust(read.ElementType(context.Background()), out)
}

// fillUnknown resolves what the plan left unknown from a (the answer after
// an apply; nil when it could not be read: unknowns become null). Planned
// known values are kept as they are, as Terraform requires after an apply.
func (m *sourceServerModel) fillUnknown(ctx context.Context, a *sourceServerModel) {
	if a == nil {
		a = &sourceServerModel{}
	}
	m.Name = fill(ctx, m.Name, a.Name)
	m.Firmware = fill(ctx, m.Firmware, a.Firmware)
	m.CPUQuantity = fill(ctx, m.CPUQuantity, a.CPUQuantity)
	m.Memory = fill(ctx, m.Memory, a.Memory)
	m.AgentVersion = fill(ctx, m.AgentVersion, a.AgentVersion)
	m.OEMSystem = fill(ctx, m.OEMSystem, a.OEMSystem)
	m.StartType = fill(ctx, m.StartType, a.StartType)
	m.HasTc = fill(ctx, m.HasTc, a.HasTc)
	m.Disks = fill(ctx, m.Disks, a.Disks)
	m.BtrfsList = fill(ctx, m.BtrfsList, a.BtrfsList)
	m.Networks = fill(ctx, m.Networks, a.Networks)
	m.VolumeGroups = fill(ctx, m.VolumeGroups, a.VolumeGroups)
	m.Registered = fill(ctx, m.Registered, a.Registered)
	m.CurrentState = fill(ctx, m.CurrentState, a.CurrentState)
	m.CurrentMigrationCycle = fill(ctx, m.CurrentMigrationCycle, a.CurrentMigrationCycle)
	m.Connected = fill(ctx, m.Connected, a.Connected)
	m.AddDate = fill(ctx, m.AddDate, a.AddDate)
	m.EnterpriseProjectID = fill(ctx, m.EnterpriseProjectID, a.EnterpriseProjectID)
}

// fill is mergeUnknown for one attribute of a known type.
func fill[T attr.Value](ctx context.Context, planned, answered T) T {
	var a attr.Value = answered
	if isZeroValue(answered) {
		a = nil
	}
	return mergeUnknown(ctx, planned, a).(T)
}

// isZeroValue reports a value that was never set (the zero struct of a
// framework type, whose Type is unusable): an attribute the answer lacks.
func isZeroValue(v attr.Value) bool {
	switch x := v.(type) {
	case basetypes.ListValue:
		return x.ElementType(context.Background()) == nil
	case basetypes.ObjectValue:
		return x.AttributeTypes(context.Background()) == nil
	}
	return false
}

// mergeUnknown returns planned with every unknown value inside it replaced by
// the value at the same place in answered, or null where answered has none
// (lists of different lengths, an attribute it lacks). Known values, null
// included, are kept.
func mergeUnknown(ctx context.Context, planned, answered attr.Value) attr.Value {
	if planned.IsUnknown() {
		if answered == nil || answered.IsUnknown() || !answered.Type(ctx).Equal(planned.Type(ctx)) {
			return nullOf(ctx, planned.Type(ctx))
		}
		return answered
	}
	if planned.IsNull() {
		return planned
	}
	switch p := planned.(type) {
	case basetypes.ListValue:
		pe := p.Elements()
		var ae []attr.Value
		if a, ok := answered.(basetypes.ListValue); ok && !a.IsNull() && !a.IsUnknown() && len(a.Elements()) == len(pe) {
			ae = a.Elements()
		}
		out := make([]attr.Value, len(pe))
		for i, e := range pe {
			var ai attr.Value
			if ae != nil {
				ai = ae[i]
			}
			out[i] = mergeUnknown(ctx, e, ai)
		}
		return basetypes.NewListValueMust(p.ElementType(ctx), out)
	case basetypes.ObjectValue:
		var aa map[string]attr.Value
		if a, ok := answered.(basetypes.ObjectValue); ok && !a.IsNull() && !a.IsUnknown() {
			aa = a.Attributes()
		}
		out := map[string]attr.Value{}
		for k, v := range p.Attributes() {
			out[k] = mergeUnknown(ctx, v, aa[k])
		}
		return basetypes.NewObjectValueMust(p.AttributeTypes(ctx), out)
	}
	return planned
}

// nullOf is the null value of a type.
func nullOf(ctx context.Context, t attr.Type) attr.Value {
	v, err := t.ValueFromTerraform(ctx, tftypes.NewValue(t.TerraformType(ctx), nil))
	if err != nil {
		panic(err) // a null converts for every framework type
	}
	return v
}
