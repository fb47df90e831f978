package installtest

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// suite is what every test shares: the packages, the CA the CLIs trust,
// the key that signs SHA256SUMS, and the CLIs.
type suite struct {
	dist    *dist
	ca      *testCA
	sig     []byte
	keyID   string
	armored string
	clis    []cli
}

var (
	setupOnce sync.Once
	shared    *suite
	skipWhy   string
	setupErr  error
	tmpRoot   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if tmpRoot != "" {
		_ = os.RemoveAll(tmpRoot)
	}
	os.Exit(code)
}

// distFor skips the test unless CLOUDLOCK_DIST names a dist/ to test; it is
// not read from the work tree by default, so that `make test` never tests
// packages left over from an earlier build (or half written by a build
// running beside it).
func distFor(t *testing.T) *suite {
	t.Helper()
	setupOnce.Do(func() { shared, skipWhy, setupErr = newSuite() })
	if skipWhy != "" {
		t.Skip(skipWhy)
	}
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return shared
}

// cliSuite is distFor for the tests that run the CLIs: acceptance tests,
// run only with TF_ACC set.
func cliSuite(t *testing.T) *suite {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("installs through the Terraform and OpenTofu CLIs: set TF_ACC=1 (make test-install)")
	}
	return distFor(t)
}

func newSuite() (*suite, string, error) {
	dir := os.Getenv("CLOUDLOCK_DIST")
	if dir == "" {
		return nil, "CLOUDLOCK_DIST is unset: make test-install builds the release snapshot into dist/ and runs these tests on it", nil
	}
	d, err := loadDist(dir)
	if err != nil {
		return nil, "", fmt.Errorf("CLOUDLOCK_DIST=%s: %w", dir, err)
	}
	if _, ok := d.zips["linux_amd64"]; !ok {
		return nil, "", fmt.Errorf("CLOUDLOCK_DIST=%s has no linux_amd64 package, the platform the CLIs here run on", dir)
	}
	if tmpRoot, err = os.MkdirTemp("", "cloudlock-installtest-"); err != nil {
		return nil, "", err
	}
	s := &suite{dist: d}
	if s.ca, err = newTestCA(tmpRoot); err != nil {
		return nil, "", err
	}
	if err := s.signing(); err != nil {
		return nil, "", err
	}
	if s.clis, err = findCLIs(tmpRoot); err != nil {
		return nil, "", err
	}
	return s, "", nil
}

// signing chooses the signature the registry serves: the one the release
// build made (CLOUDLOCK_DIST_PUBLIC_KEY names its public key), else one the
// test makes with a key of its own, as a registry would publish it.
func (s *suite) signing() error {
	if keyFile := os.Getenv("CLOUDLOCK_DIST_PUBLIC_KEY"); keyFile != "" {
		if s.dist.sig == nil {
			return fmt.Errorf("CLOUDLOCK_DIST_PUBLIC_KEY is set but %s has no %s.sig: the build did not sign", s.dist.dir, s.dist.sumsName)
		}
		b, err := os.ReadFile(keyFile) //nolint:gosec // the key file the caller names
		if err != nil {
			return err
		}
		ring, err := openpgp.ReadArmoredKeyRing(strings.NewReader(string(b)))
		if err != nil {
			return fmt.Errorf("CLOUDLOCK_DIST_PUBLIC_KEY=%s: not an armored public key: %w", keyFile, err)
		}
		if len(ring) == 0 {
			return fmt.Errorf("CLOUDLOCK_DIST_PUBLIC_KEY=%s holds no key", keyFile)
		}
		s.sig, s.armored = s.dist.sig, string(b)
		s.keyID = fmt.Sprintf("%016X", ring[0].PrimaryKey.KeyId)
		return nil
	}
	k, err := newSigner("cloudlock install test")
	if err != nil {
		return err
	}
	if s.sig, err = k.sign(s.dist.sums); err != nil {
		return err
	}
	if s.armored, err = k.armoredPublicKey(); err != nil {
		return err
	}
	s.keyID = k.keyID()
	return nil
}

