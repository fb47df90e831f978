package conns_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

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
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
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
