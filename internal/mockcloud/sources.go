package mockcloud

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
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

// Enumerations and limits of seed 001 the cloud checks on registration.
var (
	sourceOSTypes   = []string{"LINUX", "WINDOWS"}
	sourceFirmwares = []string{"BIOS", "UEFI"}
	sourcePlatforms = []string{"hw", "ali", "aws", "azure", "gcp", "tencent", "vmware", "hyperv", "other"}
)

// POST /v3/sources: checks the registration as the cloud does (types,
// mandatory fields, enumerations, limits) and stores it. The answer is the
// new id, as documented.
func (s *Server) registerServer(c *call) answer {
	v, err := decodeRegistration(c.body)
	if err != nil {
		return answer{fixture: sourceInvalidParam, data: map[string]any{"Message": err.Error()}}
	}
	if v.State == "" {
		v.State = "waiting" // a registered server waits for its migration
	}
	now := time.Now().UnixMilli()
	v.ID, v.AddDate, v.Connected, v.EnterpriseProjectID, v.CurrentTask = "", now, true, "0", nil
	id := s.PutSourceServer(v)
	return answer{fixture: "sms/sources_register_server.json", data: map[string]any{"SourceID": id}}
}

// decodeRegistration reads a registration body strictly by the document's
// types (a number in quotes is not a number) and checks what the cloud
// checks.
func decodeRegistration(body []byte) (SourceServer, error) {
	var v SourceServer
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return v, fmt.Errorf("%s must be of type %s, not a JSON %s", te.Field, te.Type, te.Value)
		}
		return v, fmt.Errorf("the request body is not valid JSON: %w", err)
	}
	// Fields SMS keeps itself are not taken from a registration.
	v.Connected, v.AddDate, v.EnterpriseProjectID, v.CurrentTask = false, 0, "", nil
	normalizeSubvolumes(&v)
	return v, checkRegistration(v)
}

