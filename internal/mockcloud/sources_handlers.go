package mockcloud

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
)

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

// GET /v3/sources: filters state, name, id and ip match exactly; pages by
// limit and offset (smsPage). count is the number of matches, whatever
// limit and offset are.
func (s *Server) listServers(c *call) answer {
	q := c.r.URL.Query()
	var matches []any
	for _, v := range s.SourceServers() {
		if !filterMatch(q.Get("state"), v.State) || !filterMatch(q.Get("name"), v.Name) ||
			!filterMatch(q.Get("id"), v.ID) || !filterMatch(q.Get("ip"), v.IP) {
			continue
		}
		matches = append(matches, listData(v))
	}
	page, bad := smsPage(q, matches)
	if bad != nil {
		return *bad
	}
	return answer{fixture: "sms/sources_list_servers.json", data: map[string]any{"count": len(matches), "source_servers": page}}
}

func filterMatch(filter, value string) bool { return filter == "" || filter == value }

// smsPage is the limit/offset paging of SMS list APIs: limit 0 or absent
// means 200, as the API documents; offset defaults to 0. It returns the
// page of matches, or the API's error answer for a bad parameter.
func smsPage(q url.Values, matches []any) ([]any, *answer) {
	limit, offset := 200, 0
	for name, dst := range map[string]*int{"limit": &limit, "offset": &offset} {
		raw := q.Get(name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return nil, &answer{fixture: sourceInvalidParam, data: map[string]any{"Message": fmt.Sprintf("%s %q is not a non-negative integer", name, raw)}}
		}
		if name == "limit" && n == 0 {
			n = 200
		}
		*dst = n
	}
	page := []any{}
	if offset < len(matches) {
		page = matches[offset:min(len(matches), offset+limit)]
	}
	return page, nil
}

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
