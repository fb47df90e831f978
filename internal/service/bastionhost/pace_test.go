package bastionhost_test

import (
	"context"
	"sync"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
)

// An unlock of 5,000 users (50 UnlockUsers calls), sent as two concurrent
// batches of 2,500 as Terraform's parallel applies would, against a mock that
// enforces the documented 10 calls/s per account: never throttled, because
// both batches share the client's one limiter for UnlockUsers. (Two
// batches pacing themselves alone send 20 calls/s.)
func TestAPIUnlock5000UsersNeverThrottled(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.EnforceBastionhostRate(10)
	putInstance(m, instance, 5000)
	api := bastionhost.NewAPI(acctest.Client(m, 0)) // no retries: a throttled call would fail
	all := ids(5000)
	var wg sync.WaitGroup
	for _, half := range [][]string{all[:2500], all[2500:]} {
		wg.Go(func() {
			res, err := api.UnlockUsers(context.Background(), "", instance, half)
			if err != nil || len(res.Succeeded()) != 2500 {
				t.Errorf("%d unlocked, err %v", len(res.Succeeded()), err)
			}
		})
	}
	wg.Wait()
	j := calls(m, opUnlock)
	throttled := 0
	for _, e := range j {
		if e.Status != 200 {
			throttled++
		}
	}
	if len(j) != 50 || throttled != 0 {
		t.Fatalf("%d calls, %d throttled; want 50 and 0", len(j), throttled)
	}
	t.Logf("50 calls in %v", j[len(j)-1].Time.Sub(j[0].Time))
}
