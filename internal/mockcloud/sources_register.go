package mockcloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
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
