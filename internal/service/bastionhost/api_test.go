package bastionhost_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
)

// 250 ids: three calls of 100, 100 and 50; every user's result is
// returned. (Their pacing under the API's 10 calls/s is proven where it
// can be read from many calls: pace_test.go here, and conns' pace tests.)
func TestAPIUnlockUsersBatches(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 250)
	res, err := bastionAPI(m).UnlockUsers(context.Background(), "", instance, ids(250))
	if err != nil {
		t.Fatal(err)
	}
	if got := sizes(userIDsSent(m, opUnlock)); !slices.Equal(got, []int{100, 100, 50}) {
		t.Fatalf("calls carried %v ids", got)
	}
	if res.Calls != 3 || len(res.Succeeded()) != 250 || len(res.Failed()) != 0 || len(res.RequestIDs) != 3 {
		t.Fatalf("result: %d calls, %d ok, %v failed, request ids %v", res.Calls, len(res.Succeeded()), res.Failed(), res.RequestIDs)
	}
}

// Per-user failures come back in the result (the call itself is HTTP 200),
// each with its code and the request id of its call.
func TestAPIUnlockUsersPerUserResults(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 3)
	m.SetBastionhostUserFailCode(instance, "2", "UNEXPECTED")
	res, err := bastionAPI(m).UnlockUsers(context.Background(), "", instance, []string{"1", "2", "404", "bad"})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, r := range res.Results {
		codes[r.UserID] = r.Code
		if r.RequestID == "" || r.RequestID != res.RequestIDs[0] {
			t.Errorf("result %v has request id %q, call had %q", r, r.RequestID, res.RequestIDs[0])
		}
	}
	want := map[string]string{"1": "OK", "2": "UNEXPECTED", "404": "OBJECT_NOT_FOUND", "bad": "INVALID_ARGUMENT"}
	for id, c := range want {
		if codes[id] != c {
			t.Errorf("user %s: %s, want %s", id, codes[id], c)
		}
	}
	if got := res.Succeeded(); !slices.Equal(got, []string{"1"}) {
		t.Errorf("Succeeded = %v", got)
	}
}

// A call that fails as a whole stops the batch: earlier calls' results are
// kept, and the ids of the failed call and after are NotAttempted.
func TestAPIUnlockUsersStopsOnCallFailure(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 250)
	// The first call goes through (a header-only fault), the second is refused.
	m.InjectFault(opUnlock, mockcloud.Fault{Header: map[string]string{"X-Test": "pass"}, Times: 1})
	m.InjectFault(opUnlock, mockcloud.Fault{Status: 400, Times: 1})
	res, err := bastionAPI(m).UnlockUsers(context.Background(), "", instance, ids(250))
	var ce *conns.CloudError
	if !errors.As(err, &ce) || ce.Code != "InvalidParameter" || ce.Attempts != 1 {
		t.Fatalf("err = %v", err)
	}
	if len(res.Succeeded()) != 100 || len(res.NotAttempted) != 150 || res.NotAttempted[0] != "101" || res.Calls != 2 {
		t.Fatalf("%d ok, %d not attempted (first %v), %d calls", len(res.Succeeded()), len(res.NotAttempted), res.NotAttempted[:1], res.Calls)
	}
	if m.Calls(opUnlock) != 2 {
		t.Errorf("%d calls: the batch went on after a failed call", m.Calls(opUnlock))
	}
}

// The shared policy retries every throttling code and 5xx (UnlockUsers is
// idempotent), never InvalidParameter.
func TestAPIRetryPolicy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		fault     mockcloud.Fault
		wantCalls int
		wantErr   string
	}{
		{"Throttling", mockcloud.Fault{Fixture: "bastionhost/error_400_Throttling.json", Times: 2}, 3, ""},
		{"Throttling.User", mockcloud.Fault{Fixture: "alibaba/error_400_Throttling.User.json", Times: 2}, 3, ""},
		{"Throttling.Api", mockcloud.Fault{Fixture: "bastionhost/error_400_Throttling.Api.json", Times: 2}, 3, ""},
		{"500", mockcloud.Fault{Status: 500, Times: 2}, 3, ""},
		{"503", mockcloud.Fault{Status: 503, Times: 1}, 2, ""},
		{"InvalidParameter", mockcloud.Fault{Status: 400, Times: 1}, 1, "InvalidParameter"},
		{"throttled past max_retries", mockcloud.Fault{Fixture: "bastionhost/error_400_Throttling.Api.json", Times: 5}, 4, "Throttling.Api"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := acctest.StartMock(t)
			putInstance(m, instance, 1)
			m.InjectFault(opUnlock, tc.fault)
			res, err := bastionhost.NewAPI(acctest.Client(m, 3)).UnlockUsers(context.Background(), "", instance, []string{"1"})
			if got := m.Calls(opUnlock); got != tc.wantCalls {
				t.Errorf("%d calls, want %d", got, tc.wantCalls)
			}
			var ce *conns.CloudError
			switch {
			case tc.wantErr == "" && (err != nil || len(res.Succeeded()) != 1):
				t.Errorf("err = %v, result %v", err, res.Results)
			case tc.wantErr != "" && (!errors.As(err, &ce) || ce.Code != tc.wantErr):
				t.Errorf("err = %v, want code %s", err, tc.wantErr)
			}
		})
	}
}

