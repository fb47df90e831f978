package sms

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"
)

// --- from the API's answer to Terraform values (absent is null)

func int32Value(p *int32) types.Int64 {
	if p == nil {
		return types.Int64Null()
	}
	return types.Int64Value(int64(*p))
}

// enumValue is the string of one of the SDK's enum values (null when absent).
func enumValue[T interface{ Value() string }](p *T) types.String {
	if p == nil {
		return types.StringNull()
	}
	return types.StringValue((*p).Value())
}

// listOf builds a list value of objects from models; null when the API gave
// no list at all.
func listOf[T any](ctx context.Context, t types.ObjectType, present bool, items []T, diags *diag.Diagnostics) types.List {
	if !present {
		return types.ListNull(t)
	}
	if items == nil {
		items = []T{} // a nil slice would convert to null, not to []
	}
	l, d := types.ListValueFrom(ctx, t, items)
	diags.Append(d...)
	return l
}

// blockList is l with every null list in it, at any depth, made [].
func blockList(l types.List) types.List {
	et := l.ElementType(context.Background())
	if l.IsNull() {
		return types.ListValueMust(et, []attr.Value{})
	}
	out := make([]attr.Value, len(l.Elements()))
	for i, e := range l.Elements() {
		o, ok := e.(types.Object)
		if !ok || o.IsNull() {
			out[i] = e
			continue
		}
		attrs := map[string]attr.Value{}
		for k, v := range o.Attributes() {
			if nl, ok := v.(types.List); ok {
				v = blockList(nl)
			}
			attrs[k] = v
		}
		out[i] = types.ObjectValueMust(o.AttributeTypes(context.Background()), attrs)
	}
	return types.ListValueMust(et, out)
}

