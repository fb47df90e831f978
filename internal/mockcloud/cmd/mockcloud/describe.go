package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// The text people read: -h and what the mock prints once it listens. Both
// name the credentials the mock accepts and the world it starts with, so
// that nobody has to read the demo script or the seed file to use it.

// mockIdentity is what the mock answers to, for the texts below.
type mockIdentity struct {
	Huawei, Alibaba mockcloud.Credentials
	Region          string // Huawei region whose project IAM knows
	ProjectID       string
	Roles           *mockRoles // with -ca-file: what can be assumed
	CLIConfig       string     // with -cli-config: TF_CLI_CONFIG_FILE, an absolute path
}

// mockRoles are the role and agency the standalone mock lets the demo keys
// assume, and where (-ca-file).
type mockRoles struct {
	STSURL, CAFile       string
	RoleARN              string
	AgencyDomain, Agency string
}

// The demo role and agency (not real).
const (
	demoRoleARN      = "acs:ram::1234567890123456:role/cloudlock-demo"
	demoAgencyDomain = "mock-domain"
	demoAgency       = "cloudlock-demo"
)

// demoIdentity is the mock's identity when no flag or environment variable
// changes it.
func demoIdentity() mockIdentity {
	return mockIdentity{Huawei: mockcloud.DemoHuawei, Alibaba: mockcloud.DemoAlibaba,
		Region: defaultRegion, ProjectID: defaultProjectID}
}

const (
	defaultRegion    = "cn-north-4"                       // mockcloud.Options' default
	defaultProjectID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" // mockcloud.Options' default
	alibabaRegion    = "cn-hangzhou"                      // the mock answers in any; the provider needs one
)

