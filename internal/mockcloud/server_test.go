package mockcloud_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	sms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

func TestShowTaskAndPassphraseThroughSDK(t *testing.T) {
	s := startMock(t)
	c := smsClient(t, s.URL(), hwCreds)

	task, err := showTask(c, taskID)
	if err != nil {
		t.Fatal(err)
	}
	if *task.Id != taskID || *task.Name != "web-01" || task.State.Value() != "MIGRATE_SUCCESS" {
		t.Errorf("task = %v", task)
	}
	if task.TargetServer == nil || *task.TargetServer.VmId != "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01" ||
		*task.TargetServer.Name != "web-01-target" {
		t.Errorf("target_server = %v", task.TargetServer)
	}
	if *task.ProjectId != projectID {
		t.Errorf("project_id = %q", *task.ProjectId)
	}

	// Repeated reads answer the same, whatever their number.
	for i := 0; i < 3; i++ {
		p, err := c.ShowPassphrase(&model.ShowPassphraseRequest{TaskId: taskID})
		if err != nil {
			t.Fatal(err)
		}
		if *p.TaskId != taskID || *p.Passphrase != "test-passphrase-9f8e7d6c" {
			t.Fatalf("passphrase answer = %v", p)
		}
	}
	if n := s.Calls("sms.ShowPassphrase"); n != 3 {
		t.Errorf("Calls(sms.ShowPassphrase) = %d, want 3", n)
	}
}

func TestUnlockChangesState(t *testing.T) {
	s := startMock(t)
	if err := unlock(hcClient(t, s.URL(), hwCreds), taskID); err != nil {
		t.Fatal(err)
	}
	if task, _ := s.Task(taskID); task.TargetLocked {
		t.Error("target still locked after unlock")
	}
	// Unlocking again is not an error.
	if err := unlock(hcClient(t, s.URL(), hwCreds), taskID); err != nil {
		t.Fatal(err)
	}
	j := s.Journal()
	if len(j) != 2 || j[0].Op != "sms.UnlockTargetEcs" || j[0].Status != 200 || j[0].Method != "POST" ||
		j[0].Path != "/v3/tasks/"+taskID+"/unlock" {
		t.Errorf("journal = %+v", j)
	}
}

func TestUnknownTaskIs404(t *testing.T) {
	s := startMock(t)
	_, err := showTask(smsClient(t, s.URL(), hwCreds), "00000000-0000-0000-0000-000000000000")
	se := serviceError(t, err)
	if se.StatusCode != 404 || se.ErrorCode != "SMS.6301" || se.RequestId == "" {
		t.Errorf("error = %+v", se)
	}
	s.DeleteTask(taskID)
	se = serviceError(t, unlock(hcClient(t, s.URL(), hwCreds), taskID))
	if se.StatusCode != 404 || se.ErrorCode != "SMS.6301" {
		t.Errorf("unlock of a deleted task: %+v", se)
	}
}

func TestIAMProjectLookup(t *testing.T) {
	// A fresh access key: the SDK caches project ids per key and region.
	creds := mockcloud.Credentials{AccessKey: "TESTIAM" + mockcloud.RandomPassphrase()[:13], SecretKey: "iam-secret-0123456789"}
	s2 := mockcloud.StartT(t, mockcloud.Options{Huawei: creds, ProjectID: projectID})
	s2.PutTask(mockcloud.Task{ID: taskID, Name: "web-01", State: "MIGRATE_SUCCESS"})

	auth, err := basic.NewCredentialsBuilder().WithAk(creds.AccessKey).WithSk(creds.SecretKey).
		WithIamEndpointOverride(s2.URL()).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := sms.SmsClientBuilder().WithRegion(region.NewRegion("cn-north-4", s2.URL())).WithCredential(auth).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	if auth.ProjectId != projectID {
		t.Errorf("SDK learnt project id %q, want %q", auth.ProjectId, projectID)
	}
	if _, err := showTask(sms.NewSmsClient(hc), taskID); err != nil {
		t.Fatal(err)
	}
	j := s2.Journal()
	if len(j) != 2 || j[0].Op != "iam.KeystoneListProjects" || j[0].RawQuery != "name=cn-north-4" || j[1].Op != "sms.ShowTask" {
		t.Errorf("journal = %+v", j)
	}
	if got := j[1].Header.Get("X-Project-Id"); got != projectID {
		t.Errorf("X-Project-Id = %q", got)
	}
}

func TestWrongSecretIsRejectedAndChangesNothing(t *testing.T) {
	s := startMock(t)
	bad := mockcloud.Credentials{AccessKey: hwCreds.AccessKey, SecretKey: "not-the-secret"}
	se := serviceError(t, unlock(hcClient(t, s.URL(), bad), taskID))
	if se.StatusCode != 401 || se.ErrorCode != "APIGW.0301" || se.RequestId == "" {
		t.Errorf("error = %+v", se)
	}
	if task, _ := s.Task(taskID); !task.TargetLocked {
		t.Error("a request with a bad signature unlocked the target")
	}
	if s.Calls("auth") != 1 || s.Calls("sms.UnlockTargetEcs") != 0 {
		t.Errorf("journal = %+v", s.Journal())
	}

	unknown := mockcloud.Credentials{AccessKey: "UNKNOWNAK00000000000", SecretKey: hwCreds.SecretKey}
	se = serviceError(t, unlock(hcClient(t, s.URL(), unknown), taskID))
	if se.StatusCode != 401 || se.ErrorCode != "APIGW.0301" {
		t.Errorf("unknown key: %+v", se)
	}
}

