package mockcloud

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
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
	// ["Expired"], or several. Default ["Normal"].
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
	bastionNormal  = "Normal"
	bastionFrozen  = "Frozen"
	bastionExpired = "Expired"
)

// Per-user result codes of UnlockUsers / LockUsers (seed 004; "OBJECT_AlREADY_EXISTS" sic).
const (
	resultOK              = "OK"
	resultInvalidArgument = "INVALID_ARGUMENT"
	resultObjectNotFound  = "OBJECT_NOT_FOUND"
)

// maxBastionUserIDs is the API's limit of ids per UnlockUsers/LockUsers call.
const maxBastionUserIDs = 100

// bastionResultMessage is what the API puts in the deprecated per-user
// Message field (seed 004: "This parameter is deprecated", example "N/A").
const bastionResultMessage = "N/A"

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

// bastionResult is one element of Results in UnlockUsers / LockUsers.
type bastionResult struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
	UserID  string `json:"UserId"`
}

// EnforceBastionhostRate makes the Bastionhost API answer Throttling.User,
// as the cloud does, to an account (access key) that sends more than
// perSecond calls of one API within any second (a sliding window: stricter
// than a cloud that counts whole seconds). 0 turns it off. Refused calls do
// not count.
func (s *Server) EnforceBastionhostRate(perSecond int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bastionRate = perSecond
	s.bastionSent = map[string][]time.Time{}
}

// bastionThrottled counts the call against its account and API, and answers
// Throttling.User when it is over the enforced rate.
func (s *Server) bastionThrottled(c *call) *answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bastionRate <= 0 {
		return nil
	}
	key := signature.AccessKey(c.r, c.body) + "/" + c.params["Action"]
	now := time.Now()
	sent := slices.DeleteFunc(s.bastionSent[key], func(t time.Time) bool { return now.Sub(t) >= time.Second })
	if len(sent) >= s.bastionRate {
		s.bastionSent[key] = sent
		return &answer{fixture: alibabaThrottlingUser}
	}
	s.bastionSent[key] = append(sent, now)
	return nil
}

// UnlockUsers: every named user that exists loses the Frozen state.
func (s *Server) unlockUsers(c *call) answer {
	if a := s.bastionThrottled(c); a != nil {
		return *a
	}
	return s.changeUsers(c, bastionUnlockUsers, func(u *BastionhostUser) {
		u.UserState = slices.DeleteFunc(u.UserState, func(st string) bool { return st == bastionFrozen })
		if len(u.UserState) == 0 {
			u.UserState = []string{bastionNormal}
		}
	})
}

// LockUsers: every named user that exists becomes Frozen.
func (s *Server) lockUsers(c *call) answer {
	if a := s.bastionThrottled(c); a != nil {
		return *a
	}
	return s.changeUsers(c, bastionLockUsers, func(u *BastionhostUser) {
		if !u.Frozen() {
			u.UserState = slices.DeleteFunc(u.UserState, func(st string) bool { return st == bastionNormal })
			u.UserState = append(u.UserState, bastionFrozen)
		}
	})
}

