// Package ecs holds the Huawei Cloud ECS calls and the types built on them.
// Every ECS API call is in this file.
package ecs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	ecsv2 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ecs/v2/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// API is the ECS service of the shared client.
type API struct{ c *conns.Client }

// NewAPI returns the ECS calls of c.
func NewAPI(c *conns.Client) API { return API{c: c} }

// Target is one server: its region (whose ECS endpoint is called), the
// project that owns it and its id.
type Target struct {
	Region    string
	ProjectID string
	ServerID  string
}

func (t Target) String() string {
	return fmt.Sprintf("ECS server %s (region %s, project %s)", t.ServerID, t.Region, t.ProjectID)
}

// ProjectID is the project id for region: the configured one, or the one IAM
// names for the region, looked up once per run for every resource.
func (a API) ProjectID(ctx context.Context, region string) (string, error) {
	return a.c.HuaweiProjectID(ctx, region)
}

// The action bodies, byte for byte as the API document writes them.
const (
	lockBody   = `{"lock": null}`
	unlockBody = `{"unlock": null}`
)

type actionRequest struct {
	ProjectID string `json:"project_id"`
	ServerID  string `json:"server_id"`
	// Body is a plain string because the SDK core writes a string body as it
	// is, while it JSON-encodes anything else (and adds a newline): the
	// action has to be exactly {"lock": null}.
	Body string `json:"body"`
}

type actionResponse struct {
	// XRequestId is the answer's X-Request-Id: the 202 says only that the
	// cloud accepted the action, and what follows (the wait, an interrupt)
	// names this id so the action can be traced.
	XRequestId     *string `json:"-"`
	HttpStatusCode int     `json:"-"`
}

// Lock locks a server (POST /v2.1/{project_id}/servers/{server_id}/action
// with {"lock": null}). The API answers 202: the lock is accepted, and the
// server reports it a moment later (see WaitLockState).
func (a API) Lock(ctx context.Context, t Target) (requestID string, err error) {
	return a.action(ctx, t, "ecs.NovaLockServer", lockBody)
}

// Unlock unlocks a server (the same action with {"unlock": null}).
func (a API) Unlock(ctx context.Context, t Target) (requestID string, err error) {
	return a.action(ctx, t, "ecs.NovaUnlockServer", unlockBody)
}

// action sends a Nova server action. The ECS SDK has no lock method, so it
// is a signed raw request through the SDK core. Locking a locked server (or
// unlocking an unlocked one) is harmless, so it is retried like a read. It
// returns the request id of the accepting answer.
func (a API) action(ctx context.Context, t Target, operation, body string) (string, error) {
	// What this process read of the server is out of date from now on, and
	// still after the answer (a listing may have begun in between).
	a.forget(t)
	defer a.forget(t)
	out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceECS,
		Region:     t.Region,
		Operation:  operation,
		Request:    &actionRequest{ProjectID: t.ProjectID, ServerID: t.ServerID, Body: body},
		Idempotent: true,
		Headers:    projectHeader(t.ProjectID),
		NewDef: func() *def.HttpRequestDef {
			return def.NewHttpRequestDefBuilder().
				WithMethod(http.MethodPost).
				WithPath("/v2.1/{project_id}/servers/{server_id}/action").
				WithResponse(new(actionResponse)).
				WithContentType("application/json").
				WithRequestField(def.NewFieldDef().WithName("ProjectID").WithJsonTag("project_id").WithLocationType(def.Path)).
				WithRequestField(def.NewFieldDef().WithName("ServerID").WithJsonTag("server_id").WithLocationType(def.Path)).
				WithRequestField(def.NewFieldDef().WithName("Body").WithLocationType(def.Body)).
				WithResponseField(def.NewFieldDef().WithName("XRequestId").WithJsonTag("X-Request-Id").WithKindName("string").WithLocationType(def.Header)).
				Build()
		},
	})
	if err != nil {
		return "", novaError(err)
	}
	if r, ok := out.(*actionResponse); ok && r.XRequestId != nil {
		return *r.XRequestId, nil
	}
	return "", nil
}

