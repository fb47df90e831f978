package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// refusedError matches the provider's words for keys the cloud refused,
// naming where they came from, then the cloud's code and request id.
func refusedError(cloud, source, code string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + acctest.WrappedError(cloud+" refused the access keys ("+source+"): check that the access key and its secret are right, "+
		"belong together and are enabled").String() + `.*error\s+code\s+` + regexp.QuoteMeta(code) + `.*\(request\s+id:\s+[0-9A-Za-z-]{8,}\)`)
}

const refusedServer = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a99"

// A wrong Huawei secret from the environment fails the project look-up of
// an ECS lock by saying the keys were refused, and where they came from —
// not by advising to set project_id, which would only move the refusal.
// Not parallel: it sets process environment.
func TestWrongHuaweiSecretFromEnvironmentIsNamed(t *testing.T) {
	m := acctest.StartMock(t)
	m.PutECSServer(mockcloud.ECSServer{ID: refusedServer, Name: "web"})
	t.Setenv("HW_ACCESS_KEY", acctest.HuaweiAccessKey)
	t.Setenv("HW_SECRET_KEY", "not-the-secret-of-this-key")
	t.Setenv("HW_REGION_NAME", acctest.HuaweiRegion)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    endpoints {
      iam = %[1]q
      ecs = %[1]q
    }
  }
}
resource "cloudlock_ecs_server_lock" "x" {
  server_id = %[2]q
}
`, m.URL(), refusedServer),
			ExpectError: refusedError("Huawei Cloud", "HW_ACCESS_KEY, HW_SECRET_KEY", "APIGW.0301"),
		}},
	})
	for _, e := range m.Journal() {
		if strings.Contains(e.Op, "Lock") {
			t.Fatalf("a lock was sent with refused keys: %v", e)
		}
	}
}

// A wrong secret in the configuration is found at plan by the read the plan
// makes anyway (the passphrase data source), and named as the attributes.
func TestWrongHuaweiSecretInConfigurationFailsThePlan(t *testing.T) {
	t.Parallel()
	m := mockWithTask(t)
	cfg := strings.Replace(acctest.ProviderConfig(m), fmt.Sprintf("secret_key = %q", acctest.HuaweiSecretKey), `secret_key = "not-the-secret"`, 1)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg + fmt.Sprintf(`
data "cloudlock_sms_task_passphrase" "x" {
  task_id = %q
}
`, taskID),
			PlanOnly:    true,
			ExpectError: refusedError("Huawei Cloud", "huaweicloud.access_key, huaweicloud.secret_key", "APIGW.0301"),
		}},
	})
}

// A wrong Alibaba secret says the same, with Alibaba's code, and the
// resource is not taken for gone (an unknown key is a 404 at Alibaba).
// Not parallel: aliMock sets process environment.
func TestWrongAlibabaKeysAreNamed(t *testing.T) {
	m, _ := aliMock(t, 1)
	for _, c := range []struct{ replace, with, code string }{
		{fmt.Sprintf("secret_key = %q", acctest.AlibabaSecretKey), `secret_key = "not-the-secret"`, "SignatureDoesNotMatch"},
		{fmt.Sprintf("access_key = %q", acctest.AlibabaAccessKey), `access_key = "LTAI5tUnknownKey0000"`, "InvalidAccessKeyId.NotFound"},
	} {
		cfg := acctest.ProviderConfig(m)
		i := strings.Index(cfg, "alicloud {")
		cfg = cfg[:i] + strings.Replace(cfg[i:], c.replace, c.with, 1)
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      cfg + aliResource("1"),
				ExpectError: refusedError("Alibaba Cloud", "alicloud.access_key, alicloud.secret_key", c.code),
			}},
		})
	}
}
