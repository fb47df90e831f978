package bastionhost

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// codeHints says what a per-user result code means for the person reading
// the error (seed 004).
var codeHints = map[string]string{
	"OBJECT_NOT_FOUND":      "no such user on this instance; check the ids with ListUsers",
	"INVALID_ARGUMENT":      "the service rejected these user ids as invalid",
	"UNEXPECTED":            "the service failed for these users; applying again retries them",
	"OBJECT_AlREADY_EXISTS": "the service reported a conflict for these users",
	ResultNoAnswer:          "the answer had no result for these users, so they may not be done",
}

// describeFailures groups the failed users by result code, most users
// first: the code, how many, what it means, the ids as ranges, and the
// cloud's message (one line per message when the users got several).
func describeFailures(failed []UserResult) string {
	type group struct {
		code     string
		ids      []string
		messages map[string][]string // message -> ids
	}
	var groups []*group
	byCode := map[string]*group{}
	for _, r := range failed {
		g := byCode[r.Code]
		if g == nil {
			g = &group{code: r.Code, messages: map[string][]string{}}
			byCode[r.Code] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, r.UserID)
		if m := strings.TrimSpace(r.Message); m != "" && m != "N/A" && r.Code != ResultNoAnswer {
			g.messages[m] = append(g.messages[m], r.UserID)
		}
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return cmp.Compare(len(b.ids), len(a.ids)) })
	var b strings.Builder
	for _, g := range groups {
		fmt.Fprintf(&b, "  - %s, %s", g.code, users(len(g.ids)))
		if h := codeHints[g.code]; h != "" {
			fmt.Fprintf(&b, " (%s)", h)
		}
		fmt.Fprintf(&b, ": %s", idRanges(g.ids))
		switch len(g.messages) {
		case 0:
			b.WriteByte('\n')
		case 1:
			for m := range g.messages {
				fmt.Fprintf(&b, "\n      message: %s\n", m)
			}
		default:
			b.WriteByte('\n')
			msgs := make([]string, 0, len(g.messages))
			for m := range g.messages {
				msgs = append(msgs, m)
			}
			slices.Sort(msgs)
			for _, m := range msgs {
				fmt.Fprintf(&b, "      message for %s: %s\n", idRanges(g.messages[m]), m)
			}
		}
	}
	return b.String()
}

func users(n int) string {
	if n == 1 {
		return "1 user"
	}
	return fmt.Sprintf("%d users", n)
}

// callRequestIDs says the request id of each call answered, with how many
// of its users failed, so a person can quote the right one.
func callRequestIDs(res BatchResult) string {
	if len(res.RequestIDs) == 0 {
		return ""
	}
	parts := make([]string, 0, len(res.RequestIDs))
	for i, id := range res.RequestIDs {
		chunk := res.Results[min(i*MaxUserIDsPerCall, len(res.Results)):min((i+1)*MaxUserIDsPerCall, len(res.Results))]
		failed := 0
		for _, r := range chunk {
			if !r.OK() {
				failed++
			}
		}
		if id == "" {
			id = "(none given)"
		}
		parts = append(parts, fmt.Sprintf("call %d (%s, %d failed): %s", i+1, users(len(chunk)), failed, id))
	}
	return "Request ids, one per call: " + strings.Join(parts, "; ") + ".\n"
}

// idList is "none", or the count and every id as ranges.
func idList(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d: %s", len(ids), idRanges(ids))
}

// idRanges writes ids in order, numeric ids compared as numbers and runs of
// consecutive numbers as ranges ("1-40, 42, 44-150"), then the other ids
// in text order.
func idRanges(ids []string) string {
	type numbered struct {
		id string
		n  uint64
	}
	var nums []numbered
	var texts []string
	for _, id := range ids {
		if n, err := strconv.ParseUint(id, 10, 64); err == nil {
			nums = append(nums, numbered{id, n})
		} else {
			texts = append(texts, id)
		}
	}
	slices.SortFunc(nums, func(a, b numbered) int {
		return cmp.Or(cmp.Compare(a.n, b.n), strings.Compare(a.id, b.id))
	})
	slices.Sort(texts)
	parts := make([]string, 0, len(nums)+len(texts))
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1].n == nums[j].n+1 {
			j++
		}
		if j > i {
			parts = append(parts, nums[i].id+"-"+nums[j].id)
		} else {
			parts = append(parts, nums[i].id)
		}
		i = j + 1
	}
	return strings.Join(append(parts, texts...), ", ")
}

// batchFailure is the detail of a diagnostic for an UnlockUsers batch that
// did not unlock every user: which users failed and why, grouped by result
// code, the request id of each call, which users were unlocked, which were
// not because a call failed as a whole, and what applying again does. err
// is the failure of a whole call, if there was one.
func batchFailure(doing string, res BatchResult, err error, after string) string {
	var b strings.Builder
	failed := res.Failed()
	if err != nil {
		total := len(res.Results) + len(res.NotAttempted)
		planned := (total + MaxUserIDsPerCall - 1) / MaxUserIDsPerCall
		// after, below, says what applying again does.
		fmt.Fprintf(&b, "%s\n\n", conns.WriteErrorDetail(fmt.Sprintf("%s, at %s call %d of %d,", doing, res.Action, res.Calls, planned), "", err))
	}
	if len(failed) > 0 {
		fmt.Fprintf(&b, "%s failed for %d user(s). The API answered HTTP 200 with these per-user result codes:\n%s",
			doing, len(failed), describeFailures(failed))
		b.WriteString(callRequestIDs(res))
		b.WriteByte('\n')
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
