package sms_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// TestLiveTaskUnlock unlocks a real task's target server (make testacc-live).
func TestLiveTaskUnlock(t *testing.T) {
	id := os.Getenv("CLOUDLOCK_LIVE_SMS_TASK_ID")
	if os.Getenv("CLOUDLOCK_LIVE") == "" || id == "" || os.Getenv("HW_ACCESS_KEY") == "" {
		t.Skip("set CLOUDLOCK_LIVE=1, HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME and CLOUDLOCK_LIVE_SMS_TASK_ID to run against Huawei Cloud")
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "cloudlock_sms_task_unlock" "live" { task_id = %q }
data "cloudlock_sms_task_passphrase" "live" { task_id = %q }
`, id, id),
			Check: resource.TestCheckResourceAttr("cloudlock_sms_task_unlock.live", "id", id),
		}},
	})
}
