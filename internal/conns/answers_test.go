package conns_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// answerServer answers every request with status, content type and body,
// and counts the requests.
func answerServer(t *testing.T, status int, contentType, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("x-acs-request-id", "5C2E4F3A-0000-4000-8000-00000000BEEF")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func alibabaClient(url string, retries int) *conns.Client {
	return conns.New(conns.Config{MaxRetries: retries, Alibaba: conns.AlibabaConfig{Region: "cn-hangzhou",
		AccessKey: "LTAItest", SecretKey: "secret", Endpoints: conns.AlibabaEndpoints{Bastionhost: url}}})
}

func getUser(c *conns.Client, idempotent bool) error {
	var out map[string]any
	return c.CallAlibaba(context.Background(), conns.AlibabaCall{Service: "bastionhost", Action: "GetUser",
		Version: "2019-12-09", Params: map[string]string{"InstanceId": "bastionhost-cn-x", "UserId": "1"}, Idempotent: idempotent}, &out)
}

// An Alibaba error answer whose body is not the cloud's JSON (a load
// balancer's HTML 503, an empty 502, a truncated 500) keeps its HTTP status
// and the request id of the x-acs-request-id header, is retried like any
// 5xx, and never shows "<nil>" for what it lacks. darabonba itself returns a
// bare JSON syntax error for these, which was neither retried nor told the status.
func TestAlibabaUnreadableErrorAnswers(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		status                  int
	}{
		{"HTML 503 page", "text/html", "<html><body>503 Service Temporarily Unavailable</body></html>", 503},
		{"empty 502", "application/json", "", 502},
		{"truncated 500", "application/json", `{"Code":"InternalError","Mess`, 500},
	}
	// The transport has two paths, traced (TF_LOG set) and not: both must
	// note the answer. The client is built after TF_LOG is set.
	for _, tfLog := range []string{"", "trace"} {
		t.Setenv("TF_LOG", tfLog)
		for _, tc := range cases {
			t.Run(tc.name+" TF_LOG="+tfLog, func(t *testing.T) {
				srv, n := answerServer(t, tc.status, tc.contentType, tc.body)
				err := getUser(alibabaClient(srv.URL, 2), true)
				var ce *conns.CloudError
				if !errors.As(err, &ce) {
					t.Fatalf("err = %v, want a CloudError", err)
				}
				if ce.HTTPStatus != tc.status || ce.RequestID != "5C2E4F3A-0000-4000-8000-00000000BEEF" {
					t.Errorf("status %d, request id %q; want %d and the header's id", ce.HTTPStatus, ce.RequestID, tc.status)
				}
				if msg := err.Error(); strings.Contains(msg, "<nil>") {
					t.Errorf("error shows <nil>: %s", msg)
				}
				if got := n.Load(); got != 3 {
					t.Errorf("%d requests, want 3 (a 5xx on an idempotent call is retried twice)", got)
				}
			})
		}
	}
}

// seqServer answers request i with bodies[min(i, len-1)], status 200.
func seqServer(t *testing.T, bodies ...string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		i := int(n.Add(1)) - 1
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "0123456789abcdef0123456789abcdef")
		w.Header().Set("x-acs-request-id", "0123456789abcdef0123456789abcdef")
		_, _ = w.Write([]byte(bodies[min(i, len(bodies)-1)]))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

type itemResponse struct {
	Item           *string `json:"item,omitempty"`
	HttpStatusCode int     `json:"-"`
}

// huaweiGet sends a signed GET through the SDK core; check, if set, requires
// the item field.
func huaweiGet(url string, retries int, idempotent, check bool) (*itemResponse, error) {
	c := conns.New(conns.Config{MaxRetries: retries, Huawei: conns.HuaweiConfig{Region: "cn-north-4",
		AccessKey: "AK", SecretKey: "SK", Endpoints: conns.HuaweiEndpoints{SMS: url}}})
	call := conns.HuaweiCall{
		Service: conns.ServiceSMS, Operation: "sms.Item", Request: &struct{}{}, Idempotent: idempotent,
		NewDef: func() *def.HttpRequestDef {
			return def.NewHttpRequestDefBuilder().WithMethod(http.MethodGet).WithPath("/v3/item").
				WithResponse(new(itemResponse)).WithContentType("application/json").Build()
		},
	}
	if check {
		call.Check = func(out any) error {
			if out.(*itemResponse).Item == nil {
				return errors.New("it has no item")
			}
			return nil
		}
	}
	out, err := c.CallHuawei(context.Background(), call)
	if err != nil {
		return nil, err
	}
	return out.(*itemResponse), nil
}

// A 200 whose body cannot be read is asked again when the call is safe to
// repeat, and is an error carrying HTTP 200 and the request id otherwise
// (the cloud may have acted; the answer is not trusted, nor retried).
func TestUnreadableSuccessAnswers(t *testing.T) {
	calls := map[string]func(url string, idempotent bool) error{
		"huawei": func(url string, idempotent bool) error {
			_, err := huaweiGet(url, 3, idempotent, false)
			return err
		},
		"alibaba": func(url string, idempotent bool) error { return getUser(alibabaClient(url, 3), idempotent) },
	}
	for cloud, call := range calls {
		for _, idempotent := range []bool{true, false} {
			srv, n := seqServer(t, `{"item":`, `{"item":"x"}`)
			err := call(srv.URL, idempotent)
			var ce *conns.CloudError
			switch {
			case idempotent && (err != nil || n.Load() != 2):
				t.Errorf("%s idempotent: err %v after %d requests, want success after 2", cloud, err, n.Load())
			case !idempotent && n.Load() != 1:
				t.Errorf("%s not idempotent: %d requests, want 1", cloud, n.Load())
			case !idempotent && (!errors.As(err, &ce) || ce.HTTPStatus != 200 || ce.RequestID == "" ||
				!strings.Contains(ce.Message, "could not be read")):
				t.Errorf("%s not idempotent: err = %#v, want HTTP 200, a request id and 'could not be read'", cloud, err)
			}
		}
	}
}

// An answer without what the API documents (an empty body decodes without
// error) fails Check: it is retried, and reported with status and request id
// when it stays so.
func TestCheckRejectsIncompleteAnswers(t *testing.T) {
	srv, n := seqServer(t, ``, `null`, `{"item":"x"}`)
	out, err := huaweiGet(srv.URL, 3, true, true)
	if err != nil || out.Item == nil || *out.Item != "x" || n.Load() != 3 {
		t.Fatalf("out %v, err %v after %d requests; want item x after 3", out, err, n.Load())
	}

	srv, n = seqServer(t, `{}`)
	_, err = huaweiGet(srv.URL, 2, true, true)
	var ce *conns.CloudError
	if !errors.As(err, &ce) || ce.HTTPStatus != 200 || ce.RequestID != "0123456789abcdef0123456789abcdef" ||
		ce.Message != "the answer could not be read: it has no item" || n.Load() != 3 {
		t.Fatalf("err = %#v after %d requests", err, n.Load())
	}

	srv, _ = seqServer(t, `{}`)
	var item struct{ Item *string }
	err = alibabaClient(srv.URL, 0).CallAlibaba(context.Background(), conns.AlibabaCall{Service: "bastionhost", Action: "GetUser",
		Version: "2019-12-09", Idempotent: true, Check: func(out any) error {
			if out.(*struct{ Item *string }).Item == nil {
				return errors.New("it has no item")
			}
			return nil
		}}, &item)
	if !errors.As(err, &ce) || ce.HTTPStatus != 200 || !strings.Contains(ce.Message, "it has no item") {
		t.Fatalf("alibaba: err = %#v", err)
	}
}