func (s *suite) registry(t *testing.T) *registry {
	return startRegistry(t, s.dist, s.ca, s.sig, s.keyID, s.armored)
}

// eachCLI runs f once per CLI, in parallel.
func (s *suite) eachCLI(t *testing.T, f func(t *testing.T, c cli)) {
	t.Helper()
	for _, c := range s.clis {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f(t, c)
		})
	}
}

// otherPlatform is the platform besides linux_amd64 that lock files are
// written for: darwin_arm64 when the build has it (a team's laptops), else
// the first other one.
func (s *suite) otherPlatform(t *testing.T) string {
	t.Helper()
	if _, ok := s.dist.zips["darwin_arm64"]; ok {
		return "darwin_arm64"
	}
	for _, p := range s.dist.platforms() {
		if p != "linux_amd64" {
			return p
		}
	}
	t.Fatalf("%s has only linux_amd64: the release must build at least one other platform", s.dist.dir)
	return ""
}

// versionsTF is the terraform block naming source with a version
// constraint. A prerelease (the snapshot's 0.1.0-dev) can be chosen only
// by an exact constraint; a release by a range, as teams write it.
func versionsTF(source, version string) string {
	constraint := version
	if !strings.Contains(version, "-") {
		parts := strings.SplitN(version, ".", 3)
		constraint = "~> " + strings.Join(parts[:2], ".")
	}
	return fmt.Sprintf("terraform {\n  required_providers {\n    cloudlock = {\n      source  = %q\n      version = %q\n    }\n  }\n}\n", source, constraint)
}

