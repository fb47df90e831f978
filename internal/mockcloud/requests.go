package mockcloud

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

// Cloud names, as they appear in default-fault tables.
const (
	huawei  = "huawei"
	alibaba = "alibaba"
)

// maxBody bounds request bodies; the APIs mocked here take small JSON or form bodies.
const maxBody = 10 << 20

// call is one request on its way through the server.
type call struct {
	w         http.ResponseWriter
	r         *http.Request
	body      []byte
	cloud     string
	params    map[string]string // path parameters ({TaskID}) or Alibaba request parameters
	requestID string
}

// answer is what a handler returns: which fixture to send and the values its
// templates need beyond the request's own (see (*Server).templateData).
type answer struct {
	fixture string
	status  int // overrides the fixture's status when not 0
	data    map[string]any
}

// ServeHTTP answers one request: route it, check its signature, apply any
// injected fault, run the operation's handler, and journal what happened.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w}
	entry := Entry{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Time: time.Now()}
	recorded := false
	defer func() {
		if !recorded {
			entry.Status = sw.status
			s.record(entry)
		}
	}()
	body, err := io.ReadAll(http.MaxBytesReader(sw, r.Body, maxBody))
	if err != nil {
		sw.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	rt := matchRoute(r, body)
	c := &call{w: sw, r: r, body: body, cloud: rt.cloud, params: rt.params, requestID: newRequestID(rt.cloud)}
	entry.Body, entry.RequestID = body, c.requestID

	if !unsignedOps[rt.op] {
		if a := s.authenticate(c); a != nil {
			entry.Op = "auth"
			s.send(c, *a)
			return
		}
	}
	entry.Op = rt.op
	if rt.handle == nil {
		s.send(c, notFound(c.cloud))
		return
	}
	if r := s.admit(rt.op); r != nil {
		// Over an account limit: the cloud refuses before the operation
		// runs, so nothing changes.
		entry.Throttled = true
		s.send(c, s.throttledAnswer(c, r))
		return
	}
	if f, ok := s.takeFault(rt.op); ok {
		entry.Faulted = true
		if f.Drop {
			// Journal before the client can see the broken connection,
			// so the journal's order is the order the client saw.
			s.record(entry)
			recorded = true
		}
		if s.applyFault(c, f) {
			return
		}
	}
	s.send(c, rt.handle(s, c))
}

func notFound(cloud string) answer {
	if cloud == alibaba {
		return answer{fixture: "alibaba/error_404_InvalidAction.NotFound.json"}
	}
	return answer{fixture: "huawei/error_404_APIGW.0101.json"}
}

// templateData is what every fixture may use: the request id, the account's
// ids and region, the request's parameters, and Message (empty unless an
// error supplies one). The handler's own values come last and win.
func (s *Server) templateData(c *call, extra map[string]any) map[string]any {
	d := map[string]any{}
	for k, v := range c.params {
		d[k] = v
	}
	d["RequestID"] = c.requestID
	d["HostID"] = c.r.Host
	d["ProjectID"] = s.opts.ProjectID
	d["DomainID"] = s.opts.DomainID
	d["Region"] = s.opts.Region
	d["AccessKey"] = signature.AccessKey(c.r, c.body)
	d["Message"] = ""
	for k, v := range extra {
		d[k] = v
	}
	return d
}

// send renders a fixture and writes it.
func (s *Server) send(c *call, a answer) {
	s.setRequestID(c)
	f, err := LoadFixture(a.fixture)
	var out Rendered
	if err == nil {
		out, err = f.Render(s.templateData(c, a.data))
	}
	if err != nil {
		// A broken fixture is a bug in the mock; say so plainly.
		s.logf("mockcloud: fixture %s: %v", a.fixture, err)
		http.Error(c.w, "mockcloud: broken fixture "+a.fixture, http.StatusInternalServerError)
		return
	}
	if a.status != 0 {
		out.Status = a.status
	}
	for k, vs := range out.Header {
		c.w.Header()[k] = vs
	}
	c.w.WriteHeader(out.Status)
	_, _ = c.w.Write(out.Body)
}

// setRequestID adds the header each cloud uses to identify an answer
// (Alibaba also puts it in the body, through the fixtures).
func (s *Server) setRequestID(c *call) {
	if c.cloud == alibaba {
		c.w.Header().Set("x-acs-request-id", c.requestID)
	} else {
		c.w.Header().Set("X-Request-Id", c.requestID)
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// newRequestID makes an id shaped like the cloud's: 32 hex digits for
// Huawei, an upper-case UUID for Alibaba.
func newRequestID(cloud string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	if cloud == alibaba {
		return strings.ToUpper(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:])
	}
	return h
}

// requestParams merges the query and, for form posts, the form body: Alibaba
// RPC parameters may travel in either.
func requestParams(r *http.Request, body []byte) url.Values {
	v := url.Values{}
	for k, vs := range r.URL.Query() {
		v[k] = append(v[k], vs...)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(body)); err == nil {
			for k, vs := range form {
				v[k] = append(v[k], vs...)
			}
		}
	}
	return v
}

// statusWriter remembers the status sent, for the journal (0 = nothing sent).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (for Drop faults).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// sleep waits d or until ctx ends; false means ctx ended (the client left).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
