package acctest

import (
	"sync"
	"time"
)

// Clock is a fake clock that moves only when told, for tests that go past
// an expiry without waiting for it. Give its Now to the mock
// (mockcloud.Options.Now) and the client (conns.TestSettings.Now) alike, so
// that both read the same time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock that starts at the real time, so that what it
// stamps (expiry times in answers) reads as plausible dates.
func NewClock() *Clock { return &Clock{now: time.Now()} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock d forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
