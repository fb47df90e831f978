package reliability_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/ecs"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/sms"
)

// The fuzz targets here feed outside input — cloud answers and the ids
// people type — to the code that reads it. `make test` runs each for
// FUZZTIME (10s); `make fuzz FUZZTIME=5m` for longer.

const fuzzRequestID = "0123456789abcdef0123456789abcdef"

// answering is a cloud that answers every request with status and body.
type answering struct {
	status      int
	contentType string
	body        string
}

func (a *answering) serve(t testing.TB) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", a.contentType)
		w.Header().Set("X-Request-Id", fuzzRequestID)
		w.Header().Set("x-acs-request-id", fuzzRequestID)
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// checkCloudError: an error from a cloud call is a CloudError that carries
// the status answered and the request id, and never prints "<nil>".
func checkCloudError(t *testing.T, err error, status int, extra ...error) {
	t.Helper()
	for _, e := range extra {
		if errors.Is(err, e) {
			return
		}
	}
	var ce *conns.CloudError
	if !errors.As(err, &ce) {
		t.Fatalf("error %T is not a CloudError: %v", err, err)
	}
	// The request id is the answer's header, or the one its body gives.
	if ce.HTTPStatus != status || ce.RequestID == "" {
		t.Fatalf("status %d request id %q, the answer had %d and %q: %v", ce.HTTPStatus, ce.RequestID, status, fuzzRequestID, err)
	}
	if strings.Contains(err.Error(), "<nil>") {
		t.Fatalf("error shows <nil>: %v", err)
	}
}

// FuzzHuaweiReads feeds any answer to every Huawei read of the API layer:
// no panic; an error is a CloudError with the answer's status and request
// id; a success read the fields it needs from the body (an empty or
// foreign body is never a success).
func FuzzHuaweiReads(f *testing.F) {
	f.Add(uint8(0), 200, `{"id":"t","name":"n","state":"MIGRATE_SUCCESS","target_server":{"vm_id":"v","name":"m"}}`)
	f.Add(uint8(1), 200, `{"task_id":"t","passphrase":""}`)
	f.Add(uint8(2), 200, `{"server":{"id":"s","name":"n","status":"ACTIVE","locked":true}}`)
	f.Add(uint8(3), 200, `{"projects":[{"id":"p","name":"cn-north-4"}]}`)
	f.Add(uint8(1), 200, ``)
	f.Add(uint8(2), 409, `{"conflictingRequest":{"code":409,"message":"locked"}}`)
	f.Add(uint8(0), 403, `{"error_code":"SMS.9004","error_msg":"no"}`)
	f.Add(uint8(3), 200, `null`)
	f.Fuzz(func(t *testing.T, op uint8, status int, body string) {
		if status < 200 || status > 599 || (status >= 300 && status < 400) || status == 204 || status == 304 {
			return
		}
		// A server per input: nothing an earlier input left running sees this one's answer.
		u := (&answering{status: status, contentType: "application/json", body: body}).serve(t)
		c := conns.New(conns.Config{Huawei: conns.HuaweiConfig{Region: "cn-north-4", AccessKey: "AK", SecretKey: "SK",
			Endpoints: conns.HuaweiEndpoints{IAM: u, SMS: u, ECS: u}}})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var err error
		var needs string
		var extra []error
		switch op % 4 {
		case 0:
			_, err = sms.NewAPI(c).ShowTask(ctx, "t")
			needs = "id"
		case 1:
			_, err = sms.NewAPI(c).ShowPassphrase(ctx, "t")
			needs = "passphrase"
		case 2:
			_, err = ecs.NewAPI(c).ShowServer(ctx, ecs.Target{Region: "cn-north-4", ProjectID: "p", ServerID: "s"})
			needs, extra = "locked", []error{ecs.ErrNoLockState}
		case 3:
			var id string
			id, err = c.HuaweiProjectID(ctx, "")
			needs = "projects"
			if err != nil && strings.Contains(err.Error(), "IAM has no project named") {
				return // a readable list without the region: the answer was read
			}
			if err == nil && id == "" {
				t.Fatal("an empty project id was read as found")
			}
		}
		if ctx.Err() != nil {
			return // a machine too busy to answer in time says nothing about the input
		}
		if err != nil {
			checkCloudError(t, err, status, extra...)
			return
		}
		if status >= 400 {
			t.Fatalf("status %d read as a success", status)
		}
		if !strings.Contains(strings.ToLower(body), needs) {
			t.Fatalf("a body without %q read as a success: %q", needs, body)
		}
	})
}

