package conns_test

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// huaweicloud.insecure is a Huawei Cloud setting: it must not turn off
// certificate checks for Alibaba Cloud calls, which have no such setting.
// Both clouds' calls used one transport, whose TLS config came from the
// Huawei flag alone.
func TestHuaweiInsecureDoesNotReachAlibaba(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"RequestId":"r"}`))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS() // self-signed: not trusted by the system
	defer srv.Close()
	c := conns.New(conns.Config{
		Huawei: conns.HuaweiConfig{Region: "cn-north-4", AccessKey: "AK", SecretKey: "SK", Insecure: true},
		Alibaba: conns.AlibabaConfig{Region: "cn-hangzhou", AccessKey: "LTAI", SecretKey: "S",
			Endpoints: conns.AlibabaEndpoints{Bastionhost: srv.URL}},
	})
	var out map[string]any
	err := c.CallAlibaba(context.Background(), conns.AlibabaCall{Service: "bastionhost", Action: "GetUser",
		Version: "2019-12-09", Idempotent: true}, &out)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("an Alibaba call to a self-signed endpoint with huaweicloud.insecure = true: err = %v, want a certificate error", err)
	}
}
