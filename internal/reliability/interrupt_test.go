package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
)

// slowWrites serves m and tells when a write arrives. With after set, it
// lets the cloud act and then holds the answer back until the client
// leaves: the cloud did it, the client never heard. (The mock's own delay
// faults hold the request back before it acts.)
type slowWrites struct {
	m       *mockcloud.Server
	after   bool
	mu      sync.Mutex
	arrived map[string]bool
	notify  chan struct{}
}

// writeName names the writes the interrupt test holds back.
func writeName(r *http.Request) string {
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/unlock"):
		return "sms unlock"
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/action"):
		return "ecs lock"
	case r.Header.Get("x-acs-action") == "UnlockUsers":
		return "bastionhost unlock"
	case r.Method == http.MethodPost && r.URL.Path == "/v3/sources":
		return "sms register"
	}
	return ""
}

func (s *slowWrites) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := writeName(r)
	if name != "" {
		s.mu.Lock()
		s.arrived[name] = true
		s.mu.Unlock()
		select {
		case s.notify <- struct{}{}:
		default:
		}
	}
	if name == "" || !s.after {
		s.m.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	s.m.ServeHTTP(rec, r)
	<-r.Context().Done() // the answer never comes; the client gives up
}

func (s *slowWrites) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.arrived)
}

const (
	intTask     = "7a9a9540-ff28-4869-b9e4-855fbe12e001"
	intServer   = "5d1e0c2b-0000-4000-8000-00000000f001"
	intInstance = "bastionhost-cn-interrupt01"
)

// interruptConfig has one resource of every type that writes; the source
// server only with withSource (see TestAccInterruptedApplyConverges).
func interruptConfig(url string, m *mockcloud.Server, withSource bool) string {
	source := ""
	if withSource {
		source = `
resource "cloudlock_sms_source_server" "i" {
  ip         = "10.0.0.61"
  hostname   = "interrupt-web-01"
  os_type    = "LINUX"
  os_version = "CENTOS_7_9_64BIT"
}
`
	}
	return acctest.RequiredProviders + providerConfig(m, url) + source + fmt.Sprintf(`
resource "cloudlock_sms_task_unlock" "i" {
  task_id = %q
}
resource "cloudlock_ecs_server_lock" "i" {
  server_id = %q
}
resource "cloudlock_bastionhost_user_unlock" "i" {
  instance_id = %q
  user_ids    = ["1", "2"]
}
`, intTask, intServer, intInstance)
}

// cloudState says what the mock holds for the three resources.
func cloudState(m *mockcloud.Server) string {
	tk, _ := m.Task(intTask)
	v, _ := m.ECSServer(intServer)
	frozen := 0
	inst, _ := m.BastionhostInstance(intInstance)
	for _, u := range inst.Users {
		if u.Frozen() {
			frozen++
		}
	}
	return fmt.Sprintf("task locked %v, server locked %v, %d users frozen, %d source records", tk.TargetLocked, v.Locked, frozen, len(m.SourceServers()))
}

