package installtest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/dirhash"
)

const providerType = "cloudlock"

// dist is what `make release-snapshot` (or `make release`) wrote: the
// version, one zip per platform, SHA256SUMS and the registry manifest, as
// the Terraform registry takes them from a release.
type dist struct {
	dir      string
	version  string
	sumsName string
	sums     []byte            // SHA256SUMS as written
	listed   map[string]string // file name -> sha256 hex, from SHA256SUMS
	zips     map[string]string // "os_arch" -> zip file name
	sig      []byte            // the detached signature goreleaser wrote, if it signed
}

var manifestName = regexp.MustCompile(`^terraform-provider-` + providerType + `_(.+)_manifest\.json$`)

// loadDist reads dir. An error means dir is not a release's dist/.
func loadDist(dir string) (*dist, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	d := &dist{dir: dir, listed: map[string]string{}, zips: map[string]string{}}
	for _, e := range entries {
		if m := manifestName.FindStringSubmatch(e.Name()); m != nil {
			if d.version != "" {
				return nil, fmt.Errorf("%s holds two releases (%s and %s): run the snapshot with --clean", dir, d.version, m[1])
			}
			d.version = m[1]
		}
	}
	if d.version == "" {
		return nil, fmt.Errorf("no terraform-provider-%s_<version>_manifest.json in %s", providerType, dir)
	}
	d.sumsName = d.prefix() + "_SHA256SUMS"
	if d.sums, err = os.ReadFile(filepath.Join(dir, d.sumsName)); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(d.sums))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			return nil, fmt.Errorf("%s: line %q is not '<sha256>  <file>'", d.sumsName, sc.Text())
		}
		d.listed[name] = sum
		if rest, ok := strings.CutPrefix(name, d.prefix()+"_"); ok && strings.HasSuffix(rest, ".zip") {
			d.zips[strings.TrimSuffix(rest, ".zip")] = name
		}
	}
	if len(d.zips) == 0 {
		return nil, fmt.Errorf("%s lists no zip", d.sumsName)
	}
	if sig, err := os.ReadFile(filepath.Join(dir, d.sumsName+".sig")); err == nil {
		d.sig = sig
	}
	return d, nil
}

func (d *dist) prefix() string { return "terraform-provider-" + providerType + "_" + d.version }

func (d *dist) path(name string) string { return filepath.Join(d.dir, name) }

// platforms lists "os_arch" in order.
func (d *dist) platforms() []string {
	var ps []string
	for p := range d.zips {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// zhHashes are the hashes a lock file records from a verified SHA256SUMS:
// one for every line, the manifest's too.
func (d *dist) zhHashes() []string {
	var hs []string
	for _, sum := range d.listed {
		hs = append(hs, "zh:"+sum)
	}
	sort.Strings(hs)
	return hs
}

// h1 is the hash of a package's contents as Terraform computes it for the
// lock file (the same dirhash as Go modules).
func (d *dist) h1(platform string) (string, error) {
	return dirhash.HashZip(d.path(d.zips[platform]), dirhash.Hash1)
}

func sha256File(path string) (string, error) {
	b, err := os.ReadFile(path) //nolint:gosec // a file of dist/
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}

// protocols are the plugin protocol versions the manifest declares, which
// the registry announces for every version.
func (d *dist) protocols() []string {
	b, err := os.ReadFile(d.path(d.prefix() + "_manifest.json"))
	if err != nil {
		return nil
	}
	var m struct {
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m.Metadata.ProtocolVersions
}
