package ecs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/ecs"
)

// fleetMock starts a mock with n servers fleet-000..., every third locked,
// and returns the ECS API of a client with that many retries.
func fleetMock(t *testing.T, n, retries int) (*mockcloud.Server, ecs.API, []string) {
	t.Helper()
	m := acctest.StartMock(t)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("fleet-%04d", i)
		m.PutECSServer(mockcloud.ECSServer{ID: ids[i], Name: "web", Locked: i%3 == 0})
	}
	return m, ecs.NewAPI(acctest.Client(m, retries)), ids
}

// readAll reads ids concurrently, each with its own context.
func readAll(api ecs.API, ids []string) ([]*ecs.Server, []error) {
	srvs, errs := make([]*ecs.Server, len(ids)), make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			srvs[i], errs[i] = api.ReadServer(context.Background(), target(id))
		}()
	}
	wg.Wait()
	return srvs, errs
}

// listedIDs is the server_id query of each list call by id.
func listedIDs(m *mockcloud.Server) [][]string {
	var out [][]string
	for _, e := range entries(m, "ecs.ListServersDetails") {
		q, _ := url.ParseQuery(e.RawQuery)
		if ids := q.Get("server_id"); ids != "" {
			out = append(out, strings.Split(ids, ","))
		}
	}
	return out
}

// A lone read is sent at once, alone; the reads that arrive while it is in
// flight go together in the next call, which reads each state right.
func TestReadServerCoalescesConcurrentReads(t *testing.T) {
	t.Parallel()
	m, api, ids := fleetMock(t, 50, 0)
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Delay: 300 * time.Millisecond, Times: 1})

	first := make(chan error, 1)
	go func() {
		_, err := api.ReadServer(context.Background(), target(ids[0]))
		first <- err
	}()
	time.Sleep(100 * time.Millisecond) // the first call is in flight
	srvs, errs := readAll(api, ids[1:])
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for i, s := range srvs {
		if errs[i] != nil || s.ID != ids[i+1] || s.Locked != ((i+1)%3 == 0) {
			t.Fatalf("read %d: %+v, %v", i+1, s, errs[i])
		}
	}
	calls := listedIDs(m)
	if len(calls) != 2 || len(calls[0]) != 1 || calls[0][0] != ids[0] || len(calls[1]) != 49 {
		t.Errorf("list calls by id: %v; want [%s] then the other 49 together", calls, ids[0])
	}
	if n := m.Calls("ecs.NovaShowServer"); n != 0 {
		t.Errorf("%d single GETs", n)
	}
}

// More reads than one call may carry: calls of at most 100 ids, full ones
// sent at once, none waiting for a window; every read gets its own state.
func TestReadServerAtMost100IDsPerCall(t *testing.T) {
	t.Parallel()
	m, api, ids := fleetMock(t, 250, 0)
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Delay: 300 * time.Millisecond, Times: 1})
	go func() { _, _ = api.ReadServer(context.Background(), target(ids[0])) }()
	time.Sleep(100 * time.Millisecond)
	srvs, errs := readAll(api, ids[1:])
	for i, err := range errs {
		if err != nil || srvs[i].ID != ids[i+1] || srvs[i].Locked != ((i+1)%3 == 0) {
			t.Fatalf("read %d: %+v, %v", i+1, srvs[i], err)
		}
	}
	full := 0
	for _, c := range listedIDs(m) {
		if len(c) > 100 {
			t.Errorf("a call asked for %d ids", len(c))
		}
		if len(c) == 100 {
			full++
		}
	}
	if full == 0 {
		t.Errorf("no call of 100 ids: %v", listedIDs(m))
	}
}

