package bastionhost

import (
	"errors"
	"regexp"
	"slices"
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

// The failure text names each failed user with its code and request id,
// lists the users unlocked and those not reached, and says what to do.
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
		"user 2: OBJECT_NOT_FOUND (no such user", "[request id: REQ-1]",
		"user 3: INVALID_ARGUMENT (the service rejected this user id as invalid): bad id",
		"user 4: NO_RESULT",
		"Unlocked (1: 1).",
		"(2: 5, 6)",
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
