package sms_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// afterRegistering serves m, and for a registration (POST /v3/sources)
// lets SMS act and then answers as answer says: "hold" keeps the answer
// back until the client goes away (the barrier an interrupt breaks), "500"
// answers a server error with a request id. acted is closed once SMS has
// registered. Other requests, and every request once released, pass.
type afterRegistering struct {
	m        *mockcloud.Server
	answer   string
	mu       sync.Mutex
	released bool
	acted    chan struct{}
	once     sync.Once
}

const lostRequestID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0aa"

func (a *afterRegistering) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	pass := a.released || r.Method != http.MethodPost || r.URL.Path != "/v3/sources"
	a.mu.Unlock()
	if pass {
		a.m.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	a.m.ServeHTTP(rec, r)
	a.once.Do(func() { close(a.acted) })
	if a.answer == "500" {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("X-Request-Id", lostRequestID)
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error_code":"SMS.2007","error_msg":"Backend exception.","request_id":"` + lostRequestID + `"}`))
		return
	}
	<-r.Context().Done()
}

func (a *afterRegistering) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.released = true
}

func startAfterRegistering(t *testing.T, answer string) (*mockcloud.Server, *afterRegistering, string) {
	t.Helper()
	m := acctest.StartMock(t)
	a := &afterRegistering{m: m, answer: answer, acted: make(chan struct{})}
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return m, a, strings.ReplaceAll(minimalConfig(m, `  name = "web-01-source"`), m.URL(), srv.URL)
}

// The provider's words after a registration SMS may have made.
var mayHaveRegistered = []string{
	"SMS may have registered the server even so",
	"The next apply looks for a source server SMS holds with exactly these values (ip 10.0.0.21, hostname web-01, name \"web-01-source\") " +
		"and takes it over instead of registering it again.",
}

// An apply interrupted (SIGINT) after SMS registered the server, before
// its answer arrived, writes no state and says the cloud may have acted and
// what the next apply does; the next apply takes the record over: one
// registration, one record, and an empty plan after it.
func TestAccSourceServer_interruptedRegistrationIsTakenOver(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	t.Parallel()
	m, proxy, cfg := startAfterRegistering(t, "hold")
	cli := acctest.NewCLI(t, nil)
	cli.Write(t, cfg)
	if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	cmd := cli.Command(context.Background(), "apply", "-auto-approve", "-input=false", "-no-color")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	<-proxy.acted // SMS has registered; its answer is held back
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("the interrupted apply succeeded:\n%s", out.String())
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range append([]string{"Registering source server \"web-01\" (ip 10.0.0.21, LINUX CENTOS_7_9_64BIT) was cancelled before SMS answered."},
		mayHaveRegistered...) {
		if !strings.Contains(text, want) {
			t.Errorf("the interrupted apply does not say %q:\n%s", want, out.String())
		}
	}
	if list, _ := cli.Run("state", "list"); strings.Contains(list, minAddr) {
		t.Errorf("%s is in state although its create was interrupted", minAddr)
	}
	if n := len(m.SourceServers()); n != 1 {
		t.Fatalf("SMS holds %d records after the interrupted registration, want 1 (the barrier is after SMS acts)", n)
	}

	proxy.release()
	diags := cli.RunJSON(t, "apply", "-auto-approve", "-input=false")
	if w := strings.Join(acctest.Warnings(diags), "\n"); !strings.Contains(w, "Took over an existing SMS registration") {
		t.Errorf("the next apply does not say it took the record over: %q", w)
	}
	v, err := onlyServer(m)
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Calls("sms.RegisterServer"); n != 1 {
		t.Errorf("%d registrations, want 1", n)
	}
	if show, err := cli.Run("state", "show", "-no-color", minAddr); err != nil || !strings.Contains(show, v.ID) {
		t.Errorf("state does not hold the taken-over record %s: %v\n%s", v.ID, err, show)
	}
	if o, err := cli.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after taking over is not empty: %v\n%s", err, o)
	}
}

// SMS registered the server and answered 500: the error carries the
// request id and says what the next apply does, which takes the record
// over. Two records alike are ambiguous: nothing is taken over or
// registered, and the error names both.
func TestAccSourceServer_failedRegistrationIsTakenOver(t *testing.T) {
	t.Parallel()
	m, _, cfg := startAfterRegistering(t, "500")
	words := []string{"Failed to register the SMS source server", "request id: " + lostRequestID}
	words = append(words, mayHaveRegistered...)
	for i, w := range words {
		words[i] = strings.Join(strings.Fields(regexp.QuoteMeta(w)), `\s+`)
	}
	var firstID string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ExpectError: regexp.MustCompile(`(?s)` + strings.Join(words, ".*"))},
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					v, err := onlyServer(m)
					if err != nil {
						return err
					}
					firstID = v.ID
					if id := stateID(s, minAddr); id != v.ID || m.Calls("sms.RegisterServer") != 1 {
						return fmt.Errorf("state id %q, record %q, %d registrations; want the one record taken over", id, v.ID, m.Calls("sms.RegisterServer"))
					}
					return nil
				},
			},
			{
				// Forgotten, and a second record alike appears: the next
				// create is ambiguous.
				Config: acctest.Removed(m, minAddr),
				Check: func(*terraform.State) error {
					v, _ := m.SourceServer(firstID)
					v.ID = ""
					m.PutSourceServer(v)
					return nil
				},
			},
			{
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)More than one SMS source server matches this registration.*SMS\s+holds\s+2\s+source\s+servers` +
					`.*registers\s+nothing`),
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n, calls := len(m.SourceServers()), m.Calls("sms.RegisterServer"); n != 2 || calls != 1 {
				return fmt.Errorf("%d records, %d registrations; want the 2 left alone and 1 registration", n, calls)
			}
			return nil
		},
	})
}

// Two resources of one configuration that register the same host do not
// take over each other's record: each registers its own.
func TestAccSourceServer_sameHostTwiceInOneRun(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	body := `
  ip         = "10.0.0.21"
  hostname   = "web-01"
  os_type    = "LINUX"
  os_version = "CENTOS_7_9_64BIT"
`
	cfg := acctest.ProviderConfig(m) + `
resource "cloudlock_sms_source_server" "a" {` + body + `}
resource "cloudlock_sms_source_server" "b" {` + body + `}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				a, b := stateID(s, "cloudlock_sms_source_server.a"), stateID(s, "cloudlock_sms_source_server.b")
				if a == b || len(m.SourceServers()) != 2 || m.Calls("sms.RegisterServer") != 2 {
					return fmt.Errorf("state ids %q and %q, %d records, %d registrations; want two of each",
						a, b, len(m.SourceServers()), m.Calls("sms.RegisterServer"))
				}
				return nil
			},
		}},
	})
}
