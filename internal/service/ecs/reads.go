package ecs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// Batched reads. Terraform refreshes every lock of a plan with its own
// ReadResource, at most -parallelism at once; one GET per lock makes a plan
// of 1,000 locks 1,000 calls. ReadServer serves them with ListServersDetails
// instead, in two ways (docs/design-reads.md has the rule, its bound and
// the figures):
//
//   - Coalescing: reads that arrive while a list call of their region and
//     project is in flight wait for it to end and then go together in the
//     next call, server_id=id1,...,id100. A read that finds no call in flight
//     is sent at once: a lone read is never slower than a GET, and there is
//     no batching window.
//   - A listing shared by the run, decided by what it costs, not by how
//     many servers were read (which depends on how fast the cloud answers):
//     once probeAfter calls by id have been spent and reads still wait, one
//     call of limit=1 learns the project's size from its "count"; the
//     project is listed (pages of 1,000) as soon as the calls by id spent
//     reach the pages the listing costs (ski rental: never pay more for
//     the listing than already paid by id), and the reads that follow are
//     answered from it for at most listMaxAge. A small fleet in a large
//     project never reaches the price of its listing, so it never pays it.
//
// What stays exact: an entry with a fault or without "locked", and a server
// the listing lacks, are read once more with the single GET before anyone
// is told the server is gone (IAM or enterprise-project scoping can hide a
// server from lists); a lock or unlock this process sends makes the listing
// forget that server; errors are never kept; a list call the account may not
// make (403), or an endpoint without it (404), turns this process to single
// GETs, with one warning.
//
// Invariants of a reader (each has a test in reads_test.go):
//
//  1. r.mu guards every field below it in reader, and every readWait's
//     batch and gone, and batch.live. No call to the cloud is made with
//     r.mu held: calls run in their own goroutines (send, the listing, the
//     probe) and take r.mu only to hand out what they got.
//  2. Every waiter gets exactly one result: a readWait is in r.pending or
//     in exactly one batch, never both; whoever takes it out (send, the end
//     of a listing, a refusal) sends on its done channel once (buffered, so
//     the sender never blocks), and a waiter that left (gone) is only
//     dropped from pending. A caller returns on its result or on its own
//     context, whichever comes first, never on another's.
//  3. What counts towards the listing: r.calls is the list calls by id
//     that carried at least one plan read (not only confirms after a
//     write), since the last listing, plus the probe. Confirms never wait
//     for a probe or a listing, never start one, and never read from one.
//  4. At most one probe or listing is under way (r.listing), and while it
//     is, plan reads wait for it rather than be sent by id.
//  5. A listing answers a server only if it was taken after this process's
//     last write to that server (seq), and for at most listMaxAge.

// readTuning is how reads are batched and listed. It is the client's
// (conns.Client.Shared), so tests set their own (export_test.go) without
// touching another test's.
type readTuning struct {
	// batchMax is the most ids one list call asks for (the API's advice,
	// for the length of the URI).
	batchMax int
	// probeAfter is how many list calls by id a run spends before it asks
	// the project's size: a run of one or two calls' worth of reads (a
	// small configuration) never pays for the question.
	probeAfter int
	// listMaxAge is how long a listing answers reads.
	listMaxAge time.Duration
}

var defaultReadTuning = readTuning{batchMax: 100, probeAfter: 2, listMaxAge: 30 * time.Second}

// tuningKey is the key of the client's readTuning in conns.Client.Shared.
type tuningKey struct{}

// batchTimeout bounds a list call whose members have no deadline.
const batchTimeout = 2 * time.Minute

// readersKey is the key of this package's readers in conns.Client.Shared.
type readersKey struct{}

// readerKey is a region and project: one reader each.
type readerKey struct{ region, projectID string }

// readers are the process's readers, by region and project.
type readers struct {
	mu sync.Mutex
	m  map[readerKey]*reader
}

// reader returns the reader of t's region and project.
func (a API) reader(t Target) *reader {
	rs := a.c.Shared(readersKey{}, func() any { return &readers{m: map[readerKey]*reader{}} }).(*readers)
	k := readerKey{t.Region, t.ProjectID}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r := rs.m[k]
	if r == nil {
		tu := a.c.Shared(tuningKey{}, func() any { return defaultReadTuning }).(readTuning)
		r = &reader{api: a, key: k, written: map[string]uint64{}, size: -1, readTuning: tu}
		rs.m[k] = r
	}
	return r
}

// ReadServer reads a server's lock state through the batched path. Errors
// are those of ShowServer: a server that does not exist is a 404
// (conns.IsNotFound), always confirmed by a single GET.
func (a API) ReadServer(ctx context.Context, t Target) (*Server, error) {
	return a.reader(t).read(ctx, t, false)
}