// Server is what the types need of a server.
type Server struct {
	ID     string
	Name   string
	Status string // Nova status: ACTIVE, SHUTOFF, ...
	Locked bool
}

// lockMicroversion is the first compute microversion whose server answer
// has "locked".
const lockMicroversion = "compute 2.9"

// ErrNoLockState is a server answer without "locked": the API did not honour
// the microversion header (a proxy dropped it, say). Taking the missing field
// for "unlocked" would make every plan try to lock again.
var ErrNoLockState = errors.New("the server's answer has no \"locked\" field although microversion " +
	lockMicroversion + " was asked for (OpenStack-API-Version header); the lock state cannot be read")

// ShowServer reads a server with Nova show at microversion 2.9
// (GET /v2.1/{project_id}/servers/{server_id}).
//
// Nova show rather than the native GET /v1/{project_id}/cloudservers/{id}:
// it is the API the lock action belongs to (same path, same error bodies),
// and the SDK models its "locked" as *bool, so an answer without the field
// is told apart from an unlocked server. The native model's "locked" is a
// plain bool: a missing field would read as unlocked.
func (a API) ShowServer(ctx context.Context, t Target) (*Server, error) {
	microversion := lockMicroversion
	out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceECS,
		Region:     t.Region,
		Operation:  "ecs.NovaShowServer",
		Request:    &model.NovaShowServerRequest{ServerId: t.ServerID, OpenStackAPIVersion: &microversion},
		Idempotent: true,
		Headers:    projectHeader(t.ProjectID),
		NewDef:     func() *def.HttpRequestDef { return inProject(ecsv2.GenReqDefForNovaShowServer(), t.ProjectID) },
		// An answer without "server" (an empty body) is unreadable, and
		// retried as such, rather than a failure of its own kind.
		Check: func(out any) error {
			if out.(*model.NovaShowServerResponse).Server == nil {
				return errors.New("it has no \"server\"")
			}
			return nil
		},
	})
	if err != nil {
		return nil, novaError(err)
	}
	r := out.(*model.NovaShowServerResponse)
	if r.Server.Locked == nil {
		return nil, ErrNoLockState
	}
	return &Server{ID: r.Server.Id, Name: r.Server.Name, Status: r.Server.Status.Value(), Locked: *r.Server.Locked}, nil
}

// Poll intervals of WaitLockState: the first read is at once, then the wait
// doubles from pollMin up to pollMax. Tests shorten them (export_test.go).
var (
	pollMin = 1 * time.Second
	pollMax = 10 * time.Second
)

// WaitTimeoutError is a server that did not report the lock state asked for
// before the operation's time ran out.
type WaitTimeoutError struct {
	Target Target
	Want   bool
	Reads  int
	Waited time.Duration
	Last   *Server // the last answer, nil if no read succeeded
	Err    error   // the last read's error, if it failed
	// Interrupted: the wait was cut by Ctrl-C, not by its timeout.
	Interrupted bool
}

func (e *WaitTimeoutError) Error() string {
	state := "unlocked"
	if e.Want {
		state = "locked"
	}
	var b strings.Builder
	ended := "never reported " + state
	if e.Interrupted {
		ended = "had not reported " + state + " when Terraform was stopped (Ctrl-C)"
	}
	fmt.Fprintf(&b, "%s %s: the %s request was accepted (HTTP 202), but after %s and %d reads the server still",
		e.Target, ended, strings.TrimSuffix(state, "ed"), e.Waited.Round(time.Millisecond), e.Reads)
	switch {
	case e.Last != nil:
		fmt.Fprintf(&b, " reports locked = %t (status %s)", e.Last.Locked, e.Last.Status)
	default:
		b.WriteString(" could not be read")
	}
	if e.Err != nil {
		fmt.Fprintf(&b, "; last error: %v", e.Err)
	}
	return b.String()
}

