package ecs

import "time"

// SetPollIntervalsForTesting shortens the waits between reads of a server,
// so tests that poll run fast.
func SetPollIntervalsForTesting(first, max time.Duration) {
	pollMin, pollMax = first, max
}

// SetReadBatchingForTesting changes how reads are batched and listed, until
// the returned function restores it. Tests that call it must not be
// parallel: the settings are the package's.
func SetReadBatchingForTesting(max, after int, maxAge time.Duration) (restore func()) {
	oldMax, oldAfter, oldAge := batchMax, listAfter, listMaxAge
	batchMax, listAfter, listMaxAge = max, after, maxAge
	return func() { batchMax, listAfter, listMaxAge = oldMax, oldAfter, oldAge }
}
