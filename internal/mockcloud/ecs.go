package mockcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
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
