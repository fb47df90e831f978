package mockcloud_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

func TestFaultStatusTimesThenNormal(t *testing.T) {
	s := startMock(t)
	c := smsClient(t, s.URL(), hwCreds)
	s.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 503, Times: 2})

	for i := 0; i < 2; i++ {
		se := serviceError(t, func() error { _, err := showTask(c, taskID); return err }())
		if se.StatusCode != 503 {
			t.Fatalf("call %d: %+v", i, se)
		}
	}
	if _, err := showTask(c, taskID); err != nil {
		t.Fatalf("third call: %v", err)
	}
	j := s.Journal()
	if len(j) != 3 || !j[0].Faulted || !j[1].Faulted || j[2].Faulted || j[0].Status != 503 || j[2].Status != 200 {
		t.Errorf("journal = %+v", j)
	}
}

func TestFaultsQueueInOrderWithCloudBodies(t *testing.T) {
	s := startMock(t)
	hc := hcClient(t, s.URL(), hwCreds)
	s.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Status: 429, Times: 1})
	s.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Status: 500, Times: 1})
	s.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Fixture: "sms/error_403_SMS.9004.json", Times: 1})

	want := []struct {
		status int
		code   string
	}{{429, "APIGW.0308"}, {500, "SMS.2007"}, {403, "SMS.9004"}}
	for _, w := range want {
		se := serviceError(t, unlock(hc, taskID))
		if se.StatusCode != w.status || se.ErrorCode != w.code {
			t.Errorf("want %d %s, got %+v", w.status, w.code, se)
		}
	}
	if task, _ := s.Task(taskID); !task.TargetLocked {
		t.Error("a faulted unlock changed state")
	}
	if err := unlock(hc, taskID); err != nil {
		t.Fatal(err)
	}
	if task, _ := s.Task(taskID); task.TargetLocked {
		t.Error("unlock after the faults did not unlock")
	}
}

func TestFaultEveryRequestUntilCleared(t *testing.T) {
	s := startMock(t)
	c := smsClient(t, s.URL(), hwCreds)
	s.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 502})
	for i := 0; i < 3; i++ {
		if se := serviceError(t, func() error { _, err := showTask(c, taskID); return err }()); se.StatusCode != 502 || se.ErrorCode != "APIGW.0202" {
			t.Fatalf("call %d: %+v", i, se)
		}
	}
	s.ClearFaults()
	if _, err := showTask(c, taskID); err != nil {
		t.Fatal(err)
	}
}

func TestFaultAppliesOnlyAfterSignatureCheck(t *testing.T) {
	s := startMock(t)
	s.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 500, Times: 1})
	bad := mockcloud.Credentials{AccessKey: hwCreds.AccessKey, SecretKey: "wrong"}
	if se := serviceError(t, func() error { _, err := showTask(smsClient(t, s.URL(), bad), taskID); return err }()); se.StatusCode != 401 {
		t.Fatalf("bad signature: %+v", se)
	}
	// The fault is still queued for the first authentic request.
	if se := serviceError(t, func() error { _, err := showTask(smsClient(t, s.URL(), hwCreds), taskID); return err }()); se.StatusCode != 500 {
		t.Fatalf("authentic request: %+v", se)
	}
}

func TestFaultRawBodyAndHeader(t *testing.T) {
	s := startMock(t)
	s.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 429, Body: `{"error_code":"X.1","error_msg":"custom"}`,
		Header: map[string]string{"Retry-After": "7"}, Times: 1})
	req := signedGet(t, s.URL()+"/v3/tasks/"+taskID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" || resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
}

