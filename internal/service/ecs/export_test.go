package ecs

import "time"

// SetPollIntervalsForTesting shortens the waits between reads of a server,
// so tests that poll run fast.
func SetPollIntervalsForTesting(first, max time.Duration) {
	pollMin, pollMax = first, max
}
