package upgrade

import (
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The objects whose schema form became a block in 0.1.0 (CHANGELOG,
// BREAKING CHANGES): a configuration wrote `timeouts = { ... }`, it now
// writes `timeouts { ... }`.
var (
	attributeOpener = regexp.MustCompile(`(?m)^(\s*)(huaweicloud|alicloud|endpoints|assume_role|assume_role_with_oidc|rate_limits|timeouts) = \{$`)
	blockOpener     = regexp.MustCompile(`(?m)^(\s*)(huaweicloud|alicloud|endpoints|assume_role|assume_role_with_oidc|rate_limits|timeouts) \{$`)
)

// nestedLists are cloudlock_sms_source_server's lists of objects, which
// became lists of blocks in 0.1.0: `disks = [{ name = "vda" }, { ... }]`
// is now one `disks { name = "vda" }` block per element, and so are the
// lists nested in them.
var nestedLists = map[string]bool{
	"disks": true, "physical_volumes": true, "networks": true, "volume_groups": true, "logical_volumes": true,
	"btrfs_list": true, "subvolume": true,
}

// BlockSyntax rewrites a configuration written for a build before 0.1.0 as
// the CHANGELOG tells a user to: every `name = {` line of those objects
// becomes `name {`, and every element of a nested list of the source server
// (`disks = [{ ... }, ...]`) a block of that name (an empty list, no
// block). The tests apply it to the configurations the old builds applied.
// Comments inside a rewritten list are not kept.
func BlockSyntax(config string) string {
	return listsToBlocks(attributeOpener.ReplaceAllString(config, "$1$2 {"))
}

// AttributeSyntax is BlockSyntax undone: today's configurations as a build
// before 0.1.0 takes them (upgradefixtures, for such a revision).
func AttributeSyntax(config string) string {
	return ListAttributeSyntax(blockOpener.ReplaceAllString(config, "$1$2 = {"))
}

// ListAttributeSyntax undoes only the source server's blocks: for a build
// whose provider and timeouts were blocks already, but whose source server
// lists were still nested attributes (upgradefixtures).
func ListAttributeSyntax(config string) string { return blocksToLists(config) }

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

func apply(src string, edits []edit) string {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	for _, e := range edits {
		src = src[:e.start] + e.text + src[e.end:]
	}
	return src
}

func parse(src string) (*hclsyntax.Body, bool) {
	f, diags := hclsyntax.ParseConfig([]byte(src), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	return f.Body.(*hclsyntax.Body), true
}

func text(src string, r hcl.Range) string { return src[r.Start.Byte:r.End.Byte] }

// indentOf is the white space before byte i on its line.
func indentOf(src string, i int) string {
	line := src[strings.LastIndex(src[:i], "\n")+1 : i]
	return line[:len(line)-len(strings.TrimLeft(line, " \t"))]
}

// objectList is the elements of a tuple of objects; false for another expression.
func objectList(e hclsyntax.Expression) ([]*hclsyntax.ObjectConsExpr, bool) {
	t, ok := e.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil, false
	}
	var out []*hclsyntax.ObjectConsExpr
	for _, x := range t.Exprs {
		o, ok := x.(*hclsyntax.ObjectConsExpr)
		if !ok {
			return nil, false
		}
		out = append(out, o)
	}
	return out, true
}

func listsToBlocks(src string) string {
	body, ok := parse(src)
	if !ok {
		return src
	}
	var edits []edit
	var walk func(b *hclsyntax.Body)
	walk = func(b *hclsyntax.Body) {
		for name, a := range b.Attributes {
			if objs, ok := objectList(a.Expr); ok && nestedLists[name] {
				ind := indentOf(src, a.SrcRange.Start.Byte)
				edits = append(edits, edit{a.SrcRange.Start.Byte, a.SrcRange.End.Byte,
					strings.TrimPrefix(renderBlocks(src, name, objs, ind), ind)})
			}
		}
		for _, bl := range b.Blocks {
			walk(bl.Body)
		}
	}
	walk(body)
	return apply(src, edits)
}

// renderBlocks writes objs as blocks named name at indent ind.
func renderBlocks(src, name string, objs []*hclsyntax.ObjectConsExpr, ind string) string {
	var b strings.Builder
	for i, o := range objs {
		if i > 0 {
			b.WriteString("\n" + ind)
		} else {
			b.WriteString(ind)
		}
		b.WriteString(name + " {\n")
		for _, it := range o.Items {
			key := strings.Trim(text(src, it.KeyExpr.Range()), `"`)
			if inner, ok := objectList(it.ValueExpr); ok && nestedLists[key] {
				if len(inner) > 0 {
					b.WriteString(renderBlocks(src, key, inner, ind+"  ") + "\n")
				}
				continue
			}
			b.WriteString(ind + "  " + key + " = " + text(src, it.ValueExpr.Range()) + "\n")
		}
		b.WriteString(ind + "}")
	}
	return b.String()
}

func blocksToLists(src string) string {
	body, ok := parse(src)
	if !ok {
		return src
	}
	var edits []edit
	var walk func(b *hclsyntax.Body)
	walk = func(b *hclsyntax.Body) {
		done := map[string]bool{}
		for _, bl := range b.Blocks {
			if !nestedLists[bl.Type] {
				walk(bl.Body)
				continue
			}
			if done[bl.Type] {
				edits = append(edits, edit{lineStart(src, bl.Range().Start.Byte), lineEnd(src, bl.Range().End.Byte), ""})
				continue
			}
			done[bl.Type] = true
			var same []*hclsyntax.Block
			for _, o := range b.Blocks {
				if o.Type == bl.Type {
					same = append(same, o)
				}
			}
			ind := indentOf(src, bl.Range().Start.Byte)
			edits = append(edits, edit{bl.Range().Start.Byte, bl.Range().End.Byte, bl.Type + " = " + renderList(src, same, ind)})
		}
	}
	walk(body)
	return apply(src, edits)
}

// renderList writes blocks as a list of objects at indent ind.
func renderList(src string, blocks []*hclsyntax.Block, ind string) string {
	var b strings.Builder
	b.WriteString("[\n")
	for _, bl := range blocks {
		b.WriteString(ind + "  {\n")
		attrs := make([]*hclsyntax.Attribute, 0, len(bl.Body.Attributes))
		for _, a := range bl.Body.Attributes {
			attrs = append(attrs, a)
		}
		sort.Slice(attrs, func(i, j int) bool { return attrs[i].SrcRange.Start.Byte < attrs[j].SrcRange.Start.Byte })
		for _, a := range attrs {
			b.WriteString(ind + "    " + a.Name + " = " + text(src, a.Expr.Range()) + "\n")
		}
		groups := map[string][]*hclsyntax.Block{}
		var order []string
		for _, in := range bl.Body.Blocks {
			if groups[in.Type] == nil {
				order = append(order, in.Type)
			}
			groups[in.Type] = append(groups[in.Type], in)
		}
		for _, t := range order {
			b.WriteString(ind + "    " + t + " = " + renderList(src, groups[t], ind+"    ") + "\n")
		}
		b.WriteString(ind + "  },\n")
	}
	b.WriteString(ind + "]")
	return b.String()
}

func lineStart(src string, i int) int { return strings.LastIndex(src[:i], "\n") + 1 }

func lineEnd(src string, i int) int {
	if j := strings.Index(src[i:], "\n"); j >= 0 {
		return i + j + 1
	}
	return len(src)
}
