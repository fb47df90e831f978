package ecs_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/ecs"
)

// target is the test server in the mock's region and project.
func target(id string) ecs.Target {
	return ecs.Target{Region: acctest.HuaweiRegion, ProjectID: acctest.ProjectID, ServerID: id}
}

// apiMock starts a mock with one unlocked server and returns the ECS API
// of a client for it.
func apiMock(t *testing.T, retries int) (*mockcloud.Server, ecs.API) {
	t.Helper()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01"})
	return m, ecs.NewAPI(acctest.Client(m, retries))
}

// entries returns the journal entries of op.
func entries(m *mockcloud.Server, op string) []mockcloud.Entry {
	var out []mockcloud.Entry
	for _, e := range m.Journal() {
		if e.Op == op {
			out = append(out, e)
		}
	}
	return out
}

// Lock and Unlock send exactly the documented bodies to the Nova action
// path of the project, with the project header, and change the server.
func TestAPILockUnlockSendExactBodies(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 0)
	ctx := context.Background()

	lockID, err := api.Lock(ctx, target(serverID))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.ECSServer(serverID); !v.Locked {
		t.Fatal("not locked")
	}
	unlockID, err := api.Unlock(ctx, target(serverID))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.ECSServer(serverID); v.Locked {
		t.Fatal("still locked")
	}
	got := entries(m, "ecs.NovaServerAction")
	if len(got) != 2 {
		t.Fatalf("%d action calls, want 2", len(got))
	}
	// Each returns the request id of the 202 that accepted it, for the
	// messages of what follows (a wait that times out, Ctrl-C).
	if lockID == "" || lockID != got[0].RequestID || unlockID != got[1].RequestID {
		t.Errorf("request ids %q and %q, want the answers' %q and %q", lockID, unlockID, got[0].RequestID, got[1].RequestID)
	}
	for i, want := range []string{`{"lock": null}`, `{"unlock": null}`} {
		e := got[i]
		if string(e.Body) != want {
			t.Errorf("body %d = %q, want exactly %q", i, e.Body, want)
		}
		var v map[string]any
		if err := json.Unmarshal(e.Body, &v); err != nil || len(v) != 1 {
			t.Errorf("body %d is not a one-member JSON object: %q", i, e.Body)
		}
		if e.Method != "POST" || e.Path != "/v2.1/"+acctest.ProjectID+"/servers/"+serverID+"/action" || e.Status != 202 {
			t.Errorf("entry %d = %s %s -> %d", i, e.Method, e.Path, e.Status)
		}
		if e.Header.Get("X-Project-Id") != acctest.ProjectID || !strings.HasPrefix(e.Header.Get("Content-Type"), "application/json") {
			t.Errorf("entry %d headers: %v", i, e.Header)
		}
	}
}

// ShowServer asks for microversion 2.9 and reads "locked".
func TestAPIShowServerReadsLockState(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 0)
	m.SetECSServerLocked(serverID, true)
	srv, err := api.ShowServer(context.Background(), target(serverID))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ecs.Server{ID: serverID, Name: "web-01", Status: "ACTIVE", Locked: true}); *srv != want {
		t.Errorf("server = %+v, want %+v", *srv, want)
	}
	e := entries(m, "ecs.NovaShowServer")
	if len(e) != 1 || e[0].Header.Get("OpenStack-API-Version") != "compute 2.9" ||
		e[0].Path != "/v2.1/"+acctest.ProjectID+"/servers/"+serverID {
		t.Errorf("journal = %+v", e)
	}
}

// An answer without "locked" (the microversion was ignored) is an error, not
// an unlocked server.
func TestAPIShowServerWithoutLockedIsError(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 0)
	m.InjectFault("ecs.NovaShowServer", mockcloud.Fault{Status: 200,
		Body: `{"server": {"id": "` + serverID + `", "name": "web-01", "status": "ACTIVE"}}`})
	_, err := api.ShowServer(context.Background(), target(serverID))
	if !errors.Is(err, ecs.ErrNoLockState) {
		t.Fatalf("err = %v, want ErrNoLockState", err)
	}
	// The waiter stops at once instead of polling until its deadline. The
	// list's entry has no lock state either, so the single GET decides.
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 200,
		Body: `{"count": 1, "servers": [{"id": "` + serverID + `", "name": "web-01", "status": "ACTIVE", "locked": null}]}`})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	before := m.Calls("ecs.NovaShowServer")
	if _, err := api.WaitLockState(ctx, target(serverID), true); !errors.Is(err, ecs.ErrNoLockState) {
		t.Fatalf("wait err = %v", err)
	}
	if n := m.Calls("ecs.NovaShowServer") - before; n != 1 {
		t.Errorf("wait read %d times, want 1", n)
	}
}

