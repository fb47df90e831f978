package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// matrixRetries is max_retries in the fault matrix; transient faults are
// injected matrixFaults times, so they are survived within it.
const (
	matrixRetries = 3
	matrixFaults  = 2
)

// outcome is what a fault must lead to.
type outcome int

const (
	transient    outcome = iota // 5xx, dropped connection, unreadable answer: retried only when the call is safe to repeat
	throttled                   // 429 / Throttling.*: always retried (the cloud did not act)
	permanent                   // other 4xx: fails at once
	timedOut                    // no answer before the deadline: stops there
	slowOK                      // slow answer within the deadline: succeeds at once
	actedGarbled                // the cloud acted, its answer's body was lost or mangled: succeeds, perhaps after one retry
	unreachable                 // nothing listens: retried (nothing was sent), then fails
)

// faultCase is one column of the matrix.
type faultCase struct {
	name    string
	outcome outcome
	// fault is what the mock does, per cloud. Times 0 = every request
	// (retries run out); the matrix sets Times for transient faults.
	fault map[string]mockcloud.Fault
	// persistent faults never end: a retried call fails after max_retries.
	persistent bool
	// status and code the error must carry, per cloud (0 / "" = none).
	status map[string]int
	code   map[string]string
	// Special cells, not mock faults.
	badSecret bool // sign with a wrong secret key
	notFound  bool // the object is missing (op.missing), else a 404 fault
	noServer  bool // the endpoint refuses connections
	// afterActing, if set, is the body the cloud's answer gets once the
	// cloud has acted (the answer's own body is lost).
	afterActing *string
	// withAnswerOnly / answerlessOnly restrict the cell to operations it
	// means something for: an operation whose success answer carries
	// nothing (answerless) takes any 2xx as "done", so an unreadable 2xx is
	// modelled as the cloud having acted.
	withAnswerOnly bool
	answerlessOnly bool
}

var jsonHeader = map[string]string{"Content-Type": "application/json;charset=UTF-8"}

func both(f mockcloud.Fault) map[string]mockcloud.Fault {
	return map[string]mockcloud.Fault{huawei: f, alibaba: f}
}

var faultCases = []faultCase{
	{name: "500", outcome: transient,
		fault:  map[string]mockcloud.Fault{huawei: {Status: 500}, alibaba: {Status: 500}},
		status: map[string]int{huawei: 500, alibaba: 500}, code: map[string]string{huawei: "SMS.2007", alibaba: "InternalError"}},
	{name: "502", outcome: transient,
		// Alibaba: a bare 502 with an empty body, as a load balancer sends.
		fault:  map[string]mockcloud.Fault{huawei: {Status: 502}, alibaba: {Status: 502}},
		status: map[string]int{huawei: 502, alibaba: 502}, code: map[string]string{huawei: "APIGW.0202"}},
	{name: "503", outcome: transient,
		// Huawei: the load balancer's HTML page.
		fault:  map[string]mockcloud.Fault{huawei: {Status: 503}, alibaba: {Fixture: "alibaba/error_503_ServiceUnavailable.json"}},
		status: map[string]int{huawei: 503, alibaba: 503}, code: map[string]string{alibaba: "ServiceUnavailable"}},
	{name: "503 persistent", outcome: transient, persistent: true,
		fault:  map[string]mockcloud.Fault{huawei: {Status: 503}, alibaba: {Fixture: "alibaba/error_503_ServiceUnavailable.json"}},
		status: map[string]int{huawei: 503, alibaba: 503}, code: map[string]string{alibaba: "ServiceUnavailable"}},
	{name: "429 throttled", outcome: throttled,
		fault:  map[string]mockcloud.Fault{huawei: {Status: 429}, alibaba: {Fixture: "alibaba/error_400_Throttling.User.json"}},
		status: map[string]int{huawei: 429, alibaba: 400}, code: map[string]string{huawei: "APIGW.0308", alibaba: "Throttling.User"}},
	{name: "429 persistent", outcome: throttled, persistent: true,
		fault:  map[string]mockcloud.Fault{huawei: {Status: 429}, alibaba: {Fixture: "alibaba/error_400_Throttling.User.json"}},
		status: map[string]int{huawei: 429, alibaba: 400}, code: map[string]string{huawei: "APIGW.0308", alibaba: "Throttling.User"}},
	{name: "dropped connection", outcome: transient, fault: both(mockcloud.Fault{Drop: true})},
	{name: "malformed JSON", outcome: transient, withAnswerOnly: true,
		fault:  both(mockcloud.Fault{Status: 200, Body: `{"`, Header: jsonHeader}),
		status: map[string]int{huawei: 200, alibaba: 200}},
	{name: "empty body", outcome: transient, withAnswerOnly: true,
		fault:  both(mockcloud.Fault{Status: 200, Header: jsonHeader}),
		status: map[string]int{huawei: 200, alibaba: 200}},
	{name: "empty body after acting", outcome: actedGarbled, answerlessOnly: true, afterActing: ptr("")},
	{name: "malformed JSON after acting", outcome: actedGarbled, answerlessOnly: true, afterActing: ptr(`{"`)},
	{name: "slow, within the timeout", outcome: slowOK, fault: both(mockcloud.Fault{Delay: 150 * time.Millisecond})},
	{name: "delay past the timeout", outcome: timedOut, fault: both(mockcloud.Fault{Delay: 20 * time.Second})},
	{name: "nothing listening", outcome: unreachable, noServer: true},
	{name: "401 bad signature", outcome: permanent, badSecret: true,
		status: map[string]int{huawei: 401, alibaba: 400}, code: map[string]string{huawei: "APIGW.0301", alibaba: "SignatureDoesNotMatch"}},
	{name: "403", outcome: permanent,
		fault:  map[string]mockcloud.Fault{huawei: {Fixture: "sms/error_403_SMS.9004.json"}, alibaba: {Fixture: "alibaba/error_403_Forbidden.RAM.json"}},
		status: map[string]int{huawei: 403, alibaba: 403}, code: map[string]string{huawei: "SMS.9004", alibaba: "Forbidden.RAM"}},
	{name: "404", outcome: permanent, notFound: true,
		fault:  both(mockcloud.Fault{Status: 404}),
		status: map[string]int{huawei: 404, alibaba: 404}, code: map[string]string{huawei: "APIGW.0101", alibaba: "InvalidAction.NotFound"}},
}

