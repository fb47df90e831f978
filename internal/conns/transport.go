package conns

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/sdklog"
)

// callHeader carries a per-call id from the SDK request back to the context
// of the Terraform operation that made it. The Huawei SDK core builds its
// http.Request without a context, so this is how cancellation and tflog
// reach the wire. The header is harmless to the clouds.
const callHeader = "X-Cloudlock-Call-Id"

// transport sends every cloud request: it restores the caller's context,
// traces request and answer with tflog (secrets masked), and uses one
// connection pool for all services.
type transport struct {
	base      *http.Transport
	calls     sync.Map // call id -> context.Context
	nextID    atomic.Uint64
	secretsMu sync.RWMutex
	secrets   []string // masked in every trace; grows as temporary keys arrive
	// trace: Terraform shows provider logs (sdklog.Wanted), so the request
	// and answer traces are worth building (copying and redacting bodies).
	trace bool
}

func newTransport(insecure bool, secrets []string) *transport {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure} //nolint:gosec // only when the user sets insecure = true
	base.MaxIdleConnsPerHost = 32
	base.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	var s []string
	for _, v := range secrets {
		if v != "" {
			s = append(s, v)
		}
	}
	return &transport{base: base, secrets: s, trace: sdklog.Wanted()}
}

// addSecrets masks more values in traces from now on: temporary keys,
// ID tokens and federated tokens, learnt while the provider runs.
func (t *transport) addSecrets(values ...string) {
	t.secretsMu.Lock()
	defer t.secretsMu.Unlock()
	for _, v := range values {
		if v != "" && !slices.Contains(t.secrets, v) {
			t.secrets = append(slices.Clip(t.secrets), v)
		}
	}
}

// register ties ctx to a new call id until release is called.
func (t *transport) register(ctx context.Context) (id string, release func()) {
	id = strconv.FormatUint(t.nextID.Add(1), 36)
	t.calls.Store(id, ctx)
	return id, func() { t.calls.Delete(id) }
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if id := req.Header.Get(callHeader); id != "" {
		if v, ok := t.calls.Load(id); ok {
			ctx = v.(context.Context)
			req = req.WithContext(ctx)
		}
	}
	secretAnswer := req.Header.Get(secretAnswerHeader) != ""
	if secretAnswer {
		req = req.Clone(ctx)
		req.Header.Del(secretAnswerHeader)
	}
	if !t.trace {
		return t.roundTrip(req)
	}
	t.secretsMu.RLock()
	secrets := t.secrets
	t.secretsMu.RUnlock()
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	ctx = tflog.MaskMessageStrings(ctx, secrets...)

	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
			_ = rc.Close()
		}
	}
	tflog.Trace(ctx, "cloudlock: cloud request", map[string]any{
		"method": req.Method,
		"url":    Redact(req.URL.String()),
		"header": redactHeader(req.Header),
		"body":   Redact(string(reqBody)),
	})
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		tflog.Debug(ctx, "cloudlock: cloud request failed", map[string]any{
			"method": req.Method, "url": Redact(req.URL.String()), "error": err.Error(),
		})
		return nil, err
	}
	body, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	tflog.Trace(ctx, "cloudlock: cloud response", map[string]any{
		"method":      req.Method,
		"url":         Redact(req.URL.String()),
		"status":      resp.StatusCode,
		"request_id":  resp.Header.Get("X-Request-Id"),
		"duration_ms": time.Since(start).Milliseconds(),
		"body":        answerForLog(body, secretAnswer),
	})
	if readErr != nil {
		return nil, readErr
	}
	noteAnswer(ctx, resp)
	return resp, nil
}

// roundTrip sends req without tracing. The answer is read whole here too, so
// a connection dropped mid-answer is the same transport error, and retried
// the same way, whether tracing is on or not.
func (t *transport) roundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	noteAnswer(req.Context(), resp)
	return resp, nil
}

// secretAnswerHeader marks a request whose whole answer is a secret (the
// metadata service's session token, plain text): it is traced as ***. The
// header is removed before the request is sent.
const secretAnswerHeader = "X-Cloudlock-Secret-Answer" //nolint:gosec // a header name, not a credential

func answerForLog(body []byte, secret bool) string {
	if secret {
		return "***"
	}
	return Redact(string(body))
}

// Call lets transport serve as darabonba's HttpClient.
func (t *transport) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	return t.RoundTrip(req)
}

var sensitiveHeaders = map[string]bool{
	"Authorization":        true,
	"X-Security-Token":     true,
	"X-Auth-Token":         true,
	"X-Acs-Security-Token": true,
	"X-Acs-Bearer-Token":   true,
	"X-Subject-Token":      true,
	"X-Metadata-Token":     true,
}

func redactHeader(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if len(v) == 0 {
			continue
		}
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = "***"
			continue
		}
		out[k] = v[0]
	}
	return out
}

// sensitiveKeys names JSON fields and query/form parameters whose values
// are never logged.
const sensitiveKeys = `(?i)(passphrase|password|secret[a-z_]*|security_?token|access_?key[a-z_]*|accesskeyid|access|signature|adminpass|auth_?token|x-auth-token|id_?token)`

var (
	jsonSecret  = regexp.MustCompile(`"` + sensitiveKeys + `"\s*:\s*"(?:[^"\\]|\\.)*"`)
	paramSecret = regexp.MustCompile(`([?&]|^)` + sensitiveKeys + `=[^&]*`)
)

// Redact masks secret values in a JSON body, URL, query or form string.
func Redact(s string) string {
	s = jsonSecret.ReplaceAllString(s, `"$1":"***"`)
	return paramSecret.ReplaceAllString(s, `$1$2=***`)
}
