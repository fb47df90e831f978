package ecs

import "time"

// SetPollIntervalsForTesting shortens the waits between reads of a server,
// so tests that poll run fast.
func SetPollIntervalsForTesting(first, max time.Duration) {
	pollMin, pollMax = first, max
}

// SetReadTuningForTesting gives the readers of api's client its own
// batching: at most max ids a call, the size asked after probeAfter calls by
// id (0: never, so no probe or listing), listings kept maxAge. Call it
// before the client's first read.
func SetReadTuningForTesting(api API, max, probeAfterCalls int, maxAge time.Duration) {
	if probeAfterCalls == 0 {
		probeAfterCalls = 1 << 30
	}
	api.c.Shared(tuningKey{}, func() any { return readTuning{batchMax: max, probeAfter: probeAfterCalls, listMaxAge: maxAge} })
}

// PendingReadsForTesting is how many reads of t's region and project wait
// for a list call: a test's barrier, to release a call held in the mock
// only once the reads it means to coalesce are queued.
func PendingReadsForTesting(api API, t Target) int {
	r := api.reader(t)
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pending)
}