// Nova error bodies become a code and a message; 4xx answers are sent once.
func TestAPINovaErrorsHaveCodeAndMessage(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 3)
	for _, tc := range []struct {
		fixture, code, message string
		status                 int
	}{
		{"ecs/nova_error_409_conflictingRequest.json", "conflictingRequest", "Cannot 'lock' instance " + serverID + " while it is in task_state resize_migrating", 409},
		{"ecs/nova_error_403_forbidden.json", "forbidden", "Policy doesn't allow os_compute_api:os-lock-server:lock to be performed.", 403},
	} {
		m.ResetJournal()
		m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Fixture: tc.fixture, Times: 1})
		_, err := api.Lock(context.Background(), target(serverID))
		var ce *conns.CloudError
		if !errors.As(err, &ce) {
			t.Fatalf("%s: err = %v", tc.code, err)
		}
		if ce.HTTPStatus != tc.status || ce.Code != tc.code || ce.Message != tc.message || len(ce.RequestID) != 32 || ce.Attempts != 1 {
			t.Errorf("%s: %+v", tc.code, ce)
		}
		if n := m.Calls("ecs.NovaServerAction"); n != 1 {
			t.Errorf("%s: sent %d times", tc.code, n)
		}
	}
	// Unknown servers: Nova's itemNotFound, a 404 the resource can tell.
	_, err := api.Lock(context.Background(), target("00000000-0000-4000-8000-000000000000"))
	var ce *conns.CloudError
	if !conns.IsNotFound(err) || !errors.As(err, &ce) || ce.Code != "itemNotFound" || ce.Message != "Instance could not be found" {
		t.Errorf("unknown server: %v", err)
	}
	if v, _ := m.ECSServer(serverID); v.Locked {
		t.Error("a refused lock locked the server")
	}
}

// Throttling and 5xx are retried by the shared policy, for the action and
// the read alike.
func TestAPIRetriesThrottlingAnd5xx(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 3)
	m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Status: 429, Times: 1})
	m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Fixture: "ecs/nova_error_429_overLimit.json", Times: 1})
	m.InjectFault("ecs.NovaServerAction", mockcloud.Fault{Status: 503, Times: 1})
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 502, Times: 2})
	if _, err := api.Lock(context.Background(), target(serverID)); err != nil {
		t.Fatal(err)
	}
	if _, err := api.WaitLockState(context.Background(), target(serverID), true); err != nil {
		t.Fatal(err)
	}
	if a, s := m.Calls("ecs.NovaServerAction"), m.Calls("ecs.ListServersDetails"); a != 4 || s != 3 {
		t.Errorf("calls: %d actions, %d reads; want 4 and 3", a, s)
	}
}

// WaitLockState polls until the server reports the state, and says plainly
// when it never does.
func TestAPIWaitLockState(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 0)
	ctx := context.Background()

	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01", LockLag: 3})
	if _, err := api.Lock(ctx, target(serverID)); err != nil {
		t.Fatal(err)
	}
	srv, err := api.WaitLockState(ctx, target(serverID), true)
	if err != nil || !srv.Locked {
		t.Fatalf("wait: %+v, %v", srv, err)
	}
	if n := m.Calls("ecs.ListServersDetails"); n != 4 {
		t.Errorf("%d reads, want 4 (3 stale, then locked)", n)
	}

	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01", IgnoreLock: true})
	if _, err := api.Lock(ctx, target(serverID)); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = api.WaitLockState(short, target(serverID), true)
	var wt *ecs.WaitTimeoutError
	if !errors.As(err, &wt) || wt.Reads < 2 || wt.Last == nil || wt.Last.Locked {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"never reported locked", "HTTP 202", "still reports locked = false", serverID} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}

	// A server deleted while waiting: the read's 404, at once.
	m.DeleteECSServer(serverID)
	if _, err := api.WaitLockState(ctx, target(serverID), false); !conns.IsNotFound(err) {
		t.Errorf("deleted server: %v", err)
	}
}

// The project id is discovered through IAM once per region, whatever the
// number of concurrent callers.
func TestAPIProjectIDDiscoveredOnce(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 0)
	ids := make(chan string, 20)
	for i := 0; i < 20; i++ {
		go func() {
			id, err := api.ProjectID(context.Background(), acctest.HuaweiRegion)
			if err != nil {
				id = err.Error()
			}
			ids <- id
		}()
	}
	got := map[string]int{}
	for i := 0; i < 20; i++ {
		got[<-ids]++
	}
	if !reflect.DeepEqual(got, map[string]int{acctest.ProjectID: 20}) {
		t.Errorf("project ids = %v", got)
	}
	if e := entries(m, "iam.KeystoneListProjects"); len(e) != 1 || e[0].RawQuery != "name="+acctest.HuaweiRegion {
		t.Errorf("IAM calls = %+v", e)
	}
}

// A wait cut by Ctrl-C says so, not that the server never reported the
// state: raising a timeout would not have helped.
func TestAPIWaitLockStateInterrupted(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 0)
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01", IgnoreLock: true})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := api.WaitLockState(ctx, target(serverID), true)
	var wt *ecs.WaitTimeoutError
	if !errors.As(err, &wt) || !wt.Interrupted {
		t.Fatalf("err = %#v", err)
	}
	if want := "had not reported locked when Terraform was stopped (Ctrl-C): the lock request was accepted (HTTP 202)"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
}