// changeUsers checks UserIds (a JSON array string of at most 100 ids) and
// answers one result per id, HTTP 200 even when some users fail, as the API
// does: OBJECT_NOT_FOUND for an unknown user, INVALID_ARGUMENT for an id that
// cannot be a user id, the user's FailCode if set, else OK after change.
func (s *Server) changeUsers(c *call, fixture string, change func(*BastionhostUser)) answer {
	raw, ok := c.params["UserIds"]
	if !ok || raw == "" {
		return *missingParameter("UserIds")
	}
	var ids []string
	if err := json.Unmarshal([]byte(raw), &ids); err != nil {
		return *invalidParameter("UserIds must be a JSON array of user ids, like [\"1\",\"2\"]: %v", err)
	}
	if len(ids) == 0 {
		return *invalidParameter("UserIds is empty.")
	}
	if len(ids) > maxBastionUserIDs {
		return *invalidParameter("UserIds has %d ids; at most %d are allowed.", len(ids), maxBastionUserIDs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, errAnswer := s.bastionInstanceLocked(c)
	if errAnswer != nil {
		return *errAnswer
	}
	results := make([]bastionResult, 0, len(ids))
	for _, id := range ids {
		r := bastionResult{Code: resultOK, Message: bastionResultMessage, UserID: id}
		var u *BastionhostUser
		for i := range inst.Users {
			if inst.Users[i].UserID == id {
				u = &inst.Users[i]
			}
		}
		switch {
		case !isUserID(id):
			r.Code = resultInvalidArgument
		case u == nil:
			r.Code = resultObjectNotFound
		case u.FailCode != "":
			r.Code = u.FailCode
		default:
			change(u)
		}
		results = append(results, r)
	}
	return answer{fixture: fixture, data: map[string]any{"Results": results}}
}

// isUserID: Bastionhost user ids are decimal numbers.
func isUserID(id string) bool {
	if id == "" || len(id) > 20 {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// bastionUserView is a user as GetUser and ListUsers show it.
type bastionUserView struct {
	Comment           string   `json:"Comment"`
	DisplayName       string   `json:"DisplayName"`
	Email             string   `json:"Email"`
	Mobile            string   `json:"Mobile"`
	MobileCountryCode string   `json:"MobileCountryCode"`
	Source            string   `json:"Source"`
	SourceUserID      string   `json:"SourceUserId"`
	UserID            string   `json:"UserId"`
	UserName          string   `json:"UserName"`
	UserState         []string `json:"UserState"`
}

func viewOf(u BastionhostUser) bastionUserView {
	display := u.DisplayName
	if display == "" {
		display = u.UserName
	}
	return bastionUserView{
		DisplayName: display, MobileCountryCode: "CN", Source: u.Source,
		UserID: u.UserID, UserName: u.UserName, UserState: slices.Clone(u.UserState),
	}
}

// GetUser: one user of an instance.
func (s *Server) getUser(c *call) answer {
	if a := s.bastionThrottled(c); a != nil {
		return *a
	}
	userID := c.params["UserId"]
	if userID == "" {
		return *missingParameter("UserId")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, errAnswer := s.bastionInstanceLocked(c)
	if errAnswer != nil {
		return *errAnswer
	}
	for _, u := range inst.Users {
		if u.UserID == userID {
			v := viewOf(u)
			return answer{fixture: bastionGetUser, data: map[string]any{
				"UserId": v.UserID, "UserName": v.UserName, "DisplayName": v.DisplayName,
				"Source": v.Source, "UserState": v.UserState,
			}}
		}
	}
	return answer{fixture: bastionUserNotFound}
}

// ListUsers: users of an instance, filtered (UserState, UserName: exact
// match) and paged (PageNumber from 1, PageSize 1–100, default 20).
func (s *Server) listUsers(c *call) answer {
	if a := s.bastionThrottled(c); a != nil {
		return *a
	}
	page, err := intParam(c.params, "PageNumber", 1)
	if err != nil || page < 1 {
		return *invalidParameter("PageNumber must be a whole number from 1, got %q.", c.params["PageNumber"])
	}
	size, err := intParam(c.params, "PageSize", 20)
	if err != nil || size < 1 || size > 100 {
		return *invalidParameter("PageSize must be a whole number from 1 to 100, got %q.", c.params["PageSize"])
	}
	state := c.params["UserState"]
	if state != "" && state != bastionNormal && state != bastionFrozen && state != bastionExpired {
		return *invalidParameter("UserState must be Normal, Frozen or Expired, got %q.", state)
	}
	name := c.params["UserName"]

	s.mu.Lock()
	defer s.mu.Unlock()
	inst, errAnswer := s.bastionInstanceLocked(c)
	if errAnswer != nil {
		return *errAnswer
	}
	var matched []bastionUserView
	for _, u := range inst.Users {
		if (state == "" || slices.Contains(u.UserState, state)) && (name == "" || u.UserName == name) {
			matched = append(matched, viewOf(u))
		}
	}
	start := min((page-1)*size, len(matched))
	end := min(start+size, len(matched))
	users := matched[start:end]
	if users == nil {
		users = []bastionUserView{}
	}
	return answer{fixture: bastionListUsers, data: map[string]any{"TotalCount": len(matched), "Users": users}}
}

// intParam reads an optional whole-number parameter.
func intParam(params map[string]string, name string, def int) (int, error) {
	v, ok := params[name]
	if !ok || strings.TrimSpace(v) == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}
