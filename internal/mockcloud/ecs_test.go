package mockcloud_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	ecs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

const ecsServerID = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"

// startECSMock starts a mock with one unlocked, running server.
func startECSMock(t *testing.T) *mockcloud.Server {
	t.Helper()
	s := mockcloud.StartT(t, mockcloud.Options{Huawei: hwCreds, Alibaba: aliCreds, ProjectID: projectID})
	s.PutECSServer(mockcloud.ECSServer{ID: ecsServerID, Name: "web-01"})
	return s
}

// ecsClient is the SDK's ECS v2 client for the mock, with the project id in
// the credentials so the SDK fills {project_id} in paths itself.
func ecsClient(t *testing.T, url string) *ecs.EcsClient {
	t.Helper()
	auth, err := basic.NewCredentialsBuilder().WithAk(hwCreds.AccessKey).WithSk(hwCreds.SecretKey).
		WithProjectId(projectID).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := ecs.EcsClientBuilder().WithEndpoints([]string{url}).WithCredential(auth).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return ecs.NewEcsClient(hc)
}

type actionRequest struct {
	ServerID string `json:"server_id"`
	Body     string `json:"body"`
}

type actionResponse struct {
	HttpStatusCode int `json:"-"`
}

// serverAction sends a Nova server action as a signed raw request through
// the SDK core (the SDK has no typed lock call). A string body is sent as is.
func serverAction(c *ecs.EcsClient, id, body string) (int, error) {
	reqDef := def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodPost).
		WithPath("/v2.1/{project_id}/servers/{server_id}/action").
		WithResponse(new(actionResponse)).
		WithContentType("application/json").
		WithRequestField(def.NewFieldDef().WithName("ServerID").WithJsonTag("server_id").WithLocationType(def.Path)).
		WithRequestField(def.NewFieldDef().WithName("Body").WithLocationType(def.Body)).
		Build()
	out, err := c.HcClient.Sync(&actionRequest{ServerID: id, Body: body}, reqDef)
	if err != nil {
		return 0, err
	}
	return out.(*actionResponse).HttpStatusCode, nil
}

func novaShow(c *ecs.EcsClient, id, microversion string) (*model.NovaShowServerResponse, error) {
	req := &model.NovaShowServerRequest{ServerId: id}
	if microversion != "" {
		req.OpenStackAPIVersion = &microversion
	}
	return c.NovaShowServer(req)
}

// Lock and unlock change the state every show reports: Nova show from
// microversion 2.9 and the native show always; Nova show at 2.1 leaves
// "locked" out. The journal keeps the exact bodies.
func TestECSLockUnlockThroughSDK(t *testing.T) {
	s := startECSMock(t)
	c := ecsClient(t, s.URL())

	status, err := serverAction(c, ecsServerID, `{"lock": null}`)
	if err != nil || status != 202 {
		t.Fatalf("lock: status %d, %v", status, err)
	}
	if v, _ := s.ECSServer(ecsServerID); !v.Locked {
		t.Fatal("not locked after lock")
	}
	// Locking a locked server is accepted, as in Nova.
	if status, err := serverAction(c, ecsServerID, `{"lock":null}`); err != nil || status != 202 {
		t.Fatalf("second lock: status %d, %v", status, err)
	}

	nova, err := novaShow(c, ecsServerID, "compute 2.9")
	if err != nil {
		t.Fatal(err)
	}
	srv := nova.Server
	if srv == nil || srv.Locked == nil || !*srv.Locked || srv.Id != ecsServerID || srv.Name != "web-01" ||
		srv.Status.Value() != "ACTIVE" || srv.TenantId != projectID || srv.OSEXTSTSpowerState != 1 {
		t.Errorf("Nova show 2.9 = %v", srv)
	}
	base, err := novaShow(c, ecsServerID, "")
	if err != nil {
		t.Fatal(err)
	}
	if base.Server == nil || base.Server.Locked != nil {
		t.Errorf("Nova show without a microversion reported locked: %v", base.Server)
	}
	native, err := c.ShowServer(&model.ShowServerRequest{ServerId: ecsServerID})
	if err != nil {
		t.Fatal(err)
	}
	if native.Server == nil || !native.Server.Locked || native.Server.Id != ecsServerID || native.Server.Flavor.Id != "s6.small.1" {
		t.Errorf("native show = %v", native.Server)
	}

	if status, err := serverAction(c, ecsServerID, `{"unlock": null}`); err != nil || status != 202 {
		t.Fatalf("unlock: status %d, %v", status, err)
	}
	if v, _ := s.ECSServer(ecsServerID); v.Locked {
		t.Fatal("still locked after unlock")
	}
	if nova, err = novaShow(c, ecsServerID, "compute 2.9"); err != nil || nova.Server.Locked == nil || *nova.Server.Locked {
		t.Errorf("Nova show after unlock = %v, %v", nova, err)
	}

	var bodies []string
	for _, e := range s.Journal() {
		if e.Op == "ecs.NovaServerAction" {
			bodies = append(bodies, string(e.Body))
			if e.Status != 202 || e.Path != "/v2.1/"+projectID+"/servers/"+ecsServerID+"/action" {
				t.Errorf("action entry %+v", e)
			}
		}
		if e.Op == "ecs.NovaShowServer" && e.Header.Get("X-Project-Id") != projectID {
			t.Errorf("X-Project-Id = %q", e.Header.Get("X-Project-Id"))
		}
	}
	want := []string{`{"lock": null}`, `{"lock":null}`, `{"unlock": null}`}
	if strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Errorf("journal bodies = %q, want %q", bodies, want)
	}
}