// confirmServer reads a server this process has just locked or unlocked
// (WaitLockState): by id, in the next list call. A listing cannot answer
// it (it forgot the server at the write), so it neither waits for one nor
// counts towards starting one: an apply of a fleet never lists the project.
func (a API) confirmServer(ctx context.Context, t Target) (*Server, error) {
	return a.reader(t).read(ctx, t, true)
}

// forget makes the reads of t's region and project forget what they know
// of t: called before this process sends a lock or unlock.
func (a API) forget(t Target) {
	a.reader(t).forget(t.ServerID)
}

// reader serves the reads of one region and project.
type reader struct {
	api API
	key readerKey
	readTuning

	mu       sync.Mutex
	pending  []*readWait // waiting for the next list call
	inFlight int         // list calls by id in flight
	// denied: a list call was refused (403); single GETs from now on.
	denied bool
	// seq counts writes and listings, so that a listing taken before a
	// write of this process never answers for the server written.
	seq     uint64
	written map[string]uint64 // server id -> seq of this process's last write
	// calls is what the run has spent by id since the last listing
	// (invariant 3): the budget a listing may cost.
	calls int
	// size is the project's server count as the API last said it ("count"
	// of the probe or of a listing's first page); -1 while unknown.
	size       int
	probeFails int // probes that failed; after two, no more
	snap       *snapshot
	listing    chan struct{} // closed when the probe or listing under way ends; nil if none
}

// snapshot is a listing of the project.
type snapshot struct {
	seq      uint64
	taken    time.Time
	servers  map[string]Server
	complete bool // every server of the project is in it
}

// readWait is one read waiting for a list call.
type readWait struct {
	id      string
	confirm bool            // a confirm after this process's write: never from a listing
	done    chan readResult // buffered: the sender never waits
	batch   *batch          // the call it went in, once sent
	gone    bool            // its caller stopped waiting
}

// readResult is what a list call says of one server.
type readResult struct {
	srv *Server
	err error
	// single: read the server with the single GET (the entry has a fault
	// or no lock state, or the list call is not allowed).
	single bool
}

// batch is one list call by id.
type batch struct {
	members []*readWait
	live    int // members still waiting
	cancel  context.CancelFunc
	last    error // the cloud's last failed answer to this call's attempts, so far
}

// BatchError is a list call by id that failed: it names the server it was
// asked for and how many others shared the call.
type BatchError struct {
	ServerID string
	Others   int
	Err      error
}

func (e *BatchError) Error() string {
	if e.Others == 0 {
		return fmt.Sprintf("reading server %s (ListServersDetails): %v", e.ServerID, e.Err)
	}
	return fmt.Sprintf("reading server %s (ListServersDetails, with %d other servers in the same call): %v", e.ServerID, e.Others, e.Err)
}

func (e *BatchError) Unwrap() error { return e.Err }

func (r *reader) read(ctx context.Context, t Target, confirm bool) (*Server, error) {
	id := t.ServerID
	r.mu.Lock()
	for r.listing != nil && !r.denied && !confirm {
		ch := r.listing
		r.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, stopped(ctx, id, nil)
		}
		r.mu.Lock()
	}
	if r.denied {
		r.mu.Unlock()
		return r.api.ShowServer(ctx, t)
	}
	if s := r.snap; s != nil && !confirm && time.Since(s.taken) < r.listMaxAge && r.written[id] < s.seq {
		srv, ok := s.servers[id]
		if ok {
			r.mu.Unlock()
			return &srv, nil
		}
		if s.complete {
			// Not listed: deleted, or hidden from lists. The GET decides.
			r.mu.Unlock()
			return r.api.ShowServer(ctx, t)
		}
	}
	w := &readWait{id: id, confirm: confirm, done: make(chan readResult, 1)}
	r.pending = append(r.pending, w)
	r.sendLocked(ctx) // a confirm during a listing goes at once, by id
	r.mu.Unlock()

	select {
	case res := <-w.done:
		switch {
		case res.single:
			return r.api.ShowServer(ctx, t)
		case res.err != nil:
			return nil, res.err
		}
		return res.srv, nil
	case <-ctx.Done():
		return nil, stopped(ctx, id, r.leave(w))
	}
}

