package conns

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
)

// FuzzRedact: masking never panics, is stable, and a passphrase field's
// value never survives it.
func FuzzRedact(f *testing.F) {
	f.Add(`{"passphrase":"abc"}`, "abc")
	f.Add(`https://h/?Signature=xyz&AccessKeyId=LTAI`, "xyz")
	f.Add(`{"passphrase" : "a\"b"}`, `a\"b`)
	f.Fuzz(func(t *testing.T, s, secret string) {
		once := Redact(s)
		if Redact(once) != once {
			t.Fatalf("Redact is not stable on %q", s)
		}
		if secret == "" || strings.ContainsAny(secret, `"\`) {
			return
		}
		body, _ := json.Marshal(map[string]string{"passphrase": secret})
		if strings.Contains(Redact(string(body)), secret) && !strings.Contains(`{"passphrase":"***"}`, secret) {
			t.Fatalf("passphrase %q survives Redact(%s)", secret, body)
		}
	})
}

type fuzzResponse struct {
	TaskID         *string `json:"task_id,omitempty"`
	Passphrase     *string `json:"passphrase,omitempty"`
	HttpStatusCode int     `json:"-"`
}

// FuzzHuaweiAnswer feeds arbitrary answers (status, body) through the SDK
// core and the client: no panic, and every failure is a CloudError.
func FuzzHuaweiAnswer(f *testing.F) {
	f.Add(200, `{"task_id":"t","passphrase":"p"}`)
	f.Add(403, `{"error_code":"SMS.9004","error_msg":"no"}`)
	f.Add(500, ``)
	f.Add(200, `{"task_id":`)
	f.Add(429, `{"error":{"code":"APIGW.0308","message":"throttled"}}`)
	f.Add(404, `[]`)

	var status int
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "fuzz")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c := New(Config{Huawei: HuaweiConfig{Region: "cn-north-4", AccessKey: "AK", SecretKey: "SK",
		Endpoints: HuaweiEndpoints{SMS: srv.URL}}})
	c.retry = RetryPolicy{MaxRetries: 0, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}

	f.Fuzz(func(t *testing.T, st int, b string) {
		if st < 200 || st > 599 {
			return
		}
		status, body = st, b
		_, err := c.CallHuawei(context.Background(), HuaweiCall{
			Service: ServiceSMS, Operation: "sms.Fuzz", Request: &struct{}{},
			NewDef: func() *def.HttpRequestDef {
				return def.NewHttpRequestDefBuilder().WithMethod(http.MethodGet).WithPath("/v3/fuzz").
					WithResponse(new(fuzzResponse)).WithContentType("application/json").Build()
			},
		})
		var ce *CloudError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("status %d body %q: error %T is not a CloudError: %v", st, b, err, err)
		}
		if st >= 400 && err == nil {
			t.Fatalf("status %d gave no error", st)
		}
	})
}
