package sms

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
	Registered            types.Object   `tfsdk:"registered"`
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
