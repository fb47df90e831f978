package mockcloud

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
)

// SourceServer is a source server registered with SMS (POST /v3/sources,
// seed 001): the fields of the registration, as sent, and what SMS keeps
// about the server. Field names and JSON names are the API's. Optional
// fields are pointers so that the show answer gives back exactly what was
// registered, as the cloud does.
type SourceServer struct {
	ID                 string               `json:"id"`
	IP                 string               `json:"ip"`
	Name               string               `json:"name"`
	Hostname           string               `json:"hostname"`
	OSType             string               `json:"os_type"`
	OSVersion          string               `json:"os_version"`
	VirtualizationType *string              `json:"virtualization_type,omitempty"`
	LinuxBlockCheck    *string              `json:"linux_block_check,omitempty"`
	Firmware           *string              `json:"firmware,omitempty"`
	CPUQuantity        *int64               `json:"cpu_quantity,omitempty"`
	Memory             *int64               `json:"memory,omitempty"`
	Disks              *[]SourceDisk        `json:"disks,omitempty"`
	BtrfsList          *[]SourceBtrfs       `json:"btrfs_list,omitempty"`
	Networks           *[]SourceNetwork     `json:"networks,omitempty"`
	DomainID           *string              `json:"domain_id,omitempty"`
	HasRsync           *bool                `json:"has_rsync,omitempty"`
	Paravirtualization *bool                `json:"paravirtualization,omitempty"`
	RawDevices         *string              `json:"raw_devices,omitempty"`
	DriverFiles        *bool                `json:"driver_files,omitempty"`
	SystemServices     *bool                `json:"system_services,omitempty"`
	AccountRights      *bool                `json:"account_rights,omitempty"`
	BootLoader         *string              `json:"boot_loader,omitempty"`
	SystemDir          *string              `json:"system_dir,omitempty"`
	VolumeGroups       *[]SourceVolumeGroup `json:"volume_groups,omitempty"`
	AgentVersion       *string              `json:"agent_version,omitempty"`
	KernelVersion      *string              `json:"kernel_version,omitempty"`
	MigrationCycle     *string              `json:"migration_cycle,omitempty"`
	// State is the registered state at first; SMS moves it on as the
	// migration goes (tests change it with PutSourceServer).
	State      string   `json:"state,omitempty"`
	OEMSystem  *bool    `json:"oem_system,omitempty"`
	StartType  *string  `json:"start_type,omitempty"`
	IOReadWait *float64 `json:"io_read_wait,omitempty"`
	HasTc      *bool    `json:"has_tc,omitempty"`
	Platform   *string  `json:"platform,omitempty"`

	// Kept by SMS, never part of a registration.
	Connected           bool        `json:"connected,omitempty"`
	AddDate             int64       `json:"add_date,omitempty"` // ms since the epoch
	EnterpriseProjectID string      `json:"enterprise_project_id,omitempty"`
	CurrentTask         *SourceTask `json:"current_task,omitempty"`
}

// SourceDisk is a ServerDisk of the API.
type SourceDisk struct {
	Name            *string                 `json:"name,omitempty"`
	PartitionStyle  *string                 `json:"partition_style,omitempty"`
	DeviceUse       *string                 `json:"device_use,omitempty"`
	Size            *int64                  `json:"size,omitempty"`
	UsedSize        *int64                  `json:"used_size,omitempty"`
	PhysicalVolumes *[]SourcePhysicalVolume `json:"physical_volumes,omitempty"`
	OSDisk          *bool                   `json:"os_disk,omitempty"`
	RelationName    *string                 `json:"relation_name,omitempty"`
	InodeSize       *int64                  `json:"inode_size,omitempty"`
}

// SourcePhysicalVolume is a PhysicalVolume of the API (a partition).
type SourcePhysicalVolume struct {
	DeviceUse      *string `json:"device_use,omitempty"`
	FileSystem     *string `json:"file_system,omitempty"`
	Index          *int64  `json:"index,omitempty"`
	MountPoint     *string `json:"mount_point,omitempty"`
	Name           *string `json:"name,omitempty"`
	Size           *int64  `json:"size,omitempty"`
	UsedSize       *int64  `json:"used_size,omitempty"`
	InodeSize      *int64  `json:"inode_size,omitempty"`
	InodeNums      *int64  `json:"inode_nums,omitempty"`
	UUID           *string `json:"uuid,omitempty"`
	SizePerCluster *int64  `json:"size_per_cluster,omitempty"`
}

