package ecs_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/listing"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/ecs"
)

// ListServers walks every page: limit 1000, each page after the last id of
// the one before, and reads each server's lock state.
func TestAPIListServersEveryPage(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	for i := range 2500 {
		m.PutECSServer(mockcloud.ECSServer{ID: fmt.Sprintf("srv-%04d", i), Name: fmt.Sprintf("web-%04d", i), Locked: i%3 == 0})
	}
	api := ecs.NewAPI(acctest.Client(m, 0))
	got, err := listing.All(api.Servers(context.Background(), acctest.HuaweiRegion, acctest.ProjectID, ecs.ListFilter{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2500 {
		t.Fatalf("%d servers, want 2500", len(got))
	}
	for i, s := range got {
		want := ecs.Server{ID: fmt.Sprintf("srv-%04d", i), Name: fmt.Sprintf("web-%04d", i), Status: "ACTIVE", Locked: i%3 == 0}
		if s != want {
			t.Fatalf("server %d = %+v, want %+v", i, s, want)
		}
	}
	calls := entries(m, "ecs.ListServersDetails")
	if len(calls) != 3 {
		t.Fatalf("%d list calls, want 3", len(calls))
	}
	for i, marker := range []string{"", "srv-0999", "srv-1999"} {
		q, _ := url.ParseQuery(calls[i].RawQuery)
		if q.Get("limit") != "1000" || q.Get("marker") != marker || q.Has("name") || q.Has("server_id") {
			t.Errorf("call %d query = %q", i, calls[i].RawQuery)
		}
		if calls[i].Header.Get("X-Project-Id") != acctest.ProjectID {
			t.Errorf("call %d has no project header", i)
		}
	}
}

// Servers asks for a page only when the one before is used up: a caller that
// stops within the first page of 2,500 servers costs one call, not three.
func TestAPIServersStopsBeforeTheNextPage(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	for i := range 2500 {
		m.PutECSServer(mockcloud.ECSServer{ID: fmt.Sprintf("srv-%04d", i), Name: fmt.Sprintf("web-%04d", i)})
	}
	api := ecs.NewAPI(acctest.Client(m, 0))
	n := 0
	for s, err := range api.Servers(context.Background(), acctest.HuaweiRegion, acctest.ProjectID, ecs.ListFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 1000 {
			if s.ID != "srv-0999" {
				t.Fatalf("server 1000 is %s, want srv-0999", s.ID)
			}
			break
		}
	}
	if calls := m.Calls("ecs.ListServersDetails"); calls != 1 {
		t.Fatalf("stopping after the first page's last server made %d list calls, want 1", calls)
	}
}

// The name filter reaches the API; an empty answer is an empty list.
func TestAPIListServersByName(t *testing.T) {
	t.Parallel()
	m, api := apiMock(t, 0)
	m.PutECSServer(mockcloud.ECSServer{ID: "db-1", Name: "db-01"})
	got, err := listing.All(api.Servers(context.Background(), acctest.HuaweiRegion, acctest.ProjectID, ecs.ListFilter{Name: "web"}))
	if err != nil || len(got) != 1 || got[0].ID != serverID {
		t.Fatalf("got %+v, %v", got, err)
	}
	q, _ := url.ParseQuery(entries(m, "ecs.ListServersDetails")[0].RawQuery)
	if q.Get("name") != "web" {
		t.Errorf("query = %v", q)
	}
	got, err = listing.All(api.Servers(context.Background(), acctest.HuaweiRegion, acctest.ProjectID, ecs.ListFilter{Name: "nothing"}))
	if err != nil || len(got) != 0 {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// An entry whose "locked" is null, or that has a fault, is never read as
// unlocked: the list fails naming the server.
func TestAPIListServersNullLockedIsNotUnlocked(t *testing.T) {
	t.Parallel()
	for name, entry := range map[string]string{
		"null locked": `{"id": "x-1", "name": "web", "status": "ACTIVE", "locked": null}`,
		"no locked":   `{"id": "x-1", "name": "web", "status": "ACTIVE"}`,
		"fault":       `{"id": "x-1", "fault": {"code": 404, "message": "gone"}, "name": null, "status": null, "locked": false}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, api := apiMock(t, 0)
			m.InjectFault("ecs.ListServersDetails", mockcloud.Fault{Status: 200, Body: `{"count": 1, "servers": [` + entry + `]}`})
			got, err := listing.All(api.Servers(context.Background(), acctest.HuaweiRegion, acctest.ProjectID, ecs.ListFilter{}))
			if !errors.Is(err, ecs.ErrListedNotFound) || got != nil {
				t.Fatalf("got %+v, %v; want ErrListedNotFound", got, err)
			}
			if want := "server x-1"; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name the server", err)
			}
		})
	}
}
