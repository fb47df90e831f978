package conns

import (
	"strings"
	"testing"
)

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"", "abc", 3}, {"cn-north-4", "cn-north-4", 0}, {"cn-nort-4", "cn-north-4", 1}, {"cn-north4", "cn-north-4", 1}, {"kitten", "sitting", 3}} {
		if got := levenshtein(c.a, c.b); got != c.d {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestCheckRegion(t *testing.T) {
	if err := CheckRegion("cn-north-4", HuaweiRegions, false, HuaweiNewRegionHint); err != nil {
		t.Errorf("a known region: %v", err)
	}
	if err := CheckRegion("cn-north-13", HuaweiRegions, true, HuaweiNewRegionHint); err != nil {
		t.Errorf("an unknown region with every endpoint set: %v", err)
	}
	for region, want := range map[string]string{
		"cn-nort-4":    `"cn-nort-4" is not a region this provider knows. Did you mean "cn-north-4"? Known regions: `,
		"cn-north4":    `Did you mean "cn-north-4"?`,
		"CN-NORTH-4":   `Did you mean "cn-north-4"?`,
		"cn-nort-1":    `Did you mean "cn-north-1"?`,
		"ap-southeast": `Did you mean "ap-southeast-1" or "ap-southeast-2" or "ap-southeast-3"?`,
	} {
		err := CheckRegion(region, HuaweiRegions, false, HuaweiNewRegionHint)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", region, err, want)
		}
	}
	err := CheckRegion("mars-north-1", HuaweiRegions, false, HuaweiNewRegionHint)
	if err == nil || strings.Contains(err.Error(), "Did you mean") {
		t.Errorf("nothing is near mars-north-1: %v", err)
	}
	want := "Known regions: ae-ad-1, af-north-1, af-south-1, ap-southeast-1/2/3/4/5, cn-east-2/3/4/5, cn-north-1/2/4/9/11/12, " +
		"cn-south-1/2/4, cn-southwest-2/3, eu-west-0/101, la-north-2, la-south-2, me-east-1, my-kualalumpur-1, na-mexico-1, " +
		"ru-moscow-1, sa-brazil-1, tr-west-1. " + HuaweiNewRegionHint
	if !strings.HasSuffix(err.Error(), want) {
		t.Errorf("got  %s\nwant ...%s", err, want)
	}
	err = CheckRegion("cn-hangzou", AlibabaRegions, false, AlibabaNewRegionHint)
	if err == nil || !strings.Contains(err.Error(), `Did you mean "cn-hangzhou"?`) || !strings.Contains(err.Error(), "cn-shanghai-finance-1") {
		t.Errorf("alibaba: %v", err)
	}
}
