package sms

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"
)

// sourceServerModel is the resource cloudlock_sms_source_server.
type sourceServerModel struct {
	ID                    types.String   `tfsdk:"id"`
	IP                    types.String   `tfsdk:"ip"`
	Name                  types.String   `tfsdk:"name"`
	Hostname              types.String   `tfsdk:"hostname"`
	OSType                types.String   `tfsdk:"os_type"`
	OSVersion             types.String   `tfsdk:"os_version"`
	VirtualizationType    types.String   `tfsdk:"virtualization_type"`
	LinuxBlockCheck       types.String   `tfsdk:"linux_block_check"`
	Firmware              types.String   `tfsdk:"firmware"`
	CPUQuantity           types.Int64    `tfsdk:"cpu_quantity"`
	Memory                types.Int64    `tfsdk:"memory"`
	Disks                 types.List     `tfsdk:"disks"`
	BtrfsList             types.List     `tfsdk:"btrfs_list"`
	Networks              types.List     `tfsdk:"networks"`
	DomainID              types.String   `tfsdk:"domain_id"`
	HasRsync              types.Bool     `tfsdk:"has_rsync"`
	Paravirtualization    types.Bool     `tfsdk:"paravirtualization"`
	RawDevices            types.String   `tfsdk:"raw_devices"`
	DriverFiles           types.Bool     `tfsdk:"driver_files"`
	SystemServices        types.Bool     `tfsdk:"system_services"`
	AccountRights         types.Bool     `tfsdk:"account_rights"`
	BootLoader            types.String   `tfsdk:"boot_loader"`
	SystemDir             types.String   `tfsdk:"system_dir"`
	VolumeGroups          types.List     `tfsdk:"volume_groups"`
	AgentVersion          types.String   `tfsdk:"agent_version"`
	KernelVersion         types.String   `tfsdk:"kernel_version"`
	MigrationCycle        types.String   `tfsdk:"migration_cycle"`
	State                 types.String   `tfsdk:"state"`
	OEMSystem             types.Bool     `tfsdk:"oem_system"`
	StartType             types.String   `tfsdk:"start_type"`
	IOReadWait            types.Float64  `tfsdk:"io_read_wait"`
	HasTc                 types.Bool     `tfsdk:"has_tc"`
	Platform              types.String   `tfsdk:"platform"`
	CurrentState          types.String   `tfsdk:"current_state"`
	CurrentMigrationCycle types.String   `tfsdk:"current_migration_cycle"`
	Connected             types.Bool     `tfsdk:"connected"`
	AddDate               types.Int64    `tfsdk:"add_date"`
	EnterpriseProjectID   types.String   `tfsdk:"enterprise_project_id"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

type diskModel struct {
	Name            types.String `tfsdk:"name"`
	PartitionStyle  types.String `tfsdk:"partition_style"`
	DeviceUse       types.String `tfsdk:"device_use"`
	Size            types.Int64  `tfsdk:"size"`
	UsedSize        types.Int64  `tfsdk:"used_size"`
	PhysicalVolumes types.List   `tfsdk:"physical_volumes"`
	OSDisk          types.Bool   `tfsdk:"os_disk"`
	RelationName    types.String `tfsdk:"relation_name"`
	InodeSize       types.Int64  `tfsdk:"inode_size"`
}

type physicalVolumeModel struct {
	DeviceUse      types.String `tfsdk:"device_use"`
	FileSystem     types.String `tfsdk:"file_system"`
	Index          types.Int64  `tfsdk:"index"`
	MountPoint     types.String `tfsdk:"mount_point"`
	Name           types.String `tfsdk:"name"`
	Size           types.Int64  `tfsdk:"size"`
	UsedSize       types.Int64  `tfsdk:"used_size"`
	InodeSize      types.Int64  `tfsdk:"inode_size"`
	InodeNums      types.Int64  `tfsdk:"inode_nums"`
	UUID           types.String `tfsdk:"uuid"`
	SizePerCluster types.Int64  `tfsdk:"size_per_cluster"`
}

type btrfsModel struct {
	Name                   types.String `tfsdk:"name"`
	Label                  types.String `tfsdk:"label"`
	UUID                   types.String `tfsdk:"uuid"`
	Device                 types.String `tfsdk:"device"`
	Size                   types.Int64  `tfsdk:"size"`
	Nodesize               types.Int64  `tfsdk:"nodesize"`
	Sectorsize             types.Int64  `tfsdk:"sectorsize"`
	DataProfile            types.String `tfsdk:"data_profile"`
	SystemProfile          types.String `tfsdk:"system_profile"`
	MetadataProfile        types.String `tfsdk:"metadata_profile"`
	GlobalReserve1         types.String `tfsdk:"global_reserve1"`
	GVolUsedSize           types.Int64  `tfsdk:"g_vol_used_size"`
	DefaultSubvolid        types.String `tfsdk:"default_subvolid"`
	DefaultSubvolName      types.String `tfsdk:"default_subvol_name"`
	DefaultSubvolMountpath types.String `tfsdk:"default_subvol_mountpath"`
	Subvolume              types.List   `tfsdk:"subvolume"`
}

type subvolumeModel struct {
	UUID            types.String `tfsdk:"uuid"`
	IsSnapshot      types.String `tfsdk:"is_snapshot"`
	SubvolID        types.String `tfsdk:"subvol_id"`
	ParentID        types.String `tfsdk:"parent_id"`
	SubvolName      types.String `tfsdk:"subvol_name"`
	SubvolMountPath types.String `tfsdk:"subvol_mount_path"`
}

type networkModel struct {
	Name    types.String `tfsdk:"name"`
	IP      types.String `tfsdk:"ip"`
	IPv6    types.String `tfsdk:"ipv6"`
	Netmask types.String `tfsdk:"netmask"`
	Gateway types.String `tfsdk:"gateway"`
	MTU     types.Int64  `tfsdk:"mtu"`
	MAC     types.String `tfsdk:"mac"`
	ID      types.String `tfsdk:"id"`
}

type volumeGroupModel struct {
	Components     types.String `tfsdk:"components"`
	FreeSize       types.Int64  `tfsdk:"free_size"`
	LogicalVolumes types.List   `tfsdk:"logical_volumes"`
	Name           types.String `tfsdk:"name"`
	Size           types.Int64  `tfsdk:"size"`
}

type logicalVolumeModel struct {
	BlockCount types.Int64  `tfsdk:"block_count"`
	BlockSize  types.Int64  `tfsdk:"block_size"`
	FileSystem types.String `tfsdk:"file_system"`
	InodeSize  types.Int64  `tfsdk:"inode_size"`
	InodeNums  types.Int64  `tfsdk:"inode_nums"`
	DeviceUse  types.String `tfsdk:"device_use"`
	MountPoint types.String `tfsdk:"mount_point"`
	Name       types.String `tfsdk:"name"`
	Size       types.Int64  `tfsdk:"size"`
	UsedSize   types.Int64  `tfsdk:"used_size"`
	FreeSize   types.Int64  `tfsdk:"free_size"`
}

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
	if !m.Disks.IsNull() && !m.Disks.IsUnknown() {
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
	if !m.BtrfsList.IsNull() && !m.BtrfsList.IsUnknown() {
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
	if !m.VolumeGroups.IsNull() && !m.VolumeGroups.IsUnknown() {
		groups := []model.VolumeGroups{}
		for _, g := range elements[volumeGroupModel](ctx, m.VolumeGroups, &diags) {
			var lvs *[]model.LogicalVolumes
			if !g.LogicalVolumes.IsNull() && !g.LogicalVolumes.IsUnknown() {
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
	return m, diags
}

// setRead copies into m every attribute SMS returns, as read: drift in any
// of them shows in the next plan. The other arguments keep their values.
func (m *sourceServerModel) setRead(a sourceServerModel) {
	m.IP, m.Name, m.Hostname, m.OSType, m.OSVersion = a.IP, a.Name, a.Hostname, a.OSType, a.OSVersion
	m.Firmware, m.CPUQuantity, m.Memory, m.AgentVersion = a.Firmware, a.CPUQuantity, a.Memory, a.AgentVersion
	m.OEMSystem, m.StartType, m.HasTc = a.OEMSystem, a.StartType, a.HasTc
	m.Disks, m.BtrfsList, m.Networks, m.VolumeGroups = a.Disks, a.BtrfsList, a.Networks, a.VolumeGroups
	m.setStatus(a)
}

func (m *sourceServerModel) setStatus(a sourceServerModel) {
	m.CurrentState, m.CurrentMigrationCycle, m.Connected = a.CurrentState, a.CurrentMigrationCycle, a.Connected
	m.AddDate, m.EnterpriseProjectID = a.AddDate, a.EnterpriseProjectID
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
