package conns_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Concurrent callers of one API share one limiter: 12 GetUser calls sent at
// once reach the cloud at the default 8 calls/s, evenly spaced (journal).
func TestPaceConcurrentCallersShareOneLimiter(t *testing.T) {
	m := acctest.StartMock(t)
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: "bastionhost-cn-pace", Users: []mockcloud.BastionhostUser{{UserID: "1", UserName: "u1"}}})
	c := acctest.Client(m, 0)
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			var out map[string]any
			err := c.CallAlibaba(context.Background(), conns.AlibabaCall{Service: "bastionhost", Action: "GetUser",
				Version: "2019-12-09", Params: map[string]string{"InstanceId": "bastionhost-cn-pace", "UserId": "1"}, Idempotent: true}, &out)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var times []time.Time
	for _, e := range m.Journal() {
		if e.Op == "bastionhost.GetUser" {
			times = append(times, e.Time)
		}
	}
	if len(times) != 12 {
		t.Fatalf("%d calls", len(times))
	}
	// 8/s: 125 ms apart. The journal stamps arrivals, which a busy machine
	// shifts by tens of milliseconds either way, so the rate is read over
	// all the calls (1,375 ms at 8/s; unpaced they would arrive together).
	if span := times[11].Sub(times[0]); span < 1100*time.Millisecond {
		t.Errorf("12 calls within %v: not paced at 8 calls/s", span)
	}
}
