package mockcloud_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// EnforceBastionhostRate(10): the 11th call of an API within a second is
// answered Throttling.User, as the cloud does, and changes nothing; another
// API has its own count; a second later calls go through again.
func TestBastionhostEnforcedRate(t *testing.T) {
	s := startBastion(t)
	s.EnforceBastionhostRate(10)
	c := aliClient(s)
	start := time.Now()
	for i := range 10 {
		var out results
		if err := bhCall(t, c, "GetUser", map[string]string{"UserId": "1"}, &out); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	var out results
	err := bhCall(t, c, "GetUser", map[string]string{"UserId": "1"}, &out)
	var ce *conns.CloudError
	if time.Since(start) < time.Second && (!errors.As(err, &ce) || ce.Code != "Throttling.User" || ce.HTTPStatus != 400) {
		t.Fatalf("11th call within a second: %v", err)
	}
	if err := bhCall(t, c, "UnlockUsers", map[string]string{"UserIds": `["2"]`}, &out); err != nil {
		t.Fatalf("another API: %v", err)
	}
	time.Sleep(time.Second)
	if err := bhCall(t, c, "GetUser", map[string]string{"UserId": "1"}, &out); err != nil {
		t.Fatalf("a second later: %v", err)
	}
}
