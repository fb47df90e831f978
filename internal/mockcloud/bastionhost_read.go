package mockcloud

import (
	"slices"
	"strconv"
	"strings"
)

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
	page, err := intParam(c.params, "PageNumber", 1)
	if err != nil || page < 1 {
		return *invalidParameter("PageNumber must be a whole number from 1, got %q.", c.params["PageNumber"])
	}
	size, err := intParam(c.params, "PageSize", 20)
	if err != nil || size < 1 || size > 100 {
		return *invalidParameter("PageSize must be a whole number from 1 to 100, got %q.", c.params["PageSize"])
	}
	state := c.params["UserState"]
	if state != "" && !slices.Contains(bastionUserStates, state) {
		return *invalidParameter("UserState must be one of %s, got %q.", strings.Join(bastionUserStates, ", "), state)
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
