package listing

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
)

// Start is the preamble of every List: it reads the list block's config into
// m and checks the credentials the listing needs (check: operation's
// CheckHuawei or CheckAlibaba). When either fails it sets the stream to the
// diagnostics and returns false.
func Start(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream, m any, check func(*diag.Diagnostics) bool) bool {
	diags := req.Config.Get(ctx, m)
	if !diags.HasError() {
		check(&diags)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return false
	}
	return true
}

// Stream turns a listing that arrives in pages into a list resource's
// results: items yields the listed objects, fetching a page only when the one
// before is used up, and result makes the result of one, or skips it (false:
// an object a filter of the list block keeps out). The stream ends at the
// limit Terraform asked for, before the next page is asked for, so a query
// of 100 results costs the pages that hold them and not the whole project.
// An error from items ends the stream with failed(err) as its last result.
func Stream[T any](req list.ListRequest, items iter.Seq2[T, error], result func(T) (list.ListResult, bool), failed func(error) diag.Diagnostics) func(push func(list.ListResult) bool) {
	return func(push func(list.ListResult) bool) {
		n := 0
		for item, err := range items {
			if err != nil {
				push(list.ListResult{Diagnostics: failed(err)})
				return
			}
			r, ok := result(item)
			if !ok {
				continue
			}
			n++
			if !push(r) || full(req, n) {
				return
			}
		}
	}
}

// All collects every item of a paged listing, or its first error: for the
// callers that need the whole set (a data source, a resource's search).
func All[T any](items iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for item, err := range items {
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}
