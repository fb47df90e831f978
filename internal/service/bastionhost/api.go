// Package bastionhost holds the Alibaba Cloud Bastionhost calls (API version
// 2019-12-09, RPC style, through darabonba-openapi) and the types built on
// them. Every Bastionhost API call is in this file.
package bastionhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

const (
	service    = "bastionhost"
	apiVersion = "2019-12-09"

	// MaxUserIDsPerCall is the API's limit of ids per UnlockUsers/LockUsers call.
	MaxUserIDsPerCall = 100
	// ListPageSize is the largest page ListUsers gives.
	ListPageSize = 100
)

// User states, as the API spells them.
const (
	StateNormal  = "Normal"
	StateFrozen  = "Frozen" // locked
	StateExpired = "Expired"
)

// ResultOK is the per-user result code of a user that was changed.
const ResultOK = "OK"

// ResultNoAnswer stands for a user the API left out of Results: it was asked
// about but nothing says it was changed, so it counts as failed.
const ResultNoAnswer = "NO_RESULT"

// Error codes of the API that the types act on.
const (
	// codeInstanceNotFound is what the API answers for an instance id that does
	// not exist (or is released); the official alicloud provider reads it as
	// "not found" too.
	codeInstanceNotFound = "Commodity.BizError.InvalidStatus"
	codeObjectNotFound   = "OBJECT_NOT_FOUND"
)

// API is the Bastionhost service of the shared client.
type API struct {
	c *conns.Client
	// onBatch, when set, hears of each call of a batch before it is sent.
	onBatch func(first, last, total int)
}

// WithBatchProgress returns the API that calls f before each call of an
// UnlockUsers/LockUsers batch with the 1-based range of users it carries,
// so a person can follow a long batch.
func (a API) WithBatchProgress(f func(first, last, total int)) API {
	a.onBatch = f
	return a
}

// NewAPI returns the Bastionhost calls of c.
func NewAPI(c *conns.Client) API { return API{c: c} }

// UserResult is the API's answer for one user of an UnlockUsers/LockUsers call.
type UserResult struct {
	UserID    string
	Code      string // OK, UNEXPECTED, INVALID_ARGUMENT, OBJECT_NOT_FOUND, OBJECT_AlREADY_EXISTS, or ResultNoAnswer
	Message   string
	RequestID string // of the call that carried this user
}

// OK reports whether the user was changed.
func (r UserResult) OK() bool { return r.Code == ResultOK }

// BatchResult is what a batch of UnlockUsers/LockUsers calls did.
type BatchResult struct {
	Action string
	// Results has one entry per user id the API was asked about, in the
	// order asked.
	Results []UserResult
	// NotAttempted are ids never sent, because a call failed as a whole
	// before their turn.
	NotAttempted []string
	// Calls is the number of API calls made (retries not counted).
	Calls int
	// RequestIDs of the calls that were answered, in order.
	RequestIDs []string
}

// Succeeded returns the ids whose result is OK.
func (b BatchResult) Succeeded() []string {
	var ids []string
	for _, r := range b.Results {
		if r.OK() {
			ids = append(ids, r.UserID)
		}
	}
	return ids
}

// Failed returns the results that are not OK.
func (b BatchResult) Failed() []UserResult {
	var out []UserResult
	for _, r := range b.Results {
		if !r.OK() {
			out = append(out, r)
		}
	}
	return out
}

type batchResponse struct {
	RequestID string `json:"RequestId"`
	Results   []struct {
		Code    string `json:"Code"`
		Message string `json:"Message"`
		UserID  string `json:"UserId"`
	} `json:"Results"`
}

// UnlockUsers unlocks users of an instance (action UnlockUsers), at most
// MaxUserIDsPerCall per call, one call after another, paced by the shared
// client's limiter for the API (conns/pace.go) under the documented 10 calls
// per second. The API answers HTTP 200 even when some users fail, so every
// user's result is returned for the caller to check. err is set only when a call failed as a whole (after the
// retry policy); the result then still says what the earlier calls did.
// Unlocking an unlocked user succeeds, so the call is retried like a read.
func (a API) UnlockUsers(ctx context.Context, region, instanceID string, userIDs []string) (BatchResult, error) {
	return a.usersBatch(ctx, "UnlockUsers", region, instanceID, userIDs)
}

// LockUsers locks users of an instance (action LockUsers), as UnlockUsers.
func (a API) LockUsers(ctx context.Context, region, instanceID string, userIDs []string) (BatchResult, error) {
	return a.usersBatch(ctx, "LockUsers", region, instanceID, userIDs)
}

func (a API) usersBatch(ctx context.Context, action, region, instanceID string, userIDs []string) (BatchResult, error) {
	res := BatchResult{Action: action}
	for start := 0; start < len(userIDs); start += MaxUserIDsPerCall {
		chunk := userIDs[start:min(start+MaxUserIDsPerCall, len(userIDs))]
		ids, err := json.Marshal(chunk)
		if err != nil {
			return res, err
		}
		if a.onBatch != nil {
			a.onBatch(start+1, start+len(chunk), len(userIDs))
		}
		var out batchResponse
		res.Calls++
		err = a.c.CallAlibaba(ctx, conns.AlibabaCall{
			Service: service, Region: region, Action: action, Version: apiVersion,
			Params:     map[string]string{"InstanceId": instanceID, "UserIds": string(ids)},
			Idempotent: true,
			// An answer without Results (an empty body) says nothing about
			// the users: unreadable, and asked again, rather than read as
			// "no result" for every one of them.
			Check: func(any) error {
				if out.Results == nil {
					return errors.New("it has no Results")
				}
				return nil
			},
		}, &out)
		if err != nil {
			res.NotAttempted = slices.Clone(userIDs[start:])
			return res, err
		}
		res.RequestIDs = append(res.RequestIDs, out.RequestID)
		got := make(map[string]UserResult, len(out.Results))
		for _, r := range out.Results {
			got[r.UserID] = UserResult{UserID: r.UserID, Code: r.Code, Message: r.Message, RequestID: out.RequestID}
		}
		for _, id := range chunk {
			r, ok := got[id]
			if !ok {
				r = UserResult{UserID: id, Code: ResultNoAnswer, Message: "the answer has no result for this user", RequestID: out.RequestID}
			}
			res.Results = append(res.Results, r)
		}
	}
	return res, nil
}

