package mockcloud_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// listURL is ListServersDetails on the mock with a query.
func listURL(s *mockcloud.Server, q url.Values) string {
	return s.URL() + "/v1/" + projectID + "/cloudservers/detail?" + q.Encode()
}

// listBody is the part of a list answer the tests read, keeping every
// entry's fields as raw JSON so a null is told apart from a missing field.
type listBody struct {
	Count   int                          `json:"count"`
	Servers []map[string]json.RawMessage `json:"servers"`
}

func getList(t *testing.T, s *mockcloud.Server, q url.Values) (int, listBody, []byte) {
	t.Helper()
	status, b := do(t, signedGet(t, listURL(s, q)))
	var out listBody
	if status == 200 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("answer %s: %v", b, err)
		}
	}
	return status, out, b
}

// server_id= answers exactly the ids asked, in order; an unknown id is an
// entry with only "id" and "fault" set and every other field null. Other
// filters are ignored. Through the SDK's model, that entry reads as
// locked = false: the trap the provider's own response type avoids.
func TestECSListServersDetailsByID(t *testing.T) {
	s := startECSMock(t)
	s.PutECSServer(mockcloud.ECSServer{ID: "b-2", Name: "db-02", Locked: true})
	const missing = "00000000-0000-4000-8000-000000000000"
	ids := ecsServerID + ",b-2," + missing

	status, body, raw := getList(t, s, url.Values{"server_id": {ids}, "name": {"nomatch"}, "limit": {"1"}})
	if status != 200 || body.Count != 3 || len(body.Servers) != 3 {
		t.Fatalf("status %d, answer %s", status, raw)
	}
	for i, want := range []struct{ id, locked string }{{ecsServerID, "false"}, {"b-2", "true"}, {missing, "null"}} {
		e := body.Servers[i]
		if string(e["id"]) != `"`+want.id+`"` || string(e["locked"]) != want.locked {
			t.Errorf("entry %d: id %s locked %s, want %s %s", i, e["id"], e["locked"], want.id, want.locked)
		}
	}
	f := body.Servers[2]
	var fault struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(f["fault"], &fault); err != nil || fault.Code != 404 || !strings.Contains(fault.Message, missing) {
		t.Errorf("fault = %s", f["fault"])
	}
	for k, v := range f {
		if k != "id" && k != "fault" && string(v) != "null" {
			t.Errorf("fault entry: %s = %s, want null", k, v)
		}
	}
	if len(f) != len(body.Servers[0])+1 { // the same fields as a server, plus fault
		t.Errorf("fault entry has %d fields, a server %d", len(f), len(body.Servers[0]))
	}
	if string(body.Servers[0]["name"]) != `"web-01"` || string(body.Servers[0]["tenant_id"]) != `"`+projectID+`"` {
		t.Errorf("server entry = %v", body.Servers[0])
	}

	// The SDK decodes the same answer; its plain bool reads the fault entry as unlocked.
	c := ecsClient(t, s.URL())
	r, err := c.ListServersDetails(&model.ListServersDetailsRequest{ServerId: strPtr(ids)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Servers == nil || len(*r.Servers) != 3 || !(*r.Servers)[1].Locked || (*r.Servers)[2].Locked || (*r.Servers)[2].Fault == nil {
		t.Errorf("SDK decode = %v", r)
	}
	if e := s.Journal(); e[len(e)-1].Op != "ecs.ListServersDetails" {
		t.Errorf("journal op = %q", e[len(e)-1].Op)
	}
}

func strPtr(s string) *string { return &s }

// Without server_id: pages of limit servers in id order, each after the
// marker; name keeps the names containing it; count is the whole match.
func TestECSListServersDetailsPages(t *testing.T) {
	s := startECSMock(t)
	s.DeleteECSServer(ecsServerID)
	for i := range 5 {
		s.PutECSServer(mockcloud.ECSServer{ID: fmt.Sprintf("s-%d", i), Name: fmt.Sprintf("web-%d", i), Locked: i%2 == 0})
	}
	s.PutECSServer(mockcloud.ECSServer{ID: "t-0", Name: "db-0"})

	var got []string
	marker := ""
	for pages := 0; ; pages++ {
		q := url.Values{"limit": {"2"}, "name": {"web"}}
		if marker != "" {
			q.Set("marker", marker)
		}
		status, body, raw := getList(t, s, q)
		if status != 200 || body.Count != 5 {
			t.Fatalf("page %d: status %d, %s", pages, status, raw)
		}
		for _, e := range body.Servers {
			var id string
			_ = json.Unmarshal(e["id"], &id)
			got = append(got, id)
		}
		if len(body.Servers) < 2 {
			break
		}
		marker = got[len(got)-1]
	}
	if strings.Join(got, ",") != "s-0,s-1,s-2,s-3,s-4" {
		t.Errorf("pages gave %v", got)
	}
	// The default page is 25 servers; without name every server is listed.
	if _, body, _ := getList(t, s, url.Values{}); body.Count != 6 || len(body.Servers) != 6 {
		t.Errorf("default list: count %d, %d servers", body.Count, len(body.Servers))
	}
}

// offset is a page number (from 1; 0 is the first page too), as the SDK's
// ListServersDetailsRequest documents it: the pages it gives are the
// marker's pages, and a page past the end is empty with the whole count.
func TestECSListServersDetailsOffset(t *testing.T) {
	s := startECSMock(t)
	s.DeleteECSServer(ecsServerID)
	for i := range 5 {
		s.PutECSServer(mockcloud.ECSServer{ID: fmt.Sprintf("s-%d", i), Name: fmt.Sprintf("web-%d", i)})
	}
	ids := func(q url.Values) string {
		t.Helper()
		status, body, raw := getList(t, s, q)
		if status != 200 || body.Count != 5 {
			t.Fatalf("%v: status %d, %s", q, status, raw)
		}
		var got []string
		for _, e := range body.Servers {
			var id string
			_ = json.Unmarshal(e["id"], &id)
			got = append(got, id)
		}
		return strings.Join(got, ",")
	}
	for offset, want := range map[string]string{"0": "s-0,s-1", "1": "s-0,s-1", "2": "s-2,s-3", "3": "s-4", "4": ""} {
		if got := ids(url.Values{"limit": {"2"}, "offset": {offset}}); got != want {
			t.Errorf("offset %s: %q, want %q", offset, got, want)
		}
	}
	if got := ids(url.Values{"limit": {"2"}, "offset": {"2"}, "marker": {"s-0"}}); got != "s-3,s-4" {
		t.Errorf("offset 2 after marker s-0: %q", got)
	}
}

// Bad parameters, a project that is not the caller's, and an unsigned
// request are refused.
func TestECSListServersDetailsRefuses(t *testing.T) {
	s := startECSMock(t)
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("id-%d", i)
	}
	for name, q := range map[string]url.Values{
		"limit 0":        {"limit": {"0"}},
		"limit 1001":     {"limit": {"1001"}},
		"limit x":        {"limit": {"x"}},
		"101 ids":        {"server_id": {strings.Join(many, ",")}},
		"unknown marker": {"marker": {"nope"}},
		"offset -1":      {"offset": {"-1"}},
		"offset x":       {"offset": {"x"}},
	} {
		status, _, raw := getList(t, s, q)
		if status != 400 || !strings.Contains(string(raw), "Ecs.0005") {
			t.Errorf("%s: status %d, %s", name, status, raw)
		}
	}
	other := s.URL() + "/v1/0123456789abcdef0123456789abcdef/cloudservers/detail"
	if status, b := do(t, signedGet(t, other)); status != 400 || !strings.Contains(string(b), "doesn't match") {
		t.Errorf("other project: %d %s", status, b)
	}
	unsigned := signedGet(t, listURL(s, url.Values{}))
	unsigned.Header.Set("Authorization", strings.Replace(unsigned.Header.Get("Authorization"), "Signature=", "Signature=00", 1))
	if status, b := do(t, unsigned); status != 401 || !strings.Contains(string(b), "APIGW.0301") {
		t.Errorf("bad signature: %d %s", status, b)
	}
}

// A listed server counts as a read for LockLag, as a show does.
func TestECSListServersDetailsHonoursLockLag(t *testing.T) {
	s := startECSMock(t)
	s.PutECSServer(mockcloud.ECSServer{ID: ecsServerID, Name: "web-01", LockLag: 1})
	c := ecsClient(t, s.URL())
	if status, err := serverAction(c, ecsServerID, `{"lock": null}`); err != nil || status != 202 {
		t.Fatal(status, err)
	}
	for i, want := range []string{"false", "true"} {
		_, body, _ := getList(t, s, url.Values{"server_id": {ecsServerID}})
		if got := string(body.Servers[0]["locked"]); got != want {
			t.Errorf("read %d: locked %s, want %s", i, got, want)
		}
	}
}
