package conns_test

import (
	"context"
	"sync"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Parallel Bastionhost calls through one client, as parallel resources make
// them, each get a correct answer. darabonba's client clears a field on
// every RPC call, so calls that shared one SDK client raced: under
// `go test -race` this test fails when conns shares a darabonba client
// between calls.
func TestAlibabaParallelCallsShareNoSDKClient(t *testing.T) {
	m := acctest.StartMock(t)
	users := []mockcloud.BastionhostUser{{UserID: "1", UserName: "u1"}, {UserID: "2", UserName: "u2"}}
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: "bastionhost-cn-race", Users: users})
	cfg := acctest.ClientConfig(m, 0)
	cfg.RateLimits.Alibaba = 1e6 // unpaced, so the calls overlap on the wire
	c := conns.New(cfg)
	const callers, calls = 8, 4
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range callers {
		id := users[i%len(users)].UserID
		wg.Go(func() {
			<-start
			for range calls {
				var out struct {
					User struct{ UserID, UserName string }
				}
				err := c.CallAlibaba(context.Background(), conns.AlibabaCall{Service: "bastionhost", Action: "GetUser", Version: "2019-12-09",
					Params: map[string]string{"InstanceId": "bastionhost-cn-race", "UserId": id}, Idempotent: true}, &out)
				if err != nil {
					t.Error(err)
					return
				}
				if out.User.UserName != "u"+id {
					t.Errorf("GetUser %s answered user %q", id, out.User.UserName)
				}
			}
		})
	}
	close(start)
	wg.Wait()
	if n := m.Calls("bastionhost.GetUser"); n != callers*calls {
		t.Errorf("%d GetUser calls reached the mock, want %d", n, callers*calls)
	}
}
