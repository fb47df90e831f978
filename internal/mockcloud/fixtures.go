package mockcloud

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"text/template"
)

// fixtureFS holds the recorded answers. Every answer the mock gives comes from
// one of these files, so what the clouds send lives in data a person can diff
// against a recording, not in Go strings. See fixtures/README.md.
//
//go:embed fixtures
var fixtureFS embed.FS

// Fixture is one recorded exchange: the answer the cloud gave to one operation.
// Strings in Headers, Body and RawBody are text/template templates filled from
// the server's state (e.g. {{.TaskID}}); see fixtures/README.md. A Fixture
// from LoadFixture is shared: read it, do not change it.
type Fixture struct {
	Operation string            `json:"operation"`
	Status    int               `json:"status"`
	Headers   map[string]string `json:"headers,omitempty"`
	// Body is the JSON answer. A string value that is exactly one {{json ...}}
	// action is replaced by the action's JSON output, so numbers, booleans and
	// lists can come from state too: "locked": "{{json .Locked}}".
	Body json.RawMessage `json:"body,omitempty"`
	// RawBody is used instead of Body for answers that are not JSON (an HTML
	// error page from a load balancer, say).
	RawBody string `json:"raw_body,omitempty"`
	// Request documents what was asked; rendering ignores it.
	Request *FixtureRequest `json:"request,omitempty"`

	// body is Body compiled by LoadFixture: the compact JSON cut around its
	// templates, so a request renders without decoding the JSON again.
	body []bodyPart
}

// bodyPart is literal JSON text, or a template whose output is JSON (raw,
// for a lone {{json ...}} action) or a string.
type bodyPart struct {
	literal []byte
	tmpl    string
	raw     bool
}

// compileBody cuts the compact form of body around its template strings.
// The compact JSON holds no NUL byte (JSON escapes control characters), so
// NUL-delimited hole numbers mark where the templates go.
func compileBody(body json.RawMessage) ([]bodyPart, error) {
	var holes []string
	out, err := rewriteJSON(body, func(_ []string, s string) ([]byte, error) {
		if !strings.Contains(s, "{{") {
			return jsonString(s), nil
		}
		holes = append(holes, s)
		return []byte("\x00" + strconv.Itoa(len(holes)-1) + "\x00"), nil
	})
	if err != nil {
		return nil, err
	}
	var parts []bodyPart
	for i, chunk := range bytes.Split(out, []byte{0}) {
		if i%2 == 0 {
			if len(chunk) > 0 {
				parts = append(parts, bodyPart{literal: chunk})
			}
			continue
		}
		n, err := strconv.Atoi(string(chunk))
		if err != nil || n >= len(holes) {
			return nil, fmt.Errorf("compiling the body: bad hole %q", chunk)
		}
		parts = append(parts, bodyPart{tmpl: holes[n], raw: isRawAction(holes[n])})
	}
	return parts, nil
}

// FixtureRequest says which request a recorded fixture answered.
type FixtureRequest struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Action string `json:"action,omitempty"` // Alibaba RPC action
}

// Rendered is a fixture with its templates filled in, ready to send.
type Rendered struct {
	Status int
	Header http.Header
	Body   []byte
}

// loadedFixtures caches LoadFixture by name: the fixtures are embedded, so
// each is parsed once, not on every request (the mock stands in for a cloud,
// whose work should not weigh on the machine that runs the provider).
var loadedFixtures sync.Map // name -> Fixture

// LoadFixture reads an embedded fixture by its name under fixtures/, e.g.
// "sms/error_403_SMS.9004.json".
func LoadFixture(name string) (Fixture, error) {
	if f, ok := loadedFixtures.Load(name); ok {
		return f.(Fixture), nil
	}
	data, err := fs.ReadFile(fixtureFS, "fixtures/"+name)
	if err != nil {
		return Fixture{}, fmt.Errorf("mockcloud: fixture %q: %w", name, err)
	}
	f, err := ParseFixture(data)
	if err == nil && len(f.Body) > 0 {
		f.body, err = compileBody(f.Body)
	}
	if err != nil {
		return Fixture{}, fmt.Errorf("mockcloud: fixture %q: %w", name, err)
	}
	loadedFixtures.Store(name, f)
	return f, nil
}

// FixtureNames lists the embedded fixtures (names as LoadFixture takes them).
func FixtureNames() []string {
	var names []string
	_ = fs.WalkDir(fixtureFS, "fixtures", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, "-seed.json") {
			names = append(names, strings.TrimPrefix(p, "fixtures/"))
		}
		return err
	})
	return names
}

