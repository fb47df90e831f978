package reliability_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/ecs"
)

// State truth of the batched ECS reads (internal/service/ecs/reads.go): a
// list answer is never taken for more than it can know.

// A list call answered after this process's write, with what the server
// was before it: the read that was waiting for it gets it (it began before
// the write), but the confirm read after the write waits for a call sent
// after it, and sees the lock at once: no stale "unlocked", no extra poll.
func TestStateTruth_ecsBatchAnsweredAfterWrite(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: opServerID, Name: "matrix-ecs"})
	stale := fmt.Sprintf(`{"count": 1, "servers": [{"id": %q, "name": "matrix-ecs", "status": "ACTIVE", "locked": false}]}`, opServerID)
	m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Delay: 500 * time.Millisecond, Status: 200, Header: jsonHeader, Body: stale, Times: 1})
	api := ecs.NewAPI(acctest.Client(m, 0))

	early := make(chan *ecs.Server, 1)
	go func() {
		srv, err := api.ReadServer(context.Background(), opTarget)
		if err != nil {
			t.Error(err)
		}
		early <- srv
	}()
	time.Sleep(100 * time.Millisecond) // the stale call is in flight
	if _, err := api.Lock(context.Background(), opTarget); err != nil {
		t.Fatal(err)
	}
	srv, err := api.WaitLockState(context.Background(), opTarget, true)
	if err != nil || !srv.Locked {
		t.Fatalf("confirm after the lock: %+v, %v", srv, err)
	}
	if s := <-early; s == nil || s.Locked {
		t.Errorf("the read begun before the lock: %+v, want the stale answer it asked for", s)
	}
	if n := m.Calls("ecs.ListServersDetails"); n != 2 {
		// A confirm answered by the stale call would have polled again: 3.
		t.Errorf("%d list calls, want 2 (the stale one, then one sent after the lock)", n)
	}
}

// A server deleted after the run listed its project: the run's reads are
// as of its listing (Terraform's refresh is a snapshot too; the listing is
// at most 30 s old), and the next run finds it gone, confirmed by the
// single GET. A server deleted before the listing is gone in this run.
func TestStateTruth_ecsServerDeletedBetweenListAndRead(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	id := func(i int) string { return fmt.Sprintf("5d1e0c2b-0000-4000-8000-%012d", i) }
	for i := range 150 {
		m.PutECSServer(mockcloud.ECSServer{ID: id(i), Name: "fleet", Locked: true})
	}
	m.DeleteECSServer(id(140)) // before the listing
	run1 := ecs.NewAPI(acctest.Client(m, 0))
	for i := range 120 { // 2 by id, the project's size, one page; then the listing answers
		if _, err := run1.ReadServer(context.Background(), opTargetFor(id(i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Calls("ecs.ListServersDetails"); n > 4 {
		t.Fatalf("%d list calls: the run did not list the project", n)
	}
	m.DeleteECSServer(id(130)) // after the listing
	if srv, err := run1.ReadServer(context.Background(), opTargetFor(id(130))); err != nil || !srv.Locked {
		t.Errorf("same run, deleted after the listing: %+v, %v; want the listing's answer", srv, err)
	}
	if _, err := run1.ReadServer(context.Background(), opTargetFor(id(140))); !conns.IsNotFound(err) {
		t.Errorf("same run, deleted before the listing: %v, want not found", err)
	}
	gets := m.Calls("ecs.NovaShowServer")
	run2 := ecs.NewAPI(acctest.Client(m, 0))
	if _, err := run2.ReadServer(context.Background(), opTargetFor(id(130))); !conns.IsNotFound(err) {
		t.Errorf("next run: %v, want not found", err)
	}
	if n := m.Calls("ecs.NovaShowServer") - gets; n != 1 {
		t.Errorf("the next run's \"not found\" was confirmed by %d GETs, want 1", n)
	}
}

func opTargetFor(id string) ecs.Target {
	t := opTarget
	t.ServerID = id
	return t
}
