package conns

import (
	"fmt"
	"slices"
	"strings"
)

// AllSet reports whether every Huawei endpoint is overridden: then the
// provider needs no default endpoint, and any region name can be used.
func (e HuaweiEndpoints) AllSet() bool { return e.IAM != "" && e.SMS != "" && e.ECS != "" }

// AllSet reports whether every Alibaba endpoint is overridden.
func (e AlibabaEndpoints) AllSet() bool { return e.Bastionhost != "" }

// Hints for a region the provider does not know: new regions open before a
// release lists them, and work when every endpoint is given.
const (
	HuaweiNewRegionHint  = "For a region newer than this provider, set every endpoint in the provider's huaweicloud.endpoints (iam, sms and ecs)."
	AlibabaNewRegionHint = "For a region newer than this provider, set the provider's alicloud.endpoints.bastionhost (or " + EnvAlibabaBastionhost + ")."
)

// HuaweiRegionError checks a Huawei region given to a type against the
// provider's endpoints (CheckRegion).
func (c *Client) HuaweiRegionError(region string) error {
	return CheckRegion(region, HuaweiRegions, c.cfg.Huawei.Endpoints.AllSet(), HuaweiNewRegionHint)
}

// AlibabaRegionError checks an Alibaba region given to a type.
func (c *Client) AlibabaRegionError(region string) error {
	return CheckRegion(region, AlibabaRegions, c.cfg.Alibaba.Endpoints.AllSet(), AlibabaNewRegionHint)
}

// CheckRegion returns nil when region is one of known, or when every
// endpoint of the cloud is set (endpointsSet). Otherwise the error says
// which known names are closest, lists the known ones briefly, and adds
// newRegionHint.
func CheckRegion(region string, known []string, endpointsSet bool, newRegionHint string) error {
	if slices.Contains(known, region) || endpointsSet {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%q is not a region this provider knows.", region)
	if near := closest(region, known); len(near) > 0 {
		quoted := make([]string, len(near))
		for i, n := range near {
			quoted[i] = fmt.Sprintf("%q", n)
		}
		fmt.Fprintf(&b, " Did you mean %s?", strings.Join(quoted, " or "))
	}
	fmt.Fprintf(&b, " Known regions: %s. %s", briefList(known), newRegionHint)
	return fmt.Errorf("%s", b.String())
}

// closest returns the known names nearest to s by edit distance, ignoring
// case (at most three, all at the smallest distance), or none when even the
// nearest is more than two edits away: a typo, not another name.
func closest(s string, known []string) []string {
	s = strings.ToLower(s)
	best, bestD := []string(nil), -1
	for _, k := range known {
		d := levenshtein(s, k)
		switch {
		case bestD < 0 || d < bestD:
			best, bestD = []string{k}, d
		case d == bestD:
			best = append(best, k)
		}
	}
	if bestD < 0 || bestD > 2 {
		return nil
	}
	slices.Sort(best)
	return best[:min(3, len(best))]
}

// levenshtein is the edit distance of a and b (insertions, deletions and
// substitutions of runes).
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// briefList writes names that differ only in a number at the end once:
// "cn-north-1/2/4", in the order of their first appearance in sorted names.
func briefList(names []string) string {
	sorted := slices.Clone(names)
	slices.SortFunc(sorted, compareRegion)
	var groups []string
	tails := map[string][]string{}
	for _, n := range sorted {
		head, tail := splitLast(n)
		if !isDigits(tail) {
			head, tail = n, ""
		}
		if _, ok := tails[head]; !ok {
			groups = append(groups, head)
		}
		tails[head] = append(tails[head], tail)
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		if t := tails[g]; len(t) == 1 && t[0] == "" {
			parts[i] = g
		} else {
			parts[i] = g + "-" + strings.Join(t, "/")
		}
	}
	return strings.Join(parts, ", ")
}

// compareRegion orders region names as text, except that a numeric last
// part is compared as a number (cn-north-4 before cn-north-11).
func compareRegion(a, b string) int {
	ha, ta := splitLast(a)
	hb, tb := splitLast(b)
	if c := strings.Compare(ha, hb); c != 0 {
		return c
	}
	if len(ta) != len(tb) && isDigits(ta) && isDigits(tb) {
		return len(ta) - len(tb)
	}
	return strings.Compare(ta, tb)
}

func splitLast(s string) (string, string) {
	if i := strings.LastIndex(s, "-"); i > 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