// A fault entry (the id names no server) or a null "locked" is never an
// unlocked server: the single GET decides. A server the GET finds (hidden
// from lists) is read; one it does not is "not found".
func TestReadServerFaultEntryIsConfirmedByGet(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 0)
	ecs.SetReadTuningForTesting(api, 100, 0, time.Minute) // every read by id: the faults are for them
	m.SetECSServerLocked(serverID, true)
	for name, body := range map[string]string{
		"fault":       `{"id": "` + serverID + `", "fault": {"code": 404, "message": "hidden"}, "name": null, "locked": null}`,
		"null locked": `{"id": "` + serverID + `", "name": "web-01", "status": "ACTIVE", "locked": null}`,
		"missing":     ``,
	} {
		m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 200, Times: 1, Body: `{"count": 1, "servers": [` + body + `]}`})
		before := m.Calls("ecs.NovaShowServer")
		srv, err := api.ReadServer(context.Background(), target(serverID))
		if err != nil || !srv.Locked {
			t.Errorf("%s: %+v, %v; want the GET's locked server", name, srv, err)
		}
		if n := m.Calls("ecs.NovaShowServer") - before; n != 1 {
			t.Errorf("%s: %d GETs, want 1", name, n)
		}
	}
	m.DeleteECSServer(serverID)
	if _, err := api.ReadServer(context.Background(), target(serverID)); !conns.IsNotFound(err) {
		t.Errorf("deleted server: %v, want a 404", err)
	}
	if e := entries(m, "ecs.NovaShowServer"); e[len(e)-1].Status != 404 {
		t.Errorf("the deletion was not confirmed by a GET: %+v", e[len(e)-1])
	}
}

// Each read honours its own context: one that gives up returns at once with
// its own error; the others of the same call get their answers.
func TestReadServerOwnContext(t *testing.T) {
	t.Parallel()
	m, api, ids := fleetMock(t, 3, 0)
	// Each call takes 1 s: the read that gives up after 250 ms would
	// otherwise return with the second call, about 1.9 s after it began.
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Delay: time.Second, Times: 2})
	go func() { _, _ = api.ReadServer(context.Background(), target(ids[0])) }()
	time.Sleep(100 * time.Millisecond)

	short, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	var slowErr error
	var slowTook time.Duration
	var other *ecs.Server
	var otherErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		start := time.Now()
		_, slowErr = api.ReadServer(short, target(ids[1]))
		slowTook = time.Since(start)
	}()
	go func() {
		defer wg.Done()
		other, otherErr = api.ReadServer(context.Background(), target(ids[2]))
	}()
	wg.Wait()
	if !errors.Is(slowErr, context.DeadlineExceeded) || !strings.Contains(slowErr.Error(), ids[1]) || slowTook > 1200*time.Millisecond {
		t.Errorf("the read that gave up: %v after %s; want its deadline, at once, naming %s", slowErr, slowTook, ids[1])
	}
	if otherErr != nil || other.ID != ids[2] {
		t.Errorf("the other read: %+v, %v", other, otherErr)
	}
}

// A call that fails with a retryable error is retried as one call, not once
// per member; when retries run out every member gets an error naming its
// own server, and the next read calls again (errors are not kept).
func TestReadServerBatchRetriedAsBatch(t *testing.T) {
	t.Parallel()
	m, api, ids := fleetMock(t, 10, 1)
	ecs.SetReadTuningForTesting(api, 100, 0, time.Minute) // the faults are for the calls by id
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Delay: 300 * time.Millisecond, Times: 1})
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 503, Times: 1})
	go func() { _, _ = api.ReadServer(context.Background(), target(ids[0])) }()
	time.Sleep(100 * time.Millisecond)
	_, errs := readAll(api, ids[1:])
	for i, err := range errs {
		if err != nil {
			t.Fatalf("read %d: %v", i+1, err)
		}
	}
	if n, g := m.Calls("ecs.ListServersDetails"), m.Calls("ecs.NovaShowServer"); n != 3 || g != 0 {
		t.Errorf("%d list calls and %d GETs; want 3 (lone, failed batch, its one retry) and 0", n, g)
	}

	m2, api2, ids2 := fleetMock(t, 10, 0)
	ecs.SetReadTuningForTesting(api2, 100, 0, time.Minute)
	m2.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Delay: 300 * time.Millisecond, Times: 1})
	m2.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 503, Times: 1})
	go func() { _, _ = api2.ReadServer(context.Background(), target(ids2[0])) }()
	time.Sleep(100 * time.Millisecond)
	_, errs = readAll(api2, ids2[1:])
	for i, err := range errs {
		var be *ecs.BatchError
		if !errors.As(err, &be) || be.ServerID != ids2[i+1] || !strings.Contains(err.Error(), "server "+ids2[i+1]) ||
			!strings.Contains(err.Error(), "8 other servers") {
			t.Errorf("read %d: %v; want an error naming %s", i+1, err, ids2[i+1])
		}
	}
	if n := m2.Calls("ecs.NovaShowServer"); n != 0 {
		t.Errorf("a failed call was followed by %d GETs", n)
	}
	before := m2.Calls("ecs.ListServersDetails")
	if _, err := api2.ReadServer(context.Background(), target(ids2[1])); err != nil {
		t.Errorf("the next read: %v", err)
	}
	if n := m2.Calls("ecs.ListServersDetails") - before; n != 1 {
		t.Errorf("the next read made %d calls, want 1", n)
	}
}