// SourceBtrfs is a BtrfsFileSystem of the API. The document's table calls
// the subvolume list "subvolume", its example and the SDK "subvolumn": the
// mock reads both and answers "subvolumn", which is what the SDK decodes.
type SourceBtrfs struct {
	Name                   *string            `json:"name,omitempty"`
	Label                  *string            `json:"label,omitempty"`
	UUID                   *string            `json:"uuid,omitempty"`
	Device                 *string            `json:"device,omitempty"`
	Size                   *int64             `json:"size,omitempty"`
	Nodesize               *int64             `json:"nodesize,omitempty"`
	Sectorsize             *int64             `json:"sectorsize,omitempty"`
	DataProfile            *string            `json:"data_profile,omitempty"`
	SystemProfile          *string            `json:"system_profile,omitempty"`
	MetadataProfile        *string            `json:"metadata_profile,omitempty"`
	GlobalReserve1         *string            `json:"global_reserve1,omitempty"`
	GVolUsedSize           *int64             `json:"g_vol_used_size,omitempty"`
	DefaultSubvolid        *string            `json:"default_subvolid,omitempty"`
	DefaultSubvolName      *string            `json:"default_subvol_name,omitempty"`
	DefaultSubvolMountpath *string            `json:"default_subvol_mountpath,omitempty"`
	Subvolumn              *[]SourceSubvolume `json:"subvolumn,omitempty"`
	Subvolume              *[]SourceSubvolume `json:"subvolume,omitempty"`
}

// SourceSubvolume is a BtrfsSubvolume of the API.
type SourceSubvolume struct {
	UUID            *string `json:"uuid,omitempty"`
	IsSnapshot      *string `json:"is_snapshot,omitempty"`
	SubvolID        *string `json:"subvol_id,omitempty"`
	ParentID        *string `json:"parent_id,omitempty"`
	SubvolName      *string `json:"subvol_name,omitempty"`
	SubvolMountPath *string `json:"subvol_mount_path,omitempty"`
}

// SourceNetwork is a NetWork (a NIC) of the API.
type SourceNetwork struct {
	Name    *string `json:"name,omitempty"`
	IP      *string `json:"ip,omitempty"`
	IPv6    *string `json:"ipv6,omitempty"`
	Netmask *string `json:"netmask,omitempty"`
	Gateway *string `json:"gateway,omitempty"`
	MTU     *int64  `json:"mtu,omitempty"`
	MAC     *string `json:"mac,omitempty"`
	ID      *string `json:"id,omitempty"`
}

// SourceVolumeGroup is a VolumeGroups entry of the API (an LVM volume group).
type SourceVolumeGroup struct {
	Components     *string                `json:"components,omitempty"`
	FreeSize       *int64                 `json:"free_size,omitempty"`
	LogicalVolumes *[]SourceLogicalVolume `json:"logical_volumes,omitempty"`
	Name           *string                `json:"name,omitempty"`
	Size           *int64                 `json:"size,omitempty"`
}

// SourceLogicalVolume is a LogicalVolumes entry of the API.
type SourceLogicalVolume struct {
	BlockCount *int64  `json:"block_count,omitempty"`
	BlockSize  *int64  `json:"block_size,omitempty"`
	FileSystem *string `json:"file_system,omitempty"`
	InodeSize  *int64  `json:"inode_size,omitempty"`
	InodeNums  *int64  `json:"inode_nums,omitempty"`
	DeviceUse  *string `json:"device_use,omitempty"`
	MountPoint *string `json:"mount_point,omitempty"`
	Name       *string `json:"name,omitempty"`
	Size       *int64  `json:"size,omitempty"`
	UsedSize   *int64  `json:"used_size,omitempty"`
	FreeSize   *int64  `json:"free_size,omitempty"`
}

// SourceTask is the migration task a source server is in (current_task).
type SourceTask struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Type  string `json:"type"`  // MIGRATE_BLOCK or MIGRATE_FILE
	State string `json:"state"` // e.g. RUNNING
}

// PutSourceServer adds or replaces a source server (an id is made up when
// it has none) and returns its id.
func (s *Server) PutSourceServer(v SourceServer) string {
	if v.ID == "" {
		v.ID = newSourceID()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sources[v.ID] = v
	return v.ID
}

// SourceServer returns the source server with this id.
func (s *Server) SourceServer(id string) (SourceServer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.sources[id]
	return v, ok
}

// SourceServers returns every source server, oldest registration first
// (ties by id), which is also the order of the list answer.
func (s *Server) SourceServers() []SourceServer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SourceServer, 0, len(s.sources))
	for _, v := range s.sources {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].AddDate != out[j].AddDate {
			return out[i].AddDate < out[j].AddDate
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// DeleteSourceServer removes a source server; later requests for it get 404.
func (s *Server) DeleteSourceServer(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sources, id)
}

// newSourceID makes an id shaped like SMS's (a random UUID).
func newSourceID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Fixtures of the source-server operations.
const (
	sourceNotFound     = "sms/sources_error_404_SMS.2216.json"
	sourceInvalidParam = "sms/sources_error_400_SMS.9001.json"
)
