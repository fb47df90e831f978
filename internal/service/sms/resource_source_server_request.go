package sms

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"
)

// --- from Terraform values to the SDK's request (unknown and null are not sent)

func strPtr(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func int64Ptr(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := v.ValueInt64()
	return &n
}

// int32Ptr converts a value the schema already bounds to the Integer range.
func int32Ptr(v types.Int64) *int32 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := int32(v.ValueInt64()) //nolint:gosec // the schema bounds it to 0–2147483647
	return &n
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func float64Ptr(v types.Float64) *float64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	f := v.ValueFloat64()
	return &f
}

// sdkEnum is one of the SDK's enum types, which take any string through
// UnmarshalJSON (the schema has already checked the value).
type sdkEnum[T any] interface {
	*T
	UnmarshalJSON([]byte) error
}

func enumPtr[T any, PT sdkEnum[T]](v types.String) *T {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	var e T
	_ = PT(&e).UnmarshalJSON([]byte(strconv.Quote(v.ValueString())))
	return &e
}

// elements decodes a known list into its models; nil for null or unknown.
func elements[T any](ctx context.Context, l types.List, diags *diag.Diagnostics) []T {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	var out []T
	diags.Append(l.ElementsAs(ctx, &out, false)...)
	return out
}

// registration is the request body for the planned resource.
func (m *sourceServerModel) registration(ctx context.Context) (*SourceRegistration, diag.Diagnostics) {
	var diags diag.Diagnostics
	b := &model.PostSourceServerBody{
		Ip:                 strPtr(m.IP),
		Name:               m.Name.ValueString(),
		Hostname:           strPtr(m.Hostname),
		OsVersion:          m.OSVersion.ValueString(),
		LinuxBlockCheck:    strPtr(m.LinuxBlockCheck),
		Firmware:           enumPtr[model.PostSourceServerBodyFirmware](m.Firmware),
		CpuQuantity:        int32Ptr(m.CPUQuantity),
		Memory:             int64Ptr(m.Memory),
		DomainId:           strPtr(m.DomainID),
		HasRsync:           boolPtr(m.HasRsync),
		Paravirtualization: boolPtr(m.Paravirtualization),
		RawDevices:         strPtr(m.RawDevices),
		DriverFiles:        boolPtr(m.DriverFiles),
		SystemServices:     boolPtr(m.SystemServices),
		AccountRights:      boolPtr(m.AccountRights),
		BootLoader:         strPtr(m.BootLoader),
		SystemDir:          strPtr(m.SystemDir),
		AgentVersion:       m.AgentVersion.ValueString(),
		KernelVersion:      strPtr(m.KernelVersion),
		MigrationCycle:     enumPtr[model.PostSourceServerBodyMigrationCycle](m.MigrationCycle),
		State:              enumPtr[model.PostSourceServerBodyState](m.State),
		OemSystem:          boolPtr(m.OEMSystem),
		StartType:          strPtr(m.StartType),
		IoReadWait:         float64Ptr(m.IOReadWait),
		HasTc:              boolPtr(m.HasTc),
		Platform:           enumPtr[model.PostSourceServerBodyPlatform](m.Platform),
		// The SDK sends networks even when empty ("networks": null for a
		// nil slice), so it is always a list.
		Networks: []model.NetWork{},
	}
	if t := enumPtr[model.PostSourceServerBodyOsType](m.OSType); t != nil {
		b.OsType = *t
	}
	// A list of blocks left out is [] (Terraform may give null for it):
	// sent as [], which a Linux registration needs for btrfs_list and
	// volume_groups.
	if !m.Disks.IsUnknown() {
		disks := []model.ServerDisk{}
		for _, d := range elements[diskModel](ctx, m.Disks, &diags) {
			pvs := []model.PhysicalVolume{}
			for _, p := range elements[physicalVolumeModel](ctx, d.PhysicalVolumes, &diags) {
				pvs = append(pvs, model.PhysicalVolume{
					DeviceUse: strPtr(p.DeviceUse), FileSystem: strPtr(p.FileSystem), Index: int32Ptr(p.Index),
					MountPoint: strPtr(p.MountPoint), Name: strPtr(p.Name), Size: int64Ptr(p.Size), UsedSize: int64Ptr(p.UsedSize),
					InodeSize: int32Ptr(p.InodeSize), InodeNums: int64Ptr(p.InodeNums), Uuid: strPtr(p.UUID),
					SizePerCluster: int32Ptr(p.SizePerCluster),
				})
			}
			disks = append(disks, model.ServerDisk{
				Name: strPtr(d.Name), PartitionStyle: strPtr(d.PartitionStyle), DeviceUse: strPtr(d.DeviceUse),
				Size: int64Ptr(d.Size), UsedSize: int64Ptr(d.UsedSize), PhysicalVolumes: &pvs, OsDisk: boolPtr(d.OSDisk),
				RelationName: strPtr(d.RelationName), InodeSize: int32Ptr(d.InodeSize),
			})
		}
		b.Disks = &disks
	}
	if !m.BtrfsList.IsUnknown() {
		list := []model.BtrfsFileSystem{}
		for _, f := range elements[btrfsModel](ctx, m.BtrfsList, &diags) {
			subs := []model.BtrfsSubvolumn{}
			for _, s := range elements[subvolumeModel](ctx, f.Subvolume, &diags) {
				subs = append(subs, model.BtrfsSubvolumn{
					Uuid: strPtr(s.UUID), IsSnapshot: strPtr(s.IsSnapshot), SubvolId: strPtr(s.SubvolID),
					ParentId: strPtr(s.ParentID), SubvolName: strPtr(s.SubvolName), SubvolMountPath: strPtr(s.SubvolMountPath),
				})
			}
			list = append(list, model.BtrfsFileSystem{
				Name: strPtr(f.Name), Label: strPtr(f.Label), Uuid: strPtr(f.UUID), Device: strPtr(f.Device),
				Size: int64Ptr(f.Size), Nodesize: int64Ptr(f.Nodesize), Sectorsize: int32Ptr(f.Sectorsize),
				DataProfile: strPtr(f.DataProfile), SystemProfile: strPtr(f.SystemProfile), MetadataProfile: strPtr(f.MetadataProfile),
				GlobalReserve1: strPtr(f.GlobalReserve1), GVolUsedSize: int64Ptr(f.GVolUsedSize),
				DefaultSubvolid: strPtr(f.DefaultSubvolid), DefaultSubvolName: strPtr(f.DefaultSubvolName),
				DefaultSubvolMountpath: strPtr(f.DefaultSubvolMountpath), Subvolumn: &subs,
			})
		}
		b.BtrfsList = &list
	}
	for _, n := range elements[networkModel](ctx, m.Networks, &diags) {
		b.Networks = append(b.Networks, model.NetWork{
			Name: strPtr(n.Name), Ip: strPtr(n.IP), Ipv6: strPtr(n.IPv6), Netmask: strPtr(n.Netmask),
			Gateway: strPtr(n.Gateway), Mtu: int32Ptr(n.MTU), Mac: n.MAC.ValueString(), Id: strPtr(n.ID),
		})
	}
	if !m.VolumeGroups.IsUnknown() {
		groups := []model.VolumeGroups{}
		for _, g := range elements[volumeGroupModel](ctx, m.VolumeGroups, &diags) {
			var lvs *[]model.LogicalVolumes
			if !g.LogicalVolumes.IsUnknown() {
				l := []model.LogicalVolumes{}
				for _, v := range elements[logicalVolumeModel](ctx, g.LogicalVolumes, &diags) {
					l = append(l, model.LogicalVolumes{
						BlockCount: int32Ptr(v.BlockCount), BlockSize: int64Ptr(v.BlockSize), FileSystem: strPtr(v.FileSystem),
						InodeSize: int32Ptr(v.InodeSize), InodeNums: int64Ptr(v.InodeNums), DeviceUse: strPtr(v.DeviceUse),
						MountPoint: strPtr(v.MountPoint), Name: strPtr(v.Name), Size: int64Ptr(v.Size),
						UsedSize: int64Ptr(v.UsedSize), FreeSize: int64Ptr(v.FreeSize),
					})
				}
				lvs = &l
			}
			groups = append(groups, model.VolumeGroups{
				Components: strPtr(g.Components), FreeSize: int64Ptr(g.FreeSize), LogicalVolumes: lvs,
				Name: strPtr(g.Name), Size: int64Ptr(g.Size),
			})
		}
		b.VolumeGroups = &groups
	}
	return &SourceRegistration{PostSourceServerBody: *b, VirtualizationType: strPtr(m.VirtualizationType)}, diags
}