// The operation's deadline in the matrix: short where the cell is about
// the deadline, generous elsewhere. Short is still long enough for the
// request to leave a loaded machine (at 400 ms one CI run's IAM call timed
// out before the mock saw it), and far below the 20 s delay it must cut.
const (
	shortTimeout = 1500 * time.Millisecond
	longTimeout  = 15 * time.Second
)

// matrixStats are the figures the matrix reports.
type matrixStats struct {
	mu                                       sync.Mutex
	cells, faultedAnswers, survived, retries int
	failedCorrectly, wrong                   int
}

func (s *matrixStats) add(faulted, retries int, survived, failed, wrong bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cells++
	if wrong {
		s.wrong++
	}
	s.faultedAnswers += faulted
	s.retries += retries
	if survived {
		s.survived++
	}
	if failed {
		s.failedCorrectly++
	}
}

// TestFaultMatrix drives every operation through every fault at the API
// layer and checks the outcome: transient faults are survived within
// max_retries (the journal shows each attempt), permanent ones fail once
// with status, code and request id, deadlines stop the call, and the mock's
// state agrees with what the call reported (a write that failed did not
// happen, a read returns the truth or an error).
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	stats := &matrixStats{}
	t.Cleanup(func() {
		t.Logf("fault matrix: %d operations x %d faults = %d cells; %d faulted answers served; %d calls survived faults; "+
			"%d failed as they must; %d retries observed; cells wrong (state or diagnostic): %d",
			len(apiOps), len(faultCases), stats.cells, stats.faultedAnswers, stats.survived, stats.failedCorrectly, stats.retries, stats.wrong)
	})
	for _, op := range apiOps {
		for _, fc := range faultCases {
			if (fc.withAnswerOnly && op.answerless) || (fc.answerlessOnly && !op.answerless) {
				continue
			}
			name := op.name
			if name == "" {
				name = op.op
			}
			t.Run(name+"/"+fc.name, func(t *testing.T) {
				t.Parallel()
				runCell(t, op, fc, stats)
			})
		}
	}
}

