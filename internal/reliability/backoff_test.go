package reliability_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/sms"
)

// The waits between attempts, read from the journal's arrival times, grow
// exponentially: retry n waits at least base*2^n/2 (full jitter in
// [d/2, d]).
func TestBackoffGrows(t *testing.T) {
	const base = 40 * time.Millisecond
	m := acctest.StartMock(t)
	m.PutTask(opTask())
	cfg := acctest.ClientConfig(m, 4)
	cfg.Test.RetryBaseDelay, cfg.Test.RetryMaxDelay = base, 2*time.Second
	c := conns.New(cfg)

	m.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 503, Times: 4})
	if _, err := sms.NewAPI(c).ShowTask(context.Background(), opTaskID); err != nil {
		t.Fatalf("4 faults within max_retries 4: %v", err)
	}
	j := m.Journal()
	if len(j) != 5 {
		t.Fatalf("%d requests, want 5", len(j))
	}
	gaps := make([]time.Duration, 4)
	for n := range gaps {
		gaps[n] = j[n+1].Time.Sub(j[n].Time)
		// Lower bounds only: a loaded machine makes waits longer, never shorter.
		if low := (base << n) / 2; gaps[n] < low-2*time.Millisecond {
			t.Errorf("wait before retry %d was %v, want at least %v", n+1, gaps[n], low)
		}
	}
	if gaps[3] <= gaps[0] {
		t.Errorf("waits do not grow: %v", gaps)
	}
	t.Logf("waits between attempts: %v (base %v, jitter [d/2, d], d = base*2^n)", gaps, base)
}
