package conns

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Resources waiting for the project look-up of a caller whose context ends
// (a resource's timeout, a cancelled plan) do not take that caller's
// error: they look it up again, with their own contexts.
func TestProjectLookupWaitersOutliveTheResolversContext(t *testing.T) {
	m := mockcloud.StartT(t, mockcloud.Options{})
	arrived, hold := make(chan struct{}), make(chan struct{})
	defer close(hold)
	m.InjectFault("iam.KeystoneListProjects", mockcloud.Fault{Times: 1, Hold: hold, Do: func() { close(arrived) }})
	c := New(Config{Huawei: HuaweiConfig{
		Region: "cn-north-4", AccessKey: mockcloud.DemoHuawei.AccessKey, SecretKey: mockcloud.DemoHuawei.SecretKey,
		Endpoints: HuaweiEndpoints{IAM: m.URL()},
	}})

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := c.HuaweiProjectID(ctx, "cn-north-4"); first <- err }()
	<-arrived // the first look-up is at the cloud, held there

	const n = 3
	ids, errs := make([]string, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { ids[i], errs[i] = c.HuaweiProjectID(context.Background(), "cn-north-4") })
	}
	for joined := false; !joined; runtime.Gosched() {
		c.hwMu.Lock()
		l := c.projects["cn-north-4"]
		c.hwMu.Unlock()
		l.mu.Lock()
		joined = l.inflight != nil && l.inflight.waiters == n
		l.mu.Unlock()
	}
	cancel()
	if err := <-first; err == nil {
		t.Fatal("the cancelled caller found the project")
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || ids[i] == "" {
			t.Errorf("waiter %d: %q, %v: it took the cancelled caller's failure", i, ids[i], errs[i])
		}
	}
	if got := m.Calls("iam.KeystoneListProjects"); got != 2 {
		t.Errorf("%d IAM calls, want 2: the cancelled one and one for the three waiters", got)
	}
}