// fromShow maps a ShowServer answer to the attributes SMS returns; the
// others stay null.
func fromShow(ctx context.Context, r *model.ShowServerResponse) (sourceServerModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := sourceServerModel{
		ID: types.StringPointerValue(r.Id), IP: types.StringPointerValue(r.Ip), Name: types.StringPointerValue(r.Name),
		Hostname: types.StringPointerValue(r.Hostname), OSType: types.StringPointerValue(r.OsType),
		OSVersion: types.StringPointerValue(r.OsVersion), Firmware: enumValue(r.Firmware),
		CPUQuantity: int32Value(r.CpuQuantity), Memory: types.Int64PointerValue(r.Memory),
		AgentVersion: types.StringPointerValue(r.AgentVersion), OEMSystem: types.BoolPointerValue(r.OemSystem),
		StartType: types.StringPointerValue(r.StartType), HasTc: types.BoolPointerValue(r.HasTc),
		CurrentState: enumValue(r.State), CurrentMigrationCycle: enumValue(r.MigrationCycle),
		Connected: types.BoolPointerValue(r.Connected), AddDate: types.Int64PointerValue(r.AddDate),
		EnterpriseProjectID: types.StringPointerValue(r.EnterpriseProjectId),
	}

	var disks []diskModel
	if r.Disks != nil {
		for _, d := range *r.Disks {
			var pvs []physicalVolumeModel
			if d.PhysicalVolumes != nil {
				for _, p := range *d.PhysicalVolumes {
					pvs = append(pvs, physicalVolumeModel{
						DeviceUse: types.StringPointerValue(p.DeviceUse), FileSystem: types.StringPointerValue(p.FileSystem),
						Index: int32Value(p.Index), MountPoint: types.StringPointerValue(p.MountPoint), Name: types.StringPointerValue(p.Name),
						Size: types.Int64PointerValue(p.Size), UsedSize: types.Int64PointerValue(p.UsedSize),
						InodeSize: int32Value(p.InodeSize), InodeNums: types.Int64PointerValue(p.InodeNums),
						UUID: types.StringPointerValue(p.Uuid), SizePerCluster: int32Value(p.SizePerCluster),
					})
				}
			}
			disks = append(disks, diskModel{
				Name: types.StringPointerValue(d.Name), PartitionStyle: types.StringPointerValue(d.PartitionStyle),
				DeviceUse: types.StringPointerValue(d.DeviceUse), Size: types.Int64PointerValue(d.Size),
				UsedSize: types.Int64PointerValue(d.UsedSize), OSDisk: types.BoolPointerValue(d.OsDisk),
				PhysicalVolumes: listOf(ctx, physicalVolumeType, d.PhysicalVolumes != nil, pvs, &diags),
				RelationName:    types.StringPointerValue(d.RelationName), InodeSize: int32Value(d.InodeSize),
			})
		}
	}
	m.Disks = listOf(ctx, diskType, r.Disks != nil, disks, &diags)

	var btrfs []btrfsModel
	if r.BtrfsList != nil {
		for _, f := range *r.BtrfsList {
			var subs []subvolumeModel
			if f.Subvolumn != nil {
				for _, s := range *f.Subvolumn {
					subs = append(subs, subvolumeModel{
						UUID: types.StringPointerValue(s.Uuid), IsSnapshot: types.StringPointerValue(s.IsSnapshot),
						SubvolID: types.StringPointerValue(s.SubvolId), ParentID: types.StringPointerValue(s.ParentId),
						SubvolName: types.StringPointerValue(s.SubvolName), SubvolMountPath: types.StringPointerValue(s.SubvolMountPath),
					})
				}
			}
			btrfs = append(btrfs, btrfsModel{
				Name: types.StringPointerValue(f.Name), Label: types.StringPointerValue(f.Label), UUID: types.StringPointerValue(f.Uuid),
				Device: types.StringPointerValue(f.Device), Size: types.Int64PointerValue(f.Size), Nodesize: types.Int64PointerValue(f.Nodesize),
				Sectorsize: int32Value(f.Sectorsize), DataProfile: types.StringPointerValue(f.DataProfile),
				SystemProfile: types.StringPointerValue(f.SystemProfile), MetadataProfile: types.StringPointerValue(f.MetadataProfile),
				GlobalReserve1: types.StringPointerValue(f.GlobalReserve1), GVolUsedSize: types.Int64PointerValue(f.GVolUsedSize),
				DefaultSubvolid: types.StringPointerValue(f.DefaultSubvolid), DefaultSubvolName: types.StringPointerValue(f.DefaultSubvolName),
				DefaultSubvolMountpath: types.StringPointerValue(f.DefaultSubvolMountpath),
				Subvolume:              listOf(ctx, subvolumeType, f.Subvolumn != nil, subs, &diags),
			})
		}
	}
	m.BtrfsList = listOf(ctx, btrfsType, r.BtrfsList != nil, btrfs, &diags)

	var nets []networkModel
	if r.Networks != nil {
		for _, n := range *r.Networks {
			nets = append(nets, networkModel{
				Name: types.StringPointerValue(n.Name), IP: types.StringPointerValue(n.Ip), IPv6: types.StringPointerValue(n.Ipv6),
				Netmask: types.StringPointerValue(n.Netmask), Gateway: types.StringPointerValue(n.Gateway), MTU: int32Value(n.Mtu),
				MAC: types.StringValue(n.Mac), ID: types.StringPointerValue(n.Id),
			})
		}
	}
	m.Networks = listOf(ctx, networkType, r.Networks != nil, nets, &diags)

	var groups []volumeGroupModel
	if r.VolumeGroups != nil {
		for _, g := range *r.VolumeGroups {
			var lvs []logicalVolumeModel
			if g.LogicalVolumes != nil {
				for _, v := range *g.LogicalVolumes {
					lvs = append(lvs, logicalVolumeModel{
						BlockCount: int32Value(v.BlockCount), BlockSize: types.Int64PointerValue(v.BlockSize),
						FileSystem: types.StringPointerValue(v.FileSystem), InodeSize: int32Value(v.InodeSize),
						InodeNums: types.Int64PointerValue(v.InodeNums), DeviceUse: types.StringPointerValue(v.DeviceUse),
						MountPoint: types.StringPointerValue(v.MountPoint), Name: types.StringPointerValue(v.Name),
						Size: types.Int64PointerValue(v.Size), UsedSize: types.Int64PointerValue(v.UsedSize),
						FreeSize: types.Int64PointerValue(v.FreeSize),
					})
				}
			}
			groups = append(groups, volumeGroupModel{
				Components: types.StringPointerValue(g.Components), FreeSize: types.Int64PointerValue(g.FreeSize),
				LogicalVolumes: listOf(ctx, logicalVolumeType, g.LogicalVolumes != nil, lvs, &diags),
				Name:           types.StringPointerValue(g.Name), Size: types.Int64PointerValue(g.Size),
			})
		}
	}
	m.VolumeGroups = listOf(ctx, volumeGroupType, r.VolumeGroups != nil, groups, &diags)

	// Lists of blocks are never null (no block is []): a list SMS leaves
	// out is read as [], the same in `registered`.
	m.Disks, m.BtrfsList = blockList(m.Disks), blockList(m.BtrfsList)
	m.Networks, m.VolumeGroups = blockList(m.Networks), blockList(m.VolumeGroups)
	reg, d := types.ObjectValue(registeredType.AttrTypes, map[string]attr.Value{
		"disks": m.Disks, "btrfs_list": m.BtrfsList, "networks": m.Networks, "volume_groups": m.VolumeGroups,
	})
	diags.Append(d...)
	m.Registered = reg
	return m, diags
}
