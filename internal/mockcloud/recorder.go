package mockcloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

// RecorderOptions configure a Recorder.
type RecorderOptions struct {
	// Upstream is the base URL requests are forwarded to: a real cloud
	// endpoint (one service at a time, since each has its own host) or
	// another mock.
	Upstream string
	// Dir receives one fixture file per exchange.
	Dir string
	// Alibaba re-signs ACS3 requests for the upstream host (ACS3 signs the
	// Host header, so a request signed for the recorder fails upstream). Use
	// the credentials the client signs with. Huawei requests are forwarded
	// unchanged: the Huawei signer does not sign Host.
	Alibaba Credentials
	// Addr is where StartRecorder listens (loopback only; default 127.0.0.1:0).
	Addr string
	// Client forwards requests (default: a client with a 2 minute timeout
	// that does not follow redirects).
	Client *http.Client
	Logf   func(format string, args ...any) // optional: one line per exchange, no secrets
}

// Recorder sits between a client and a cloud, forwards every request, and
// writes each exchange as a fixture with secrets, ids and passphrases replaced
// by template placeholders. Its methods are safe for concurrent use.
type Recorder struct {
	opts     RecorderOptions
	upstream *url.URL
	seq      atomic.Int64

	httpSrv *http.Server
	url     string
}

