// Package mockcloud is a small stand-in for the Huawei Cloud and Alibaba Cloud
// APIs this provider calls. Tests, the demo and people all use the same
// server: it checks request signatures as the clouds do, keeps state in
// memory, answers from recorded fixtures (fixtures/), can inject faults per
// operation, and keeps a journal of every request it served.
//
// One server answers every service on one base URL: Alibaba RPC requests are
// POST / with an Action (query, form or x-acs-action header); everything else
// is taken as a Huawei request. Operations are listed in routes.go.
package mockcloud

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

// Credentials are the keys the mock accepts.
type Credentials struct{ AccessKey, SecretKey, SecurityToken string }

// Demo credentials, used when Options leave a cloud's AccessKey empty. They
// are not secrets: they open nothing but a mock.
var (
	DemoHuawei  = Credentials{AccessKey: "MOCKHUAWEIAK0000DEMO", SecretKey: "mock-huawei-secret-key-for-demo-use-only"}
	DemoAlibaba = Credentials{AccessKey: "LTAI5tMockDemoAccessKey", SecretKey: "mock-alibaba-secret-for-demo-use-only"}
)

// Options configure a Server.
type Options struct {
	Huawei    Credentials // the only AK/SK accepted for SDK-HMAC-SHA256 (default DemoHuawei)
	Alibaba   Credentials // the only AK/secret accepted for ACS3-HMAC-SHA256 and HMAC-SHA1 (default DemoAlibaba)
	ProjectID string      // project id answered by IAM for Region (default "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
	DomainID  string      // account (domain) id in answers (default "d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f")
	Region    string      // default "cn-north-4"

	// Logf, if set, gets one line per request: op, method, path, status.
	Logf func(format string, args ...any)

	// Addr is where Start listens; only loopback addresses are accepted.
	// Default "127.0.0.1:0".
	Addr string
	// JournalLimit bounds the journal so a long-running mock does not grow
	// without end: beyond it the oldest entries go (at least the last
	// JournalLimit stay). Calls keeps counting every request. Default 10000.
	JournalLimit int
}

// Server is the mock cloud. Its methods are safe for concurrent use.
type Server struct {
	opts Options

	mu    sync.Mutex
	tasks map[string]Task

	// ECS servers (ecs.go)
	ecsServers map[string]ECSServer

	// Bastionhost instances and users (bastionhost.go)
	bastionhost map[string]*BastionhostInstance
	bastionRate int                    // EnforceBastionhostRate; 0: off
	bastionSent map[string][]time.Time // calls counted, by access key and API

	// SMS source servers (sources.go)
	sources map[string]SourceServer

	// Huawei temporary credentials (iam_agency.go, huawei_metadata.go)
	sts huaweiSTS

	// Alibaba STS, ECS metadata and credentials URI (sts.go, alibaba_metadata.go)
	aliSTS stsState

	faults  map[string][]Fault
	journal []Entry
	calls   map[string]int

	httpSrv *http.Server
	url     string
	tlsSrv  *http.Server // sts_tls.go
	tlsURL  string
}