// ParseFixture decodes a fixture file, rejecting unknown fields so that a
// misspelt "stauts" fails loudly instead of answering 0.
func ParseFixture(data []byte) (Fixture, error) {
	var f Fixture
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Fixture{}, err
	}
	if f.Status < 100 || f.Status > 599 {
		return Fixture{}, fmt.Errorf("status %d is not an HTTP status", f.Status)
	}
	if len(f.Body) > 0 && f.RawBody != "" {
		return Fixture{}, fmt.Errorf("both body and raw_body are set")
	}
	return f, nil
}

// Render fills the fixture's templates with data. A template naming a key
// that data lacks is an error, not an empty string: a fixture and its handler
// must agree on names.
func (f Fixture) Render(data map[string]any) (Rendered, error) {
	out := Rendered{Status: f.Status, Header: http.Header{}}
	for k, v := range f.Headers {
		s, err := execTemplate(v, data)
		if err != nil {
			return Rendered{}, fmt.Errorf("header %s: %w", k, err)
		}
		out.Header.Set(k, s)
	}
	switch {
	case f.RawBody != "":
		s, err := execTemplate(f.RawBody, data)
		if err != nil {
			return Rendered{}, fmt.Errorf("raw_body: %w", err)
		}
		out.Body = []byte(s)
	case len(f.Body) > 0:
		parts := f.body
		if parts == nil { // parsed, not loaded: compile now
			var err error
			if parts, err = compileBody(f.Body); err != nil {
				return Rendered{}, fmt.Errorf("body: %w", err)
			}
		}
		var body bytes.Buffer
		for _, p := range parts {
			if p.tmpl == "" {
				body.Write(p.literal)
				continue
			}
			r, err := execTemplate(p.tmpl, data)
			if err != nil {
				return Rendered{}, fmt.Errorf("body: %w", err)
			}
			if !p.raw {
				body.Write(jsonString(r))
				continue
			}
			if !json.Valid([]byte(r)) {
				return Rendered{}, fmt.Errorf("body: %s gave invalid JSON %q", p.tmpl, r)
			}
			body.WriteString(r)
		}
		out.Body = body.Bytes()
	}
	return out, nil
}

// isRawAction reports whether s is exactly one {{json ...}} action.
func isRawAction(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "{{json ") && strings.HasSuffix(s, "}}") && strings.Count(s, "{{") == 1
}

var templateFuncs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}

// parsedTemplates caches execTemplate's parsing by template text (fixture
// texts are few and fixed; a parsed template is safe for concurrent use).
var parsedTemplates sync.Map // text -> *template.Template

func execTemplate(text string, data map[string]any) (string, error) {
	var t *template.Template
	if v, ok := parsedTemplates.Load(text); ok {
		t = v.(*template.Template)
	} else {
		var err error
		t, err = template.New("").Funcs(templateFuncs).Option("missingkey=error").Parse(text)
		if err != nil {
			return "", err
		}
		parsedTemplates.Store(text, t)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// jsonString encodes s as a JSON string without HTML escaping, as the clouds do.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// rewriteJSON re-encodes the JSON document data compactly, keeping object keys
// in their original order (answers stay close to what the cloud sent), and
// replaces every string value with what fn returns, which must be JSON text.
// fn gets the object keys leading to the value; array positions are left out,
// so projects[0].id has the path ["projects", "id"]. The path is reused: fn
// must not keep it.
func rewriteJSON(data []byte, fn func(path []string, s string) ([]byte, error)) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object  bool
		wantKey bool // in an object, the next string token is a key
		n       int  // members written so far
	}
	var (
		out   bytes.Buffer
		stack []frame
		path  []string
	)
	// beginValue writes the comma before an array element and, in an object,
	// notes that a key comes next.
	beginValue := func() {
		if len(stack) == 0 {
			return
		}
		top := &stack[len(stack)-1]
		if top.object {
			top.wantKey = true
			return
		}
		if top.n > 0 {
			out.WriteByte(',')
		}
		top.n++
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				beginValue()
				stack = append(stack, frame{object: d == '{', wantKey: d == '{'})
			case '}', ']':
				if top := stack[len(stack)-1]; top.object && top.n > 0 {
					path = path[:len(path)-1]
				}
				stack = stack[:len(stack)-1]
			}
			out.WriteByte(byte(d)) //nolint:gosec // a json.Delim is one of {}[], all ASCII
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			top := &stack[n-1]
			key := tok.(string)
			if top.n > 0 {
				out.WriteByte(',')
				path[len(path)-1] = key
			} else {
				path = append(path, key)
			}
			top.n++
			top.wantKey = false
			out.Write(jsonString(key))
			out.WriteByte(':')
			continue
		}
		beginValue()
		switch v := tok.(type) {
		case string:
			b, err := fn(path, v)
			if err != nil {
				return nil, err
			}
			out.Write(b)
		case json.Number:
			out.WriteString(v.String())
		case bool:
			out.WriteString(strconv.FormatBool(v))
		case nil:
			out.WriteString("null")
		}
	}
	return out.Bytes(), nil
}
