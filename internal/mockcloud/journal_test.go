package mockcloud_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

func TestJournal(t *testing.T) {
	var (
		mu    sync.Mutex
		lines []string
	)
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}
	s := mockcloud.StartT(t, mockcloud.Options{Huawei: hwCreds, Logf: logf})
	s.PutTask(mockcloud.Task{ID: taskID, Passphrase: "journal-secret-passphrase", TargetLocked: true})
	c := smsClient(t, s.URL(), hwCreds)
	bad := smsClient(t, s.URL(), mockcloud.Credentials{AccessKey: hwCreds.AccessKey, SecretKey: "wrong"})

	if _, err := showTask(c, taskID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ShowPassphrase(&model.ShowPassphraseRequest{TaskId: taskID}); err != nil {
		t.Fatal(err)
	}
	_, _ = bad.ShowPassphrase(&model.ShowPassphraseRequest{TaskId: taskID})
	s.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Status: 500, Times: 1})
	_ = unlock(hcClient(t, s.URL(), hwCreds), taskID)

	j := s.Journal()
	want := []struct {
		op      string
		status  int
		faulted bool
	}{{"sms.ShowTask", 200, false}, {"sms.ShowPassphrase", 200, false}, {"auth", 401, false}, {"sms.UnlockTargetEcs", 500, true}}
	if len(j) != len(want) {
		t.Fatalf("journal has %d entries: %+v", len(j), j)
	}
	for i, w := range want {
		if j[i].Op != w.op || j[i].Status != w.status || j[i].Faulted != w.faulted || j[i].RequestID == "" || j[i].Time.IsZero() {
			t.Errorf("entry %d = %+v, want %+v", i, j[i], w)
		}
	}
	if j[0].Header.Get("X-Sdk-Date") == "" || j[0].Path != "/v3/tasks/"+taskID || j[0].Method != "GET" {
		t.Errorf("entry 0 does not record the request: %+v", j[0])
	}
	if s.Calls("sms.ShowTask") != 1 || s.Calls("auth") != 1 || s.Calls("sms.UnlockTargetEcs") != 1 {
		t.Error("Calls disagrees with the journal")
	}

	// The log says what was served and nothing secret.
	mu.Lock()
	log := strings.Join(lines, "\n")
	mu.Unlock()
	if len(lines) != 4 || !strings.Contains(lines[0], "sms.ShowTask GET /v3/tasks/"+taskID+" -> 200") {
		t.Errorf("log:\n%s", log)
	}
	for _, secret := range []string{"journal-secret-passphrase", hwCreds.SecretKey, "SDK-HMAC-SHA256", "Signature"} {
		if strings.Contains(log, secret) {
			t.Errorf("log contains %q:\n%s", secret, log)
		}
	}

	s.ResetJournal()
	if len(s.Journal()) != 0 || s.Calls("sms.ShowTask") != 0 {
		t.Error("ResetJournal left entries")
	}
}

func TestJournalLimit(t *testing.T) {
	s := mockcloud.StartT(t, mockcloud.Options{Huawei: hwCreds, JournalLimit: 3})
	s.PutTask(mockcloud.Task{ID: taskID})
	c := smsClient(t, s.URL(), hwCreds)
	for i := 0; i < 10; i++ {
		if _, err := showTask(c, taskID); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.Journal()); n < 3 || n > 6 {
		t.Errorf("journal kept %d entries with limit 3", n)
	}
	if s.Calls("sms.ShowTask") != 10 {
		t.Errorf("Calls = %d, want 10", s.Calls("sms.ShowTask"))
	}
}
