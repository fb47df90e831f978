// Package validate holds the attribute validators the types share.
//
// One mistake gives one error: an attribute has at most one validator, and
// where it needs several checks they are combined with InOrder, which stops
// at the first that fails. Stacked validators each report the same empty
// string (a length error, then a pattern error that shows nothing).
package validate

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// InOrder runs vs in order on a string and stops at the first that reports
// an error; warnings of the checks before it are kept.
func InOrder(vs ...validator.String) validator.String { return stringsInOrder(vs) }

// SetInOrder is InOrder for sets.
func SetInOrder(vs ...validator.Set) validator.Set { return setsInOrder(vs) }

type describer interface {
	Description(context.Context) string
	MarkdownDescription(context.Context) string
}

func describe[T describer](ctx context.Context, vs []T, markdown bool) string {
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		if markdown {
			parts = append(parts, v.MarkdownDescription(ctx))
		} else {
			parts = append(parts, v.Description(ctx))
		}
	}
	return strings.Join(parts, ", and ")
}

type stringsInOrder []validator.String

func (vs stringsInOrder) Description(ctx context.Context) string { return describe(ctx, vs, false) }

func (vs stringsInOrder) MarkdownDescription(ctx context.Context) string {
	return describe(ctx, vs, true)
}

func (vs stringsInOrder) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	for _, v := range vs {
		r := &validator.StringResponse{}
		v.ValidateString(ctx, req, r)
		resp.Diagnostics.Append(r.Diagnostics...)
		if r.Diagnostics.HasError() {
			return
		}
	}
}

type setsInOrder []validator.Set

func (vs setsInOrder) Description(ctx context.Context) string { return describe(ctx, vs, false) }

func (vs setsInOrder) MarkdownDescription(ctx context.Context) string {
	return describe(ctx, vs, true)
}

func (vs setsInOrder) ValidateSet(ctx context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	for _, v := range vs {
		r := &validator.SetResponse{}
		v.ValidateSet(ctx, req, r)
		resp.Diagnostics.Append(r.Diagnostics...)
		if r.Diagnostics.HasError() {
			return
		}
	}
}
