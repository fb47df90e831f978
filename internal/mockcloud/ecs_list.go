package mockcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ListServersDetails limits: at most listMaxIDs ids in server_id (the API
// document advises it for the URI's length; the mock refuses more, so a
// client that sends more is caught), pages of at most listMaxLimit servers,
// listDefaultLimit when limit is not given.
const (
	listMaxIDs       = 100
	listMaxLimit     = 1000
	listDefaultLimit = 25
)

// GET /v1/{ProjectID}/cloudservers/detail: the native ListServersDetails.
//
//   - server_id=id1,id2,...: exactly those servers, in the order asked; every
//     other filter is ignored. An id that does not exist is answered as an
//     entry with its "id" and a "fault", every other field null (as the API
//     document says), not as an error.
//   - otherwise: the project's servers in id order, "name" keeping those
//     whose name contains it (the document's fuzzy match), "limit" (1–1000,
//     default 25) servers after "marker" (the last id of the page before),
//     page "offset" of them: a page number from 1, 0 the same as 1 (the
//     SDK's ListServersDetailsRequest), counted after the marker when both
//     are given.
//
// "count" is the number of servers matched, over all pages. Every server
// entry is the native show's server object (show_server.json), so lists and
// shows agree field by field; a listed server counts as a read for LockLag.
func (s *Server) listServersDetails(c *call) answer {
	if a := s.checkProject(c, ecsNativeBadURL); a != nil {
		return *a
	}
	q := c.r.URL.Query()
	bad := func(format string, args ...any) answer {
		return answer{fixture: ecsNativeBadURL, data: map[string]any{"Message": fmt.Sprintf(format, args...)}}
	}
	if raw := q.Get("server_id"); raw != "" {
		ids := strings.Split(raw, ",")
		if len(ids) > listMaxIDs {
			return bad("server_id has %d ids; at most %d are allowed", len(ids), listMaxIDs)
		}
		entries := make([]json.RawMessage, 0, len(ids))
		for _, id := range ids {
			v, found := s.readECSServer(id)
			if !found {
				entries = append(entries, faultEntry(id))
				continue
			}
			e, err := s.serverEntry(c, v)
			if err != nil {
				return answer{fixture: ecsServerError}
			}
			entries = append(entries, e)
		}
		return answer{fixture: "ecs/list_servers_details.json", data: map[string]any{"Count": len(entries), "Servers": entries}}
	}

	limit := listDefaultLimit
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > listMaxLimit {
			return bad("limit must be a whole number from 1 to %d, got %q", listMaxLimit, raw)
		}
		limit = n
	}
	page := 1
	if raw := q.Get("offset"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return bad("offset must be a whole number from 0, got %q", raw)
		}
		page = max(n, 1)
	}
	name, marker := q.Get("name"), q.Get("marker")
	s.mu.Lock()
	var ids []string
	for id, v := range s.ecsServers {
		if strings.Contains(v.Name, name) {
			ids = append(ids, id)
		}
	}
	_, markerKnown := s.ecsServers[marker]
	s.mu.Unlock()
	if marker != "" && !markerKnown {
		return bad("marker %q is not a server id", marker)
	}
	slices.Sort(ids)
	start := 0
	if marker != "" {
		start, _ = slices.BinarySearch(ids, marker)
		if start < len(ids) && ids[start] == marker {
			start++
		}
	}
	start = min(len(ids), start+(page-1)*limit)
	entries := []json.RawMessage{}
	for _, id := range ids[start:min(len(ids), start+limit)] {
		v, found := s.readECSServer(id)
		if !found { // deleted since the ids were taken
			continue
		}
		e, err := s.serverEntry(c, v)
		if err != nil {
			return answer{fixture: ecsServerError}
		}
		entries = append(entries, e)
	}
	return answer{fixture: "ecs/list_servers_details.json", data: map[string]any{"Count": len(ids), "Servers": entries}}
}

// ecsServerError is ECS's internal error, for a list entry the mock cannot
// render (a bug in the mock).
const ecsServerError = "huawei/error_502.json"

// serverEntry is a server as a list shows it: the "server" object of the
// native show's fixture, filled with the server's state. Entries are kept
// by what fills them (a page of 1,000 would otherwise render the fixture
// 1,000 times, on the cores the provider under test runs on).
func (s *Server) serverEntry(c *call, v ECSServer) (json.RawMessage, error) {
	data := s.templateData(c, serverData(v))
	key := entryKey{v.ID, v.Name, v.Status, v.Locked, s.opts.ProjectID, s.opts.Region}
	if e, ok := renderedEntries.Load(key); ok {
		return e.(json.RawMessage), nil
	}
	f, err := LoadFixture("ecs/show_server.json")
	if err != nil {
		return nil, err
	}
	out, err := f.Render(data)
	if err != nil {
		return nil, err
	}
	var body struct {
		Server json.RawMessage `json:"server"`
	}
	if err := json.Unmarshal(out.Body, &body); err != nil {
		return nil, err
	}
	renderedEntries.Store(key, body.Server)
	return body.Server, nil
}

// entryKey is everything show_server.json's server object is filled from.
type entryKey struct {
	id, name, status  string
	locked            bool
	projectID, region string
}

// renderedEntries caches serverEntry (entries never change for a key).
var renderedEntries sync.Map // entryKey -> json.RawMessage

// serverDetailKeys are the fields of a server entry, in the fixture's order.
var serverDetailKeys = sync.OnceValue(func() []string {
	f, err := LoadFixture("ecs/show_server.json")
	if err != nil {
		panic(err) // embedded: cannot happen unless the file is removed
	}
	var body struct {
		Server json.RawMessage `json:"server"`
	}
	if err := json.Unmarshal(f.Body, &body); err != nil {
		panic(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body.Server))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			continue
		case json.Delim('}'), json.Delim(']'):
			depth--
			continue
		}
		if k, ok := tok.(string); ok && depth == 1 {
			keys = append(keys, k)
			// skip the value
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				break
			}
		}
	}
	return keys
})

// faultEntry is the list entry of an id that names no server: its id, a
// fault, and every other field of a server entry null. The fault's fields
// are ServerFault's (code, created, message, details); the values are not
// recorded from the cloud.
func faultEntry(id string) json.RawMessage {
	var b bytes.Buffer
	b.WriteString(`{"id":`)
	b.Write(jsonString(id))
	fmt.Fprintf(&b, `,"fault":{"code":404,"created":%q,"message":%s,"details":null}`,
		time.Now().UTC().Format(time.RFC3339), jsonString("Instance "+id+" could not be found."))
	for _, k := range serverDetailKeys() {
		if k == "id" || k == "fault" {
			continue
		}
		b.WriteString(",")
		b.Write(jsonString(k))
		b.WriteString(":null")
	}
	b.WriteString("}")
	return b.Bytes()
}