// A 403 on the list call (the account may GET servers but not list them),
// or a 404 (an endpoint without the API): the reads fall back to single
// GETs, the list is not asked again in this run, the log says so once, and
// no server is taken for gone.
func TestReadServerRefusedListFallsBackOnce(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]mockcloud.Fault{
		"403": {Fixture: "ecs/nova_error_403_forbidden.json", Status: 403},
		"404": {Status: 404},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, api, ids := fleetMock(t, 5, 0)
			m.InjectFault("ecs.ListServersDetails", f)
			var logs bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &logs)
			for _, id := range append(ids, ids...) {
				srv, err := api.ReadServer(ctx, target(id))
				if err != nil || srv.ID != id {
					t.Fatalf("read %s: %+v, %v", id, srv, err)
				}
			}
			if n, g := m.Calls("ecs.ListServersDetails"), m.Calls("ecs.NovaShowServer"); n != 1 || g != 10 {
				t.Errorf("%d list calls and %d GETs; want 1 and 10", n, g)
			}
			if n := strings.Count(logs.String(), "reading each ECS server with its own GET"); n != 1 {
				t.Errorf("the warning was logged %d times:\n%s", n, logs.String())
			}
			if !strings.Contains(logs.String(), `"@level":"warn"`) {
				t.Errorf("no warning in the log:\n%s", logs.String())
			}
		})
	}
}

// listCalls splits the list calls of the journal: by id, the probe
// (limit=1) and pages of the project (limit=1000).
func listCalls(m *mockcloud.Server) (byID, probes, pages int) {
	for _, e := range entries(m, "ecs.ListServersDetails") {
		q, _ := url.ParseQuery(e.RawQuery)
		switch {
		case q.Get("server_id") != "":
			byID++
		case q.Get("limit") == "1":
			probes++
		default:
			pages++
		}
	}
	return byID, probes, pages
}

