package installtest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

// What a namespace of the test registry serves. The CLI is told the same
// version and platforms for each; only the bytes differ.
const (
	nsGood   = "cloudlock" // the packages of dist/, SHA256SUMS signed by the key the registry gives
	nsBadSum = "badsum"    // a changed zip, with the signed SHA256SUMS of the real one
	nsBadSig = "badsig"    // a changed zip and a SHA256SUMS listing it, with the real one's signature
)

// registry is a private registry (the provider registry protocol) and a
// network mirror (the provider network mirror protocol) on one HTTPS server
// on 127.0.0.1, as an in-house Artifactory or a self-hosted registry would
// be. Its host name for the CLIs is "localhost:PORT": the CLIs take a
// registry host with a port, and the certificate names localhost.
type registry struct {
	srv     *httptest.Server
	host    string
	dist    *dist
	sig     []byte // the detached signature of dist.sums
	keyID   string
	armored string

	mu       sync.Mutex
	requests []string
	mirrors  map[string]string // URL prefix -> directory served
	tampered map[string][]byte // zip name -> changed bytes
}

func startRegistry(t *testing.T, d *dist, ca *testCA, sig []byte, keyID, armored string) *registry {
	t.Helper()
	r := &registry{dist: d, sig: sig, keyID: keyID, armored: armored, mirrors: map[string]string{}, tampered: map[string][]byte{}}
	// httptest listens on 127.0.0.1 only.
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	r.srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.server}, MinVersion: tls.VersionTLS12}
	r.srv.StartTLS()
	t.Cleanup(r.srv.Close)
	r.host = strings.Replace(r.srv.Listener.Addr().String(), "127.0.0.1", "localhost", 1)
	return r
}

// source is the provider source address of a namespace at this registry.
func (r *registry) source(ns string) string { return r.host + "/" + ns + "/" + providerType }

func (r *registry) url(path string) string { return "https://" + r.host + path }

// served returns the paths requested so far.
func (r *registry) served() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

// addMirror serves dir as a network mirror and returns its base URL.
func (r *registry) addMirror(name, dir string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	prefix := "/mirror/" + name + "/"
	r.mirrors[prefix] = dir
	return r.url(prefix)
}

func (r *registry) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.requests = append(r.requests, req.URL.Path)
	mirrors := make(map[string]string, len(r.mirrors))
	for k, v := range r.mirrors {
		mirrors[k] = v
	}
	r.mu.Unlock()

	p := req.URL.Path
	for prefix, dir := range mirrors {
		if strings.HasPrefix(p, prefix) {
			http.StripPrefix(prefix, http.FileServer(http.Dir(dir))).ServeHTTP(w, req)
			return
		}
	}
	switch {
	case p == "/.well-known/terraform.json":
		writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
	case strings.HasPrefix(p, "/v1/providers/"):
		r.serveProviders(w, strings.Split(strings.TrimPrefix(p, "/v1/providers/"), "/"))
	case strings.HasPrefix(p, "/files/"):
		r.serveFile(w, strings.Split(strings.TrimPrefix(p, "/files/"), "/"))
	default:
		http.NotFound(w, req)
	}
}

func knownNamespace(ns string) bool { return ns == nsGood || ns == nsBadSum || ns == nsBadSig }

// serveProviders answers /v1/providers/<ns>/<type>/versions and
// /v1/providers/<ns>/<type>/<version>/download/<os>/<arch>.
func (r *registry) serveProviders(w http.ResponseWriter, parts []string) {
	if len(parts) < 3 || !knownNamespace(parts[0]) || parts[1] != providerType {
		http.NotFound(w, nil)
		return
	}
	ns := parts[0]
	protocols := r.dist.protocols()
	if len(parts) == 3 && parts[2] == "versions" {
		var platforms []map[string]string
		for _, p := range r.dist.platforms() {
			goos, arch, _ := strings.Cut(p, "_")
			platforms = append(platforms, map[string]string{"os": goos, "arch": arch})
		}
		writeJSON(w, map[string]any{"versions": []any{map[string]any{
			"version": r.dist.version, "protocols": protocols, "platforms": platforms,
		}}})
		return
	}
	if len(parts) != 6 || parts[2] != r.dist.version || parts[3] != "download" {
		http.NotFound(w, nil)
		return
	}
	platform := parts[4] + "_" + parts[5]
	zipName, ok := r.dist.zips[platform]
	if !ok {
		http.NotFound(w, nil)
		return
	}
	shasum := r.dist.listed[zipName]
	if ns == nsBadSig {
		// The changed zip's own digest: the download and SHA256SUMS agree,
		// only the signature can tell.
		shasum = sha256Hex(r.zipBytes(ns, zipName))
	}
	files := "/files/" + ns + "/"
	writeJSON(w, map[string]any{
		"protocols":             protocols,
		"os":                    parts[4],
		"arch":                  parts[5],
		"filename":              zipName,
		"download_url":          r.url(files + zipName),
		"shasums_url":           r.url(files + r.dist.sumsName),
		"shasums_signature_url": r.url(files + r.dist.sumsName + ".sig"),
		"shasum":                shasum,
		"signing_keys": map[string]any{"gpg_public_keys": []any{map[string]any{
			"key_id": r.keyID, "ascii_armor": r.armored, "trust_signature": "", "source": "cloudlock", "source_url": nil,
		}}},
	})
}

// serveFile answers /files/<ns>/<name>: a zip, SHA256SUMS or its signature.
func (r *registry) serveFile(w http.ResponseWriter, parts []string) {
	if len(parts) != 2 || !knownNamespace(parts[0]) {
		http.NotFound(w, nil)
		return
	}
	ns, name := parts[0], parts[1]
	var body []byte
	switch {
	case name == r.dist.sumsName:
		body = r.dist.sums
		if ns == nsBadSig {
			body = r.sumsListingTampered()
		}
	case name == r.dist.sumsName+".sig":
		body = r.sig
	case r.dist.listed[name] != "" && strings.HasSuffix(name, ".zip"):
		body = r.zipBytes(ns, name)
	default:
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(body)
}

// zipBytes is the zip a namespace serves: dist's, or for the bad namespaces
// the same package with one more file, as a package changed after signing.
func (r *registry) zipBytes(ns, name string) []byte {
	b, err := os.ReadFile(r.dist.path(name))
	if err != nil || ns == nsGood {
		return b
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.tampered[name]; ok {
		return t
	}
	t, err := withExtraFile(b)
	if err != nil {
		return nil
	}
	r.tampered[name] = t
	return t
}

// sumsListingTampered is SHA256SUMS rewritten to list the changed zips.
func (r *registry) sumsListingTampered() []byte {
	out := string(r.dist.sums)
	for _, name := range r.dist.zips {
		out = strings.ReplaceAll(out, r.dist.listed[name]+"  "+name, sha256Hex(r.zipBytes(nsBadSig, name))+"  "+name)
	}
	return []byte(out)
}

func withExtraFile(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			return nil, err
		}
	}
	f, err := zw.Create("added-after-signing.txt")
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(f, "not part of the release\n"); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, fmt.Sprint(err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
