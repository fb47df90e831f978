package conns

import (
	"context"
	"sync"
)

// flight shares one run of a look-up among the callers that arrive while it
// runs (the Huawei key source, a region's project id). What the look-up
// finds is the caller's to keep (resolve stores it before it returns, so a
// caller arriving after the run ends finds it); a failure is never kept: it
// may come from the resolving caller's own context (a plan cancelled, an
// operation's timeout) or from a cloud not ready yet, and the next caller
// runs the look-up again with its own context. Waiters share the run's
// answer, failure included, so N concurrent callers cost one call, except
// when the run failed because its caller's context ended: that is not their
// failure, and they run it again with theirs.
type flight[T any] struct {
	mu       sync.Mutex // guards inflight and its waiters
	inflight *flightRun[T]
}

// flightRun is one run of a look-up and the callers waiting for it.
type flightRun[T any] struct {
	done     chan struct{} // closed when v, err and ctxEnded are set
	v        T
	err      error
	ctxEnded bool // the resolving caller's context ended
	waiters  int  // callers that joined it (guarded by flight.mu); for tests
}

// do runs resolve with ctx, or waits for the run in flight and takes its
// answer.
func (f *flight[T]) do(ctx context.Context, resolve func(context.Context) (T, error)) (T, error) {
	for {
		f.mu.Lock()
		r := f.inflight
		if r == nil {
			r = &flightRun[T]{done: make(chan struct{})}
			f.inflight = r
			f.mu.Unlock()
			r.v, r.err = resolve(ctx)
			r.ctxEnded = r.err != nil && ctx.Err() != nil
			f.mu.Lock()
			f.inflight = nil
			f.mu.Unlock()
			close(r.done)
			return r.v, r.err
		}
		r.waiters++
		f.mu.Unlock()
		select {
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		case <-r.done:
		}
		if !r.ctxEnded {
			return r.v, r.err
		}
		// Not our context: run it again with ours.
	}
}