// Reads one at a time (-parallelism=1, or a cloud so fast that no reads
// overlap): after two calls by id the run asks the project's size (one call
// of limit=1), and since listing its 300 servers costs one page, no more
// than already spent, it lists them; the other 297 reads cost nothing. A
// server the listing lacks is read with the single GET, and a lock this
// process sends makes the listing forget the server.
func TestReadServerListsWhenItCostsWhatTheReadsCost(t *testing.T) {
	m, api, ids := fleetMock(t, 300, 0)
	for _, id := range ids {
		srv, err := api.ReadServer(context.Background(), target(id))
		if err != nil || srv.ID != id {
			t.Fatalf("read %s: %+v, %v", id, srv, err)
		}
	}
	if byID, probes, pages := listCalls(m); byID != 2 || probes != 1 || pages != 1 {
		t.Errorf("%d calls by id, %d probes, %d pages; want 2, 1 and 1 (then 297 reads from the listing)", byID, probes, pages)
	}

	// Not listed: created since. The GET finds it.
	m.PutECSServer(mockcloud.ECSServer{ID: "fleet-new", Name: "web", Locked: true})
	if srv, err := api.ReadServer(context.Background(), target("fleet-new")); err != nil || !srv.Locked {
		t.Errorf("a server the listing lacks: %+v, %v", srv, err)
	}
	if n := m.Calls("ecs.NovaShowServer"); n != 1 {
		t.Errorf("%d GETs, want 1", n)
	}

	// fleet-001 was listed unlocked; this process locks it: the read after
	// the lock asks the API again, and sees it locked.
	if _, err := api.Lock(context.Background(), target(ids[1])); err != nil {
		t.Fatal(err)
	}
	before := m.Calls("ecs.ListServersDetails")
	srv, err := api.ReadServer(context.Background(), target(ids[1]))
	if err != nil || !srv.Locked {
		t.Errorf("read after this process's lock: %+v, %v; want locked", srv, err)
	}
	if n := m.Calls("ecs.ListServersDetails") - before; n != 1 {
		t.Errorf("the read after the lock made %d list calls, want 1", n)
	}
}

// The listing never costs more calls than the reads by id already spent: a
// project of 3,500 servers costs 4 pages, so after 2 calls by id and the
// probe the reads go on by id until 4 calls are spent, then the project is
// listed, and the reads after cost nothing: 8 calls for 20 reads, at most
// twice what the better of the two ways would have cost (4 pages).
func TestReadServerListingWithinBudget(t *testing.T) {
	m, api, ids := fleetMock(t, 3500, 0)
	for _, id := range ids[:20] {
		if _, err := api.ReadServer(context.Background(), target(id)); err != nil {
			t.Fatal(err)
		}
	}
	if byID, probes, pages := listCalls(m); byID != 3 || probes != 1 || pages != 4 {
		t.Errorf("%d calls by id, %d probes, %d pages; want 3, 1 and 4", byID, probes, pages)
	}
	if _, err := api.ReadServer(context.Background(), target(ids[3000])); err != nil { // listed, on page 4
		t.Fatal(err)
	}
	if n, g := m.Calls("ecs.ListServersDetails"), m.Calls("ecs.NovaShowServer"); n != 8 || g != 0 {
		t.Errorf("%d list calls and %d GETs; want 8 and 0", n, g)
	}
}

// A small fleet in a big project never pays for the project: 10 locks in a
// project of 50,000 servers, read as Terraform does (ten at once: the
// first alone, the nine that arrive while it is in flight together), cost
// two calls by id, no probe and no page.
func TestReadServerSmallFleetInBigProjectListsNothing(t *testing.T) {
	m, api, ids := fleetMock(t, 50000, 0)
	hold := make(chan struct{})
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Hold: hold, Times: 1})
	first := make(chan error, 1)
	go func() { _, err := api.ReadServer(context.Background(), target(ids[0])); first <- err }()
	var wg sync.WaitGroup
	var errs [9]error
	for i := range 9 {
		wg.Go(func() { _, errs[i] = api.ReadServer(context.Background(), target(ids[i+1])) })
	}

	// Whichever read comes first goes alone and is held in the mock; the
	// other nine wait for it.
	for ecs.PendingReadsForTesting(api, target(ids[0])) != 9 {
		runtime.Gosched()
	}
	close(hold)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("read %d: %v", i+1, err)
		}
	}
	if byID, probes, pages := listCalls(m); byID != 2 || probes != 0 || pages != 0 {
		t.Errorf("%d calls by id, %d probes, %d pages; want 2, 0 and 0", byID, probes, pages)
	}
	// Read one at a time, the same ten ask the size once and never list.
	m2, api2, ids2 := fleetMock(t, 50000, 0)
	for _, id := range ids2[:10] {
		if _, err := api2.ReadServer(context.Background(), target(id)); err != nil {
			t.Fatal(err)
		}
	}
	if byID, probes, pages := listCalls(m2); byID != 10 || probes != 1 || pages != 0 {
		t.Errorf("one at a time: %d calls by id, %d probes, %d pages; want 10, 1 and 0", byID, probes, pages)
	}
}