func runCell(t *testing.T, op apiOp, fc faultCase, stats *matrixStats) {
	m := acctest.StartMock(t)
	op.setup(m)
	url := m.URL()
	hwSecret, aliSecret := acctest.HuaweiSecretKey, acctest.AlibabaSecretKey
	wantStatus, wantCode := fc.status[op.cloud], fc.code[op.cloud]
	times := matrixFaults
	switch {
	case fc.badSecret:
		hwSecret, aliSecret = "wrong-secret", "wrong-secret"
	case fc.notFound && op.missing != nil:
		m = acctest.StartMock(t)
		op.missing(m)
		url = m.URL()
		wantCode = op.notFoundCode
		if op.notFoundStatus != 0 {
			wantStatus = op.notFoundStatus
		}
	case fc.afterActing != nil:
		url = garbledAfterActing(t, m, op.op, *fc.afterActing)
	case fc.noServer:
		url = closedURL(t)
	default:
		f := fc.fault[op.cloud]
		switch {
		case fc.persistent:
			f.Times = 0
		case fc.outcome == transient || fc.outcome == throttled:
			f.Times = times
		default:
			f.Times = 1
		}
		m.InjectFault(op.op, f)
	}
	c := clientFor(url, matrixRetries, hwSecret, aliSecret)
	var seen []mockcloud.Entry
	faulted, retries, succeeds := 0, 0, false
	defer func() { stats.add(faulted, retries, succeeds && faulted > 0, !succeeds && !t.Failed(), t.Failed()) }()

	// A throttled read is retried until its deadline, not for a count
	// (conns/retry.go): it stops at the (short) deadline with the cloud's
	// last answer.
	untilDeadline := fc.outcome == throttled && fc.persistent && op.idempotent
	timeout := longTimeout
	if fc.outcome == timedOut || untilDeadline {
		timeout = shortTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	got, err := op.call(ctx, c)
	elapsed := time.Since(start)

	retried := fc.outcome == throttled || fc.outcome == unreachable ||
		(fc.outcome == transient && op.idempotent)
	succeeds = fc.outcome == slowOK || fc.outcome == actedGarbled || (retried && !fc.persistent && fc.outcome != unreachable) ||
		op.fallback[fc.name]
	if op.fallback[fc.name] && m.Calls(op.fallbackOp) != 1 {
		t.Errorf("%s: %d calls of %s, want 1 (the fallback)", fc.name, m.Calls(op.fallbackOp), op.fallbackOp)
	}
	wantAttempts := 1
	switch {
	case op.fallback[fc.name]:
	case succeeds && fc.outcome != slowOK && fc.outcome != actedGarbled:
		wantAttempts = times + 1
	case untilDeadline:
		wantAttempts = matrixRetries + 2 // at least: past the count
	case retried && (fc.persistent || fc.outcome == unreachable):
		wantAttempts = matrixRetries + 1
	}

	// What the cloud saw of this operation (auth failures have their own
	// op). A request the client gave up on is journalled once the server
	// notices, a moment after the call returned.
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		seen, faulted = nil, 0
		for _, e := range m.Journal() {
			if e.Op == op.op || (fc.badSecret && e.Op == "auth") {
				seen = append(seen, e)
				if e.Faulted || e.Op == "auth" {
					faulted++
				}
			}
		}
		if len(seen) >= wantAttempts || fc.outcome == unreachable || time.Now().After(deadline) {
			break
		}
	}

	if succeeds {
		checkSuccess(t, op, m, got, err)
	} else {
		checkFailure(t, op, fc, m, err, seen, wantStatus, wantCode, wantAttempts, timeout, elapsed, untilDeadline)
	}
	if fc.outcome == actedGarbled && len(seen) == 2 {
		wantAttempts = 2 // the SDK could not read the answer, and it was asked again
	}
	if fc.outcome != unreachable && (len(seen) != wantAttempts && !untilDeadline || len(seen) < wantAttempts) {
		t.Errorf("the cloud saw %d requests, want %d", len(seen), wantAttempts)
	}
	retries = max(len(seen)-1, 0)
	if fc.outcome == unreachable {
		retries = wantAttempts - 1 // nothing to journal: counted from the error
	}
}

func checkSuccess(t *testing.T, op apiOp, m *mockcloud.Server, got any, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("want success, got %v", err)
	}
	if op.want != nil {
		if want := op.want(m); !reflect.DeepEqual(got, want) {
			t.Errorf("read %#v, but the cloud holds %#v", got, want)
		}
	}
	if op.done != nil && !op.done(m) {
		t.Error("the call reported success but the cloud did not act")
	}
}