// FuzzAlibabaAnswer feeds any answer (status, content type, body) to the
// Bastionhost reads and writes: no panic; an error is a CloudError with the
// status and request id; an unlock's success has one result per user asked.
func FuzzAlibabaAnswer(f *testing.F) {
	f.Add(uint8(0), 200, "application/json", `{"RequestId":"r","User":{"UserId":"7","UserState":["Frozen"]}}`)
	f.Add(uint8(1), 200, "application/json", `{"RequestId":"r","Results":[{"Code":"OK","UserId":"7"}]}`)
	f.Add(uint8(2), 200, "application/json", `{"RequestId":"r","TotalCount":1,"Users":[{"UserId":"7","UserState":["Frozen"]}]}`)
	f.Add(uint8(1), 200, "application/json", `{}`)
	f.Add(uint8(0), 503, "text/html", `<html>503</html>`)
	f.Add(uint8(2), 502, "application/json", ``)
	f.Add(uint8(1), 400, "application/json", `{"Code":"Throttling.User","Message":"slow down","RequestId":"r"}`)
	f.Add(uint8(0), 404, "text/xml;charset=utf-8", `<Error><Code>X</Code></Error>`)
	f.Fuzz(func(t *testing.T, op uint8, status int, contentType, body string) {
		if status < 200 || status > 599 || (status >= 300 && status < 400) || status == 204 || status == 304 {
			return
		}
		if strings.IndexFunc(contentType, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
			return // not a header a server can send
		}
		u := (&answering{status: status, contentType: contentType, body: body}).serve(t)
		c := conns.New(conns.Config{Alibaba: conns.AlibabaConfig{Region: "cn-hangzhou", AccessKey: "LTAI", SecretKey: "S",
			Endpoints: conns.AlibabaEndpoints{Bastionhost: u}}})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		api := bastionhost.NewAPI(c)
		var err error
		switch op % 3 {
		case 0:
			var user *bastionhost.User
			user, err = api.GetUser(ctx, "", "bastionhost-cn-x", "7")
			if err == nil && user.ID == "" {
				t.Fatal("a user without an id read as a success")
			}
		case 1:
			var res bastionhost.BatchResult
			res, err = api.UnlockUsers(ctx, "", "bastionhost-cn-x", []string{"7"})
			if err == nil && (len(res.Results) != 1 || res.Results[0].UserID != "7") {
				t.Fatalf("one user asked, results %v", res.Results)
			}
		case 2:
			_, _, err = api.FrozenUserIDs(ctx, "", "bastionhost-cn-x")
		}
		if ctx.Err() != nil {
			// An answer that pages forever (the same full page again),
			// bounded by the deadline; or a machine too busy to answer in time.
			return
		}
		if err != nil {
			checkCloudError(t, err, status)
			return
		}
		if status >= 400 {
			t.Fatalf("status %d read as a success", status)
		}
	})
}

// validatorsOf returns the validators of a resource's string attribute.
func validatorsOf(r resource.Resource, attr string) []validator.String {
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema.Attributes[attr].(rschema.StringAttribute).Validators
}

func accepts(vs []validator.String, v string) bool {
	for _, val := range vs {
		var resp validator.StringResponse
		val.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(v)}, &resp)
		if resp.Diagnostics.HasError() {
			return false
		}
	}
	return true
}

// FuzzIDValidators feeds any string to the validators of the ids people
// type and of endpoint URLs: what they accept stays what the API expects —
// a task or server id is one plain URL path segment (no "/", "..", "?",
// "#", "%", no escaping needed), an instance id has no white space, an
// endpoint is a bare http(s) URL with a host.
func FuzzIDValidators(f *testing.F) {
	for _, s := range []string{"7a9a9540-ff28-4869-b9e4-855fbe12a001", "../x", "a?b", "a/b", "%2e%2e", "", " ", "x\x00",
		"https://sms.example.com", "http://127.0.0.1:8080/", "https://u@h", "bastionhost-cn-x"} {
		f.Add(s)
	}
	taskID := validatorsOf(sms.NewTaskUnlockResource(), "task_id")
	serverID := validatorsOf(ecs.NewServerLockResource(), "server_id")
	instanceID := validatorsOf(bastionhost.NewUserUnlockResource(), "instance_id")
	f.Fuzz(func(t *testing.T, s string) {
		for name, vs := range map[string][]validator.String{"task_id": taskID, "server_id": serverID} {
			if !accepts(vs, s) {
				continue
			}
			p := "/v3/tasks/" + s + "/unlock"
			u, err := url.Parse("https://h" + p)
			if err != nil || u.Path != p || u.RawQuery != "" || u.Fragment != "" || url.PathEscape(s) != s ||
				s == "." || s == ".." || strings.Contains(s, "/") {
				t.Fatalf("%s %q accepted, but it is not one plain path segment", name, s)
			}
		}
		if accepts(instanceID, s) && (s == "" || strings.IndexFunc(s, unicode.IsSpace) >= 0) {
			t.Fatalf("instance_id %q accepted", s)
		}
		if err := conns.ValidateEndpoint(s); err == nil {
			u, perr := url.Parse(s)
			if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
				(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
				t.Fatalf("endpoint %q accepted", s)
			}
		}
	})
}
