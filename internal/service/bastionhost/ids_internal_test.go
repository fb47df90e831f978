package bastionhost

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

func TestUnlockIDDeterministic(t *testing.T) {
	a := unlockID("bastionhost-cn-x", []string{"3", "1", "2"})
	b := unlockID("bastionhost-cn-x", []string{"1", "2", "3"})
	if a != b || !regexp.MustCompile(`^bastionhost-cn-x:[0-9a-f]{16}$`).MatchString(a) {
		t.Errorf("ids %q and %q", a, b)
	}
	for _, other := range []string{
		unlockID("bastionhost-cn-x", []string{"1", "2"}),
		unlockID("bastionhost-cn-y", []string{"1", "2", "3"}),
		unlockID("bastionhost-cn-x", []string{"1", "23"}), // not confused with ["12","3"] or "1,2,3"
		unlockID("bastionhost-cn-x", []string{"12", "3"}),
	} {
		if other == a {
			t.Errorf("%q collides", other)
		}
	}
	if unlockID("i", []string{"1", "23"}) == unlockID("i", []string{"12", "3"}) {
		t.Error("different sets give one id")
	}
}

func TestParseImportID(t *testing.T) {
	inst, users, err := parseImportID("bastionhost-cn-x:3, 1,2,3")
	if err != nil || inst != "bastionhost-cn-x" || !slices.Equal(users, []string{"1", "2", "3"}) {
		t.Errorf("got %q %v %v", inst, users, err)
	}
	for _, bad := range []string{"bastionhost-cn-x", ":1", "bastionhost-cn-x:", "bastionhost-cn-x:1,,2"} {
		if _, _, err := parseImportID(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The failure text groups the failed users by code, gives each call's
// request id, lists the users unlocked and those not reached, and says
// what to do.
func TestBatchFailureText(t *testing.T) {
	res := BatchResult{
		Action: "UnlockUsers", Calls: 2, RequestIDs: []string{"REQ-1"},
		Results: []UserResult{
			{UserID: "1", Code: ResultOK, RequestID: "REQ-1"},
			{UserID: "2", Code: "OBJECT_NOT_FOUND", Message: "N/A", RequestID: "REQ-1"},
			{UserID: "3", Code: "INVALID_ARGUMENT", Message: "bad id", RequestID: "REQ-1"},
			{UserID: "4", Code: ResultNoAnswer, RequestID: "REQ-1"},
		},
		NotAttempted: []string{"5", "6"},
	}
	err := &conns.CloudError{Cloud: "Alibaba Cloud", Operation: "bastionhost.UnlockUsers", HTTPStatus: 500, Code: "InternalError", RequestID: "REQ-2"}
	got := batchFailure("Unlocking 6 user(s)", res, err, "AFTER.")
	for _, want := range []string{
		"at UnlockUsers call 2",
		"HTTP 500", "InternalError", "REQ-2",
		"failed for 3 user(s)",
		"OBJECT_NOT_FOUND, 1 user (no such user on this instance; check the ids with ListUsers): 2\n",
		"INVALID_ARGUMENT, 1 user (the service rejected these user ids as invalid): 3\n      message: bad id\n",
		"NO_RESULT, 1 user",
		"Request ids, one per call: call 1 (4 users, 3 failed): REQ-1.",
		"Unlocked (1: 1).",
		"(2: 5-6)",
		"AFTER.", "remove those ids from user_ids",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "N/A") {
		t.Errorf("the deprecated N/A message was shown:\n%s", got)
	}
	if got := batchFailure("x", BatchResult{}, nil, "A."); !strings.Contains(got, "Unlocked (none).") || strings.Contains(got, "remove those") {
		t.Errorf("empty result text:\n%s", got)
	}
	if !IsInstanceNotFound(&conns.CloudError{Code: "Commodity.BizError.InvalidStatus"}) || IsInstanceNotFound(errors.New("x")) {
		t.Error("IsInstanceNotFound")
	}
}

// Ids are written in numeric order as ranges, other ids after them as text.
func TestIDRanges(t *testing.T) {
	for _, c := range []struct {
		ids  []string
		want string
	}{
		{nil, ""},
		{[]string{"7"}, "7"},
		{[]string{"10", "100", "101", "9", "2", "1", "3"}, "1-3, 9-10, 100-101"},
		{[]string{"b", "10", "a", "2", "x-1"}, "2, 10, a, b, x-1"},
		{[]string{"18446744073709551616", "5"}, "5, 18446744073709551616"}, // too big for a number: text
		{[]string{"007", "8", "6"}, "6-8"},
	} {
		if got := idRanges(c.ids); got != c.want {
			t.Errorf("idRanges(%q) = %q, want %q", c.ids, got, c.want)
		}
	}
}

// 150 users in two calls, 146 failing with two codes: one line per code with
// its count and ranges (the biggest group first), one request id per call,
// and the 4 users unlocked, instead of 146 lines in text order.
func TestBatchFailureGroupsByCode(t *testing.T) {
	res := BatchResult{Action: "UnlockUsers", Calls: 2, RequestIDs: []string{"REQ-A", "REQ-B"}}
	for i := 1; i <= 150; i++ {
		id := strconv.Itoa(i)
		req := "REQ-A"
		if i > 100 {
			req = "REQ-B"
		}
		r := UserResult{UserID: id, Code: "OBJECT_NOT_FOUND", Message: "User not found", RequestID: req}
		switch i {
		case 41, 43, 149, 150:
			r.Code, r.Message = ResultOK, ""
		case 120, 121:
			r.Code, r.Message = "UNEXPECTED", "Internal error"
		}
		res.Results = append(res.Results, r)
	}
	// The set type hands the ids over sorted as text.
	slices.SortFunc(res.Results, func(a, b UserResult) int { return strings.Compare(a.UserID, b.UserID) })
	got := batchFailure("Unlocking 150 user(s)", res, nil, "AFTER.")
	want := "Unlocking 150 user(s) failed for 146 user(s). The API answered HTTP 200 with these per-user result codes:\n" +
		"  - OBJECT_NOT_FOUND, 144 users (no such user on this instance; check the ids with ListUsers): 1-40, 42, 44-119, 122-148\n" +
		"      message: User not found\n" +
		"  - UNEXPECTED, 2 users (the service failed for these users; applying again retries them): 120-121\n" +
		"      message: Internal error\n"
	if !strings.HasPrefix(got, want) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", got, want)
	}
	for _, w := range []string{"Unlocked (4: 41, 43, 149-150).", "AFTER. Fix the cause"} {
		if !strings.Contains(got, w) {
			t.Errorf("text lacks %q:\n%s", w, got)
		}
	}
	if n := strings.Count(got, "REQ-"); n != 2 {
		t.Errorf("%d request ids, want one per call:\n%s", n, got)
	}
	if n := strings.Count(got, "\n"); n > 12 {
		t.Errorf("%d lines for 2 codes:\n%s", n, got)
	}
}

// Users of one code with different messages get a line per message.
func TestBatchFailureMessagesOfOneCode(t *testing.T) {
	got := describeFailures([]UserResult{
		{UserID: "3", Code: "INVALID_ARGUMENT", Message: "too long"},
		{UserID: "1", Code: "INVALID_ARGUMENT", Message: "bad id"},
		{UserID: "2", Code: "INVALID_ARGUMENT", Message: "bad id"},
	})
	want := "  - INVALID_ARGUMENT, 3 users (the service rejected these user ids as invalid): 1-3\n" +
		"      message for 1-2: bad id\n" +
		"      message for 3: too long\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
