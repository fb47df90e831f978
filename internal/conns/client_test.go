package conns_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/sms"
)

func TestMain(m *testing.M) {
	acctest.Setup()
	m.Run()
}

const task = "7a9a9540-ff28-4869-b9e4-855fbe12a001"

func mockWithTask(t *testing.T) *mockcloud.Server {
	m := acctest.StartMock(t)
	m.PutTask(mockcloud.Task{ID: task, Name: "t", State: "MIGRATE_SUCCESS", Passphrase: "p", TargetServerID: "vm1", TargetLocked: true})
	return m
}

// Concurrent resources that need the project id cause one IAM call.
func TestProjectIDDiscoveredOnce(t *testing.T) {
	m := acctest.StartMock(t)
	c := acctest.Client(m, 3)
	var wg sync.WaitGroup
	ids := make([]string, 20)
	errs := make([]error, 20)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = c.HuaweiProjectID(context.Background(), "")
		}()
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != acctest.ProjectID {
			t.Fatalf("lookup %d: %q, %v; want %q", i, ids[i], errs[i], acctest.ProjectID)
		}
	}
	if n := m.Calls("iam.KeystoneListProjects"); n != 1 {
		t.Fatalf("IAM was called %d times, want 1", n)
	}
	j := m.Journal()
	if j[0].RawQuery != "name="+acctest.HuaweiRegion {
		t.Fatalf("IAM query = %q", j[0].RawQuery)
	}
}

// A configured project id needs no IAM call.
func TestProjectIDConfigured(t *testing.T) {
	m := acctest.StartMock(t)
	c := conns.New(conns.Config{Huawei: conns.HuaweiConfig{Region: "cn-north-4", AccessKey: "a", SecretKey: "b", ProjectID: "p1",
		Endpoints: conns.HuaweiEndpoints{IAM: m.URL()}}})
	id, err := c.HuaweiProjectID(context.Background(), "")
	if err != nil || id != "p1" || m.Calls("iam.KeystoneListProjects") != 0 {
		t.Fatalf("id %q err %v calls %d", id, err, m.Calls("iam.KeystoneListProjects"))
	}
}

// A wrong secret is the cloud's 401 APIGW.0301, not retried, with a request id.
func TestHuaweiWrongSecret(t *testing.T) {
	m := mockWithTask(t)
	c := conns.New(conns.Config{MaxRetries: 3, Huawei: conns.HuaweiConfig{Region: "cn-north-4",
		AccessKey: acctest.HuaweiAccessKey, SecretKey: "wrong", Endpoints: conns.HuaweiEndpoints{SMS: m.URL()}}})
	err := sms.NewAPI(c).UnlockTargetServer(context.Background(), task)
	var ce *conns.CloudError
	if !errors.As(err, &ce) || ce.HTTPStatus != 401 || ce.Code != "APIGW.0301" || ce.RequestID == "" {
		t.Fatalf("err = %#v", err)
	}
	if n := len(m.Journal()); n != 1 {
		t.Fatalf("%d requests, want 1 (no retry on 401)", n)
	}
	if tk, _ := m.Task(task); !tk.TargetLocked {
		t.Fatal("a request with a bad signature changed state")
	}
}

// A slow answer stops at the caller's deadline, not at the HTTP timeout:
// the mock holds the answer until the client leaves, so the call can only
// end by its deadline (were it ignored, the call would wait for the SDK's
// 120 s timeout and fail otherwise).
func TestHuaweiHonoursDeadline(t *testing.T) {
	m := mockWithTask(t)
	m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Hold: make(chan struct{})})
	c := acctest.Client(m, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := sms.NewAPI(c).UnlockTargetServer(ctx, task)
	var se *conns.StoppedError
	if !errors.As(err, &se) || se.Reason != "timed out" {
		t.Fatalf("err = %v, want a StoppedError that timed out", err)
	}
}

// A dropped connection on an idempotent call is retried.
func TestHuaweiDroppedConnectionRetried(t *testing.T) {
	m := mockWithTask(t)
	m.InjectFault("sms.ShowPassphrase", mockcloud.Fault{Drop: true, Times: 2})
	c := acctest.Client(m, 3)
	p, err := sms.NewAPI(c).ShowPassphrase(context.Background(), task)
	if err != nil || p != "p" {
		t.Fatalf("passphrase %q, err %v", p, err)
	}
	if n := m.Calls("sms.ShowPassphrase"); n != 3 {
		t.Fatalf("%d calls, want 3", n)
	}
}