// checkRegistration applies seed 001: ip, hostname, os_type and os_version
// are mandatory for registration, nested "Mandatory: Yes" fields are
// required, enumerations and ranges hold.
func checkRegistration(v SourceServer) error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	for name, val := range map[string]string{"ip": v.IP, "hostname": v.Hostname, "os_type": v.OSType, "os_version": v.OSVersion} {
		if val == "" {
			bad("%s is mandatory for registration", name)
		}
	}
	for name, val := range map[string]string{"ip": v.IP, "name": v.Name, "hostname": v.Hostname, "os_type": v.OSType, "os_version": v.OSVersion} {
		if len(val) > 255 {
			bad("%s is longer than 255 characters", name)
		}
	}
	if v.OSType != "" && !oneOf(v.OSType, sourceOSTypes) {
		bad("os_type %q is not one of %s", v.OSType, strings.Join(sourceOSTypes, ", "))
	}
	if v.Firmware != nil && !oneOf(*v.Firmware, sourceFirmwares) {
		bad("firmware %q is not one of %s", *v.Firmware, strings.Join(sourceFirmwares, ", "))
	}
	if v.Platform != nil && !oneOf(*v.Platform, sourcePlatforms) {
		bad("platform %q is not one of %s", *v.Platform, strings.Join(sourcePlatforms, ", "))
	}
	if v.CPUQuantity != nil && (*v.CPUQuantity < 0 || *v.CPUQuantity > 65535) {
		bad("cpu_quantity %d is not between 0 and 65535", *v.CPUQuantity)
	}
	if v.Memory != nil && *v.Memory < 0 {
		bad("memory %d is negative", *v.Memory)
	}
	if v.IOReadWait != nil && (*v.IOReadWait < 0 || *v.IOReadWait > 10000) {
		bad("io_read_wait %v is not between 0 and 10000", *v.IOReadWait)
	}
	if v.Disks != nil {
		for i, d := range *v.Disks {
			p := fmt.Sprintf("disks[%d]", i)
			need(bad, p, map[string]bool{"name": d.Name != nil, "device_use": d.DeviceUse != nil, "size": d.Size != nil,
				"used_size": d.UsedSize != nil, "physical_volumes": d.PhysicalVolumes != nil})
		}
	}
	if v.Networks != nil {
		for i, n := range *v.Networks {
			p := fmt.Sprintf("networks[%d]", i)
			need(bad, p, map[string]bool{"name": n.Name != nil, "ip": n.IP != nil, "netmask": n.Netmask != nil,
				"gateway": n.Gateway != nil, "mac": n.MAC != nil})
		}
	}
	if v.BtrfsList != nil {
		for i, b := range *v.BtrfsList {
			p := fmt.Sprintf("btrfs_list[%d]", i)
			need(bad, p, map[string]bool{"name": b.Name != nil, "label": b.Label != nil, "uuid": b.UUID != nil,
				"device": b.Device != nil, "size": b.Size != nil, "nodesize": b.Nodesize != nil, "sectorsize": b.Sectorsize != nil,
				"data_profile": b.DataProfile != nil, "system_profile": b.SystemProfile != nil, "metadata_profile": b.MetadataProfile != nil,
				"global_reserve1": b.GlobalReserve1 != nil, "g_vol_used_size": b.GVolUsedSize != nil,
				"default_subvolid": b.DefaultSubvolid != nil, "default_subvol_name": b.DefaultSubvolName != nil,
				"default_subvol_mountpath": b.DefaultSubvolMountpath != nil, "subvolume": b.Subvolumn != nil})
			if b.Subvolumn != nil {
				for j, sv := range *b.Subvolumn {
					need(bad, fmt.Sprintf("%s.subvolume[%d]", p, j), map[string]bool{"uuid": sv.UUID != nil,
						"is_snapshot": sv.IsSnapshot != nil, "subvol_id": sv.SubvolID != nil, "parent_id": sv.ParentID != nil,
						"subvol_name": sv.SubvolName != nil, "subvol_mount_path": sv.SubvolMountPath != nil})
				}
			}
		}
	}
	if v.VolumeGroups != nil {
		for i, g := range *v.VolumeGroups {
			if g.LogicalVolumes == nil {
				continue
			}
			if len(*g.LogicalVolumes) > 255 {
				bad("volume_groups[%d].logical_volumes has more than 255 entries", i)
			}
			for j, lv := range *g.LogicalVolumes {
				need(bad, fmt.Sprintf("volume_groups[%d].logical_volumes[%d]", i, j), map[string]bool{
					"file_system": lv.FileSystem != nil, "inode_size": lv.InodeSize != nil, "mount_point": lv.MountPoint != nil,
					"name": lv.Name != nil, "size": lv.Size != nil, "used_size": lv.UsedSize != nil, "free_size": lv.FreeSize != nil})
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	sort.Strings(errs) // map order must not change the message
	return errors.New(strings.Join(errs, "; "))
}

// need reports the mandatory fields of an object at path p that are missing.
func need(bad func(string, ...any), p string, present map[string]bool) {
	names := make([]string, 0, len(present))
	for name, ok := range present {
		if !ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		bad("%s.%s is mandatory", p, name)
	}
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// GET /v3/sources/{SourceID}
func (s *Server) showSourceServer(c *call) answer {
	v, ok := s.SourceServer(c.params["SourceID"])
	if !ok {
		return answer{fixture: sourceNotFound}
	}
	return answer{fixture: "sms/sources_show_server.json", data: showData(v)}
}

// showData is what the show answer's templates need: the fields of the
// server under their API names.
func showData(v SourceServer) map[string]any {
	var total int64
	if v.Disks != nil {
		for _, d := range *v.Disks {
			if d.UsedSize != nil {
				total += *d.UsedSize
			}
		}
	}
	return map[string]any{
		"id": v.ID, "ip": v.IP, "name": v.Name, "hostname": v.Hostname,
		"enterprise_project_id": v.EnterpriseProjectID, "add_date": v.AddDate,
		"os_type": v.OSType, "os_version": v.OSVersion, "oem_system": v.OEMSystem,
		"state": v.State, "connected": v.Connected, "firmware": v.Firmware,
		"cpu_quantity": v.CPUQuantity, "memory": v.Memory, "current_task": v.CurrentTask,
		"disks": v.Disks, "volume_groups": v.VolumeGroups, "btrfs_list": v.BtrfsList, "networks": v.Networks,
		"migration_cycle": v.MigrationCycle, "state_action_time": v.AddDate, "replicatesize": int64(0),
		"totalsize": total, "last_visit_time": v.AddDate, "stage_action_time": v.AddDate,
		"agent_version": v.AgentVersion, "has_tc": v.HasTc, "start_type": v.StartType,
	}
}

// listData is one item of the list answer (the API's SourceServersResponseBody).
func listData(v SourceServer) map[string]any {
	d := showData(v)
	item := map[string]any{"is_consistency_result_exist": false, "checks": []any{}}
	for _, k := range []string{"id", "ip", "name", "enterprise_project_id", "add_date", "os_type", "os_version",
		"oem_system", "state", "connected", "cpu_quantity", "current_task", "replicatesize",
		"stage_action_time", "totalsize", "last_visit_time", "migration_cycle", "state_action_time", "has_tc", "start_type"} {
		item[k] = d[k]
	}
	item["memory"] = memoryBytes(v.Memory)
	return item
}

// memoryBytes gives a registered memory size (MB: RegisterServer and
// ShowServer say so) in the unit of the list answer, whose model says bytes.
// A size too large for bytes in an int64 is capped rather than wrapped.
func memoryBytes(mb *int64) *int64 {
	if mb == nil {
		return nil
	}
	b := int64(math.MaxInt64)
	if *mb <= math.MaxInt64>>20 {
		b = *mb << 20
	}
	return &b
}

// GET /v3/sources: filters state, name, id and ip match exactly; limit 0 or
// absent means 200, as the API documents; offset defaults to 0. count is the
// number of matches, whatever limit and offset are.
func (s *Server) listServers(c *call) answer {
	q := c.r.URL.Query()
	limit, offset := 200, 0
	for name, dst := range map[string]*int{"limit": &limit, "offset": &offset} {
		raw := q.Get(name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return answer{fixture: sourceInvalidParam, data: map[string]any{"Message": fmt.Sprintf("%s %q is not a non-negative integer", name, raw)}}
		}
		if name == "limit" && n == 0 {
			n = 200
		}
		*dst = n
	}
	var matches []any
	for _, v := range s.SourceServers() {
		if !filterMatch(q.Get("state"), v.State) || !filterMatch(q.Get("name"), v.Name) ||
			!filterMatch(q.Get("id"), v.ID) || !filterMatch(q.Get("ip"), v.IP) {
			continue
		}
		matches = append(matches, listData(v))
	}
	page := []any{}
	if offset < len(matches) {
		page = matches[offset:min(len(matches), offset+limit)]
	}
	return answer{fixture: "sms/sources_list_servers.json", data: map[string]any{"count": len(matches), "source_servers": page}}
}

func filterMatch(filter, value string) bool { return filter == "" || filter == value }

// DELETE /v3/sources/{SourceID}
func (s *Server) deleteServer(c *call) answer {
	id := c.params["SourceID"]
	s.mu.Lock()
	_, ok := s.sources[id]
	delete(s.sources, id)
	s.mu.Unlock()
	if !ok {
		return answer{fixture: sourceNotFound}
	}
	return answer{fixture: "sms/sources_delete_server.json"}
}

// PUT /v3/sources/{SourceID}: the SDK's UpdateServerName. Of its body
// (name, migprojectid, disks, volume_groups) the mock changes the name, the
// one field the provider updates in place.
func (s *Server) updateServerName(c *call) answer {
	var body struct {
		Name *string `json:"name"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil {
		return answer{fixture: sourceInvalidParam, data: map[string]any{"Message": "the request body is not valid JSON"}}
	}
	if body.Name != nil && len(*body.Name) > 255 {
		return answer{fixture: sourceInvalidParam, data: map[string]any{"Message": "name is longer than 255 characters"}}
	}
	id := c.params["SourceID"]
	s.mu.Lock()
	v, ok := s.sources[id]
	if ok && body.Name != nil {
		v.Name = *body.Name
		s.sources[id] = v
	}
	s.mu.Unlock()
	if !ok {
		return answer{fixture: sourceNotFound}
	}
	return answer{fixture: "sms/sources_update_server_name.json"}
}

// seedSourceServer adds a source server from a seed: it must be a valid
// registration; what SMS keeps (connected, add_date, current_task, state)
// may be given too.
func seedSourceServer(s *Server, v SourceServer) error {
	normalizeSubvolumes(&v)
	if err := checkRegistration(v); err != nil {
		return err
	}
	if v.State == "" {
		v.State = "waiting"
	}
	if v.AddDate == 0 {
		v.AddDate = time.Now().UnixMilli()
	}
	if v.EnterpriseProjectID == "" {
		v.EnterpriseProjectID = "0"
	}
	s.PutSourceServer(v)
	return nil
}

// normalizeSubvolumes keeps the subvolumes under "subvolumn", the name the
// SDK (and the document's example) use, whichever name they came under.
func normalizeSubvolumes(v *SourceServer) {
	if v.BtrfsList == nil {
		return
	}
	for i := range *v.BtrfsList {
		b := &(*v.BtrfsList)[i]
		if b.Subvolumn == nil {
			b.Subvolumn = b.Subvolume
		}
		b.Subvolume = nil
	}
}
