package mockcloud_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	sms "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Keys for tests: not the demo keys, so a test proves Options are honoured.
var (
	hwCreds  = mockcloud.Credentials{AccessKey: "TESTHWAK0123456789AB", SecretKey: "test-huawei-secret-0123456789abcdef"}
	aliCreds = mockcloud.Credentials{AccessKey: "LTAI5tTestAccessKey01", SecretKey: "test-alibaba-secret-0123456789"}
)

const (
	taskID    = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
	projectID = "5f1e2d3c4b5a69788796a5b4c3d2e1aa"
)

// startMock starts a mock with the test keys and one locked task.
func startMock(t *testing.T) *mockcloud.Server {
	t.Helper()
	return startMockWith(t, mockcloud.Options{})
}

// startMockWith is startMock with more options (a clock, say).
func startMockWith(t *testing.T, opts mockcloud.Options) *mockcloud.Server {
	t.Helper()
	opts.Huawei, opts.Alibaba, opts.ProjectID = hwCreds, aliCreds, projectID
	s := mockcloud.StartT(t, opts)
	s.PutTask(mockcloud.Task{
		ID: taskID, Name: "web-01", State: "MIGRATE_SUCCESS", Passphrase: "test-passphrase-9f8e7d6c",
		TargetServerID: "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01", TargetServerName: "web-01-target", TargetLocked: true,
	})
	return s
}

// hcClient builds the SDK's HTTP client the way the provider does: explicit
// basic credentials, project id set, endpoint pointed at url.
func hcClient(t *testing.T, url string, creds mockcloud.Credentials) *core.HcHttpClient {
	t.Helper()
	auth, err := basic.NewCredentialsBuilder().
		WithAk(creds.AccessKey).WithSk(creds.SecretKey).WithSecurityToken(creds.SecurityToken).
		WithProjectId(projectID).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := sms.SmsClientBuilder().WithEndpoints([]string{url}).WithCredential(auth).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return hc
}

func smsClient(t *testing.T, url string, creds mockcloud.Credentials) *sms.SmsClient {
	return sms.NewSmsClient(hcClient(t, url, creds))
}

// unlockResponse is the SDK-side answer of the unlock call, which the SDK no
// longer has a typed method for (see clouds.md).
type unlockResponse struct {
	HttpStatusCode int `json:"-"`
}

type unlockRequest struct {
	TaskId string `json:"task_id"`
}

// unlock sends POST /v3/tasks/{task_id}/unlock as a signed raw request
// through the SDK core, as the provider does.
func unlock(hc *core.HcHttpClient, id string) error {
	reqDef := def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodPost).
		WithPath("/v3/tasks/{task_id}/unlock").
		WithResponse(new(unlockResponse)).
		WithContentType("application/json").
		WithRequestField(def.NewFieldDef().WithName("TaskId").WithJsonTag("task_id").WithLocationType(def.Path)).
		Build()
	_, err := hc.Sync(&unlockRequest{TaskId: id}, reqDef)
	return err
}

func showTask(c *sms.SmsClient, id string) (*model.ShowTaskResponse, error) {
	return c.ShowTask(&model.ShowTaskRequest{TaskId: id})
}

// serviceError unwraps the SDK's error for an HTTP error answer.
func serviceError(t *testing.T, err error) *sdkerr.ServiceResponseError {
	t.Helper()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		t.Fatalf("want *sdkerr.ServiceResponseError, got %T: %v", err, err)
	}
	return se
}
