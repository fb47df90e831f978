package sms

// The SMS source-server calls (/v3/sources). With api.go this is the SMS API
// layer: the types call these, never the SDK.

import (
	"context"
	"errors"
	"fmt"
	"iter"

	smsv3 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/listing"
)

// SourceRegistration is the body of a registration: the SDK's model plus
// virtualization_type, which seed 001 documents and the SDK's model
// (v0.1.207) lacks. The embedded fields are encoded at the top level.
type SourceRegistration struct {
	model.PostSourceServerBody
	VirtualizationType *string `json:"virtualization_type,omitempty"`
}

// registerServerRequest stands in for the SDK's RegisterServerRequest, so
// that the full body goes through the SDK's own request definition.
type registerServerRequest struct {
	Body *SourceRegistration `json:"body,omitempty"`
}

// RegisterServer registers a source server (POST /v3/sources, seed 001) and
// returns its id. The call creates a record each time it succeeds, so it is
// not idempotent: it is retried only when the cloud cannot have acted on it
// (throttled, or the connection was never made).
func (a API) RegisterServer(ctx context.Context, body *SourceRegistration) (string, error) {
	out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceSMS,
		Operation:  "sms.RegisterServer",
		Request:    &registerServerRequest{Body: body},
		Idempotent: false,
		NewDef:     smsv3.GenReqDefForRegisterServer,
		// A 2xx without the new id is an unreadable answer: a CloudError
		// with the status and request id (to find the record the cloud may
		// have made), and, the call not being idempotent, not retried.
		Check: func(out any) error {
			if r := out.(*model.RegisterServerResponse); r.Id == nil || *r.Id == "" {
				return errors.New("it came without the id of the new source server")
			}
			return nil
		},
	})
	if err != nil {
		return "", err
	}
	return *out.(*model.RegisterServerResponse).Id, nil
}

// ShowServer reads a source server (GET /v3/sources/{source_id}).
func (a API) ShowServer(ctx context.Context, id string) (*model.ShowServerResponse, error) {
	out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceSMS,
		Operation:  "sms.ShowServer",
		Request:    &model.ShowServerRequest{SourceId: id},
		Idempotent: true,
		NewDef:     smsv3.GenReqDefForShowServer,
		// An answer without the server's id (an empty body) would blank
		// every attribute the refresh reads.
		Check: func(out any) error {
			if out.(*model.ShowServerResponse).Id == nil {
				return errors.New("it has no source server id")
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return out.(*model.ShowServerResponse), nil
}

// UpdateServerName renames a source server (PUT /v3/sources/{source_id}, the
// SDK's UpdateServerName). Setting the same name twice is harmless, so it
// is retried like a read.
func (a API) UpdateServerName(ctx context.Context, id, name string) error {
	_, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:   conns.ServiceSMS,
		Operation: "sms.UpdateServerName",
		Request: &model.UpdateServerNameRequest{
			SourceId: id,
			Body:     &model.PutSourceServerBody{Name: &name},
		},
		Idempotent: true,
		NewDef:     smsv3.GenReqDefForUpdateServerName,
	})
	return err
}

// DeleteServer deletes a source server record (DELETE /v3/sources/{source_id}).
// Deleting twice ends in the same state (the second answer is a 404, which
// callers treat as done), so it is retried like a read.
func (a API) DeleteServer(ctx context.Context, id string) error {
	_, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceSMS,
		Operation:  "sms.DeleteServer",
		Request:    &model.DeleteServerRequest{SourceId: id},
		Idempotent: true,
		NewDef:     smsv3.GenReqDefForDeleteServer,
	})
	return err
}

// ServerFilter holds the filters of ListServers; empty fields are not sent.
type ServerFilter struct {
	ID, Name, State, IP string
}

// listPageSize is how many servers each ListServers page asks for; the API
// takes 0 to mean its default of 200, and 100 stays within every limit
// documented for the SMS list calls.
var listPageSize int32 = 100

// maxListPages bounds the paging loop, so an answer whose count never
// agrees with its pages cannot loop forever (1,000 pages = 100,000 servers).
const maxListPages = 1000

// ListServers lists the source servers matching f (GET /v3/sources), every
// page of them.
func (a API) ListServers(ctx context.Context, f ServerFilter) ([]model.SourceServersResponseBody, error) {
	return listing.All(a.Servers(ctx, f))
}

// Servers yields the source servers matching f (GET /v3/sources), page by
// page, a page asked for only when the one before is used up.
func (a API) Servers(ctx context.Context, f ServerFilter) iter.Seq2[model.SourceServersResponseBody, error] {
	req := model.ListServersRequest{Limit: &listPageSize}
	if f.ID != "" {
		req.Id = &f.ID
	}
	if f.Name != "" {
		req.Name = &f.Name
	}
	if f.IP != "" {
		req.Ip = &f.IP
	}
	if f.State != "" {
		var st model.ListServersRequestState
		if err := st.UnmarshalJSON([]byte(f.State)); err != nil {
			return failedListing[model.SourceServersResponseBody](fmt.Errorf("state filter %q: %w", f.State, err))
		}
		req.State = &st
	}
	return pages("sms.ListServers", "source servers", func(offset int32) ([]model.SourceServersResponseBody, *int32, error) {
		r := req
		r.Offset = &offset
		out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
			Service:    conns.ServiceSMS,
			Operation:  "sms.ListServers",
			Request:    &r,
			Idempotent: true,
			NewDef:     smsv3.GenReqDefForListServers,
			// An answer without count nor list (an empty body) would read
			// as "no source servers".
			Check: func(out any) error {
				if l := out.(*model.ListServersResponse); l.Count == nil && l.SourceServers == nil {
					return errors.New("it has neither count nor source_servers")
				}
				return nil
			},
		})
		if err != nil {
			return nil, nil, err
		}
		resp := out.(*model.ListServersResponse)
		if resp.SourceServers == nil {
			return nil, resp.Count, nil
		}
		return *resp.SourceServers, resp.Count, nil
	})
}

// pages yields the items of an SMS listing, paged by offset: page(offset)
// fetches one page, with the answer's count (the number of matches, whatever
// the page). A page is asked for only when the one before is used up. It
// stops at an empty page or once count is reached, and after maxListPages
// with an error naming what (the plural noun) was listed by which operation,
// so an answer whose count never agrees cannot loop forever.
func pages[T any](operation, what string, page func(offset int32) ([]T, *int32, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := 0
		for range maxListPages {
			items, count, err := page(int32(seen)) //nolint:gosec // at most maxListPages*listPageSize (100,000)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			seen += len(items)
			if len(items) == 0 || (count != nil && seen >= int(*count)) {
				return
			}
		}
		yield(zero, fmt.Errorf("%s: more than %d pages of %s; narrow the filters", operation, maxListPages, what))
	}
}

// failedListing is a listing that yields only err: a filter refused before
// any call.
func failedListing[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