// Anything but exactly {"lock": null} or {"unlock": null} is Nova's 400
// badRequest, and changes nothing.
func TestECSActionRejectsOtherBodies(t *testing.T) {
	s := startECSMock(t)
	url := s.URL() + "/v2.1/" + projectID + "/servers/" + ecsServerID + "/action"
	for body, msg := range map[string]string{
		``:                               "Malformed request body",
		`null`:                           "Malformed request body",
		`[]`:                             "Malformed request body",
		`{"lock": null} {}`:              "Malformed request body",
		`{}`:                             "exactly one member",
		`{"lock": null, "unlock": null}`: "exactly one member",
		`{"lock": true}`:                 "Invalid input for field/attribute lock",
		`{"lock": {}}`:                   "Invalid input for field/attribute lock",
		`{"unlock": ""}`:                 "Invalid input for field/attribute unlock",
		`{"reboot": {"type": "SOFT"}}`:   "There is no such action: reboot",
	} {
		status, b := do(t, signedPost(t, url, []byte(body)))
		var e struct {
			BadRequest struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"badRequest"`
		}
		if err := json.Unmarshal(b, &e); err != nil || status != 400 || e.BadRequest.Code != 400 ||
			!strings.Contains(e.BadRequest.Message, msg) {
			t.Errorf("body %q: status %d, answer %s, want a 400 saying %q", body, status, b, msg)
		}
	}
	if v, _ := s.ECSServer(ecsServerID); v.Locked {
		t.Error("a rejected body locked the server")
	}
}

// Unknown servers: Nova's itemNotFound on the Nova paths, Ecs.0114 on the
// native one, each through the SDK's error type.
func TestECSUnknownServerIs404(t *testing.T) {
	s := startECSMock(t)
	c := ecsClient(t, s.URL())
	const missing = "00000000-0000-4000-8000-000000000000"

	_, err := serverAction(c, missing, `{"lock": null}`)
	se := serviceError(t, err)
	if se.StatusCode != 404 || !strings.Contains(se.ErrorMessage, `"itemNotFound"`) ||
		!strings.Contains(se.ErrorMessage, "Instance could not be found") || se.RequestId == "" {
		t.Errorf("action: %+v", se)
	}
	_, err = novaShow(c, missing, "compute 2.9")
	if se := serviceError(t, err); se.StatusCode != 404 || !strings.Contains(se.ErrorMessage, "itemNotFound") {
		t.Errorf("Nova show: %+v", se)
	}
	_, err = c.ShowServer(&model.ShowServerRequest{ServerId: missing})
	if se := serviceError(t, err); se.StatusCode != 404 || se.ErrorCode != "Ecs.0114" ||
		se.ErrorMessage != "Instance["+missing+"] could not be found." {
		t.Errorf("native show: %+v", se)
	}

	s.DeleteECSServer(ecsServerID)
	if _, err := novaShow(c, ecsServerID, "compute 2.9"); serviceError(t, err).StatusCode != 404 {
		t.Errorf("a deleted server: %v", err)
	}
}

// A project id in the path that is not the caller's is refused, as Nova
// refuses a URL whose project does not match the credentials'.
func TestECSWrongProjectInPath(t *testing.T) {
	s := startECSMock(t)
	const other = "99999999999999999999999999999999"
	base := s.URL()
	for _, tc := range []struct{ req *http.Request }{
		{signedPost(t, base+"/v2.1/"+other+"/servers/"+ecsServerID+"/action", []byte(`{"lock": null}`))},
		{signedGet(t, base+"/v2.1/"+other+"/servers/"+ecsServerID)},
		{signedGet(t, base+"/v1/"+other+"/cloudservers/"+ecsServerID)},
	} {
		status, b := do(t, tc.req)
		if status != 400 || !bytes.Contains(b, []byte("URL's project_id '"+other+"' doesn't match Context's project_id '"+projectID+"'")) {
			t.Errorf("%s %s: status %d, %s", tc.req.Method, tc.req.URL.Path, status, b)
		}
	}
	if v, _ := s.ECSServer(ecsServerID); v.Locked {
		t.Error("a request for another project locked the server")
	}
}

// The microversion headers Nova knows, and the versions it refuses.
func TestECSNovaMicroversions(t *testing.T) {
	s := startECSMock(t)
	s.SetECSServerLocked(ecsServerID, true)
	url := s.URL() + "/v2.1/" + projectID + "/servers/" + ecsServerID
	for _, tc := range []struct {
		header, value string
		status        int
		locked        bool // "locked" in the answer
		echo          string
	}{
		{"", "", 200, false, "compute 2.1"},
		{"OpenStack-API-Version", "compute 2.8", 200, false, "compute 2.8"},
		{"OpenStack-API-Version", "compute 2.9", 200, true, "compute 2.9"},
		{"OpenStack-API-Version", "COMPUTE 2.26", 200, true, "compute 2.26"},
		{"OpenStack-API-Version", "compute latest", 200, true, "compute 2.60"},
		{"X-OpenStack-Nova-API-Version", "2.9", 200, true, "compute 2.9"},
		{"OpenStack-API-Version", "compute 2.61", 400, false, ""},
		{"OpenStack-API-Version", "compute 3.0", 400, false, ""},
		{"OpenStack-API-Version", "compute 2.09", 400, false, ""},
		{"OpenStack-API-Version", "volume 3.0", 400, false, ""},
	} {
		req, _ := http.NewRequest("GET", url, nil)
		if tc.header != "" {
			req.Header.Set(tc.header, tc.value)
		}
		if err := signature.SignHuawei(req, nil, hwCreds.AccessKey, hwCreds.SecretKey, time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Server map[string]any `json:"server"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		_, hasLocked := out.Server["locked"]
		if resp.StatusCode != tc.status || hasLocked != tc.locked || resp.Header.Get("OpenStack-API-Version") != tc.echo {
			t.Errorf("%s: %s → status %d, locked present %v, echo %q", tc.header, tc.value,
				resp.StatusCode, hasLocked, resp.Header.Get("OpenStack-API-Version"))
		}
	}
}

// IgnoreLock: the action is accepted and nothing changes. LockLag: reads
// report the old state that many times, then the new one.
func TestECSIgnoreLockAndLockLag(t *testing.T) {
	s := startECSMock(t)
	c := ecsClient(t, s.URL())
	s.PutECSServer(mockcloud.ECSServer{ID: ecsServerID, Name: "web-01", IgnoreLock: true})
	if status, err := serverAction(c, ecsServerID, `{"lock": null}`); err != nil || status != 202 {
		t.Fatalf("lock: %d %v", status, err)
	}
	if v, _ := s.ECSServer(ecsServerID); v.Locked {
		t.Error("IgnoreLock server got locked")
	}

	s.PutECSServer(mockcloud.ECSServer{ID: ecsServerID, Name: "web-01", LockLag: 2})
	if _, err := serverAction(c, ecsServerID, `{"lock": null}`); err != nil {
		t.Fatal(err)
	}
	var seen []bool
	for i := 0; i < 4; i++ {
		r, err := novaShow(c, ecsServerID, "compute 2.9")
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, *r.Server.Locked)
	}
	if want := []bool{false, false, true, true}; !equalBools(seen, want) {
		t.Errorf("reads after lock = %v, want %v", seen, want)
	}
	if v, _ := s.ECSServer(ecsServerID); !v.Locked {
		t.Error("ECSServer must give the state the action left")
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLoadSeedECSServers(t *testing.T) {
	s := mockcloud.New(mockcloud.Options{})
	if err := s.LoadSeed(mockcloud.DemoSeed()); err != nil {
		t.Fatal(err)
	}
	// The demo's SMS task target is a server the demo can lock.
	task, _ := s.Task("7a9a9540-ff28-4869-b9e4-855fbe12a001")
	v, ok := s.ECSServer(task.TargetServerID)
	if !ok || v.Locked || v.Status != "ACTIVE" {
		t.Errorf("demo seed: target server %q = %+v, %v", task.TargetServerID, v, ok)
	}
	if err := s.LoadSeed([]byte(`{"ecs_servers": [{"name": "no-id"}]}`)); err == nil {
		t.Error("a server without an id was accepted")
	}
}