// User is what the types need of a Bastionhost user.
type User struct {
	ID          string
	Name        string
	DisplayName string
	Source      string
	States      []string // e.g. ["Normal"], ["Frozen"]
}

// Frozen reports whether the user is locked.
func (u User) Frozen() bool { return slices.Contains(u.States, StateFrozen) }

type userBody struct {
	DisplayName string   `json:"DisplayName"`
	Source      string   `json:"Source"`
	UserID      string   `json:"UserId"`
	UserName    string   `json:"UserName"`
	UserState   []string `json:"UserState"`
}

func (b userBody) user() User {
	return User{ID: b.UserID, Name: b.UserName, DisplayName: b.DisplayName, Source: b.Source, States: b.UserState}
}

// GetUser reads one user (action GetUser).
func (a API) GetUser(ctx context.Context, region, instanceID, userID string) (*User, error) {
	var out struct {
		User userBody `json:"User"`
	}
	err := a.c.CallAlibaba(ctx, conns.AlibabaCall{
		Service: service, Region: region, Action: "GetUser", Version: apiVersion,
		Params:     map[string]string{"InstanceId": instanceID, "UserId": userID},
		Idempotent: true,
		// An answer without the user would read as a user with no state.
		Check: func(any) error {
			if out.User.UserID == "" {
				return errors.New("it has no User")
			}
			return nil
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	u := out.User.user()
	return &u, nil
}

// ListUsersFilter narrows ListUsers; empty fields do not filter.
type ListUsersFilter struct {
	UserState string // Normal, Frozen or Expired
	UserName  string // exact match
}

// ListUsers lists the users of an instance that match filter (action
// ListUsers), in pages of ListPageSize: ceil(matching/100) calls, at least
// one. It returns the users and the number of calls made.
func (a API) ListUsers(ctx context.Context, region, instanceID string, filter ListUsersFilter) ([]User, int, error) {
	var users []User
	calls := 0
	for page := 1; ; page++ {
		params := map[string]string{
			"InstanceId": instanceID,
			"PageNumber": strconv.Itoa(page),
			"PageSize":   strconv.Itoa(ListPageSize),
		}
		if filter.UserState != "" {
			params["UserState"] = filter.UserState
		}
		if filter.UserName != "" {
			params["UserName"] = filter.UserName
		}
		var out struct {
			TotalCount *int       `json:"TotalCount"`
			Users      []userBody `json:"Users"`
		}
		calls++
		err := a.c.CallAlibaba(ctx, conns.AlibabaCall{
			Service: service, Region: region, Action: "ListUsers", Version: apiVersion,
			Params: params, Idempotent: true,
			// An answer without TotalCount (an empty body) would read as an
			// instance without users.
			Check: func(any) error {
				if out.TotalCount == nil {
					return errors.New("it has no TotalCount")
				}
				return nil
			},
		}, &out)
		if err != nil {
			return nil, calls, err
		}
		for _, u := range out.Users {
			users = append(users, u.user())
		}
		// Stop on the last page, and on a short or empty page (users removed
		// while listing) so a changing total cannot keep the loop going.
		if len(out.Users) < ListPageSize || page*ListPageSize >= *out.TotalCount {
			return users, calls, nil
		}
	}
}

// FrozenUserIDs returns the ids of the instance's users that are Frozen
// (locked): ListUsers filtered by UserState, so it costs one call per 100
// frozen users, whatever the number of users.
func (a API) FrozenUserIDs(ctx context.Context, region, instanceID string) (map[string]bool, int, error) {
	users, calls, err := a.ListUsers(ctx, region, instanceID, ListUsersFilter{UserState: StateFrozen})
	if err != nil {
		return nil, calls, err
	}
	ids := make(map[string]bool, len(users))
	for _, u := range users {
		// The filter already says Frozen; checking again costs nothing and
		// keeps a lax server from causing needless unlocks.
		if u.Frozen() {
			ids[u.ID] = true
		}
	}
	return ids, calls, nil
}

// IsInstanceNotFound reports the API's answer for an instance that does not
// exist (any more).
func IsInstanceNotFound(err error) bool { return hasCode(err, codeInstanceNotFound) }

// IsUserNotFound reports GetUser's answer for a user that does not exist.
func IsUserNotFound(err error) bool { return hasCode(err, codeObjectNotFound) }

func hasCode(err error, code string) bool {
	var ce *conns.CloudError
	return errors.As(err, &ce) && ce.Code == code
}

// String is for logs and test failures.
func (r UserResult) String() string { return fmt.Sprintf("%s: %s", r.UserID, r.Code) }