// sendLocked sends what is pending: at once when no list call is in flight
// (a lone read waits for nothing), or when a full call's worth is waiting.
// Otherwise the reads wait for the call in flight to end (send ends with
// sendLocked). Before plan reads go by id, the run may ask the project's
// size or list it instead (decideLocked). ctx is the context of a read
// being sent, for its values (logging); the call itself ends only when its
// own members stop waiting.
func (r *reader) sendLocked(ctx context.Context) {
	if len(r.pending) > 0 && (r.inFlight == 0 || len(r.pending) >= r.batchMax) && r.decideLocked(ctx) {
		return // the pending reads go when the probe or listing ends
	}
	for len(r.pending) > 0 && (r.inFlight == 0 || len(r.pending) >= r.batchMax) {
		b := &batch{}
		seen := map[string]bool{}
		var rest []*readWait
		for _, w := range r.pending {
			if len(seen) == r.batchMax && !seen[w.id] {
				rest = append(rest, w)
				continue
			}
			seen[w.id] = true
			w.batch = b
			b.members = append(b.members, w)
			b.live++
		}
		r.pending = rest
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchTimeout)
		callCtx = conns.WithAttemptObserver(callCtx, func(err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			var ce *conns.CloudError
			if b.last != nil && errors.As(err, &ce) && ce.Attempts == 0 {
				return // another call's answer, which this one waits out: its own says more
			}
			b.last = err
		})
		b.cancel = cancel
		r.inFlight++
		go r.send(callCtx, b)
	}
}

// send makes one list call by id and tells each member what it says.
func (r *reader) send(ctx context.Context, b *batch) {
	defer b.cancel()
	var ids []string
	seen := map[string]bool{}
	for _, w := range b.members {
		if !seen[w.id] {
			seen[w.id] = true
			ids = append(ids, w.id)
		}
	}
	joined := strings.Join(ids, ",")
	resp, err := r.api.listServersDetails(ctx, r.key.region, r.key.projectID, &listServersRequest{ServerID: &joined})

	r.mu.Lock()
	defer r.mu.Unlock()
	r.inFlight--
	if slices.ContainsFunc(b.members, func(w *readWait) bool { return !w.confirm }) {
		r.calls++
	}
	switch {
	case err == nil:
		entries := map[string]serverDetail{}
		for _, d := range resp.Servers {
			entries[d.ID] = d
		}
		for _, w := range b.members {
			d, ok := entries[w.id]
			if !ok {
				w.done <- readResult{single: true}
				continue
			}
			srv, err := d.server()
			if err != nil {
				w.done <- readResult{single: true}
				continue
			}
			w.done <- readResult{srv: srv}
		}
	case listRefused(err):
		r.refusedLocked(ctx, err)
		for _, w := range b.members {
			w.done <- readResult{single: true}
		}
	default:
		for _, w := range b.members {
			w.done <- readResult{err: &BatchError{ServerID: w.id, Others: len(ids) - 1, Err: err}}
		}
	}
	if r.denied {
		// Reads still pending go to single GETs.
		for _, w := range r.pending {
			w.done <- readResult{single: true}
		}
		r.pending = nil
		return
	}
	r.sendLocked(ctx)
}

// listRefused is a list call the account may not make (403), or an
// endpoint without it (404: API Gateway's "no such API"). Neither says
// anything of the servers asked: a 404 of the list is never "not found".
func listRefused(err error) bool { return conns.IsForbidden(err) || conns.IsNotFound(err) }

// refusedLocked turns this reader to single GETs for the rest of the run,
// saying so once.
func (r *reader) refusedLocked(ctx context.Context, err error) {
	if r.denied {
		return
	}
	r.denied = true
	tflog.Warn(ctx, "ListServersDetails is not allowed (403) or not offered (404); reading each ECS server with its own GET for the rest of this run",
		map[string]any{"region": r.key.region, "project_id": r.key.projectID, "error": err.Error()})
}

// stopped is a read whose caller's context ended while it waited, in the
// words conns uses for a call its context stopped. last is what the cloud
// last answered the call it waited for (throttled, say), if anything.
func stopped(ctx context.Context, id string, last error) error {
	reason := conns.ReasonCancelled
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		reason = conns.ReasonTimedOut
	}
	if last != nil {
		return &conns.StoppedError{Operation: "ecs.ListServersDetails", Reason: reason,
			Last: fmt.Errorf("waiting for the read of server %s: %w", id, last)}
	}
	return &conns.StoppedError{Operation: "ecs.ListServersDetails", Reason: reason,
		Last: fmt.Errorf("waiting for the read of server %s: %w", id, ctx.Err())}
}

// leave is a caller that stopped waiting for w, and what the cloud last
// answered w's call, if it was sent. A call none of whose members still
// waits is cancelled; the others' calls go on.
func (r *reader) leave(w *readWait) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if w.gone {
		return nil
	}
	w.gone = true
	if w.batch == nil {
		for i, p := range r.pending {
			if p == w {
				r.pending = append(r.pending[:i:i], r.pending[i+1:]...)
				break
			}
		}
		return nil
	}
	if w.batch.live--; w.batch.live == 0 {
		w.batch.cancel()
	}
	return w.batch.last
}

// forget is a write of this process to server id.
func (r *reader) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	r.written[id] = r.seq
}