// WaitLockState reads the server (by id through the batched path, never
// from a listing) until it reports locked == want. It stops
// with a *WaitTimeoutError when ctx ends first, and with the read's error
// when a read fails for good (a 404, a 403, or retries run out).
func (a API) WaitLockState(ctx context.Context, t Target, want bool) (*Server, error) {
	start := time.Now()
	wait := pollMin
	var last *Server
	for reads := 1; ; reads++ {
		srv, err := a.confirmServer(ctx, t)
		if err == nil && srv.Locked == want {
			return srv, nil
		}
		if ctx.Err() != nil {
			return nil, &WaitTimeoutError{Target: t, Want: want, Reads: reads, Waited: time.Since(start), Last: last, Err: err,
				Interrupted: errors.Is(ctx.Err(), context.Canceled)}
		}
		if err != nil {
			return nil, err
		}
		last = srv
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, &WaitTimeoutError{Target: t, Want: want, Reads: reads, Waited: time.Since(start), Last: last}
		case <-timer.C:
		}
		wait = min(2*wait, pollMax)
	}
}

// inProject writes the project id into a request definition's path. The
// shared client never gives the SDK a project id (so the SDK never asks IAM
// on its own); the project is resolved once by HuaweiProjectID instead.
func inProject(d *def.HttpRequestDef, projectID string) *def.HttpRequestDef {
	d.Path = strings.ReplaceAll(d.Path, "{project_id}", url.PathEscape(projectID))
	return d
}

// projectHeader is the header the SDK itself sends with project-scoped
// calls; API Gateway needs it for AK/SK requests in multi-project accounts.
func projectHeader(projectID string) map[string]string {
	return map[string]string{"X-Project-Id": projectID}
}

// novaError gives a Nova error answer its code and message. Nova bodies are
// {"<name>": {"code": 409, "message": "..."}}: the SDK finds no string code
// in them and reports the whole body as the message. The name
// (conflictingRequest, forbidden, itemNotFound, ...) becomes the code.
func novaError(err error) error {
	var ce *conns.CloudError
	if !errors.As(err, &ce) || ce.Code != "" || !strings.HasPrefix(strings.TrimSpace(ce.Message), "{") {
		return err
	}
	var body map[string]struct {
		Message string `json:"message"`
	}
	if json.Unmarshal([]byte(ce.Message), &body) != nil || len(body) != 1 {
		return err
	}
	for name, e := range body {
		if e.Message != "" {
			ce.Code, ce.Message = name, e.Message
		}
	}
	return err
}

// ListFilter narrows ListServers. Name keeps the servers whose name
// contains it (the API's match on name is fuzzy, not exact).
type ListFilter struct{ Name string }

// listPageSize is the largest page ListServersDetails serves.
const listPageSize = 1000

// Servers yields the project's servers (GET /v1/{project_id}/cloudservers/detail)
// page by page: limit 1000, each page after the last id of the page before,
// a page asked for only when the one before is used up (a query that stops
// early costs only the pages it read). After an error it yields nothing more.
func (a API) Servers(ctx context.Context, region, projectID string, f ListFilter) iter.Seq2[Server, error] {
	return func(yield func(Server, error) bool) {
		marker, seen := "", 0
		for {
			limit := listPageSize
			req := &listServersRequest{Limit: &limit, Marker: optional(marker), Name: optional(f.Name)}
			page, err := a.listServersDetails(ctx, region, projectID, req)
			if err != nil {
				yield(Server{}, err)
				return
			}
			for _, d := range page.Servers {
				srv, err := d.server()
				if err != nil {
					yield(Server{}, err)
					return
				}
				if !yield(*srv, nil) {
					return
				}
			}
			seen += len(page.Servers)
			// A short page is the last; a full one may be followed by more,
			// unless count (the servers matched, over all pages) is reached:
			// 2,000 servers are 2 calls, not 3.
			if len(page.Servers) < listPageSize || (page.Count != nil && seen >= *page.Count) {
				return
			}
			next := page.Servers[len(page.Servers)-1].ID
			if next == "" || next == marker {
				yield(Server{}, fmt.Errorf("ListServersDetails: page after marker %q ends without a server id to go on from", marker))
				return
			}
			marker = next
		}
	}
}