func TestFaultDelay(t *testing.T) {
	s := startMock(t)
	c := smsClient(t, s.URL(), hwCreds)
	s.InjectFault("sms.ShowTask", mockcloud.Fault{Delay: 300 * time.Millisecond, Times: 1})
	start := time.Now()
	if _, err := showTask(c, taskID); err != nil { // slow, then the normal answer
		t.Fatal(err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("answered after %v, want >= 300ms", d)
	}
	if j := s.Journal(); !j[0].Faulted || j[0].Status != 200 {
		t.Errorf("journal = %+v", j)
	}
}

func TestFaultDelayStopsWhenClientLeaves(t *testing.T) {
	// The delay outlasts any test run: the handler can only end, and the
	// request be journaled, because the client went away.
	journaled := make(chan struct{}, 1)
	s := startMockWith(t, mockcloud.Options{Logf: func(string, ...any) {
		select {
		case journaled <- struct{}{}:
		default:
		}
	}})
	s.InjectFault("sms.ShowTask", mockcloud.Fault{Delay: 24 * time.Hour, Status: 500})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req := signedGet(t, s.URL()+"/v3/tasks/"+taskID).WithContext(ctx)
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("want a client timeout")
	}
	<-journaled
	if e := s.Journal()[0]; e.Status != 0 || !e.Faulted || e.Op != "sms.ShowTask" {
		t.Errorf("journal entry = %+v", e)
	}
}

func TestFaultDrop(t *testing.T) {
	s := startMock(t)
	s.InjectFault("sms.ShowTask", mockcloud.Fault{Drop: true, Times: 1})
	// A fresh client, so its first request is on a new connection (Go
	// retries a GET once on a reused one).
	if _, err := showTask(smsClient(t, s.URL(), hwCreds), taskID); err == nil {
		t.Fatal("want an error for a dropped connection")
	}
	if _, err := showTask(smsClient(t, s.URL(), hwCreds), taskID); err != nil {
		t.Fatalf("after the drop: %v", err)
	}
	j := s.Journal()
	if len(j) != 2 || j[0].Status != 0 || !j[0].Faulted || j[1].Status != 200 {
		t.Errorf("journal = %+v", j)
	}
}

// The 403 body must be the documented one (seed 000), compared as JSON.
func TestSMS9004FixtureMatchesSeed(t *testing.T) {
	s := startMock(t)
	s.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Fixture: "sms/error_403_SMS.9004.json", Times: 1})
	req := signedPost(t, s.URL()+"/v3/tasks/"+taskID+"/unlock", nil)
	status, got := do(t, req)
	if status != 403 {
		t.Fatalf("status %d", status)
	}
	want, err := os.ReadFile("testdata/seed000_error_403_SMS.9004.json")
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, got, want)

	// Where the seed documents are at hand, check the copy is still theirs.
	docs, _ := filepath.Glob("../../../shared/seeds/000_*.txt")
	for _, doc := range docs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(string(text), `{
  "error_code" : "SMS.9004"`)
		if i < 0 {
			t.Fatalf("%s: no SMS.9004 example", doc)
		}
		var v json.RawMessage
		if err := json.NewDecoder(strings.NewReader(string(text[i:]))).Decode(&v); err != nil {
			t.Fatal(err)
		}
		assertSameJSON(t, got, v)
	}
}

func assertSameJSON(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got %q: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON differs:\n got %s\nwant %s", got, want)
	}
}

func signedGet(t *testing.T, url string) *http.Request {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if err := signature.SignHuawei(req, nil, hwCreds.AccessKey, hwCreds.SecretKey, time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

func signedPost(t *testing.T, url string, body []byte) *http.Request {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if err := signature.SignHuawei(req, body, hwCreds.AccessKey, hwCreds.SecretKey, time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

// A fault's Do hook runs for each request the fault applies to, before the
// answer: a call answered has been counted.
func TestFaultDo(t *testing.T) {
	s := startMock(t)
	c := smsClient(t, s.URL(), hwCreds)
	var mu sync.Mutex
	ran := 0
	s.InjectFault("sms.ShowTask", mockcloud.Fault{Times: 2, Do: func() { mu.Lock(); ran++; mu.Unlock() }})
	for i, want := range []int{1, 2, 2} {
		if _, err := showTask(c, taskID); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		got := ran
		mu.Unlock()
		if got != want {
			t.Errorf("after call %d the hook ran %d times, want %d", i+1, got, want)
		}
	}
}