func checkFailure(t *testing.T, op apiOp, fc faultCase, m *mockcloud.Server, err error, seen []mockcloud.Entry,
	wantStatus int, wantCode string, wantAttempts int, timeout, elapsed time.Duration, untilDeadline bool) {
	t.Helper()
	if err == nil {
		t.Fatal("want an error, got success")
	}
	neverExisted := fc.notFound && op.missing != nil
	if op.done != nil && op.done(m) && !neverExisted {
		t.Error("the call failed but the cloud acted: a state would miss what happened")
	}
	detail := conns.ErrorDetail("Calling "+op.op, err)
	if fc.outcome == timedOut {
		var se *conns.StoppedError
		if !errors.As(err, &se) || se.Reason != "timed out" || !strings.Contains(detail, "timeouts") {
			t.Errorf("want a stop at the deadline naming `timeouts`, got %v", err)
		}
		if elapsed > timeout+2*time.Second {
			t.Errorf("the call ran %v past a %v deadline", elapsed, timeout)
		}
		return
	}
	var ce *conns.CloudError
	if !errors.As(err, &ce) {
		t.Fatalf("error %T is not a CloudError: %v", err, err)
	}
	if untilDeadline {
		var se *conns.StoppedError
		if !errors.As(err, &se) || se.Reason != "timed out" || elapsed > timeout+2*time.Second {
			t.Errorf("want a stop at the %v deadline, got %v after %v", timeout, err, elapsed)
		}
		if ce.Attempts < wantAttempts {
			t.Errorf("%d attempts, want more than the %d retries: %v", ce.Attempts, matrixRetries, err)
		}
		// The answer reported is one the cloud gave; a later attempt may
		// have been cut by the deadline.
		for len(seen) > 1 && seen[len(seen)-1].RequestID != ce.RequestID {
			seen = seen[:len(seen)-1]
		}
	} else if ce.Attempts != wantAttempts {
		t.Errorf("%d attempts, want %d: %v", ce.Attempts, wantAttempts, err)
	}
	if ce.HTTPStatus != wantStatus || (wantCode != "" && ce.Code != wantCode) {
		t.Errorf("status %d code %q, want %d %q: %v", ce.HTTPStatus, ce.Code, wantStatus, wantCode, err)
	}
	if wantStatus != 0 {
		last := seen[len(seen)-1]
		if ce.RequestID == "" || ce.RequestID != last.RequestID {
			t.Errorf("request id %q, the cloud's was %q", ce.RequestID, last.RequestID)
		}
		for _, want := range []string{fmt.Sprintf("HTTP %d", wantStatus), wantCode, "request id: " + last.RequestID} {
			if !strings.Contains(detail, want) {
				t.Errorf("diagnostic lacks %q:\n%s", want, detail)
			}
		}
	}
}

// clientFor is acctest.Client for any base URL and secrets.
func clientFor(url string, retries int, hwSecret, aliSecret string) *conns.Client {
	return conns.New(conns.Config{
		MaxRetries: retries,
		Test:       conns.TestSettings{RetryBaseDelay: acctest.RetryBaseDelay, RetryMaxDelay: acctest.RetryMaxDelay, ThrottleScale: acctest.ThrottleScale},
		Huawei: conns.HuaweiConfig{
			Region: acctest.HuaweiRegion, AccessKey: acctest.HuaweiAccessKey, SecretKey: hwSecret,
			Endpoints: conns.HuaweiEndpoints{IAM: url, SMS: url, ECS: url},
		},
		Alibaba: conns.AlibabaConfig{
			Region: acctest.AlibabaRegion, AccessKey: acctest.AlibabaAccessKey, SecretKey: aliSecret,
			Endpoints: conns.AlibabaEndpoints{Bastionhost: url},
		},
	})
}

// closedURL is a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

// garbledAfterActing serves m, but the first successful answer to op gets
// body instead of its own: the cloud acted and said so, and the body was
// lost or mangled on the way. (The mock's own faults answer instead of
// acting; this is the other case.)
func garbledAfterActing(t *testing.T, m *mockcloud.Server, op, body string) string {
	t.Helper()
	var done atomic.Bool
	return front(t, m, func(e mockcloud.Entry) (string, bool) {
		if e.Op == op && e.Status < 300 && done.CompareAndSwap(false, true) {
			return body, true
		}
		return "", false
	})
}

func ptr(s string) *string { return &s }

// front serves m through a second loopback server that calls after with
// each request's journal entry once m has answered it; when after says so,
// the answer's body is replaced. Requests are served one at a time, so that
// the journal's last entry is the request's own.
func front(t *testing.T, m *mockcloud.Server, after func(e mockcloud.Entry) (body string, replace bool)) string {
	t.Helper()
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		j := m.Journal()
		body, replace := after(j[len(j)-1])
		if !replace {
			body = rec.Body.String()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