// New returns a server that does not listen; serve s.Handler() yourself
// (httptest.NewServer(s.Handler()), say).
func New(opts Options) *Server {
	if opts.Huawei.AccessKey == "" {
		opts.Huawei = DemoHuawei
	}
	if opts.Alibaba.AccessKey == "" {
		opts.Alibaba = DemoAlibaba
	}
	if opts.ProjectID == "" {
		opts.ProjectID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	}
	if opts.DomainID == "" {
		opts.DomainID = "d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f"
	}
	if opts.Region == "" {
		opts.Region = "cn-north-4"
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.JournalLimit <= 0 {
		opts.JournalLimit = 10000
	}
	s := &Server{
		opts:   opts,
		tasks:  map[string]Task{},
		faults: map[string][]Fault{},
		calls:  map[string]int{},
	}

	// ECS servers (ecs.go)
	s.ecsServers = map[string]ECSServer{}

	// Bastionhost instances and users (bastionhost.go)
	s.bastionhost = map[string]*BastionhostInstance{}

	// SMS source servers (sources.go)
	s.sources = map[string]SourceServer{}

	// Huawei temporary credentials (iam_agency.go, huawei_metadata.go)
	s.sts = newHuaweiSTS()

	return s
}

// Start returns a server listening on opts.Addr (default 127.0.0.1:0).
func Start(opts Options) (*Server, error) {
	s := New(opts)
	srv, u, err := listen(s.opts.Addr, s)
	if err != nil {
		return nil, err
	}
	s.httpSrv, s.url = srv, u
	return s, nil
}

// StartT is Start for tests: it fails the test on error and closes the
// server when the test ends.
func StartT(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("mockcloud: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// URL is the base URL, "http://127.0.0.1:PORT" ("" if not started).
func (s *Server) URL() string { return s.url }

// Handler serves the mock.
func (s *Server) Handler() http.Handler { return s }

// Close stops listening and drops open connections, which also ends any
// injected delay in progress.
func (s *Server) Close() {
	if s.httpSrv != nil {
		_ = s.httpSrv.Close()
	}
	s.mu.Lock()
	tlsSrv := s.tlsSrv
	s.mu.Unlock()
	if tlsSrv != nil {
		_ = tlsSrv.Close()
	}
}

// listen serves h on addr, which must be a loopback address: the mock accepts
// fixed demo keys and must never be reachable from the network.
func listen(addr string, h http.Handler) (*http.Server, string, error) {
	if err := CheckLoopback(addr); err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("mockcloud: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

// CheckLoopback returns an error unless addr (host:port) is on a loopback interface.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("mockcloud: listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("mockcloud: listen address %q is not a loopback address", addr)
}

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

// authenticate checks the signature and security token the way the cloud's
// gateway does; nil means the request may proceed.
func (s *Server) authenticate(c *call) *answer {
	now := time.Now()
	if c.cloud == alibabaLocal {
		return nil // the metadata service and the credentials URI check their own way
	}
	if c.cloud == alibaba {
		if c.params["Action"] == "AssumeRoleWithOIDC" {
			return nil // anonymous: the OIDC token is the proof
		}
		creds := s.opts.Alibaba
		if e := signature.VerifyAlibaba(c.r, c.body, s.alibabaLookup(creds), now); e != nil {
			return signatureAnswer(alibaba, e)
		}
		if tc, ok := s.temporary(signature.AccessKey(c.r, c.body)); ok {
			return s.checkAlibabaTemporary(c, tc)
		}
		if s.keysOnlySTS() && c.params["Action"] != "AssumeRole" {
			return &answer{fixture: "alibaba/error_403_Forbidden.RAM.json"}
		}
		if creds.SecurityToken != "" && alibabaToken(c) != creds.SecurityToken {
			return &answer{fixture: "alibaba/error_400_InvalidSecurityToken.MismatchWithAccessKey.json"}
		}
		return nil
	}
	creds := s.opts.Huawei
	if e := signature.VerifyHuawei(c.r, c.body, s.huaweiLookup(), now); e != nil {
		return signatureAnswer(huawei, e)
	}
	if ak := signature.AccessKey(c.r, c.body); ak != creds.AccessKey {
		return s.checkTemporary(c, ak) // a key IAM issued (iam_agency.go)
	}
	if creds.SecurityToken != "" && c.r.Header.Get("X-Security-Token") != creds.SecurityToken {
		return &answer{fixture: "huawei/error_401_APIGW.0301_token.json"}
	}
	return nil
}

// alibabaLookup accepts the account's keys and the temporary keys the mock
// issued (sts.go).
func (s *Server) alibabaLookup(creds Credentials) signature.Lookup {
	return func(ak string) (string, bool) {
		if ak == creds.AccessKey {
			return creds.SecretKey, true
		}
		if tc, ok := s.temporary(ak); ok {
			return tc.AccessKeySecret, true
		}
		return "", false
	}
}

// alibabaToken is the security token of an Alibaba request: the
// x-acs-security-token header (ACS3) or the SecurityToken parameter (v2).
func alibabaToken(c *call) string {
	if t := c.r.Header.Get("x-acs-security-token"); t != "" {
		return t
	}
	return c.params["SecurityToken"]
}

// signatureAnswer turns a rejected signature into the cloud's error body.
// Huawei answers every signature problem with APIGW.0301; Alibaba has one
// code per problem, each with its own fixture when we have recorded it.
func signatureAnswer(cloud string, e *signature.Error) *answer {
	data := map[string]any{"Code": e.Code, "Message": e.Message}
	if cloud == huawei {
		return &answer{fixture: "huawei/error_401_APIGW.0301.json", status: e.Status, data: data}
	}
	name := fmt.Sprintf("alibaba/error_%d_%s.json", e.Status, e.Code)
	if _, err := LoadFixture(name); err != nil {
		name = "alibaba/error.json"
	}
	return &answer{fixture: name, status: e.Status, data: data}
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
