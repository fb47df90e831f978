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
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
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

	// Now is the mock's clock for what expires (temporary Huawei keys,
	// federated and metadata tokens, Alibaba STS credentials) and for
	// account limits (EnforceLimit), so that tests can go past an expiry or
	// a window on fake time instead of waiting for it; default time.Now
	// (which a testing/synctest bubble fakes too). Signature dates are
	// checked against the real time the SDKs sign with.
	Now func() time.Time
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
	bastionRate *limitState // EnforceBastionhostRate's limit, nil when off

	// SMS source servers (sources.go)
	sources map[string]SourceServer

	// Huawei temporary credentials (iam_agency.go, huawei_metadata.go)
	sts huaweiSTS

	// Alibaba STS, ECS metadata and credentials URI (sts.go, alibaba_metadata.go)
	aliSTS stsState

	faults  map[string][]Fault
	journal []Entry
	calls   map[string]int

	// Account limits (limits.go)
	limits    []*limitState
	throttled map[string]int // refused requests by op

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
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:      opts,
		tasks:     map[string]Task{},
		faults:    map[string][]Fault{},
		calls:     map[string]int{},
		throttled: map[string]int{},
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

// now is the mock's clock (Options.Now).
func (s *Server) now() time.Time { return s.opts.Now() }

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
