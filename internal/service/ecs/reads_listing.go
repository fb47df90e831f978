package ecs

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The listing shared by a run's reads (reads.go says when it is taken):
// pages of the whole project, within the budget of calls the reads by id
// already made.

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
		clear(r.asked)
		r.listing = nil
		close(done)
		if r.denied {
			for _, w := range r.pending {
				w.done <- readResult{single: true}
			}
			r.pending = nil
			return
		}
		// Reads that queued while the listing ran and that it cannot
		// answer (a partial listing) are sent now.
		var keep []*readWait
		for _, w := range r.pending {
			if srv, ok := r.fromSnapLocked(w.id); ok {
				w.done <- readResult{srv: srv}
				continue
			}
			keep = append(keep, w)
		}
		r.pending = keep
		r.sendLocked(ctx)
	}()
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
