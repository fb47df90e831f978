package bastionhost

import (
	"fmt"
	"strings"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// codeHints says what a per-user result code means for the person reading
// the error (seed 004).
var codeHints = map[string]string{
	"OBJECT_NOT_FOUND":      "no such user on this instance; check the id with ListUsers",
	"INVALID_ARGUMENT":      "the service rejected this user id as invalid",
	"UNEXPECTED":            "the service failed for this user; applying again retries it",
	"OBJECT_AlREADY_EXISTS": "the service reported a conflict for this user",
	ResultNoAnswer:          "the answer had no result for this user, so it may not be unlocked",
}

// describeFailures lists every failed user with its code, one per line.
func describeFailures(failed []UserResult) string {
	var b strings.Builder
	for _, r := range failed {
		fmt.Fprintf(&b, "  - user %s: %s", r.UserID, r.Code)
		if h := codeHints[r.Code]; h != "" {
			fmt.Fprintf(&b, " (%s)", h)
		}
		if m := strings.TrimSpace(r.Message); m != "" && m != "N/A" && r.Code != ResultNoAnswer {
			fmt.Fprintf(&b, ": %s", m)
		}
		if r.RequestID != "" {
			fmt.Fprintf(&b, " [request id: %s]", r.RequestID)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// idList is "none", or the count and every id.
func idList(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d: %s", len(ids), strings.Join(ids, ", "))
}

// batchFailure is the detail of a diagnostic for an UnlockUsers batch that
// did not unlock every user: which users failed and why, which were
// unlocked, which were not because a call failed as a whole, and what
// applying again does. err is the failure of a whole call, if there was one.
func batchFailure(doing string, res BatchResult, err error, after string) string {
	var b strings.Builder
	failed := res.Failed()
	if err != nil {
		total := len(res.Results) + len(res.NotAttempted)
		planned := (total + MaxUserIDsPerCall - 1) / MaxUserIDsPerCall
		fmt.Fprintf(&b, "%s\n\n", conns.ErrorDetail(fmt.Sprintf("%s, at %s call %d of %d,", doing, res.Action, res.Calls, planned), err))
	}
	if len(failed) > 0 {
		fmt.Fprintf(&b, "%s failed for %d user(s). The API answered HTTP 200 with these per-user result codes:\n%s\n",
			doing, len(failed), describeFailures(failed))
	}
	done := "Unlocked"
	if res.Action == "LockUsers" {
		done = "Locked"
	}
	fmt.Fprintf(&b, "%s (%s).\n", done, idList(res.Succeeded()))
	if len(res.NotAttempted) > 0 {
		fmt.Fprintf(&b, "Not %s, because the call carrying them failed or was not reached (%s).\n", strings.ToLower(done), idList(res.NotAttempted))
	}
	b.WriteString("\n" + after)
	if len(failed) > 0 {
		b.WriteString(" Fix the cause of each failure listed, or remove those ids from user_ids.")
	}
	return b.String()
}
