package ecs

import (
	"context"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The listing shared by a run's reads (reads.go says when it is taken):
// pages of the whole project, within the budget of calls the reads by id
// already made, and the probe that learns what the listing would cost.

// pages is what listing a project of size servers costs, in calls.
func pages(size int) int { return max(1, (size+listPageSize-1)/listPageSize) }

// decideLocked is the listing decision, made when plan reads are about to
// be sent by id: it starts the probe (the project's size is unknown and
// probeAfter calls by id are spent) or the listing (the calls spent reach
// what it costs), and reports whether it did; the pending reads then wait
// for it. It decides nothing for confirms alone, during a probe or
// listing, or while a listing still answers.
func (r *reader) decideLocked(ctx context.Context) bool {
	if r.listing != nil || r.denied || !slices.ContainsFunc(r.pending, func(w *readWait) bool { return !w.confirm }) {
		return false
	}
	if r.snap != nil && time.Since(r.snap.taken) < r.listMaxAge {
		return false
	}
	switch {
	case r.size < 0 && r.calls >= r.probeAfter && r.probeFails < 2:
		r.startProbeLocked(ctx)
		return true
	case r.size >= 0 && r.calls >= pages(r.size):
		r.startListingLocked(ctx)
		return true
	}
	return false
}

// startProbeLocked asks the project's size with one page of limit=1 (its
// "count" is the project's, whatever the page holds), in the background;
// plan reads wait for it as for a listing.
func (r *reader) startProbeLocked(ctx context.Context) {
	ctx = context.WithoutCancel(ctx) // the call that started it is over
	done := make(chan struct{})
	r.listing = done
	go func() {
		ctx, cancel := context.WithTimeout(ctx, batchTimeout)
		defer cancel()
		one := 1
		resp, err := r.api.listServersDetails(ctx, r.key.region, r.key.projectID, &listServersRequest{Limit: &one})
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls++
		switch {
		case err == nil && resp.Count != nil:
			r.size = *resp.Count
			tflog.Debug(ctx, "Asked the project's size for this run's reads",
				map[string]any{"servers": r.size, "listing_calls": pages(r.size), "spent_by_id": r.calls})
		case err != nil && listRefused(err):
			r.refusedLocked(ctx, err)
		default:
			r.probeFails++
		}
		r.listing = nil
		close(done)
		r.afterListingLocked(ctx)
	}()
}

// startListingLocked lists the project in the background; reads wait for
// it (they would wait for a call anyway).
func (r *reader) startListingLocked(ctx context.Context) {
	ctx = context.WithoutCancel(ctx) // the call that started it is over
	r.seq++
	seq, budget := r.seq, max(1, r.calls)
	done := make(chan struct{})
	r.listing = done
	go func() {
		snap := r.list(ctx, seq, budget)
		r.mu.Lock()
		defer r.mu.Unlock()
		if snap != nil {
			r.snap = snap
		}
		r.calls = 0
		r.listing = nil
		close(done)
		r.afterListingLocked(ctx)
	}()
}

// afterListingLocked hands the reads that waited for a probe or listing
// what it answers, and sends the others.
func (r *reader) afterListingLocked(ctx context.Context) {
	if r.denied {
		for _, w := range r.pending {
			w.done <- readResult{single: true}
		}
		r.pending = nil
		return
	}
	// Reads that queued meanwhile and that the listing cannot answer (a
	// partial listing, a probe, a confirm) are sent now.
	var keep []*readWait
	for _, w := range r.pending {
		if srv, ok := r.fromSnapLocked(w.id); ok && !w.confirm {
			w.done <- readResult{srv: srv}
			continue
		}
		keep = append(keep, w)
	}
	r.pending = keep
	r.sendLocked(ctx)
}

// fromSnapLocked answers a read from the listing, if it can.
func (r *reader) fromSnapLocked(id string) (*Server, bool) {
	s := r.snap
	if s == nil || time.Since(s.taken) >= r.listMaxAge || r.written[id] >= s.seq {
		return nil, false
	}
	srv, ok := s.servers[id]
	return &srv, ok
}

// list takes a listing of the project, at most budget pages: it stops after
// the first page when the project needs more pages than budget (its count
// says how many). nil when the first page fails; a failure is not kept.
func (r *reader) list(ctx context.Context, seq uint64, budget int) *snapshot {
	ctx, cancel := context.WithTimeout(ctx, batchTimeout)
	defer cancel()
	s := &snapshot{seq: seq, taken: time.Now(), servers: map[string]Server{}}
	marker, got := "", 0
	for page := 1; page <= budget; page++ {
		limit := listPageSize
		resp, err := r.api.listServersDetails(ctx, r.key.region, r.key.projectID,
			&listServersRequest{Limit: &limit, Marker: optional(marker)})
		if err != nil {
			if listRefused(err) {
				r.mu.Lock()
				r.refusedLocked(ctx, err)
				r.mu.Unlock()
			}
			tflog.Debug(ctx, "Listing the project's ECS servers failed; reading them by id", map[string]any{"error": err.Error()})
			break
		}
		for _, d := range resp.Servers {
			if srv, err := d.server(); err == nil {
				s.servers[srv.ID] = *srv
			}
		}
		if page == 1 && resp.Count != nil {
			r.mu.Lock()
			r.size = *resp.Count
			r.mu.Unlock()
		}
		got += len(resp.Servers)
		if len(resp.Servers) < listPageSize || (resp.Count != nil && got >= *resp.Count) {
			s.complete = true
			break
		}
		if page == 1 && resp.Count != nil && (*resp.Count+listPageSize-1)/listPageSize > budget {
			break // listing the project would cost more than it saves
		}
		next := resp.Servers[len(resp.Servers)-1].ID
		if next == "" || next == marker {
			break
		}
		marker = next
	}
	if len(s.servers) == 0 && !s.complete {
		return nil
	}
	tflog.Debug(ctx, "Listed the project's ECS servers for this run's reads",
		map[string]any{"servers": len(s.servers), "complete": s.complete})
	return s
}
