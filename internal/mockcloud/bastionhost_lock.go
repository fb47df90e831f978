package mockcloud

import (
	"encoding/json"
	"slices"
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

// bastionResult is one element of Results in UnlockUsers / LockUsers.
type bastionResult struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
	UserID  string `json:"UserId"`
}

// UnlockUsers: every named user that exists loses the Frozen state.
func (s *Server) unlockUsers(c *call) answer {
	return s.changeUsers(c, bastionUnlockUsers, func(u *BastionhostUser) {
		u.UserState = slices.DeleteFunc(u.UserState, func(st string) bool { return st == bastionFrozen })
		if len(u.UserState) == 0 {
			u.UserState = []string{bastionNormal}
		}
	})
}

// LockUsers: every named user that exists becomes Frozen.
func (s *Server) lockUsers(c *call) answer {
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