// listServersRequest is ListServersDetails' query, as far as this provider
// asks it. Nil fields are left out of the query (the SDK core sends a
// non-pointer field even when it is empty).
type listServersRequest struct {
	ServerID *string `json:"server_id,omitempty"` // comma-separated, at most 100
	Limit    *int    `json:"limit,omitempty"`
	Marker   *string `json:"marker,omitempty"`
	Name     *string `json:"name,omitempty"`
}

// optional is s, or nil when s is empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// listServersResponse is ListServersDetails' answer. The SDK's model is not
// used: its ServerDetail.Locked is a plain bool, so an entry whose "locked"
// is null (an id that names no server: only "id" and "fault" are set) would
// read as an unlocked server.
type listServersResponse struct {
	Count          *int           `json:"count"`
	Servers        []serverDetail `json:"servers"`
	HttpStatusCode int            `json:"-"`
}

// serverDetail is one entry of a list, with the fields this provider reads.
type serverDetail struct {
	ID     string          `json:"id"`
	Name   *string         `json:"name"`
	Status *string         `json:"status"`
	Locked *bool           `json:"locked"`
	Fault  json.RawMessage `json:"fault"`
}

// ErrListedNotFound is an entry of a list by id that names no server: it
// has a "fault" or no "locked". It means "not found", never "unlocked".
var ErrListedNotFound = errors.New("the list answers this id with a fault entry (no such server, or not visible)")

// server reads an entry. An entry with a fault, or without "locked", is
// ErrListedNotFound: never a server with locked = false.
func (d serverDetail) server() (*Server, error) {
	hasFault := len(d.Fault) > 0 && string(d.Fault) != "null"
	if hasFault || d.Locked == nil {
		return nil, fmt.Errorf("server %s: %w", d.ID, ErrListedNotFound)
	}
	srv := &Server{ID: d.ID, Locked: *d.Locked}
	if d.Name != nil {
		srv.Name = *d.Name
	}
	if d.Status != nil {
		srv.Status = *d.Status
	}
	return srv, nil
}

// listServersDetails sends one ListServersDetails call.
func (a API) listServersDetails(ctx context.Context, region, projectID string, req *listServersRequest) (*listServersResponse, error) {
	out, err := a.c.CallHuawei(ctx, conns.HuaweiCall{
		Service:    conns.ServiceECS,
		Region:     region,
		Operation:  "ecs.ListServersDetails",
		Request:    req,
		Idempotent: true,
		Headers:    projectHeader(projectID),
		NewDef: func() *def.HttpRequestDef {
			return def.NewHttpRequestDefBuilder().
				WithMethod(http.MethodGet).
				WithPath("/v1/" + url.PathEscape(projectID) + "/cloudservers/detail").
				WithResponse(new(listServersResponse)).
				WithContentType("application/json").
				WithRequestField(def.NewFieldDef().WithName("ServerID").WithJsonTag("server_id").WithLocationType(def.Query)).
				WithRequestField(def.NewFieldDef().WithName("Limit").WithJsonTag("limit").WithLocationType(def.Query)).
				WithRequestField(def.NewFieldDef().WithName("Marker").WithJsonTag("marker").WithLocationType(def.Query)).
				WithRequestField(def.NewFieldDef().WithName("Name").WithJsonTag("name").WithLocationType(def.Query)).
				Build()
		},
		// An answer without "servers" (an empty body) is unreadable.
		Check: func(out any) error {
			if out.(*listServersResponse).Servers == nil {
				return errors.New("it has no \"servers\"")
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return out.(*listServersResponse), nil
}
