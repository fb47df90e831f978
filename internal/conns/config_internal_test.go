package conns

import (
	"testing"
	"time"
)

// Test settings reach the one client they configure: its backoff, its
// default Alibaba pacing (which rate_limits still overrides) and its clock.
// A client without them has the production values.
func TestTestSettingsConfigureOneClient(t *testing.T) {
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	c := New(Config{Test: TestSettings{RetryBaseDelay: time.Millisecond, RetryMaxDelay: 3 * time.Millisecond,
		AlibabaCallsPerSecond: 1000, Now: func() time.Time { return fixed }}})
	if c.retry.BaseDelay != time.Millisecond || c.retry.MaxDelay != 3*time.Millisecond {
		t.Errorf("backoff %v..%v, want 1ms..3ms", c.retry.BaseDelay, c.retry.MaxDelay)
	}
	if r := c.limiter(cloudAlibaba, "bastionhost.GetUser").rate(); r != 1000 {
		t.Errorf("Alibaba rate %v, want the test's 1000", r)
	}
	if !c.now().Equal(fixed) {
		t.Errorf("clock says %v, want %v", c.now(), fixed)
	}

	c = New(Config{RateLimits: RateLimits{Alibaba: 2}, Test: TestSettings{AlibabaCallsPerSecond: 1000}})
	if r := c.limiter(cloudAlibaba, "bastionhost.GetUser").rate(); r != 2 {
		t.Errorf("Alibaba rate %v, want rate_limits' 2", r)
	}

	c = New(Config{})
	if c.retry.BaseDelay != DefaultBaseDelay || c.retry.MaxDelay != DefaultMaxDelay {
		t.Errorf("backoff %v..%v without settings", c.retry.BaseDelay, c.retry.MaxDelay)
	}
	if r := c.limiter(cloudAlibaba, "bastionhost.GetUser").rate(); r != DefaultAlibabaCallsPerSecond {
		t.Errorf("Alibaba rate %v without settings, want %v", r, DefaultAlibabaCallsPerSecond)
	}
	before := time.Now()
	now := c.now()
	if now.Before(before) || now.After(time.Now()) {
		t.Errorf("clock without settings says %v, not the time", now)
	}
}