// ListUsers pages by 100; FrozenUserIDs lists only frozen users, so its cost
// follows the number of frozen users, not of users.
func TestAPIListUsers(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 250)
	api := bastionAPI(m)
	ctx := context.Background()

	frozen, n, err := api.FrozenUserIDs(ctx, "", instance)
	if err != nil || len(frozen) != 250 || n != 3 {
		t.Fatalf("250 frozen: %d ids in %d calls, %v", len(frozen), n, err)
	}
	if _, err := api.UnlockUsers(ctx, "", instance, ids(245)); err != nil {
		t.Fatal(err)
	}
	frozen, n, err = api.FrozenUserIDs(ctx, "", instance)
	if err != nil || len(frozen) != 5 || !frozen["250"] || frozen["1"] || n != 1 {
		t.Fatalf("5 frozen: %v in %d calls, %v", frozen, n, err)
	}
	all, n, err := api.ListUsers(ctx, "", instance, bastionhost.ListUsersFilter{})
	if err != nil || len(all) != 250 || n != 3 || all[0].ID != "1" || all[0].Name != "user1" || all[0].Frozen() {
		t.Fatalf("all users: %d in %d calls, first %+v, %v", len(all), n, all[0], err)
	}
	one, n, err := api.ListUsers(ctx, "", instance, bastionhost.ListUsersFilter{UserName: "user7"})
	if err != nil || len(one) != 1 || one[0].ID != "7" || n != 1 {
		t.Fatalf("by name: %+v, %v", one, err)
	}
	for _, e := range calls(m, opList) {
		if p := callParams(e); p.Get("PageSize") != "100" {
			t.Errorf("ListUsers sent PageSize %q", p.Get("PageSize"))
		}
	}
}

func TestAPIGetUserAndLockUsers(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 2)
	api := bastionAPI(m)
	ctx := context.Background()
	if _, err := api.UnlockUsers(ctx, "", instance, []string{"1"}); err != nil {
		t.Fatal(err)
	}
	u, err := api.GetUser(ctx, "", instance, "1")
	if err != nil || u.ID != "1" || u.Name != "user1" || u.Frozen() || !slices.Equal(u.States, []string{"Normal"}) {
		t.Fatalf("GetUser = %+v, %v", u, err)
	}
	res, err := api.LockUsers(ctx, "", instance, []string{"1", "3"})
	if err != nil || !slices.Equal(res.Succeeded(), []string{"1"}) || res.Failed()[0].Code != "OBJECT_NOT_FOUND" {
		t.Fatalf("LockUsers: %v, %v", res.Results, err)
	}
	if u, _ := api.GetUser(ctx, "", instance, "1"); !u.Frozen() {
		t.Errorf("user 1 not frozen after LockUsers: %+v", u)
	}
	_, err = api.GetUser(ctx, "", instance, "3")
	if !bastionhost.IsUserNotFound(err) || bastionhost.IsInstanceNotFound(err) {
		t.Errorf("unknown user: %v", err)
	}
	_, err = api.GetUser(ctx, "", "bastionhost-cn-nosuch", "1")
	if !bastionhost.IsInstanceNotFound(err) || bastionhost.IsUserNotFound(err) {
		t.Errorf("unknown instance: %v", err)
	}
}

// A timeout in the middle of a batch stops it, keeping what the calls
// before it did.
func TestAPIBatchStopsAtDeadline(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 150)
	m.InjectFault(opUnlock, mockcloud.Fault{Header: map[string]string{"X-Test": "pass"}, Times: 1})
	m.InjectFault(opUnlock, mockcloud.Fault{Delay: 10 * time.Second, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	res, err := bastionAPI(m).UnlockUsers(ctx, "", instance, ids(150))
	var se *conns.StoppedError
	if !errors.As(err, &se) || len(res.Succeeded()) != 100 || len(res.NotAttempted) != 50 {
		t.Fatalf("err %v, %d ok, %d not attempted", err, len(res.Succeeded()), len(res.NotAttempted))
	}
}
