package mockcloud

import (
	"fmt"
	"slices"
	"time"
)

// Bastionhost (API 2019-12-09, RPC): instances with users, and the four
// actions the provider sends — UnlockUsers, LockUsers, GetUser, ListUsers.
// Parameters arrive as c.params whether they travelled in the query or in a
// form body (see matchRoute).

// BastionhostInstance is a bastion host and its users.
type BastionhostInstance struct {
	ID string `json:"instance_id"`
	// Region is the only RegionId the instance answers in; "" answers in any.
	Region string            `json:"region,omitempty"`
	Users  []BastionhostUser `json:"users"`
}

// BastionhostUser is a user of a bastion host.
type BastionhostUser struct {
	UserID      string `json:"user_id"`
	UserName    string `json:"user_name"`
	DisplayName string `json:"display_name,omitempty"`
	Source      string `json:"source,omitempty"` // "Local" (default) or "Ram"
	// UserState is the API's list of states: ["Normal"], ["Frozen"] (locked),
	// ["Expired"], or several of bastionUserStates. Default ["Normal"].
	UserState []string `json:"user_state,omitempty"`
	// FailCode, when set, is the per-user result code UnlockUsers and
	// LockUsers answer for this user ("UNEXPECTED", say), leaving its state
	// alone: how a test makes the service refuse one user of a batch.
	FailCode string `json:"fail_code,omitempty"`
}

// Frozen reports whether the user is locked.
func (u BastionhostUser) Frozen() bool { return slices.Contains(u.UserState, bastionFrozen) }

// User states, as the API spells them.
const (
	bastionNormal = "Normal"
	bastionFrozen = "Frozen"
)

// bastionUserStates are every UserState the API documents (GetUser,
// ListUsers and its UserState filter): the mock accepts each where the API
// does, not only the three the provider acts on.
var bastionUserStates = []string{
	bastionNormal, bastionFrozen, "Expired", "RemoteDeleted", "Inactive", "PasswordExpired", "RemoteDNChanged", "RemoteFrozen",
}

// Fixtures of this service.
const (
	bastionUnlockUsers      = "bastionhost/unlock_users.json"
	bastionLockUsers        = "bastionhost/lock_users.json"
	bastionGetUser          = "bastionhost/get_user.json"
	bastionListUsers        = "bastionhost/list_users.json"
	bastionInstanceNotFound = "bastionhost/error_400_Commodity.BizError.InvalidStatus.json"
	bastionUserNotFound     = "bastionhost/error_400_OBJECT_NOT_FOUND.json"
	alibabaInvalidParameter = "alibaba/error_400_InvalidParameter.json"
	alibabaGenericError     = "alibaba/error.json"
	alibabaThrottlingUser   = "alibaba/error_400_Throttling.User.json"
)

