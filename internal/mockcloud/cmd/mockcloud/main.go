// Command mockcloud runs the mock cloud on its own, for the demo and for
// people trying the provider without a cloud account (`make mock`):
//
//	go run ./internal/mockcloud/cmd/mockcloud -listen 127.0.0.1:18080 -journal
//
// -h and the lines it prints once listening name the credentials it accepts,
// the world it is seeded with, and the environment to paste (describe.go).
//
// With -limit it enforces account limits (Huawei's gateway window, Alibaba's
// calls per second), counted over every client, so that concurrent terraform
// runs meet them together as on a real account.
//
// With -record-upstream and -record-dir it runs the recorder instead: point a
// client at it and every exchange with the upstream is written as a fixture.
// It runs until SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

func main() {
	log.SetFlags(0)
	if err := run(); err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "mockcloud") {
			msg = "mockcloud: " + msg
		}
		log.Fatal(msg)
	}
}

func run() error {
	var (
		listen   = flag.String("listen", "127.0.0.1:0", "address to listen on (loopback only)")
		urlFile  = flag.String("url-file", "", "write the base URL to this file once listening")
		journal  = flag.Bool("journal", false, "print each request served to stderr (op, method, path, status)")
		seedFile = flag.String("seed", "", "JSON file with the initial state (default: the built-in demo seed)")
		caFile   = flag.String("ca-file", "", "also serve HTTPS (Alibaba STS needs it) and write its CA, with the system's, to this file for SSL_CERT_FILE; adds a demo RAM role and IAM agency")
		cliRC    = flag.String("cli-config", "", "a Terraform CLI configuration to name as TF_CLI_CONFIG_FILE in the lines to paste (make mock: its dev_overrides file)")

		// Key flags have no defaults shown: -h must not print a secret taken
		// from the environment. Flag, then environment, then the demo keys.
		hwAK    = flag.String("hw-access-key", "", "Huawei access key accepted (env HW_ACCESS_KEY; default the demo key)")
		hwSK    = flag.String("hw-secret-key", "", "Huawei secret key (env HW_SECRET_KEY)")
		hwToken = flag.String("hw-security-token", "", "Huawei security token required, if any (env HW_SECURITY_TOKEN)")
		aliAK   = flag.String("ali-access-key", "", "Alibaba access key accepted (env ALICLOUD_ACCESS_KEY; default the demo key)")
		aliSK   = flag.String("ali-secret-key", "", "Alibaba access key secret (env ALICLOUD_SECRET_KEY)")
		aliTok  = flag.String("ali-security-token", "", "Alibaba security token required, if any (env ALICLOUD_SECURITY_TOKEN)")
		project = flag.String("project-id", "", "Huawei project id to answer (env HW_PROJECT_ID; default a fixed demo id)")
		region  = flag.String("region", "", "Huawei region (env HW_REGION_NAME; default cn-north-4)")

		limits limitFlags

		recUpstream = flag.String("record-upstream", "", "record mode: forward to this base URL")
		recDir      = flag.String("record-dir", "", "record mode: write fixtures to this directory")
	)
	flag.Var(&limits, "limit", "enforce an account limit, e.g. 'each:ecs.*=window:200/5m' (Huawei's gateway) or 'each:bastionhost.*=bucket:10' (Alibaba); repeatable (syntax: mockcloud.ParseLimit)")
	flag.Usage = func() { usage(flag.CommandLine.Output(), flag.CommandLine) }
	flag.Parse()
	hw := mockcloud.Credentials{
		AccessKey:     pick(*hwAK, "HW_ACCESS_KEY", mockcloud.DemoHuawei.AccessKey),
		SecretKey:     pick(*hwSK, "HW_SECRET_KEY", mockcloud.DemoHuawei.SecretKey),
		SecurityToken: pick(*hwToken, "HW_SECURITY_TOKEN", ""),
	}
	ali := mockcloud.Credentials{
		AccessKey:     pick(*aliAK, "ALICLOUD_ACCESS_KEY", mockcloud.DemoAlibaba.AccessKey),
		SecretKey:     pick(*aliSK, "ALICLOUD_SECRET_KEY", mockcloud.DemoAlibaba.SecretKey),
		SecurityToken: pick(*aliTok, "ALICLOUD_SECURITY_TOKEN", ""),
	}
	// Signals are caught before the URL file says the mock is ready, so a
	// script that stops it at once still gets a clean stop.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := mockcloud.CheckLoopback(*listen); err != nil {
		return err
	}
	var logf func(string, ...any)
	if *journal {
		logf = log.Printf // the mock logs op, method, path and status only
	}

	var baseURL string
	var closeFn func()
	if *recUpstream != "" || *recDir != "" {
		if *recUpstream == "" || *recDir == "" {
			return fmt.Errorf("record mode needs both -record-upstream and -record-dir")
		}
		rec, err := mockcloud.StartRecorder(mockcloud.RecorderOptions{
			Upstream: *recUpstream,
			Dir:      *recDir,
			Alibaba:  ali,
			Addr:     *listen,
			Logf:     logf,
		})
		if err != nil {
			return err
		}
		baseURL, closeFn = rec.URL(), rec.Close
		log.Printf("mockcloud: recording %s into %s; listening on %s", *recUpstream, *recDir, baseURL)
	} else {
		seed := mockcloud.DemoSeed()
		if *seedFile != "" {
			b, err := os.ReadFile(*seedFile)
			if err != nil {
				return err
			}
			seed = b
		}
		id := mockIdentity{Huawei: hw, Alibaba: ali,
			Region: pick(*region, "HW_REGION_NAME", defaultRegion), ProjectID: pick(*project, "HW_PROJECT_ID", defaultProjectID)}
		srv, err := mockcloud.Start(mockcloud.Options{
			Huawei:    hw,
			Alibaba:   ali,
			ProjectID: id.ProjectID,
			Region:    id.Region,
			Addr:      *listen,
			Logf:      logf,
		})
		if err != nil {
			return err
		}
		for _, l := range limits {
			srv.EnforceLimit(l)
		}
		if err := srv.LoadSeed(seed); err != nil {
			srv.Close()
			return err
		}
		baseURL, closeFn = srv.URL(), srv.Close
		// The lines to paste name files by absolute path: they are pasted
		// in another shell, usually in another folder.
		if id.CLIConfig, err = absPath(*cliRC); err != nil {
			srv.Close()
			return err
		}
		if *caFile != "" {
			if *caFile, err = absPath(*caFile); err != nil {
				srv.Close()
				return err
			}
			if id.Roles, err = serveRoles(srv, *caFile); err != nil {
				srv.Close()
				return err
			}
		}
		world, _ := parseSeed(seed) // LoadSeed accepted it
		writeStartup(os.Stdout, baseURL, id, hw == mockcloud.DemoHuawei, ali == mockcloud.DemoAlibaba, world)
	}
	defer closeFn()

	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, baseURL+"\n"); err != nil {
			return err
		}
	}

	<-ctx.Done()
	log.Printf("mockcloud: stopping")
	return nil
}

