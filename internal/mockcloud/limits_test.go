package mockcloud_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// fakeClock is the mock's clock in these tests: time moves only when the
// test says, so no result depends on how fast the machine is.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func startLimitedMock(t *testing.T) (*mockcloud.Server, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)}
	s := mockcloud.StartT(t, mockcloud.Options{Huawei: hwCreds, Alibaba: aliCreds, ProjectID: projectID, Now: clock.Now})
	s.PutECSServer(mockcloud.ECSServer{ID: ecsServerID, Name: "web-01"})
	return s, clock
}

// gatewayRefusal checks err is API Gateway's throttling answer as the
// gateway words it, limit and window included.
func gatewayRefusal(t *testing.T, err error, want string) {
	t.Helper()
	var sre *sdkerr.ServiceResponseError
	if !errors.As(err, &sre) || sre.StatusCode != 429 || sre.ErrorCode != "APIGW.0308" || sre.RequestId == "" ||
		sre.ErrorMessage != "The throttling threshold has been reached: policy user over ratelimit,"+want {
		t.Fatalf("want 429 APIGW.0308 %q with a request id, got %v", want, err)
	}
}

// Huawei's gateway: at most 3 calls of ECS in any 5 minutes, shared by
// every ECS API. The 4th is refused with APIGW.0308 (limit and window in
// the message), changes nothing (the lock is not applied) and is
// journaled as throttled. The window slides: each call leaves it 5
// minutes after it was admitted.
func TestLimitSlidingWindow(t *testing.T) {
	s, clock := startLimitedMock(t)
	s.EnforceLimit(mockcloud.Limit{Ops: []string{"ecs.*"}, Calls: 3, Window: 5 * time.Minute})
	c := ecsClient(t, s.URL())
	for i := range 3 {
		if _, err := novaShow(c, ecsServerID, "compute 2.9"); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
		clock.Advance(time.Minute) // calls at 0, 1 and 2 min
	}
	_, err := serverAction(c, ecsServerID, `{"lock": null}`) // at 3 min
	gatewayRefusal(t, err, "limit:3,time:5 minute")
	if srv, _ := s.ECSServer(ecsServerID); srv.Locked {
		t.Fatal("a refused lock locked the server")
	}
	j := s.Journal()
	if last := j[len(j)-1]; !last.Throttled || last.Op != "ecs.NovaServerAction" || last.Status != 429 {
		t.Fatalf("journal: %+v", last)
	}
	if n := s.Throttled("ecs.NovaServerAction"); n != 1 {
		t.Fatalf("Throttled = %d", n)
	}
	clock.Advance(2 * time.Minute) // 5 min: the call at 0 has left the window
	if _, err := serverAction(c, ecsServerID, `{"lock": null}`); err != nil {
		t.Fatalf("after the first call left the window: %v", err)
	}
	if srv, _ := s.ECSServer(ecsServerID); !srv.Locked {
		t.Fatal("the admitted lock did not lock")
	}
	_, err = novaShow(c, ecsServerID, "compute 2.9") // still 5 min: 1, 2 and 5 are in the window
	gatewayRefusal(t, err, "limit:3,time:5 minute")
	clock.Advance(time.Minute)
	if _, err := novaShow(c, ecsServerID, "compute 2.9"); err != nil {
		t.Fatalf("at 6 min: %v", err)
	}
}