// usage is the -h text: what the mock is, its keys, its world, its flags.
func usage(w io.Writer, flags *flag.FlagSet) {
	fmt.Fprint(w, `Usage: mockcloud [flags]

The mock cloud of terraform-provider-cloudlock: Huawei Cloud IAM, SMS and ECS and
Alibaba Cloud Bastionhost on one loopback HTTP port. It checks signatures as the
clouds do, keeps state until it stops, and answers with recorded bodies.
'make mock' starts it on 127.0.0.1:18080 and prints what to paste.

`)
	writeCredentials(w, demoIdentity(), true, true)
	fmt.Fprintln(w, "  Keys given by flag or environment replace these; the mock then accepts only those.")
	fmt.Fprintln(w)
	if seed, err := parseSeed(mockcloud.DemoSeed()); err == nil {
		fmt.Fprintln(w, "The built-in seed (-seed replaces it):")
		writeWorld(w, seed)
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Flags:")
	flags.SetOutput(w)
	flags.PrintDefaults()
}

// writeCredentials names the keys the mock accepts. A secret is shown only
// when it is a built-in demo key (public, it opens nothing but a mock);
// one given by flag or environment is never printed.
func writeCredentials(w io.Writer, id mockIdentity, hwDemo, aliDemo bool) {
	fmt.Fprintln(w, "Credentials the mock accepts:")
	fmt.Fprintf(w, "  Huawei Cloud:  access key %s, secret key %s; region %s, project id %s\n",
		id.Huawei.AccessKey, secretText(id.Huawei.SecretKey, hwDemo, "HW_SECRET_KEY"), id.Region, id.ProjectID)
	fmt.Fprintf(w, "  Alibaba Cloud: access key %s, secret key %s; any region (e.g. %s)\n",
		id.Alibaba.AccessKey, secretText(id.Alibaba.SecretKey, aliDemo, "ALICLOUD_SECRET_KEY"), alibabaRegion)
	if id.Huawei.SecurityToken != "" || id.Alibaba.SecurityToken != "" {
		fmt.Fprintln(w, "  A security token is required as given (not shown).")
	}
}

func secretText(secret string, demo bool, env string) string {
	if demo {
		return secret
	}
	return "(the " + env + " or flag given; not shown)"
}

// pasteSecret is the secret for the export lines: a demo key as it is, the
// user's own as a placeholder naming the variable.
func pasteSecret(secret string, demo bool, env string) string {
	if demo {
		return secret
	}
	return "<your " + env + ">"
}

// parseSeed reads a seed document for the texts; LoadSeed is what checks it.
func parseSeed(b []byte) (mockcloud.Seed, error) {
	var s mockcloud.Seed
	err := json.Unmarshal(b, &s)
	return s, err
}

// writeWorld lists what a seed holds, with the ids a configuration needs.
func writeWorld(w io.Writer, s mockcloud.Seed) {
	for _, t := range s.Tasks {
		lock := "unlocked"
		if t.TargetLocked {
			lock = "locked"
		}
		fmt.Fprintf(w, "  SMS task %s (%s, %s): target server %s %s, %s\n",
			t.ID, t.Name, t.State, t.TargetServerID, t.TargetServerName, lock)
	}
	for _, e := range s.ECSServers {
		lock := "unlocked"
		if e.Locked {
			lock = "locked"
		}
		fmt.Fprintf(w, "  ECS server %s (%s): %s\n", e.ID, e.Name, lock)
	}
	for _, b := range s.BastionhostInstances {
		var users []string
		for _, u := range b.Users {
			state := strings.Join(u.UserState, "+")
			if state == "" {
				state = "Normal"
			}
			users = append(users, fmt.Sprintf("%s %s (%s)", u.UserID, u.UserName, state))
		}
		fmt.Fprintf(w, "  Bastionhost instance %s: users %s\n", b.ID, strings.Join(users, ", "))
	}
	for _, v := range s.SourceServers {
		fmt.Fprintf(w, "  SMS source server %s (%s, %s)\n", v.ID, v.Name, v.State)
	}
}

// writeStartup is printed once the mock listens: where, the keys, the
// world, and the environment and provider block that point cloudlock at it.
func writeStartup(w io.Writer, baseURL string, id mockIdentity, hwDemo, aliDemo bool, seed mockcloud.Seed) {
	fmt.Fprintf(w, "mockcloud: listening on %s (Ctrl-C stops it; state is lost)\n\n", baseURL)
	writeCredentials(w, id, hwDemo, aliDemo)
	fmt.Fprintln(w, "\nSeeded world:")
	writeWorld(w, seed)

	hwSecret := pasteSecret(id.Huawei.SecretKey, hwDemo, "HW_SECRET_KEY")
	aliSecret := pasteSecret(id.Alibaba.SecretKey, aliDemo, "ALICLOUD_SECRET_KEY")
	// Everything the shell needs is in this one block, with absolute paths:
	// it is pasted in another terminal, in the user's own folder.
	var cliConfig, caFile string
	if id.CLIConfig != "" {
		cliConfig = "export TF_CLI_CONFIG_FILE=" + id.CLIConfig + "\n"
	}
	if id.Roles != nil {
		caFile = "export SSL_CERT_FILE=" + id.Roles.CAFile + "\n"
	}
	fmt.Fprintf(w, `
Environment for the provider (paste into the shell that runs terraform or tofu, in any folder):

export HW_ACCESS_KEY=%s HW_SECRET_KEY=%s HW_REGION_NAME=%s
export ALICLOUD_ACCESS_KEY=%s ALICLOUD_SECRET_KEY=%s ALICLOUD_REGION=%s
export ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST=%s
export TF_VAR_endpoint=%s
%s%s
Provider block (Huawei endpoints have no environment variable; examples/demo takes var.endpoint):

provider "cloudlock" {
  huaweicloud {
    endpoints {
      iam = %q
      sms = %q
      ecs = %q
    }
  }
  alicloud {
    endpoints { bastionhost = %q }
  }
}
`, id.Huawei.AccessKey, hwSecret, id.Region, id.Alibaba.AccessKey, aliSecret, alibabaRegion,
		baseURL, baseURL, cliConfig, caFile, baseURL, baseURL, baseURL, baseURL)
	if r := id.Roles; r != nil {
		fmt.Fprintf(w, `
Assumed role and agency (the keys above assume them; SSL_CERT_FILE above makes the provider trust the mock's HTTPS port):

provider "cloudlock" {
  huaweicloud {
    endpoints {
      iam = %q
      sms = %q
      ecs = %q
    }
    assume_role {
      agency_name = %q
      domain_name = %q
    }
  }
  alicloud {
    endpoints {
      bastionhost = %q
      sts         = %q
    }
    assume_role { role_arn = %q }
  }
}
`, baseURL, baseURL, baseURL, r.Agency, r.AgencyDomain, baseURL, r.STSURL, r.RoleARN)
	}
}