// serveRoles starts the mock's HTTPS port (credentials-go calls STS over
// HTTPS only), writes the CA bundle to caFile, and lets the demo role and
// agency be assumed, so that assume_role can be tried against the mock.
func serveRoles(srv *mockcloud.Server, caFile string) (*mockRoles, error) {
	tlsURL, err := srv.TLSURL()
	if err != nil {
		return nil, err
	}
	bundle, err := mockcloud.CABundle()
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(caFile, string(bundle)); err != nil {
		return nil, err
	}
	r := &mockRoles{STSURL: tlsURL, CAFile: caFile, RoleARN: demoRoleARN, AgencyDomain: demoAgencyDomain, Agency: demoAgency}
	srv.AddRole(r.RoleARN)
	srv.AllowHuaweiAgency(r.AgencyDomain, r.Agency)
	return r, nil
}

// limitFlags are the -limit flags given, parsed.
type limitFlags []mockcloud.Limit

func (f *limitFlags) String() string { return "" }

func (f *limitFlags) Set(v string) error {
	l, err := mockcloud.ParseLimit(v)
	if err != nil {
		return err
	}
	*f = append(*f, l)
	return nil
}

// pick returns the flag's value, else the environment variable's, else def.
func pick(flagValue, envName, def string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv(envName); v != "" {
		return v
	}
	return def
}

// writeFileAtomic writes via a rename, so a script polling for the file never
// reads half a URL.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mockcloud-url-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// absPath is path made absolute ("" stays "").
func absPath(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	return filepath.Abs(path)
}