// An apply of a fleet: each lock is confirmed by id (a listing cannot
// answer a server this process just wrote), so 150 lock-and-confirms, ten
// at a time, never list the project, and each read sees its lock.
func TestConfirmReadsNeverListTheProject(t *testing.T) {
	m, api, ids := fleetMock(t, 300, 0)
	sem := make(chan struct{}, 10)
	var wg sync.WaitGroup
	for _, id := range ids[:150] {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if _, err := api.Lock(context.Background(), target(id)); err != nil {
				t.Error(err)
				return
			}
			if srv, err := api.WaitLockState(context.Background(), target(id), true); err != nil || !srv.Locked {
				t.Errorf("confirm %s: %+v, %v", id, srv, err)
			}
		})
	}
	wg.Wait()
	byID, all := len(listedIDs(m)), m.Calls("ecs.ListServersDetails")
	if all != byID {
		t.Errorf("%d list calls, %d of them by id: the confirms listed the project %d times", all, byID, all-byID)
	}
	t.Logf("150 confirms in %d list calls by id", byID)
}

// mockClock is the mock's clock in a test: it moves only when told.
type mockClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *mockClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *mockClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Under the gateway's limit (here 1 list call a minute, on the mock's
// clock), a throttled read is retried past the policy's count of retries
// until the window lets it through, within its timeout; a read whose
// timeout ends first fails with the gateway's code and the request id of
// its last answer.
func TestReadServerThrottledOutlastsTheWindow(t *testing.T) {
	clock := &mockClock{now: time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)}
	m := mockcloud.StartT(t, mockcloud.Options{
		Huawei:    mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey},
		ProjectID: acctest.ProjectID, Region: acctest.HuaweiRegion, Now: clock.Now,
	})
	m.PutECSServer(mockcloud.ECSServer{ID: serverID, Name: "web-01", Locked: true})
	api := ecs.NewAPI(acctest.Client(m, 1))
	ecs.SetReadTuningForTesting(api, 100, 0, time.Minute)                             // by id only: the one call a window is the read's
	if _, err := api.ReadServer(context.Background(), target(serverID)); err != nil { // project id, then the read
		t.Fatal(err)
	}
	m.EnforceLimit(mockcloud.Limit{Ops: []string{"ecs.ListServersDetails"}, Calls: 1, Window: time.Minute})
	if _, err := api.ReadServer(context.Background(), target(serverID)); err != nil { // the window's one call
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		srv, err := api.ReadServer(ctx, target(serverID))
		if err == nil && !srv.Locked {
			err = errors.New("read unlocked")
		}
		done <- err
	}()
	for m.Throttled("ecs.ListServersDetails") < 3 { // past the one retry the policy counts
		time.Sleep(5 * time.Millisecond)
	}
	clock.Advance(time.Minute)
	if err := <-done; err != nil {
		t.Fatalf("a read throttled for a window shorter than its timeout: %v", err)
	}

	short, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	_, err := api.ReadServer(short, target(serverID))
	var se *conns.StoppedError
	var ce *conns.CloudError
	if !errors.As(err, &se) || se.Reason != "timed out" || !errors.As(err, &ce) || ce.Code != "APIGW.0308" || ce.HTTPStatus != 429 {
		t.Fatalf("a read whose timeout is shorter than the window: %v; want a timeout with APIGW.0308", err)
	}
	ids := map[string]bool{}
	for _, e := range entries(m, "ecs.ListServersDetails") {
		if e.Throttled {
			ids[e.RequestID] = true
		}
	}
	if !ids[ce.RequestID] || !strings.Contains(err.Error(), "request id: "+ce.RequestID) {
		t.Fatalf("request id %q is not one of the gateway's refusals: %v", ce.RequestID, err)
	}
}