// TestReleasePackages checks dist/ is what the registries take: every file
// listed in SHA256SUMS with its digest, the manifest among them and equal
// to terraform-registry-manifest.json, and each zip holding exactly the
// provider binary under the name Terraform looks for, built for the
// platform the zip is named for.
func TestReleasePackages(t *testing.T) {
	s := distFor(t)
	d := s.dist
	for name, want := range d.listed {
		got, err := sha256File(d.path(name))
		if err != nil {
			t.Errorf("%s lists %s: %v", d.sumsName, name, err)
			continue
		}
		if got != want {
			t.Errorf("%s: sha256 %s, %s says %s", name, got, d.sumsName, want)
		}
	}
	manifest := d.prefix() + "_manifest.json"
	if _, ok := d.listed[manifest]; !ok {
		t.Errorf("%s does not list %s: the registry checks the manifest against it", d.sumsName, manifest)
	}
	repoManifest, err := os.ReadFile(filepath.Join("..", "..", "terraform-registry-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(d.path(manifest)); string(got) != string(repoManifest) {
		t.Errorf("%s is not terraform-registry-manifest.json:\n%s", manifest, got)
	}
	if len(d.zips) < 2 {
		t.Errorf("packages for %v: want linux_amd64 and at least one other platform", d.platforms())
	}
	for _, p := range d.platforms() {
		checkZip(t, d, p)
	}
	if s.dist.sig != nil && os.Getenv("CLOUDLOCK_DIST_PUBLIC_KEY") != "" {
		ring, err := openpgp.ReadArmoredKeyRing(strings.NewReader(s.armored))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := openpgp.CheckDetachedSignature(ring, strings.NewReader(string(d.sums)), strings.NewReader(string(d.sig)), nil); err != nil {
			t.Errorf("%s.sig does not verify with CLOUDLOCK_DIST_PUBLIC_KEY: %v", d.sumsName, err)
		}
	}
}

func checkZip(t *testing.T, d *dist, platform string) {
	t.Helper()
	name := d.zips[platform]
	zr, err := zip.OpenReader(d.path(name))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	defer zr.Close()
	binary := "terraform-provider-" + providerType + "_v" + d.version
	goos, _, _ := strings.Cut(platform, "_")
	if goos == "windows" {
		binary += ".exe"
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if len(names) != 1 || names[0] != binary {
		t.Errorf("%s holds %v, want only %s", name, names, binary)
		return
	}
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := binaryPlatform(b); got != platform {
		t.Errorf("%s: the binary is built for %q, not %s", name, got, platform)
	}
	if zr.File[0].Mode()&0o111 == 0 {
		t.Errorf("%s: %s is not executable (mode %v)", name, binary, zr.File[0].Mode())
	}
}

// TestRegistryInstall installs from a private registry over HTTPS, as a
// team does with a version constraint: the CLI checks the package against
// SHA256SUMS and SHA256SUMS against the registry's signing key, records the
// hashes in the lock file, and runs the installed binary for a plan and an
// apply against the mock cloud.
func TestRegistryInstall(t *testing.T) {
	s := cliSuite(t)
	s.eachCLI(t, func(t *testing.T, c cli) {
		reg := s.registry(t)
		source := reg.source(nsGood)
		w := newWorkspace(t, c, s.ca.certFile, fmt.Sprintf("  direct {\n    include = [%q]\n  }\n", source))
		w.copyConfig("config")
		w.write(map[string]string{"versions.tf": versionsTF(source, s.dist.version)})
		out := w.must(nil, "init", "-input=false", "-no-color")
		// Both CLIs name the key that verified the signature.
		if !strings.Contains(strings.ToUpper(out), s.keyID) {
			t.Errorf("init does not name the signing key %s:\n%s", s.keyID, out)
		}
		s.checkLock(t, w, source, []string{"linux_amd64"}, true)
		s.checkInstalledBinary(t, w, source)
		s.planAndApply(t, w)
	})
}

// TestRegistryRefusesChangedPackage serves a package changed after it was
// signed, twice: once with the signed SHA256SUMS of the real package (its
// checksum does not match), once with SHA256SUMS rewritten to match it (the
// signature does not match). Both CLIs must refuse to install either.
func TestRegistryRefusesChangedPackage(t *testing.T) {
	s := cliSuite(t)
	cases := []struct {
		ns   string
		want *regexp.Regexp // loosely: the CLIs word it differently
	}{
		{nsBadSum, regexp.MustCompile(`(?i)checksum`)},
		{nsBadSig, regexp.MustCompile(`(?i)signature`)},
	}
	s.eachCLI(t, func(t *testing.T, c cli) {
		reg := s.registry(t)
		for _, tc := range cases {
			t.Run(tc.ns, func(t *testing.T) {
				source := reg.source(tc.ns)
				w := newWorkspace(t, c, s.ca.certFile, fmt.Sprintf("  direct {\n    include = [%q]\n  }\n", source))
				w.copyConfig("config")
				w.write(map[string]string{"versions.tf": versionsTF(source, s.dist.version)})
				out, err := w.run(nil, "init", "-input=false", "-no-color")
				if err == nil {
					t.Fatalf("init installed a package changed after signing:\n%s", out)
				}
				if !tc.want.MatchString(out) {
					t.Errorf("init failed, but not on the %s (want %s):\n%s", tc.ns, tc.want, out)
				}
				t.Logf("refused, as it must be:\n%s", out)
				// It was refused after the download, by the check.
				if zipPath := "/files/" + tc.ns + "/" + s.dist.zips["linux_amd64"]; !slices.Contains(reg.served(), zipPath) {
					t.Errorf("the CLI never downloaded %s; it served %v", zipPath, reg.served())
				}
				if p, ok := w.installed(source, s.dist.version); ok {
					t.Errorf("the refused package is installed at %s", p)
				}
				if _, err := os.Stat(filepath.Join(w.dir, ".terraform.lock.hcl")); err == nil {
					t.Error("a lock file was written for the refused package")
				}
			})
		}
	})
}

// TestProvidersLock writes a lock file for two platforms, as a team commits
// it for its CI runners and laptops: the zh: hashes are SHA256SUMS' and an
// h1: hash is there for each platform.
func TestProvidersLock(t *testing.T) {
	s := cliSuite(t)
	other := s.otherPlatform(t)
	s.eachCLI(t, func(t *testing.T, c cli) {
		reg := s.registry(t)
		source := reg.source(nsGood)
		w := newWorkspace(t, c, s.ca.certFile, fmt.Sprintf("  direct {\n    include = [%q]\n  }\n", source))
		w.copyConfig("config")
		w.write(map[string]string{"versions.tf": versionsTF(source, s.dist.version)})
		w.must(nil, "providers", "lock", "-no-color", "-platform=linux_amd64", "-platform="+other)
		s.checkLock(t, w, source, []string{"linux_amd64", other}, true)
	})
}

// TestMirrorInstall writes a mirror with `providers mirror` from the
// private registry, then installs from it with the registry out of the
// way: as a network mirror (the mirror's directory served over HTTPS), and
// as a filesystem mirror (the packed layout) on an air-gapped runner with
// the lock file written by `providers lock` against the registry, each
// followed by a plan and an apply.
func TestMirrorInstall(t *testing.T) {
	s := cliSuite(t)
	other := s.otherPlatform(t)
	s.eachCLI(t, func(t *testing.T, c cli) {
		reg := s.registry(t)
		source := reg.source(nsGood)
		mirrorDir := t.TempDir()
		// src reaches the registry: it writes the mirror and the lock file.
		src := newWorkspace(t, c, s.ca.certFile, fmt.Sprintf("  direct {\n    include = [%q]\n  }\n", source))
		src.write(map[string]string{"versions.tf": versionsTF(source, s.dist.version)})
		src.must(nil, "providers", "mirror", "-platform=linux_amd64", "-platform="+other, mirrorDir)
		for _, p := range []string{"linux_amd64", other} {
			packed := filepath.Join(mirrorDir, reg.host, nsGood, providerType, s.dist.zips[p])
			if got, err := sha256File(packed); err != nil || got != s.dist.listed[s.dist.zips[p]] {
				t.Fatalf("providers mirror wrote %s with sha256 %q (%v), want the release's %s", packed, got, err, s.dist.listed[s.dist.zips[p]])
			}
		}

		t.Run("network", func(t *testing.T) {
			// The CLIs cannot ask a network mirror for a provider whose host
			// has a port: they resolve "localhost:PORT/cloudlock/..." as a URL
			// with the scheme "localhost". The mirror serves the same packages
			// under a host name without one, as a team's mirror of a public
			// registry does.
			const mirrorHost = "registry.cloudlock.test"
			netDir := t.TempDir()
			if err := os.CopyFS(filepath.Join(netDir, mirrorHost), os.DirFS(filepath.Join(mirrorDir, reg.host))); err != nil {
				t.Fatal(err)
			}
			source := mirrorHost + "/" + nsGood + "/" + providerType
			url := reg.addMirror(c.name, netDir)
			before := len(reg.served())
			w := newWorkspace(t, c, s.ca.certFile, fmt.Sprintf("  network_mirror {\n    url = %q\n  }\n", url))
			w.copyConfig("config")
			w.write(map[string]string{"versions.tf": versionsTF(source, s.dist.version)})
			w.must(nil, "init", "-input=false", "-no-color")
			served := reg.served()[before:]
			if len(served) == 0 {
				t.Fatal("init served nothing from the network mirror")
			}
			for _, p := range served {
				if !strings.HasPrefix(p, "/mirror/") {
					t.Errorf("init asked the registry for %s: it must install from the mirror alone", p)
				}
			}
			s.checkLock(t, w, source, []string{"linux_amd64"}, false)
			s.checkInstalledBinary(t, w, source)
			s.planAndApply(t, w)
		})

		t.Run("filesystem", func(t *testing.T) {
			// The lock file a team commits, written where the registry is
			// reachable; the runner then has the mirror and that file only.
			src.must(nil, "providers", "lock", "-no-color", "-platform=linux_amd64", "-platform="+other)
			lock, err := os.ReadFile(filepath.Join(src.dir, ".terraform.lock.hcl"))
			if err != nil {
				t.Fatal(err)
			}
			// Nothing to reach: an air-gapped runner.
			reg.srv.Close()
			w := newWorkspace(t, c, s.ca.certFile, fmt.Sprintf("  filesystem_mirror {\n    path = %q\n  }\n", mirrorDir))
			w.copyConfig("config")
			w.write(map[string]string{"versions.tf": versionsTF(source, s.dist.version), ".terraform.lock.hcl": string(lock)})
			w.must(nil, "init", "-input=false", "-no-color")
			// The package from the mirror matched the committed hashes, and
			// init kept them all.
			s.checkLock(t, w, source, []string{"linux_amd64", other}, true)
			s.checkInstalledBinary(t, w, source)
			s.planAndApply(t, w)
		})
	})
}

// checkLock checks the lock file's entry for source: the version of dist,
// an h1: hash for each platform (computed here from the zips), and, when
// the install verified SHA256SUMS (a registry, not a mirror), every zh:
// hash of SHA256SUMS.
func (s *suite) checkLock(t *testing.T, w *workspace, source string, platforms []string, signed bool) {
	t.Helper()
	version, h1, zh := w.lockHashes(source)
	if version != s.dist.version {
		t.Errorf("lock file: version %q, want %q", version, s.dist.version)
	}
	var wantH1 []string
	for _, p := range platforms {
		h, err := s.dist.h1(p)
		if err != nil {
			t.Fatal(err)
		}
		wantH1 = append(wantH1, h)
	}
	slices.Sort(wantH1)
	if !slices.Equal(h1, wantH1) {
		t.Errorf("lock file h1: %v, want %v (for %v)", h1, wantH1, platforms)
	}
	if signed && !slices.Equal(zh, s.dist.zhHashes()) {
		t.Errorf("lock file zh: %v, want SHA256SUMS' %v", zh, s.dist.zhHashes())
	}
	for _, h := range zh {
		if !slices.Contains(s.dist.zhHashes(), h) {
			t.Errorf("lock file zh: %s is not in SHA256SUMS", h)
		}
	}
}

// checkInstalledBinary checks the CLI unpacked the release's own binary.
func (s *suite) checkInstalledBinary(t *testing.T, w *workspace, source string) {
	t.Helper()
	p, ok := w.installed(source, s.dist.version)
	if !ok {
		t.Fatalf("no provider binary at %s", p)
	}
	got, err := sha256File(p)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(s.dist.path(s.dist.zips["linux_amd64"]))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("installed binary %s has sha256 %s, the release's %s", p, got, want)
	}
}

// planAndApply plans and applies testdata/config against a task seeded in a
// mock cloud of the test's own, then plans again: nothing to do.
func (s *suite) planAndApply(t *testing.T, w *workspace) {
	t.Helper()
	m := acctest.StartMock(t)
	taskID := "5b1c0e4a-7d2f-4c3b-9a8e-" + fmt.Sprintf("%012x", sha256.Sum256([]byte(t.Name())))[:12]
	m.PutTask(mockcloud.Task{
		ID: taskID, Name: "migrate-web-01", State: "MIGRATE_SUCCESS",
		TargetServerID: "b2f3c4d5-0000-4000-8000-00000000a001", TargetServerName: "web-01-target", TargetLocked: true,
	})
	env := []string{
		"TF_VAR_mock_url=" + m.URL(),
		"TF_VAR_access_key=" + acctest.HuaweiAccessKey,
		"TF_VAR_secret_key=" + acctest.HuaweiSecretKey,
		"TF_VAR_task_id=" + taskID,
	}
	out, err := w.run(env, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code := exitCode(err); code != 2 {
		t.Fatalf("plan: exit %d (want 2, changes): %v\n%s", code, err, out)
	}
	if !strings.Contains(out, "cloudlock_sms_task_unlock.this will be created") {
		t.Errorf("plan does not create the unlock:\n%s", out)
	}
	w.must(env, "apply", "-input=false", "-no-color", "-auto-approve")
	if task, _ := m.Task(taskID); task.TargetLocked {
		t.Error("apply did not unlock the task's target server on the mock")
	}
	if got := strings.TrimSpace(w.must(env, "output", "-raw", "-no-color", "target_server_id")); got != "b2f3c4d5-0000-4000-8000-00000000a001" {
		t.Errorf("output target_server_id = %q", got)
	}
	if out, err := w.run(env, "plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Errorf("plan after apply: %v (want no changes)\n%s", err, out)
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}