// Each API its own count (PerAPI), a refused call counted only when asked
// (CountRefused), and a window scaled down to
// seconds is written in seconds.
func TestLimitPerAPIAndOptions(t *testing.T) {
	s, clock := startLimitedMock(t)
	s.EnforceLimit(mockcloud.Limit{Ops: []string{"ecs.NovaShowServer", "ecs.ShowServer"}, PerAPI: true, Calls: 1, Window: 3 * time.Second,
		RetryAfter: true, CountRefused: true})
	c := ecsClient(t, s.URL())
	if _, err := novaShow(c, ecsServerID, "compute 2.9"); err != nil {
		t.Fatal(err)
	}
	if _, err := serverAction(c, ecsServerID, `{"lock": null}`); err != nil {
		t.Fatalf("an operation the limit does not name: %v", err)
	}
	clock.Advance(time.Second)
	_, err := novaShow(c, ecsServerID, "compute 2.9")
	gatewayRefusal(t, err, "limit:1,time:3 second")
	clock.Advance(2 * time.Second) // the first call left; the refused one (at 1 s) still counts
	_, err = novaShow(c, ecsServerID, "compute 2.9")
	gatewayRefusal(t, err, "limit:1,time:3 second")
	clock.Advance(3 * time.Second)
	if _, err := novaShow(c, ecsServerID, "compute 2.9"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// Alibaba's form: a bucket of 10 calls a second, shared by every client of
// the account (two provider clients here, as two terraform processes
// are). The 11th call is Throttling.User (HTTP 400) and unlocks nobody; a
// tenth of a second later one more call is admitted.
func TestLimitTokenBucketAcrossClients(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)}
	s := mockcloud.StartT(t, mockcloud.Options{Huawei: hwCreds, Alibaba: aliCreds, Now: clock.Now})
	s.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: bhInstance, Users: []mockcloud.BastionhostUser{
		{UserID: "1", UserName: "u1"}, {UserID: "2", UserName: "u2", UserState: []string{"Frozen"}}}})
	s.EnforceLimit(mockcloud.Limit{Ops: []string{"bastionhost.*"}, Rate: 10})
	// Two clients paced far above the limit, so the mock's count decides.
	fast := func() *conns.Client {
		return conns.New(conns.Config{Alibaba: conns.AlibabaConfig{
			Region: "cn-hangzhou", AccessKey: aliCreds.AccessKey, SecretKey: aliCreds.SecretKey,
			Endpoints: conns.AlibabaEndpoints{Bastionhost: s.URL()}}, RateLimits: conns.RateLimits{Alibaba: 1e6}})
	}
	a, b := fast(), fast()
	for i := range 10 {
		c := a
		if i%2 == 1 {
			c = b
		}
		var out results
		if err := bhCall(t, c, "GetUser", map[string]string{"UserId": "1"}, &out); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	var out results
	err := bhCall(t, b, "UnlockUsers", map[string]string{"UserIds": `["2"]`}, &out)
	var ce *conns.CloudError
	if !errors.As(err, &ce) || ce.HTTPStatus != 400 || ce.Code != "Throttling.User" || ce.RequestID == "" {
		t.Fatalf("11th call in the same second: %v", err)
	}
	if st := userState(t, s, "2"); st != "Frozen" {
		t.Fatalf("a refused unlock changed the user: %s", st)
	}
	clock.Advance(100 * time.Millisecond)
	if err := bhCall(t, a, "UnlockUsers", map[string]string{"UserIds": `["2"]`}, &out); err != nil {
		t.Fatalf("a tenth of a second later: %v", err)
	}
	if err := bhCall(t, a, "GetUser", map[string]string{"UserId": "1"}, &out); err == nil {
		t.Fatal("the bucket refilled more than one call in 100 ms")
	}
	if n := s.Throttled("bastionhost.UnlockUsers") + s.Throttled("bastionhost.GetUser"); n != 2 {
		t.Fatalf("Throttled = %d, want 2", n)
	}
}

// A Retry-After header says when the call would be admitted, rounded up
// to whole seconds; it is sent only when the limit asks for it.
func TestLimitRetryAfter(t *testing.T) {
	s, clock := startLimitedMock(t)
	s.EnforceLimit(mockcloud.Limit{Ops: []string{"ecs.NovaShowServer"}, Calls: 1, Window: 10 * time.Second, RetryAfter: true})
	c := ecsClient(t, s.URL())
	if _, err := novaShow(c, ecsServerID, "compute 2.9"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2500 * time.Millisecond)
	h, err := http.DefaultClient.Do(signedGet(t, s.URL()+"/v2.1/"+projectID+"/servers/"+ecsServerID))
	if err != nil {
		t.Fatal(err)
	}
	_ = h.Body.Close()
	if h.StatusCode != 429 || h.Header.Get("Retry-After") != "8" {
		t.Fatalf("status %d, Retry-After %q; want 429 and 8", h.StatusCode, h.Header.Get("Retry-After"))
	}
}

func TestParseLimit(t *testing.T) {
	for spec, want := range map[string]mockcloud.Limit{
		"each:ecs.*=window:200/5m":         {Ops: []string{"ecs.*"}, PerAPI: true, Calls: 200, Window: 5 * time.Minute},
		"bastionhost.*=bucket:10":          {Ops: []string{"bastionhost.*"}, Rate: 10},
		"a.B,a.C=bucket:2.5/4,retry-after": {Ops: []string{"a.B", "a.C"}, Rate: 2.5, Burst: 4, RetryAfter: true},
		"a.B=window:3/2s,count-refused":    {Ops: []string{"a.B"}, Calls: 3, Window: 2 * time.Second, CountRefused: true},
	} {
		got, err := mockcloud.ParseLimit(spec)
		if err != nil || strings.Join(got.Ops, ",") != strings.Join(want.Ops, ",") || got.PerAPI != want.PerAPI ||
			got.Rate != want.Rate || got.Burst != want.Burst || got.Calls != want.Calls || got.Window != want.Window ||
			got.RetryAfter != want.RetryAfter || got.CountRefused != want.CountRefused {
			t.Errorf("%s: %+v, %v", spec, got, err)
		}
	}
	for _, bad := range []string{"ecs.*", "=window:1/1s", "a=window:0/1s", "a=window:1/x", "a=bucket:0", "a=sliding:1", "a=bucket:1,soon"} {
		if _, err := mockcloud.ParseLimit(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
