package bastionhost_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

func TestMain(m *testing.M) {
	acctest.Setup()
	os.Exit(m.Run())
}

const (
	instance = "bastionhost-cn-st220aw0001"
	addr     = "cloudlock_bastionhost_user_unlock.test"

	opUnlock = "bastionhost.UnlockUsers"
	opLock   = "bastionhost.LockUsers"
	opList   = "bastionhost.ListUsers"
)

// ids returns "1".."n".
func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i + 1)
	}
	return out
}

// putInstance adds an instance whose users are ids 1..n, all Frozen.
func putInstance(m *mockcloud.Server, id string, n int) {
	inst := mockcloud.BastionhostInstance{ID: id}
	for _, u := range ids(n) {
		inst.Users = append(inst.Users, mockcloud.BastionhostUser{UserID: u, UserName: "user" + u, UserState: []string{"Frozen"}})
	}
	m.PutBastionhostInstance(inst)
}

// hclList renders ids as an HCL list (JSON arrays are valid HCL).
func hclList(ids []string) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

// unlockConfig is the provider block for the mock and one resource; extra
// is added inside the resource block.
func unlockConfig(m *mockcloud.Server, userIDs []string, extra string) string {
	return acctest.ProviderConfig(m) + fmt.Sprintf(`
resource "cloudlock_bastionhost_user_unlock" "test" {
  instance_id = %q
  user_ids    = %s
%s
}
`, instance, hclList(userIDs), extra)
}

// expectedID is the documented id: instance + ":" + the first 16 hex digits
// of the SHA-256 of the sorted ids as a JSON array.
func expectedID(instanceID string, userIDs []string) string {
	s := slices.Clone(userIDs)
	slices.Sort(s)
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(b)
	return instanceID + ":" + hex.EncodeToString(sum[:])[:16]
}

// callParams are the parameters of a journalled Alibaba call (query and form body).
func callParams(e mockcloud.Entry) url.Values {
	p, _ := url.ParseQuery(e.RawQuery)
	if form, err := url.ParseQuery(string(e.Body)); err == nil && len(e.Body) > 0 {
		for k, vs := range form {
			p[k] = append(p[k], vs...)
		}
	}
	return p
}

// calls returns the journal entries of op, in order.
func calls(m *mockcloud.Server, op string) []mockcloud.Entry {
	var out []mockcloud.Entry
	for _, e := range m.Journal() {
		if e.Op == op {
			out = append(out, e)
		}
	}
	return out
}

// userIDsSent returns, for each call of op, the user ids it carried.
func userIDsSent(m *mockcloud.Server, op string) [][]string {
	var out [][]string
	for _, e := range calls(m, op) {
		var got []string
		_ = json.Unmarshal([]byte(callParams(e).Get("UserIds")), &got)
		out = append(out, got)
	}
	return out
}

func sizes(batches [][]string) []int {
	out := make([]int, len(batches))
	for i, b := range batches {
		out[i] = len(b)
	}
	return out
}

// checkUnlockBatches asserts the sizes of every UnlockUsers call so far.
func checkUnlockBatches(m *mockcloud.Server, want ...int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := sizes(userIDsSent(m, opUnlock)); !slices.Equal(got, want) {
			return fmt.Errorf("UnlockUsers calls carried %v user ids, want %v", got, want)
		}
		return nil
	}
}

// checkStates asserts the state of each user ("Normal" or "Frozen").
func checkStates(m *mockcloud.Server, state string, userIDs ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, id := range userIDs {
			u, ok := m.BastionhostUser(instance, id)
			if !ok {
				return fmt.Errorf("user %s is gone from the mock", id)
			}
			if got := strings.Join(u.UserState, ","); got != state {
				return fmt.Errorf("user %s is %s, want %s", id, got, state)
			}
		}
		return nil
	}
}

// lockOutOfBand locks users through the API, as an administrator or the
// bastion host itself (after failed logins) would.
func lockOutOfBand(t *testing.T, m *mockcloud.Server, userIDs ...string) {
	t.Helper()
	res, err := bastionAPI(m).LockUsers(context.Background(), "", instance, userIDs)
	if err != nil || len(res.Failed()) > 0 {
		t.Fatalf("LockUsers: %v %v", err, res.Failed())
	}
}

// refreshCosts splits the ListUsers calls into listings (each starts at
// PageNumber 1) and checks each listing asked for Frozen users in pages of
// 100; it returns the number of calls of each listing.
func refreshCosts(m *mockcloud.Server) ([]int, error) {
	var costs []int
	for _, e := range calls(m, opList) {
		p := callParams(e)
		if p.Get("UserState") != "Frozen" || p.Get("PageSize") != "100" || p.Get("InstanceId") != instance {
			return nil, fmt.Errorf("a ListUsers call asked %v, want UserState=Frozen, PageSize=100", p)
		}
		if p.Get("PageNumber") == "1" {
			costs = append(costs, 0)
		}
		if len(costs) == 0 {
			return nil, fmt.Errorf("a listing did not start at page 1: %v", p)
		}
		costs[len(costs)-1]++
		if page, _ := strconv.Atoi(p.Get("PageNumber")); page != costs[len(costs)-1] {
			return nil, fmt.Errorf("pages out of order: page %s as call %d of a listing", p.Get("PageNumber"), costs[len(costs)-1])
		}
	}
	return costs, nil
}

// expectFrozenBefore checks the refreshed state the plan starts from: the
// users found locked again.
func expectFrozenBefore(want ...string) plancheck.PlanCheck { return frozenBefore{want: want} }

type frozenBefore struct{ want []string }

func (c frozenBefore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		var got []string
		if list, ok := before["frozen_user_ids"].([]any); ok {
			for _, v := range list {
				got = append(got, fmt.Sprint(v))
			}
		}
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			resp.Error = fmt.Errorf("refreshed frozen_user_ids = %v, want %v", got, want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", addr)
}

// sideEffect runs f between the plan and the apply of a step (a PreApply
// plan check that always passes): the way to change the cloud after
// Terraform planned against it.
type sideEffect func()

func (f sideEffect) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	f()
}
