package mockcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ECSServer is a Huawei Cloud ECS server, as far as locking goes.
type ECSServer struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status,omitempty"` // Nova status: ACTIVE (default), SHUTOFF, ...
	Locked bool   `json:"locked"`

	// IgnoreLock makes the lock and unlock actions answer 202 and change
	// nothing, as when the backend loses the task: the server never reports
	// the state asked for.
	IgnoreLock bool `json:"ignore_lock,omitempty"`
	// LockLag is how many reads after a lock or unlock still report the
	// previous state. The actions answer 202 (accepted, not done), so a client
	// must poll until the server reports the new state.
	LockLag int `json:"lock_lag,omitempty"`

	// lagReads reads are still to report !Locked (set by an action when LockLag > 0).
	lagReads int
}

// PutECSServer adds or replaces an ECS server. An empty Status is ACTIVE.
func (s *Server) PutECSServer(v ECSServer) {
	if v.Status == "" {
		v.Status = "ACTIVE"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ecsServers[v.ID] = v
}

// ECSServer returns the server with this id. Locked is the state the last
// lock or unlock action left, whatever LockLag makes reads report for now.
func (s *Server) ECSServer(id string) (ECSServer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.ecsServers[id]
	return v, ok
}

// DeleteECSServer removes a server; later requests for it get a 404.
func (s *Server) DeleteECSServer(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ecsServers, id)
}

// SetECSServerLocked locks or unlocks a server out of band (as someone in the
// console would); false if there is no such server.
func (s *Server) SetECSServerLocked(id string, locked bool) bool {
	return s.updateECSServer(id, func(v *ECSServer) {
		v.Locked, v.lagReads = locked, 0
	})
}

func (s *Server) updateECSServer(id string, change func(*ECSServer)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.ecsServers[id]
	if ok {
		change(&v)
		s.ecsServers[id] = v
	}
	return ok
}

// readECSServer returns a server as a read reports it: during a LockLag the
// previous lock state, counting the read.
func (s *Server) readECSServer(id string) (ECSServer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.ecsServers[id]
	if !ok {
		return v, false
	}
	if v.lagReads > 0 {
		stored := v
		stored.lagReads--
		s.ecsServers[id] = stored
		v.Locked = !v.Locked
	}
	return v, true
}

// Fixtures of the ECS answers (see fixtures/README.md).
const (
	novaBadRequest   = "ecs/nova_error_400_badRequest.json"
	novaNotFound     = "ecs/nova_error_404_itemNotFound.json"
	ecsNativeBadURL  = "ecs/error_400_Ecs.0005.json"
	ecsNativeMissing = "ecs/error_404_Ecs.0114.json"
)

// checkProject answers the cloud's error when the project id in the path is
// not the caller's project (the account has one project, s.opts.ProjectID).
// Nova says "Malformed request URL"; nil means the project is right.
func (s *Server) checkProject(c *call, fixture string) *answer {
	got := c.params["ProjectID"]
	if got == s.opts.ProjectID {
		return nil
	}
	return &answer{fixture: fixture, data: map[string]any{
		"Message": fmt.Sprintf("Malformed request URL: URL's project_id '%s' doesn't match Context's project_id '%s'", got, s.opts.ProjectID),
	}}
}

// POST /v2.1/{ProjectID}/servers/{ServerID}/action with exactly {"lock": null}
// or {"unlock": null}: 202 and no body. Nova lock and unlock are idempotent:
// locking a locked server is accepted too.
func (s *Server) novaServerAction(c *call) answer {
	if a := s.checkProject(c, novaBadRequest); a != nil {
		return *a
	}
	action, msg := parseLockAction(c.body)
	if msg != "" {
		return answer{fixture: novaBadRequest, data: map[string]any{"Message": msg}}
	}
	lock := action == "lock"
	found := s.updateECSServer(c.params["ServerID"], func(v *ECSServer) {
		if v.IgnoreLock || v.Locked == lock {
			return
		}
		v.Locked = lock
		v.lagReads = v.LockLag
	})
	if !found {
		return answer{fixture: novaNotFound}
	}
	return answer{fixture: "ecs/nova_server_action.json"}
}

// parseLockAction accepts a body that is a JSON object with exactly one
// member, "lock" or "unlock", whose value is null. Anything else gets a
// message in the words Nova uses for it.
func parseLockAction(body []byte) (action, msg string) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return "", "Malformed request body"
	}
	if len(m) != 1 {
		return "", "Malformed request body: an action body has exactly one member, got " + strconv.Itoa(len(m))
	}
	for k, v := range m {
		if k != "lock" && k != "unlock" {
			return "", "There is no such action: " + k
		}
		if string(bytes.TrimSpace(v)) != "null" {
			return "", fmt.Sprintf("Invalid input for field/attribute %s. Value: %s. %s is not of type 'null'", k, v, v)
		}
		action = k
	}
	return action, ""
}

