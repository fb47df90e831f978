package sms_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/sms"
)

func registration(hostname string) *sms.SourceRegistration {
	ip, vt := "10.0.0.7", "HVM"
	var osType model.PostSourceServerBodyOsType
	_ = osType.UnmarshalJSON([]byte(`"LINUX"`))
	return &sms.SourceRegistration{
		PostSourceServerBody: model.PostSourceServerBody{
			Ip: &ip, Hostname: &hostname, Name: hostname, OsType: osType, OsVersion: "CENTOS_7_9_64BIT",
			AgentVersion: "2.2.1", Networks: []model.NetWork{},
		},
		VirtualizationType: &vt,
	}
}

// The registration reaches the cloud with the document's fields, the one
// the SDK's model lacks (virtualization_type) included, at the top level.
func TestAPIRegisterServerSendsTheDocumentedBody(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	api := sms.NewAPI(acctest.Client(m, 3))
	id, err := api.RegisterServer(context.Background(), registration("web-07"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.SourceServer(id); !ok {
		t.Fatalf("id %q is not the mock's", id)
	}
	var body map[string]any
	for _, e := range m.Journal() {
		if e.Op == "sms.RegisterServer" {
			_ = json.Unmarshal(e.Body, &body)
		}
	}
	want := map[string]any{"ip": "10.0.0.7", "hostname": "web-07", "name": "web-07", "os_type": "LINUX",
		"os_version": "CENTOS_7_9_64BIT", "agent_version": "2.2.1", "networks": []any{}, "virtualization_type": "HVM"}
	if len(body) != len(want) {
		t.Errorf("body %v, want %v", body, want)
	}
	for k, v := range want {
		if b, _ := json.Marshal(body[k]); string(b) != string(must(json.Marshal(v))) {
			t.Errorf("%s = %s, want %v", k, b, v)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// RegisterServer is not idempotent: a 5xx or a connection dropped after the
// request was sent is not retried (the cloud may have registered the
// server), throttling is. DeleteServer, idempotent, is retried after a drop.
func TestAPIRegisterServerRetryPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, tc := range map[string]struct {
		fault mockcloud.Fault
		calls int
		ok    bool
	}{
		"500 is not retried":        {mockcloud.Fault{Status: 500, Times: 1}, 1, false},
		"502 is not retried":        {mockcloud.Fault{Status: 502, Times: 1}, 1, false},
		"a drop is not retried":     {mockcloud.Fault{Drop: true, Times: 1}, 1, false},
		"throttling is retried":     {mockcloud.Fault{Status: 429, Times: 2}, 3, true},
		"400 is final":              {mockcloud.Fault{Fixture: "sms/sources_error_400_SMS.9001.json", Times: 1}, 1, false},
		"403 SMS.9004 is final":     {mockcloud.Fault{Fixture: "sms/sources_error_403_SMS.9004.json", Times: 1}, 1, false},
		"no fault: one call, an id": {mockcloud.Fault{Times: 0, Header: map[string]string{"X-Test": "1"}}, 1, true},
	} {
		t.Run(name, func(t *testing.T) {
			m := acctest.StartMock(t)
			m.InjectFault("sms.RegisterServer", tc.fault)
			_, err := sms.NewAPI(acctest.Client(m, 3)).RegisterServer(ctx, registration("web-"+strings.ReplaceAll(name, " ", "-")))
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want success %v", err, tc.ok)
			}
			if n := m.Calls("sms.RegisterServer"); n != tc.calls {
				t.Errorf("%d requests, want %d", n, tc.calls)
			}
			want := 0
			if tc.ok {
				want = 1
			}
			if n := len(m.SourceServers()); n != want {
				t.Errorf("%d servers registered, want %d", n, want)
			}
		})
	}

	m := acctest.StartMock(t)
	id := m.PutSourceServer(mockcloud.SourceServer{IP: "10.0.0.8", Hostname: "h", OSType: "LINUX", OSVersion: "v"})
	m.InjectFault("sms.DeleteServer", mockcloud.Fault{Drop: true, Times: 2})
	if err := sms.NewAPI(acctest.Client(m, 3)).DeleteServer(ctx, id); err != nil {
		t.Fatalf("delete after dropped connections: %v", err)
	}
	if _, ok := m.SourceServer(id); ok || m.Calls("sms.DeleteServer") != 3 {
		t.Errorf("delete: %d calls, server still there %v", m.Calls("sms.DeleteServer"), ok)
	}
}

// An answer without the new id is an error, not an empty id in state.
func TestAPIRegisterServerWithoutID(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.InjectFault("sms.RegisterServer", mockcloud.Fault{Status: 200, Body: `{}`, Times: 1})
	_, err := sms.NewAPI(acctest.Client(m, 3)).RegisterServer(context.Background(), registration("web-08"))
	if err == nil || !strings.Contains(err.Error(), "without the id") {
		t.Fatalf("err = %v", err)
	}
}

func TestAPIShowAndDeleteUnknownServer(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	api := sms.NewAPI(acctest.Client(m, 3))
	_, err := api.ShowServer(context.Background(), "no-such-server")
	var ce *conns.CloudError
	if !conns.IsNotFound(err) || !errors.As(err, &ce) || ce.Code != "SMS.2216" || ce.RequestID == "" {
		t.Errorf("show: %v", err)
	}
	if err := api.DeleteServer(context.Background(), "no-such-server"); !conns.IsNotFound(err) {
		t.Errorf("delete: %v", err)
	}
	if n := m.Calls("sms.ShowServer") + m.Calls("sms.DeleteServer"); n != 2 {
		t.Errorf("%d calls: a 404 was retried", n)
	}
}

// ListServers reads every page, sends the filters, and stops on an empty
// page even when count says there is more.
func TestAPIListServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := acctest.StartMock(t)
	putServers(m, 230)
	api := sms.NewAPI(acctest.Client(m, 3))

	all, err := api.ListServers(ctx, sms.ServerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 230 || *all[229].Id != "5e6f7a8b-0000-4000-8000-000000000229" || m.Calls("sms.ListServers") != 3 {
		t.Errorf("%d servers in %d calls", len(all), m.Calls("sms.ListServers"))
	}

	some, err := api.ListServers(ctx, sms.ServerFilter{Name: "web-2", State: "replicate"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range some {
		if *s.Name != "web-2" || s.State.Value() != "replicate" {
			t.Errorf("filtered list has %s %s", *s.Name, s.State.Value())
		}
	}
	if len(some) != 19 { // i%4 == 2 and i%3 == 0: i = 6, 18, ..., 222
		t.Errorf("%d servers named web-2 replicating, want 19", len(some))
	}

	// A count the pages never reach must not loop: an empty page ends it.
	m.ResetJournal()
	m.InjectFault("sms.ListServers", mockcloud.Fault{Status: 200, Body: `{"count": 1000, "source_servers": []}`, Times: 1})
	none, err := api.ListServers(ctx, sms.ServerFilter{})
	if err != nil || len(none) != 0 || m.Calls("sms.ListServers") != 1 {
		t.Errorf("empty page: %d servers, %v, %d calls", len(none), err, m.Calls("sms.ListServers"))
	}
}