func TestTamperedRequestIsRejected(t *testing.T) {
	s := startMock(t)
	body := []byte(`{}`)
	req, _ := http.NewRequest("POST", s.URL()+"/v3/tasks/"+taskID+"/unlock", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if err := signature.SignHuawei(req, body, hwCreds.AccessKey, hwCreds.SecretKey, time.Now()); err != nil {
		t.Fatal(err)
	}
	// Signed for one task, sent for another.
	req.URL.Path = "/v3/tasks/7a9a9540-ff28-4869-b9e4-855fbe12a002/unlock"
	status, b := do(t, req)
	var e struct{ ErrorCode, ErrorMsg, RequestID string }
	decodeHuaweiError(t, b, &e.ErrorCode, &e.ErrorMsg, &e.RequestID)
	if status != 401 || e.ErrorCode != "APIGW.0301" || e.ErrorMsg == "" || e.RequestID == "" {
		t.Errorf("status %d, body %s", status, b)
	}

	// A body changed after signing.
	req, _ = http.NewRequest("POST", s.URL()+"/v3/tasks/"+taskID+"/unlock", bytes.NewReader([]byte(`{"x":1}`)))
	req.Header.Set("Content-Type", "application/json")
	if err := signature.SignHuawei(req, body, hwCreds.AccessKey, hwCreds.SecretKey, time.Now()); err != nil {
		t.Fatal(err)
	}
	if status, b := do(t, req); status != 401 {
		t.Errorf("tampered body: status %d, body %s", status, b)
	}

	// No signature at all.
	req, _ = http.NewRequest("GET", s.URL()+"/v3/tasks/"+taskID, nil)
	if status, _ := do(t, req); status != 401 {
		t.Errorf("unsigned: status %d", status)
	}
	if task, _ := s.Task(taskID); !task.TargetLocked {
		t.Error("state changed")
	}
	if s.Calls("auth") != 3 {
		t.Errorf("Calls(auth) = %d", s.Calls("auth"))
	}
}

func TestHuaweiSecurityToken(t *testing.T) {
	creds := hwCreds
	creds.SecurityToken = "test-security-token-abcdef"
	s := mockcloud.StartT(t, mockcloud.Options{Huawei: creds})
	s.PutTask(mockcloud.Task{ID: taskID})

	se := serviceError(t, unlock(hcClient(t, s.URL(), hwCreds), taskID)) // no token
	if se.StatusCode != 401 || se.ErrorCode != "APIGW.0301" || !strings.Contains(se.ErrorMessage, "token") {
		t.Errorf("missing token: %+v", se)
	}
	if err := unlock(hcClient(t, s.URL(), creds), taskID); err != nil {
		t.Errorf("with token: %v", err)
	}
}

func TestUnknownRouteIs404(t *testing.T) {
	s := startMock(t)
	req, _ := http.NewRequest("GET", s.URL()+"/v3/nothing-here", nil)
	if err := signature.SignHuawei(req, nil, hwCreds.AccessKey, hwCreds.SecretKey, time.Now()); err != nil {
		t.Fatal(err)
	}
	status, b := do(t, req)
	var code, msg, id string
	decodeHuaweiError(t, b, &code, &msg, &id)
	if status != 404 || code != "APIGW.0101" {
		t.Errorf("status %d, body %s", status, b)
	}
	if j := s.Journal(); len(j) != 1 || j[0].Op != "" || j[0].Status != 404 {
		t.Errorf("journal = %+v", j)
	}
}

func TestEveryHuaweiAnswerHasRequestID(t *testing.T) {
	s := startMock(t)
	req, _ := http.NewRequest("GET", s.URL()+"/v3/tasks/"+taskID, nil)
	if err := signature.SignHuawei(req, nil, hwCreds.AccessKey, hwCreds.SecretKey, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if len(id) != 32 || s.Journal()[0].RequestID != id {
		t.Errorf("X-Request-Id %q, journal %q", id, s.Journal()[0].RequestID)
	}
}

func TestLoadSeed(t *testing.T) {
	s := mockcloud.New(mockcloud.Options{})
	if err := s.LoadSeed(mockcloud.DemoSeed()); err != nil {
		t.Fatal(err)
	}
	a, ok1 := s.Task("7a9a9540-ff28-4869-b9e4-855fbe12a001")
	b, ok2 := s.Task("7a9a9540-ff28-4869-b9e4-855fbe12a002")
	if !ok1 || !ok2 || !a.TargetLocked || a.TargetServerID == "" || a.Passphrase == "" || a.Passphrase == b.Passphrase {
		t.Errorf("demo seed gave %+v, %+v", a, b)
	}
	if err := s.LoadSeed([]byte(`{"taks": []}`)); err == nil {
		t.Error("a misspelt seed was accepted")
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0": true, "localhost:8080": true, "[::1]:0": true,
		"0.0.0.0:0": false, ":8080": false, "192.168.1.2:80": false, "example.com:80": false,
	} {
		if err := mockcloud.CheckLoopback(addr); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v", addr, err)
		}
	}
	if _, err := mockcloud.Start(mockcloud.Options{Addr: "0.0.0.0:0"}); err == nil {
		t.Error("Start listened on a non-loopback address")
	}
}

// do sends a request and returns the status and body.
func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func decodeHuaweiError(t *testing.T, b []byte, code, msg, requestID *string) {
	t.Helper()
	var e struct {
		ErrorCode string `json:"error_code"`
		ErrorMsg  string `json:"error_msg"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("error body %q: %v", b, err)
	}
	*code, *msg, *requestID = e.ErrorCode, e.ErrorMsg, e.RequestID
}
