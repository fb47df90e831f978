package provider_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

const rateInstance = "bastionhost-cn-rate0001"

func withRateLimits(m *mockcloud.Server, limits string) string {
	return strings.Replace(acctest.ProviderConfig(m), "max_retries = 3", "max_retries = 3\n  rate_limits "+limits, 1) + fmt.Sprintf(`
resource "cloudlock_bastionhost_user_unlock" "x" {
  instance_id = %q
  user_ids    = [for i in range(1, 1001) : tostring(i)]
}
`, rateInstance)
}

// rate_limits must be positive numbers: refused at plan, with the
// attribute's path, before any API call.
func TestRateLimitsValidated(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      withRateLimits(m, "{ huaweicloud = 0 }"),
				PlanOnly:    true,
				ExpectError: acctest.WrappedError(`rate_limits.huaweicloud: must be a positive number of calls per second, got 0.`),
			},
			{
				Config:      withRateLimits(m, "{ alicloud_bastionhost = -2.5 }"),
				PlanOnly:    true,
				ExpectError: acctest.WrappedError(`rate_limits.alicloud_bastionhost: must be a positive number of calls per second, got -2.5.`),
			},
		},
	})
	if n := len(m.Journal()); n != 0 {
		t.Fatalf("%d API calls, want 0", n)
	}
}

// rate_limits.alicloud_bastionhost = 4 spaces UnlockUsers 250 ms apart
// (the default, 8/s, spaces them 125 ms apart): 1,000 users, 10 calls.
func TestRateLimitsApplied(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	inst := mockcloud.BastionhostInstance{ID: rateInstance}
	for i := 1; i <= 1000; i++ {
		inst.Users = append(inst.Users, mockcloud.BastionhostUser{UserID: fmt.Sprint(i), UserName: fmt.Sprint("u", i), UserState: []string{"Frozen"}})
	}
	m.PutBastionhostInstance(inst)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: withRateLimits(m, "{ alicloud_bastionhost = 4 }"),
			Check: func(*terraform.State) error {
				var times []time.Time
				for _, e := range m.Journal() {
					if e.Op == "bastionhost.UnlockUsers" {
						times = append(times, e.Time)
					}
				}
				if len(times) != 10 {
					return fmt.Errorf("%d UnlockUsers calls, want 10", len(times))
				}
				// The limiter spaces the sends; the mock stamps arrivals, which a
				// loaded machine shifts by up to ~100 ms either way. So the rate
				// is read over all ten calls: 2.25 s at 4/s, 1.125 s at the
				// default 8/s.
				if span := times[9].Sub(times[0]); span < 1700*time.Millisecond {
					return fmt.Errorf("10 UnlockUsers calls within %v, want about 2.25 s at 4 calls/s", span)
				}
				return nil
			},
		}},
	})
}
