package bastionhost_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// TestLiveUserUnlock unlocks real Bastionhost users (make testacc-live). It
// needs an instance and users that may be unlocked:
// CLOUDLOCK_LIVE_BASTIONHOST_INSTANCE_ID and CLOUDLOCK_LIVE_BASTIONHOST_USER_IDS
// (comma-separated), with ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY and ALICLOUD_REGION.
func TestLiveUserUnlock(t *testing.T) {
	inst := os.Getenv("CLOUDLOCK_LIVE_BASTIONHOST_INSTANCE_ID")
	users := os.Getenv("CLOUDLOCK_LIVE_BASTIONHOST_USER_IDS")
	if os.Getenv("CLOUDLOCK_LIVE") == "" || inst == "" || users == "" || os.Getenv("ALICLOUD_ACCESS_KEY") == "" {
		t.Skip("set CLOUDLOCK_LIVE=1, ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY, ALICLOUD_REGION, " +
			"CLOUDLOCK_LIVE_BASTIONHOST_INSTANCE_ID and CLOUDLOCK_LIVE_BASTIONHOST_USER_IDS to run against Alibaba Cloud")
	}
	list := strings.Split(users, ",")
	for i := range list {
		list[i] = strings.TrimSpace(list[i])
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "cloudlock_bastionhost_user_unlock" "live" {
  instance_id = %q
  user_ids    = %s
}
`, inst, hclList(list)),
			Check: resource.TestCheckResourceAttr("cloudlock_bastionhost_user_unlock.live", "frozen_user_ids.#", "0"),
		}},
	})
}
