package upgrade

import (
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// blockCounts counts the blocks of each nested list name in config.
func blockCounts(t *testing.T, config string) map[string]int {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(config), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("not HCL: %v\n%s", diags, config)
	}
	out := map[string]int{}
	var walk func(b *hclsyntax.Body)
	walk = func(b *hclsyntax.Body) {
		for _, bl := range b.Blocks {
			if nestedLists[bl.Type] {
				out[bl.Type]++
			}
			walk(bl.Body)
		}
	}
	walk(f.Body.(*hclsyntax.Body))
	return out
}

var listAttribute = regexp.MustCompile(`(?m)^\s*(disks|physical_volumes|networks|volume_groups|logical_volumes|btrfs_list|subvolume) = \[`)

// The source server of a build before 0.1.0, as the CHANGELOG says to
// write it: one block per element, at every depth, and back.
func TestBlockSyntaxNestedLists(t *testing.T) {
	old, err := os.ReadFile("testdata/9d3b9ef/cloudlock_sms_source_server/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	got := BlockSyntax(string(old))
	if listAttribute.MatchString(got) {
		t.Fatalf("a nested list is still an attribute:\n%s", got)
	}
	want := map[string]int{"disks": 2, "physical_volumes": 3, "volume_groups": 1, "logical_volumes": 1, "btrfs_list": 1, "subvolume": 2, "networks": 1}
	counts := blockCounts(t, got)
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%d %s blocks, want %d:\n%s", counts[k], k, n, got)
		}
	}
	back := ListAttributeSyntax(got)
	if len(blockCounts(t, back)) != 0 || !listAttribute.MatchString(back) {
		t.Fatalf("ListAttributeSyntax left blocks:\n%s", back)
	}
	if again := blockCounts(t, BlockSyntax(back)); len(again) != len(want) {
		t.Fatalf("the round trip lost blocks: %v", again)
	}
}