// Throttling answers (429 APIGW.0308) are retried up to max_retries, then reported.
func TestHuaweiThrottlingExhaustsRetries(t *testing.T) {
	m := mockWithTask(t)
	m.InjectFault("sms.ShowTask", mockcloud.Fault{Status: 429, Fixture: "huawei/error_429_APIGW.0308.json"})
	c := acctest.Client(m, 2)
	_, err := sms.NewAPI(c).ShowTask(context.Background(), task)
	var ce *conns.CloudError
	if !errors.As(err, &ce) || ce.Code != "APIGW.0308" || ce.Attempts != 3 {
		t.Fatalf("err = %v", err)
	}
	if n := m.Calls("sms.ShowTask"); n != 3 {
		t.Fatalf("%d calls, want 3", n)
	}
}

// Alibaba errors carry the cloud's code and request id (a wrong secret here).
func TestAlibabaWrongSecret(t *testing.T) {
	m := acctest.StartMock(t)
	c := conns.New(conns.Config{MaxRetries: 2, Alibaba: conns.AlibabaConfig{Region: "cn-hangzhou",
		AccessKey: acctest.AlibabaAccessKey, SecretKey: "wrong", Endpoints: conns.AlibabaEndpoints{Bastionhost: m.URL()}}})
	var out map[string]any
	err := c.CallAlibaba(context.Background(), conns.AlibabaCall{Service: "bastionhost", Action: "ListUsers", Version: "2019-12-09",
		Params: map[string]string{"InstanceId": "bastionhost-cn-test"}, Idempotent: true}, &out)
	var ce *conns.CloudError
	if !errors.As(err, &ce) || ce.HTTPStatus != 400 || ce.Code != "SignatureDoesNotMatch" || ce.RequestID == "" {
		t.Fatalf("err = %#v", err)
	}
	if n := len(m.Journal()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

// Missing credentials name the field and the environment variable.
func TestMissingCredentials(t *testing.T) {
	c := conns.New(conns.Config{Huawei: conns.HuaweiConfig{Region: "cn-north-4", AccessKey: "x"}})
	err := c.CheckHuawei(context.Background())
	if err == nil || !conns.IsCredentialsError(err) {
		t.Fatalf("err = %v", err)
	}
	want := "missing secret_key (huaweicloud.secret_key or HW_SECRET_KEY)"
	if got := err.Error(); !contains(got, want) || contains(got, "access_key") {
		t.Fatalf("%q does not say only %q", got, want)
	}
	if err := c.CheckAlibaba(); err == nil || !contains(err.Error(), "ALICLOUD_ACCESS_KEY") {
		t.Fatalf("alibaba: %v", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TLS certificates are verified unless insecure is set.
func TestTLSVerification(t *testing.T) {
	m := mockcloud.New(mockcloud.Options{
		Huawei:    mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey},
		ProjectID: acctest.ProjectID,
	})
	m.PutTask(mockcloud.Task{ID: task, Name: "t", Passphrase: "p", TargetLocked: true})
	srv := httptest.NewUnstartedServer(m.Handler())
	var dials atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS() // self-signed: not trusted by the system
	defer srv.Close()
	for _, insecure := range []bool{false, true} {
		c := conns.New(conns.Config{MaxRetries: 1, Huawei: conns.HuaweiConfig{Region: "cn-north-4", Insecure: insecure,
			AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey, Endpoints: conns.HuaweiEndpoints{SMS: srv.URL}}})
		_, err := sms.NewAPI(c).ShowPassphrase(context.Background(), task)
		switch {
		case !insecure && (err == nil || !strings.Contains(err.Error(), "certificate")):
			t.Errorf("verification on: err = %v, want a certificate error", err)
		case !insecure && dials.Load() != 1:
			t.Errorf("%d connections for a bad certificate, want 1 (not retried)", dials.Load())
		case insecure && err != nil:
			t.Errorf("insecure = true: %v", err)
		}
	}
	if n := m.Calls("sms.ShowPassphrase"); n != 1 {
		t.Errorf("%d passphrase requests reached the server, want 1 (the insecure one)", n)
	}
}