// NewRecorder returns a Recorder to serve yourself (it is an http.Handler).
func NewRecorder(opts RecorderOptions) (*Recorder, error) {
	u, err := url.Parse(strings.TrimRight(opts.Upstream, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("mockcloud: recorder upstream %q is not a base URL", opts.Upstream)
	}
	if opts.Dir == "" {
		return nil, fmt.Errorf("mockcloud: recorder needs a directory for fixtures")
	}
	if opts.Client == nil {
		opts.Client = &http.Client{
			Timeout:       2 * time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	return &Recorder{opts: opts, upstream: u}, nil
}

// StartRecorder is NewRecorder listening on opts.Addr.
func StartRecorder(opts RecorderOptions) (*Recorder, error) {
	rec, err := NewRecorder(opts)
	if err != nil {
		return nil, err
	}
	rec.httpSrv, rec.url, err = listen(rec.opts.Addr, rec)
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// URL is the recorder's base URL when started with StartRecorder.
func (rec *Recorder) URL() string { return rec.url }

// Close stops a recorder started with StartRecorder.
func (rec *Recorder) Close() {
	if rec.httpSrv != nil {
		_ = rec.httpSrv.Close()
	}
}

// hopHeaders are per-connection headers a proxy must not forward.
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func (rec *Recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "mockcloud recorder: reading request: "+err.Error(), http.StatusBadRequest)
		return
	}
	out, err := http.NewRequestWithContext(r.Context(), r.Method, rec.upstream.String()+r.URL.RequestURI(), bytes.NewReader(body)) //nolint:gosec // the upstream is fixed by the operator; only the path comes from the client
	if err != nil {
		http.Error(w, "mockcloud recorder: "+err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	// Let the transport negotiate compression, so the body we record is plain.
	out.Header.Del("Accept-Encoding")
	if strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-") && rec.opts.Alibaba.AccessKey != "" {
		if err := signature.SignAlibabaACS3(out, body, rec.opts.Alibaba.AccessKey, rec.opts.Alibaba.SecretKey, time.Now()); err != nil {
			http.Error(w, "mockcloud recorder: re-signing: "+err.Error(), http.StatusBadGateway)
			return
		}
	}

	resp, err := rec.opts.Client.Do(out) //nolint:gosec // forwarding to the configured upstream is the recorder's job
	if err != nil {
		// Not the *url.Error itself: its URL holds a v2 request's signature and key.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		rec.logf("mockcloud recorder: %s %s: upstream: %v", r.Method, r.URL.Path, err)
		http.Error(w, "mockcloud recorder: upstream: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, "mockcloud recorder: reading upstream answer: "+err.Error(), http.StatusBadGateway)
		return
	}

	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	for _, h := range append(hopHeaders, "Content-Length") {
		w.Header().Del(h)
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(respBody)

	name, err := rec.write(r, body, resp, respBody)
	if err != nil {
		rec.logf("mockcloud recorder: %s %s: %v", r.Method, r.URL.Path, err)
		return
	}
	rec.logf("mockcloud recorder: %s %s -> %d, wrote %s", r.Method, r.URL.Path, resp.StatusCode, name)
}

func (rec *Recorder) logf(format string, args ...any) {
	if rec.opts.Logf != nil {
		rec.opts.Logf(format, args...)
	}
}

// keptHeaders are the answer headers worth recording; the rest (Date,
// Content-Length, Server, cookies, tracing) change per call or say nothing.
var keptHeaders = map[string]string{
	"Content-Type":     "",
	"Retry-After":      "",
	"X-Request-Id":     "{{.RequestID}}",
	"X-Acs-Request-Id": "{{.RequestID}}",
}

// write records one exchange as a fixture file and returns its name.
func (rec *Recorder) write(r *http.Request, reqBody []byte, resp *http.Response, respBody []byte) (string, error) {
	rt := matchRoute(r, reqBody)
	red := newRedactor(r, reqBody, rt)
	f := Fixture{
		Operation: rt.op,
		Status:    resp.StatusCode,
		Headers:   map[string]string{},
		Request:   &FixtureRequest{Method: r.Method, Path: red.text(r.URL.Path)},
	}
	if rt.cloud == alibaba {
		f.Request.Action = rt.params["Action"]
	}
	for k, placeholder := range keptHeaders {
		if v := resp.Header.Get(k); v != "" {
			if placeholder == "" {
				placeholder = red.text(v)
			}
			f.Headers[k] = placeholder
		}
	}
	switch {
	case len(respBody) == 0:
	case json.Valid(respBody):
		b, err := red.json(respBody)
		if err != nil {
			return "", err
		}
		f.Body = b
	default:
		f.RawBody = red.text(string(respBody))
	}

	// Not json.MarshalIndent: it would escape <, > and & in the body.
	var data bytes.Buffer
	enc := json.NewEncoder(&data)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return "", err
	}
	if err := os.MkdirAll(rec.opts.Dir, 0o750); err != nil {
		return "", err
	}
	op := rt.op
	if op == "" {
		op = "unknown"
	}
	name := fmt.Sprintf("%03d_%s_%d.json", rec.seq.Add(1), op, resp.StatusCode)
	// op comes from the mock's own route table, never from the request.
	return name, os.WriteFile(filepath.Join(rec.opts.Dir, name), data.Bytes(), 0o600) //nolint:gosec // see above
}

// redactKeys are JSON keys (lower case) whose values are secrets or account
// identifiers, and the placeholder each becomes. Their values are also
// replaced wherever else they appear (a project id inside a link, say).
var redactKeys = map[string]string{ //nolint:gosec // placeholders, not credentials
	"passphrase":                    "{{.Passphrase}}",
	"project_id":                    "{{.ProjectID}}",
	"projectid":                     "{{.ProjectID}}",
	"tenant_id":                     "{{.ProjectID}}",
	"domain_id":                     "{{.DomainID}}",
	"domainid":                      "{{.DomainID}}",
	"account_id":                    "{{.DomainID}}",
	"accountid":                     "{{.DomainID}}",
	"owner_id":                      "{{.DomainID}}",
	"ownerid":                       "{{.DomainID}}",
	"aliuid":                        "{{.DomainID}}",
	"request_id":                    "{{.RequestID}}",
	"requestid":                     "{{.RequestID}}",
	"hostid":                        "{{.HostID}}",
	"encoded_authorization_message": "XXXXXX",
}

// redactor replaces secret values in one recorded exchange.
type redactor struct {
	values []redaction // literal value -> placeholder, longest first
}

type redaction struct{ value, placeholder string }

// newRedactor collects the secrets a request carries: its access key,
// security token and signature, and the ids in its path and headers.
func newRedactor(r *http.Request, body []byte, rt route) *redactor {
	red := &redactor{}
	red.add(signature.AccessKey(r, body), "{{.AccessKey}}")
	for _, h := range []string{"X-Security-Token", "x-acs-security-token", "Authorization"} {
		red.add(r.Header.Get(h), "REDACTED")
	}
	if m := authSignature.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		red.add(m[1], "REDACTED")
	}
	p := requestParams(r, body)
	red.add(p.Get("SecurityToken"), "REDACTED")
	red.add(p.Get("Signature"), "REDACTED")
	red.add(r.Header.Get("X-Project-Id"), "{{.ProjectID}}")
	red.add(r.Header.Get("X-Domain-Id"), "{{.DomainID}}")
	if rt.cloud == huawei {
		// Path parameters become their own placeholders ({{.TaskID}}), so a
		// recorded answer fits any task; {{.ProjectID}} is one of them.
		for k, v := range rt.params {
			red.add(v, "{{."+k+"}}")
		}
	}
	return red
}

var authSignature = regexp.MustCompile(`Signature=([0-9A-Za-z+/=]+)`)

func (red *redactor) add(value, placeholder string) {
	// Short values ("0", "1") would replace parts of unrelated strings.
	if len(value) < 6 {
		return
	}
	for _, r := range red.values {
		if r.value == value {
			return
		}
	}
	red.values = append(red.values, redaction{value, placeholder})
	// Longest first, so a value containing another is replaced whole.
	for i := len(red.values) - 1; i > 0 && len(red.values[i].value) > len(red.values[i-1].value); i-- {
		red.values[i], red.values[i-1] = red.values[i-1], red.values[i]
	}
}

// text escapes template syntax already in s, then replaces secret values.
func (red *redactor) text(s string) string {
	s = strings.ReplaceAll(s, "{{", `{{"{{"}}`)
	for _, r := range red.values {
		s = strings.ReplaceAll(s, r.value, r.placeholder)
	}
	return s
}

// json redacts a JSON body: values under redactKeys (and the ids of an IAM
// project list) become placeholders, and their values are then replaced
// wherever else they occur.
func (red *redactor) json(body []byte) ([]byte, error) {
	placeholderFor := func(path []string) string {
		if len(path) == 0 {
			return ""
		}
		if len(path) >= 2 && path[len(path)-2] == "projects" && path[len(path)-1] == "id" {
			return "{{.ProjectID}}"
		}
		return redactKeys[strings.ToLower(path[len(path)-1])]
	}
	// First pass: learn the values (a project id first seen in "project_id"
	// must also go from "links.self").
	_, err := rewriteJSON(body, func(path []string, s string) ([]byte, error) {
		if p := placeholderFor(path); p != "" {
			red.add(s, p)
		}
		return jsonString(s), nil
	})
	if err != nil {
		return nil, err
	}
	return rewriteJSON(body, func(path []string, s string) ([]byte, error) {
		if p := placeholderFor(path); p != "" && s != "" {
			return jsonString(p), nil
		}
		return jsonString(red.text(s)), nil
	})
}
