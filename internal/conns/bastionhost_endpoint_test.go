package conns_test

import (
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// The Bastionhost endpoint table of the reference (clouds.md), region by
// region: the listed regions have their own endpoint, the other public
// regions share one, and an unknown region gets the regional form.
func TestBastionhostEndpointsFollowTheReference(t *testing.T) {
	own := map[string]bool{
		"cn-zhangjiakou": true, "cn-huhehaote": true, "cn-hongkong": true, "ap-northeast-1": true,
		"ap-southeast-1": true, "ap-southeast-3": true, "ap-southeast-5": true, "us-east-1": true,
		"us-west-1": true, "eu-west-1": true, "eu-central-1": true,
	}
	seen := 0
	for _, region := range conns.AlibabaRegions {
		want := "yundun-bastionhost.aliyuncs.com"
		if own[region] {
			want = "bastionhost." + region + ".aliyuncs.com"
			seen++
		}
		if got := conns.DefaultBastionhostEndpoint(region); got != want {
			t.Errorf("DefaultBastionhostEndpoint(%s) = %s, want %s", region, got, want)
		}
	}
	if seen != len(own) {
		t.Errorf("only %d of the %d regions with their own endpoint are in AlibabaRegions", seen, len(own))
	}
	if got := conns.DefaultBastionhostEndpoint("xx-new-1"); got != "yundun-bastionhost.xx-new-1.aliyuncs.com" {
		t.Errorf("unknown region: %s", got)
	}
}

// The client uses https and the default endpoint, unless the
// configuration (alicloud.endpoints.bastionhost, or the environment the
// provider reads into it) overrides it.
func TestAlibabaEndpointOverride(t *testing.T) {
	c := conns.New(conns.Config{})
	for region, want := range map[string]string{
		"cn-hangzhou":    "https://yundun-bastionhost.aliyuncs.com",
		"ap-southeast-1": "https://bastionhost.ap-southeast-1.aliyuncs.com",
	} {
		if got := c.AlibabaEndpoint("bastionhost", region); got != want {
			t.Errorf("AlibabaEndpoint(%s) = %s, want %s", region, got, want)
		}
	}
	c = conns.New(conns.Config{Alibaba: conns.AlibabaConfig{Endpoints: conns.AlibabaEndpoints{Bastionhost: "http://127.0.0.1:9"}}})
	if got := c.AlibabaEndpoint("bastionhost", "eu-west-1"); got != "http://127.0.0.1:9" {
		t.Errorf("override ignored: %s", got)
	}
}