// novaMaxMicroversion is the newest compute microversion Huawei Cloud ECS serves.
const novaMaxMicroversion = "2.60"

var microversionRE = regexp.MustCompile(`^([1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// novaMicroversion reads the compute microversion a request asks for, from
// "OpenStack-API-Version: compute X.Y" or the older
// "X-OpenStack-Nova-API-Version: X.Y"; without either it is the base 2.1.
// msg says what is wrong with a version the API does not serve.
func novaMicroversion(h http.Header) (version string, minor int, msg string) {
	if hv := h.Get("OpenStack-API-Version"); hv != "" {
		f := strings.Fields(hv)
		if len(f) != 2 || !strings.EqualFold(f[0], "compute") {
			return hv, 0, "API Version String " + hv + " is of invalid format. Must be of format 'compute MajorNum.MinorNum'."
		}
		version = f[1]
	} else {
		version = strings.TrimSpace(h.Get("X-OpenStack-Nova-API-Version"))
	}
	switch version {
	case "":
		version = "2.1"
	case "latest":
		version = novaMaxMicroversion
	}
	m := microversionRE.FindStringSubmatch(version)
	if m == nil {
		return version, 0, "API Version String " + version + " is of invalid format. Must be of format MajorNum.MinorNum."
	}
	minor, _ = strconv.Atoi(m[2])
	maxMinor, _ := strconv.Atoi(strings.TrimPrefix(novaMaxMicroversion, "2."))
	if m[1] != "2" || minor < 1 || minor > maxMinor {
		return version, minor, "Version " + version + " is not supported by the API. Minimum is 2.1 and maximum is " + novaMaxMicroversion + "."
	}
	return version, minor, ""
}

// serverData is what the show fixtures fill from a server's state.
func serverData(v ECSServer) map[string]any {
	vmState, power := "active", 1
	switch v.Status {
	case "SHUTOFF":
		vmState, power = "stopped", 4
	case "ERROR":
		vmState, power = "error", 0
	}
	return map[string]any{
		"ServerID": v.ID, "ServerName": v.Name, "Status": v.Status,
		"VMState": vmState, "PowerState": power, "Locked": v.Locked,
	}
}

// GET /v2.1/{ProjectID}/servers/{ServerID}: Nova show. "locked" is in the
// answer from microversion 2.9 on, as in OpenStack Nova.
func (s *Server) novaShowServer(c *call) answer {
	if a := s.checkProject(c, novaBadRequest); a != nil {
		return *a
	}
	version, minor, msg := novaMicroversion(c.r.Header)
	if msg != "" {
		return answer{fixture: novaBadRequest, data: map[string]any{"Message": msg}}
	}
	v, found := s.readECSServer(c.params["ServerID"])
	if !found {
		return answer{fixture: novaNotFound}
	}
	data := serverData(v)
	data["Microversion"] = version
	if minor >= 9 {
		return answer{fixture: "ecs/nova_show_server_2.9.json", data: data}
	}
	return answer{fixture: "ecs/nova_show_server.json", data: data}
}

// GET /v1/{ProjectID}/cloudservers/{ServerID}: the native ECS show, which
// always has "locked".
func (s *Server) showServer(c *call) answer {
	if a := s.checkProject(c, ecsNativeBadURL); a != nil {
		return *a
	}
	v, found := s.readECSServer(c.params["ServerID"])
	if !found {
		return answer{fixture: ecsNativeMissing}
	}
	return answer{fixture: "ecs/show_server.json", data: serverData(v)}
}

// ListServersDetails limits: at most listMaxIDs ids in server_id (the API
// document advises it for the URI's length; the mock refuses more, so a
// client that sends more is caught), pages of at most listMaxLimit servers,
// listDefaultLimit when limit is not given.
const (
	listMaxIDs       = 100
	listMaxLimit     = 1000
	listDefaultLimit = 25
)

// GET /v1/{ProjectID}/cloudservers/detail: the native ListServersDetails.
//
//   - server_id=id1,id2,...: exactly those servers, in the order asked; every
//     other filter is ignored. An id that does not exist is answered as an
//     entry with its "id" and a "fault", every other field null (as the API
//     document says), not as an error.
//   - otherwise: the project's servers in id order, "name" keeping those
//     whose name contains it (the document's fuzzy match), "limit" (1–1000,
//     default 25) servers after "marker" (the last id of the page before).
//
// "count" is the number of servers matched, over all pages. Every server
// entry is the native show's server object (show_server.json), so lists and
// shows agree field by field; a listed server counts as a read for LockLag.
func (s *Server) listServersDetails(c *call) answer {
	if a := s.checkProject(c, ecsNativeBadURL); a != nil {
		return *a
	}
	q := c.r.URL.Query()
	bad := func(format string, args ...any) answer {
		return answer{fixture: ecsNativeBadURL, data: map[string]any{"Message": fmt.Sprintf(format, args...)}}
	}
	if raw := q.Get("server_id"); raw != "" {
		ids := strings.Split(raw, ",")
		if len(ids) > listMaxIDs {
			return bad("server_id has %d ids; at most %d are allowed", len(ids), listMaxIDs)
		}
		entries := make([]json.RawMessage, 0, len(ids))
		for _, id := range ids {
			v, found := s.readECSServer(id)
			if !found {
				entries = append(entries, faultEntry(id))
				continue
			}
			e, err := s.serverEntry(c, v)
			if err != nil {
				return answer{fixture: ecsServerError}
			}
			entries = append(entries, e)
		}
		return answer{fixture: "ecs/list_servers_details.json", data: map[string]any{"Count": len(entries), "Servers": entries}}
	}

	limit := listDefaultLimit
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > listMaxLimit {
			return bad("limit must be a whole number from 1 to %d, got %q", listMaxLimit, raw)
		}
		limit = n
	}
	name, marker := q.Get("name"), q.Get("marker")
	s.mu.Lock()
	var ids []string
	for id, v := range s.ecsServers {
		if strings.Contains(v.Name, name) {
			ids = append(ids, id)
		}
	}
	_, markerKnown := s.ecsServers[marker]
	s.mu.Unlock()
	if marker != "" && !markerKnown {
		return bad("marker %q is not a server id", marker)
	}
	slices.Sort(ids)
	start := 0
	if marker != "" {
		start, _ = slices.BinarySearch(ids, marker)
		if start < len(ids) && ids[start] == marker {
			start++
		}
	}
	entries := []json.RawMessage{}
	for _, id := range ids[start:min(len(ids), start+limit)] {
		v, found := s.readECSServer(id)
		if !found { // deleted since the ids were taken
			continue
		}
		e, err := s.serverEntry(c, v)
		if err != nil {
			return answer{fixture: ecsServerError}
		}
		entries = append(entries, e)
	}
	return answer{fixture: "ecs/list_servers_details.json", data: map[string]any{"Count": len(ids), "Servers": entries}}
}

// ecsServerError is ECS's internal error, for a list entry the mock cannot
// render (a bug in the mock).
const ecsServerError = "huawei/error_502.json"

// serverEntry is a server as a list shows it: the "server" object of the
// native show's fixture, filled with the server's state. Entries are kept
// by what fills them (a page of 1,000 would otherwise render the fixture
// 1,000 times, on the cores the provider under test runs on).
func (s *Server) serverEntry(c *call, v ECSServer) (json.RawMessage, error) {
	data := s.templateData(c, serverData(v))
	key := entryKey{v.ID, v.Name, v.Status, v.Locked, s.opts.ProjectID, s.opts.Region}
	if e, ok := renderedEntries.Load(key); ok {
		return e.(json.RawMessage), nil
	}
	f, err := LoadFixture("ecs/show_server.json")
	if err != nil {
		return nil, err
	}
	out, err := f.Render(data)
	if err != nil {
		return nil, err
	}
	var body struct {
		Server json.RawMessage `json:"server"`
	}
	if err := json.Unmarshal(out.Body, &body); err != nil {
		return nil, err
	}
	renderedEntries.Store(key, body.Server)
	return body.Server, nil
}

// entryKey is everything show_server.json's server object is filled from.
type entryKey struct {
	id, name, status  string
	locked            bool
	projectID, region string
}

// renderedEntries caches serverEntry (entries never change for a key).
var renderedEntries sync.Map // entryKey -> json.RawMessage

// serverDetailKeys are the fields of a server entry, in the fixture's order.
var serverDetailKeys = sync.OnceValue(func() []string {
	f, err := LoadFixture("ecs/show_server.json")
	if err != nil {
		panic(err) // embedded: cannot happen unless the file is removed
	}
	var body struct {
		Server json.RawMessage `json:"server"`
	}
	if err := json.Unmarshal(f.Body, &body); err != nil {
		panic(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body.Server))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			continue
		case json.Delim('}'), json.Delim(']'):
			depth--
			continue
		}
		if k, ok := tok.(string); ok && depth == 1 {
			keys = append(keys, k)
			// skip the value
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				break
			}
		}
	}
	return keys
})

// faultEntry is the list entry of an id that names no server: its id, a
// fault, and every other field of a server entry null. The fault's fields
// are ServerFault's (code, created, message, details); the values are not
// recorded from the cloud.
func faultEntry(id string) json.RawMessage {
	var b bytes.Buffer
	b.WriteString(`{"id":`)
	b.Write(jsonString(id))
	fmt.Fprintf(&b, `,"fault":{"code":404,"created":%q,"message":%s,"details":null}`,
		time.Now().UTC().Format(time.RFC3339), jsonString("Instance "+id+" could not be found."))
	for _, k := range serverDetailKeys() {
		if k == "id" || k == "fault" {
			continue
		}
		b.WriteString(",")
		b.Write(jsonString(k))
		b.WriteString(":null")
	}
	b.WriteString("}")
	return b.Bytes()
}
