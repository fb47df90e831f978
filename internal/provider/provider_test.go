package provider_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

func TestMain(m *testing.M) {
	acctest.Setup()
	m.Run()
}

const taskID = "7a9a9540-ff28-4869-b9e4-855fbe12a001"

func mockWithTask(t *testing.T) *mockcloud.Server {
	m := acctest.StartMock(t)
	m.PutTask(mockcloud.Task{ID: taskID, Name: "t", State: "MIGRATE_SUCCESS", Passphrase: "p", TargetServerID: "vm", TargetLocked: true})
	return m
}

// `terraform validate` needs no credentials and makes no call; a plan of
// the same configuration fails naming what is missing.
func TestValidateNeedsNoCredentials(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform")
	}
	m := mockWithTask(t)
	for _, env := range []string{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_REGION_NAME", "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY"} {
		t.Setenv(env, "")
	}
	cli := acctest.NewCLI(t, map[string]string{"main.tf": acctest.RequiredProviders + fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    endpoints {
      sms = %q
      iam = %q
    }
  }
}
resource "cloudlock_sms_task_unlock" "x" {
  task_id = %q
}
data "cloudlock_sms_task_passphrase" "x" {
  task_id = %q
}
`, m.URL(), m.URL(), taskID, taskID)})
	if out, err := cli.Run("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	out, err := cli.Run("validate", "-no-color")
	if err != nil || !strings.Contains(out, "The configuration is valid") {
		t.Fatalf("validate without credentials: %v\n%s", err, out)
	}
	out, err = cli.Run("plan", "-input=false", "-no-color")
	if err == nil || !acctest.Contains(out, "access_key (huaweicloud.access_key or", "HW_ACCESS_KEY", "secret_key", "region") {
		t.Fatalf("plan without credentials should fail naming them: %v\n%s", err, out)
	}
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("validate and plan made %d API calls, want 0", n)
	}
}

// Configuration wins over the environment; the environment fills gaps.
// Not parallel: it sets process environment.
func TestConfigWinsOverEnvironment(t *testing.T) {
	m := mockWithTask(t)
	t.Setenv("HW_SECRET_KEY", "wrong-secret-from-env")
	t.Setenv("HW_ACCESS_KEY", acctest.HuaweiAccessKey)
	t.Setenv("HW_REGION_NAME", "cn-north-4")
	cfg := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    secret_key = %q
    endpoints {
      sms = %q
      iam = %q
    }
  }
}
resource "cloudlock_sms_task_unlock" "x" {
  task_id = %q
}
`, acctest.HuaweiSecretKey, m.URL(), m.URL(), taskID)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    []resource.TestStep{{Config: cfg}},
	})
	if tk, _ := m.Task(taskID); tk.TargetLocked {
		t.Fatal("not unlocked")
	}
}

// A region the provider does not know yet (new regions open before a
// release lists them) is accepted when every endpoint of the cloud is set,
// from the configuration or, as here, the environment.
// Not parallel: it sets process environment.
func TestNewRegionWithEveryEndpoint(t *testing.T) {
	m := mockWithTask(t)
	t.Setenv("HW_REGION_NAME", "cn-north-13")
	t.Setenv("ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST", "")
	cfg := func(endpoints string) string {
		return fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    access_key = %q
    secret_key = %q
    endpoints {
      %s
    }
  }
  alicloud {
    region = "cn-newcity-1"
  }
}
resource "cloudlock_sms_task_unlock" "x" {
  task_id = %q
}
`, acctest.HuaweiAccessKey, acctest.HuaweiSecretKey, endpoints, taskID)
	}
	every := fmt.Sprintf("sms = %[1]q\n      iam = %[1]q\n      ecs = %[1]q", m.URL())
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The Bastionhost endpoint is not set: the new Alibaba region is refused.
				Config:      cfg(every),
				ExpectError: acctest.WrappedError(`Attribute alicloud.region: "cn-newcity-1" is not a region this provider knows.`),
			},
			{
				PreConfig: func() { _ = os.Setenv("ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST", m.URL()) },
				// The ECS endpoint is not set: the new Huawei region (from HW_REGION_NAME) is refused.
				Config: cfg(fmt.Sprintf("sms = %[1]q\n      iam = %[1]q", m.URL())),
				ExpectError: acctest.WrappedError(`huaweicloud.region: the region from the environment (HW_REGION_NAME): "cn-north-13" is not a region this provider knows. ` +
					`Did you mean "cn-north-1" or "cn-north-11" or "cn-north-12"?`),
			},
			{Config: cfg(every)},
		},
	})
	if tk, _ := m.Task(taskID); tk.TargetLocked {
		t.Fatal("not unlocked")
	}
}

// Values from the environment get the same checks as configured ones.
func TestEnvironmentValuesAreChecked(t *testing.T) {
	m := mockWithTask(t)
	for _, env := range []string{"HW_REGION_NAME", "CLOUDLOCK_MAX_RETRIES", "ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST"} {
		t.Setenv(env, "")
	}
	cfg := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    access_key = %q
    secret_key = %q
    endpoints {
      sms = %q
      iam = %q
    }
  }
}
resource "cloudlock_sms_task_unlock" "x" {
  task_id = %q
}
`, acctest.HuaweiAccessKey, acctest.HuaweiSecretKey, m.URL(), m.URL(), taskID)
	// only sets one environment variable for a step, clearing the others.
	only := func(env, value string) func() {
		return func() {
			for _, e := range []string{"HW_REGION_NAME", "CLOUDLOCK_MAX_RETRIES", "ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST"} {
				_ = os.Setenv(e, "")
			}
			_ = os.Setenv("HW_REGION_NAME", "cn-north-4")
			_ = os.Setenv(env, value)
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   only("HW_REGION_NAME", "mars-north-1"),
				Config:      cfg,
				ExpectError: acctest.WrappedError(`huaweicloud.region: the region from the environment (HW_REGION_NAME): "mars-north-1" is not a region this provider knows`),
			},
			{
				PreConfig:   only("CLOUDLOCK_MAX_RETRIES", "lots"),
				Config:      cfg,
				ExpectError: acctest.WrappedError(`max_retries: the environment variable CLOUDLOCK_MAX_RETRIES must be a whole number from 0 to 20, got "lots"`),
			},
			{
				PreConfig:   only("ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST", "bastion.example.com"),
				Config:      cfg,
				ExpectError: acctest.WrappedError(`alicloud.endpoints.bastionhost: the environment variable ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST: "bastion.example.com" is not a full URL: write https:// (or http://) before the host`),
			},
		},
	})
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("%d API calls, want 0", n)
	}
}

// max_retries bounds the retries: 0 means one attempt.
func TestMaxRetries(t *testing.T) {
	t.Parallel()
	m := mockWithTask(t)
	m.InjectFault("sms.UnlockTargetEcs", mockcloud.Fault{Status: 503, Times: 1})
	cfg := strings.Replace(acctest.ProviderConfig(m), "max_retries = 3", "max_retries = 0", 1) + fmt.Sprintf(`
resource "cloudlock_sms_task_unlock" "x" {
  task_id = %q
}
`, taskID)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ExpectError: regexp.MustCompile(`HTTP 503`)},
			{
				PreConfig: func() {
					if n := m.Calls("sms.UnlockTargetEcs"); n != 1 {
						t.Errorf("max_retries = 0 sent %d requests, want 1", n)
					}
				},
				Config: cfg,
			},
		},
	})
}
