package mockcloud_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	sms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// The recorder in front of a mock, a real SDK client through the recorder:
// the fixtures written must hold no secret and load as fixtures.
func TestRecorder(t *testing.T) {
	// A key of its own: the SDK caches IAM look-ups per key and region, and
	// this test wants to see one.
	hw := mockcloud.Credentials{AccessKey: "TESTREC" + mockcloud.RandomPassphrase()[:13], SecretKey: "recorder-test-secret-key-0123",
		SecurityToken: "recorder-test-security-token-0123"}
	const domainID = "aa11bb22cc33dd44ee55ff6677889900"
	const passphrase = "recorded-passphrase-must-not-leak"
	up := mockcloud.StartT(t, mockcloud.Options{Huawei: hw, Alibaba: aliCreds, ProjectID: projectID, DomainID: domainID})
	up.PutTask(mockcloud.Task{ID: taskID, Name: "web-01", State: "MIGRATE_SUCCESS", Passphrase: passphrase,
		TargetServerID: "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01", TargetServerName: "web-01-target", TargetLocked: true})

	dir := t.TempDir()
	rec, err := mockcloud.StartRecorder(mockcloud.RecorderOptions{Upstream: up.URL(), Dir: dir, Alibaba: aliCreds})
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()

	// Huawei, through the SDK: the IAM project look-up, then SMS calls.
	auth, err := basic.NewCredentialsBuilder().WithAk(hw.AccessKey).WithSk(hw.SecretKey).WithSecurityToken(hw.SecurityToken).
		WithIamEndpointOverride(rec.URL()).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := sms.SmsClientBuilder().WithRegion(region.NewRegion("cn-north-4", rec.URL())).WithCredential(auth).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	c := sms.NewSmsClient(hc)
	if _, err := showTask(c, taskID); err != nil {
		t.Fatal(err)
	}
	p, err := c.ShowPassphrase(&model.ShowPassphraseRequest{TaskId: taskID})
	if err != nil || *p.Passphrase != passphrase {
		t.Fatalf("passphrase through the recorder: %v, %v", p, err)
	}
	if err := unlock(hc, taskID); err != nil {
		t.Fatal(err)
	}
	if task, _ := up.Task(taskID); task.TargetLocked {
		t.Error("unlock through the recorder did not reach the upstream")
	}
	if _, err := showTask(c, "00000000-0000-0000-0000-000000000000"); err == nil {
		t.Error("unknown task: want 404")
	}
	badAuth, _ := basic.NewCredentialsBuilder().WithAk(hw.AccessKey).WithSk("wrong-secret").WithProjectId(projectID).SafeBuild()
	badHC, _ := sms.SmsClientBuilder().WithEndpoints([]string{rec.URL()}).WithCredential(badAuth).SafeBuild()
	if _, err := showTask(sms.NewSmsClient(badHC), taskID); err == nil {
		t.Error("bad signature: want 401")
	}

	// Alibaba: ACS3 must be re-signed for the upstream host; v2 goes as is.
	for name, req := range map[string]*http.Request{
		"ACS3": acs3Request(t, rec.URL(), aliCreds.AccessKey, aliCreds.SecretKey, ""),
		"v2":   v2Request(t, rec.URL(), aliCreds.AccessKey, aliCreds.SecretKey, ""),
	} {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct{ Code string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if e.Code != "InvalidAction.NotFound" { // i.e. the signature was accepted upstream
			t.Errorf("%s through the recorder: %d %s", name, resp.StatusCode, e.Code)
		}
	}

	// What must not be in any fixture.
	secrets := []string{hw.AccessKey, hw.SecretKey, hw.SecurityToken, aliCreds.AccessKey, aliCreds.SecretKey,
		passphrase, projectID, domainID, "SDK-HMAC-SHA256", "ACS3-HMAC-SHA256"}
	for _, e := range up.Journal() {
		secrets = append(secrets, e.RequestID)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != len(up.Journal()) {
		t.Errorf("%d fixtures for %d exchanges", len(files), len(up.Journal()))
	}
	byOp := map[string]mockcloud.Fixture{}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range secrets {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s contains %q:\n%s", filepath.Base(name), secret, data)
			}
		}
		f, err := mockcloud.ParseFixture(data)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(name), err)
		}
		if _, err := f.Render(placeholderData()); err != nil {
			t.Errorf("%s does not render: %v", filepath.Base(name), err)
		}
		if f.Status == 200 {
			byOp[f.Operation] = f
		}
	}

	// Placeholders stand where the values were, so a recording replays for any task.
	for op, want := range map[string]string{
		"iam.KeystoneListProjects": `"{{.ProjectID}}"`,
		"sms.ShowPassphrase":       `"passphrase": "{{.Passphrase}}"`,
		"sms.ShowTask":             `"id": "{{.TaskID}}"`,
	} {
		f, ok := byOp[op]
		if !ok {
			t.Errorf("no 200 fixture for %s", op)
			continue
		}
		if !strings.Contains(string(f.Body), want) {
			t.Errorf("%s fixture lacks %s:\n%s", op, want, f.Body)
		}
		if f.Headers["X-Request-Id"] != "{{.RequestID}}" {
			t.Errorf("%s fixture headers %v", op, f.Headers)
		}
	}
	out, err := byOp["sms.ShowPassphrase"].Render(placeholderData())
	if err != nil || !strings.Contains(string(out.Body), `"passphrase":"PASSPHRASE"`) {
		t.Errorf("rendered passphrase fixture: %s, %v", out.Body, err)
	}
}

// placeholderData fills every placeholder the recorder writes.
func placeholderData() map[string]any {
	return map[string]any{
		"ProjectID": "PROJECT", "DomainID": "DOMAIN", "RequestID": "REQUEST", "HostID": "HOST",
		"Passphrase": "PASSPHRASE", "TaskID": "TASK", "AccessKey": "AK", "Message": "", "Code": "CODE",
		"Region": "REGION", "TaskName": "NAME", "State": "STATE", "TargetServerID": "VM", "TargetServerName": "VMNAME",
	}
}