// An apply interrupted (SIGINT) while the cloud is slow to answer the
// three writes stops without recording them, and the next apply converges:
// everything created, the cloud as configured, a plan after it empty.
// before: the writes are held back before the cloud acts (the mock's
// delay); after: the cloud acts and the answer is lost. The registration of
// the source server is not idempotent: after a lost answer the next apply
// finds the record SMS made and takes it over, so it is registered once.
func TestAccInterruptedApplyConverges(t *testing.T) {
	t.Parallel()
	acctest.PreCheck(t)
	for _, after := range []bool{false, true} {
		name := map[bool]string{false: "before the cloud acts", true: "after the cloud acted"}[after]
		t.Run(name, func(t *testing.T) {
			m := acctest.StartMock(t)
			m.PutTask(mockcloud.Task{ID: intTask, Name: "int", Passphrase: "p", TargetServerID: intServer, TargetLocked: true})
			m.PutECSServer(mockcloud.ECSServer{ID: intServer, Name: "int-ecs"})
			frozen := []string{bastionhost.StateFrozen}
			m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: intInstance, Users: []mockcloud.BastionhostUser{
				{UserID: "1", UserName: "a", UserState: frozen}, {UserID: "2", UserName: "b", UserState: frozen},
			}})
			sw := &slowWrites{m: m, after: after, arrived: map[string]bool{}, notify: make(chan struct{}, 1)}
			writes := []string{"sms.UnlockTargetEcs", "ecs.NovaServerAction", "bastionhost.UnlockUsers", "sms.RegisterServer"}
			if !after {
				for _, op := range writes {
					m.InjectFault(op, mockcloud.Fault{Delay: 10 * time.Minute, Times: 1})
				}
			}
			srv := httptest.NewServer(sw)
			t.Cleanup(srv.Close)
			cli := acctest.NewCLI(t, map[string]string{"main.tf": interruptConfig(srv.URL, m, true)})
			if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
				t.Fatalf("init: %v\n%s", err, out)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := cli.Command(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for deadline := time.After(60 * time.Second); sw.count() < len(writes); {
				select {
				case <-sw.notify:
				case <-deadline:
					_ = cmd.Process.Kill()
					t.Fatalf("only %d of the %d writes reached the cloud in 60s:\n%s", sw.count(), len(writes), out.String())
				}
			}
			interruptedAt := time.Now()
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || !strings.Contains(out.String(), "Interrupt received") {
				t.Fatalf("the interrupted apply: err %v, want it to exit failing:\n%s", err, out.String())
			}
			// Each write says it was interrupted (not "raise the timeout"),
			// that the cloud may have acted, and what the next apply does.
			text := strings.Join(strings.Fields(out.String()), " ")
			for _, want := range []string{
				`Unlocking the target server of SMS task "` + intTask + `" was interrupted before it finished: Terraform was stopped (Ctrl-C). ` +
					`The cloud may already have acted on it. Nothing was recorded in state, so the next apply sends the unlock again; ` +
					`unlocking a target server that is already unlocked changes nothing.`,
				`was interrupted before it finished: Terraform was stopped (Ctrl-C). The cloud may already have acted on it. ` +
					`The state was not changed, so the next apply sends the lock again; locking a server that is already locked changes nothing.`,
			} {
				if !strings.Contains(text, want) {
					t.Errorf("the interrupted apply does not say %q:\n%s", want, out.String())
				}
			}
			if strings.Contains(text, "raise the timeout") {
				t.Errorf("an interrupted apply advises raising a timeout:\n%s", out.String())
			}
			t.Logf("interrupted apply stopped %v after SIGINT; cloud then: %s", time.Since(interruptedAt).Round(time.Millisecond), cloudState(m))
			if after && cloudState(m) != "task locked false, server locked true, 0 users frozen, 1 source records" {
				t.Errorf("the cloud did not act before the answers were held back: %s", cloudState(m))
			}
			if !after && cloudState(m) != "task locked true, server locked false, 2 users frozen, 0 source records" {
				t.Errorf("the cloud acted on requests its client gave up on: %s", cloudState(m))
			}
			list, err := cli.Run("state", "list")
			if err != nil && !strings.Contains(list, "No state file") {
				t.Fatalf("state list: %v\n%s", err, list)
			}
			for _, r := range []string{"cloudlock_sms_task_unlock.i", "cloudlock_ecs_server_lock.i", "cloudlock_bastionhost_user_unlock.i", "cloudlock_sms_source_server.i"} {
				if strings.Contains(list, r) {
					t.Errorf("%s is in state although its create was interrupted", r)
				}
			}

			// The next apply, with the cloud answering again, converges.
			m.ClearFaults()
			sw.mu.Lock()
			sw.after = false
			sw.mu.Unlock()
			if o, err := cli.Run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
				t.Fatalf("the apply after the interrupt: %v\n%s", err, o)
			}
			if o, err := cli.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
				t.Fatalf("the plan after converging is not empty: %v\n%s", err, o)
			}
			want := "task locked false, server locked true, 0 users frozen, 1 source records"
			if got := cloudState(m); got != want {
				t.Errorf("after the second apply the cloud holds: %s", got)
			}
			// Each write was sent twice: once interrupted, once to converge;
			// a registration SMS acted on is taken over, not sent again.
			for _, op := range writes {
				want := 2
				if after && op == "sms.RegisterServer" {
					want = 1
				}
				if n := m.Calls(op); n != want {
					t.Errorf("%s: %d requests, want %d", op, n, want)
				}
			}
		})
	}
}