// PutBastionhostInstance adds or replaces an instance. Users without a state
// are Normal; without a source, Local.
func (s *Server) PutBastionhostInstance(inst BastionhostInstance) {
	inst.Users = slices.Clone(inst.Users)
	for i := range inst.Users {
		u := &inst.Users[i]
		if len(u.UserState) == 0 {
			u.UserState = []string{bastionNormal}
		}
		u.UserState = slices.Clone(u.UserState)
		if u.Source == "" {
			u.Source = "Local"
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bastionhost[inst.ID] = &inst
}

// BastionhostInstance returns a copy of the instance with this id.
func (s *Server) BastionhostInstance(id string) (BastionhostInstance, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, ok := s.bastionhost[id]
	if !ok {
		return BastionhostInstance{}, false
	}
	out := *inst
	out.Users = make([]BastionhostUser, len(inst.Users))
	for i, u := range inst.Users {
		u.UserState = slices.Clone(u.UserState)
		out.Users[i] = u
	}
	return out, true
}

// BastionhostUser returns a copy of one user of an instance.
func (s *Server) BastionhostUser(instanceID, userID string) (BastionhostUser, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.bastionUserLocked(instanceID, userID)
	if u == nil {
		return BastionhostUser{}, false
	}
	out := *u
	out.UserState = slices.Clone(u.UserState)
	return out, true
}

// SetBastionhostUserState sets a user's states (e.g. "Frozen": locked out of
// band, as after too many failed logins); false if there is no such user.
func (s *Server) SetBastionhostUserState(instanceID, userID string, states ...string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.bastionUserLocked(instanceID, userID)
	if u == nil {
		return false
	}
	u.UserState = slices.Clone(states)
	return true
}

// SetBastionhostUserFailCode makes UnlockUsers/LockUsers answer code for this
// user ("" to stop); false if there is no such user.
func (s *Server) SetBastionhostUserFailCode(instanceID, userID, code string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.bastionUserLocked(instanceID, userID)
	if u == nil {
		return false
	}
	u.FailCode = code
	return true
}

// DeleteBastionhostUser removes a user; later calls naming it get
// OBJECT_NOT_FOUND. False if there was no such user.
func (s *Server) DeleteBastionhostUser(instanceID, userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, ok := s.bastionhost[instanceID]
	if !ok {
		return false
	}
	n := len(inst.Users)
	inst.Users = slices.DeleteFunc(inst.Users, func(u BastionhostUser) bool { return u.UserID == userID })
	return len(inst.Users) != n
}

// DeleteBastionhostInstance removes an instance; later calls naming it get
// the unknown-instance error.
func (s *Server) DeleteBastionhostInstance(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.bastionhost, id)
}

// bastionUserLocked finds a user; s.mu must be held.
func (s *Server) bastionUserLocked(instanceID, userID string) *BastionhostUser {
	inst, ok := s.bastionhost[instanceID]
	if !ok {
		return nil
	}
	for i := range inst.Users {
		if inst.Users[i].UserID == userID {
			return &inst.Users[i]
		}
	}
	return nil
}

// bastionInstanceLocked finds the instance a request names, or says which
// error to answer; s.mu must be held.
func (s *Server) bastionInstanceLocked(c *call) (*BastionhostInstance, *answer) {
	id := c.params["InstanceId"]
	if id == "" {
		return nil, missingParameter("InstanceId")
	}
	inst, ok := s.bastionhost[id]
	// An instance is invisible from another region, as in the real API.
	if !ok || (inst.Region != "" && c.params["RegionId"] != "" && c.params["RegionId"] != inst.Region) {
		return nil, &answer{fixture: bastionInstanceNotFound}
	}
	return inst, nil
}

// missingParameter is Alibaba's answer to a required parameter left out.
func missingParameter(name string) *answer {
	return &answer{fixture: alibabaGenericError, status: 400, data: map[string]any{
		"Code": "Missing" + name, "Message": name + " is mandatory for this action.",
	}}
}

func invalidParameter(format string, args ...any) *answer {
	return &answer{fixture: alibabaInvalidParameter, data: map[string]any{"Message": fmt.Sprintf(format, args...)}}
}

// EnforceBastionhostRate makes the Bastionhost API answer Throttling.User,
// as the cloud does, to calls of one API beyond perSecond within any second
// (a sliding window: stricter than a cloud that counts whole seconds). 0
// turns it off. Refused calls do not count. It is an account limit
// (limits.go) like any other.
func (s *Server) EnforceBastionhostRate(perSecond int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bastionRate != nil {
		s.limits = slices.DeleteFunc(s.limits, func(l *limitState) bool { return l == s.bastionRate })
		s.bastionRate = nil
	}
	if perSecond <= 0 {
		return
	}
	s.bastionRate = &limitState{Limit: Limit{Ops: []string{"bastionhost.*"}, PerAPI: true, Calls: perSecond, Window: time.Second},
		buckets: map[string]*bucket{}, windows: map[string][]time.Time{}}
	s.limits = append(s.limits, s.bastionRate)
}
