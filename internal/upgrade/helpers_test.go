package upgrade_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	upgradesyntax "github.com/cloudlock/terraform-provider-cloudlock/internal/upgrade"
)

// upgrade is one fixture copied into a CLI's directory, with the mock it
// plans against.
type upgrade struct {
	f           fixture
	cli         *acctest.CLI
	m           *mockcloud.Server
	want        map[string]map[string]any // address -> identity the state's attributes give
	hadIdentity bool                      // the fixture's state holds identities
	noIdentity  string                    // why the CLI has no identities, if it has none
}

func startUpgrade(t *testing.T, f fixture, noIdentity string) *upgrade {
	t.Helper()
	m := acctest.StartMock(t)
	if err := m.LoadSeed(read(t, filepath.Join("testdata", f.revision, "world.json"))); err != nil {
		t.Fatal(err)
	}
	state := read(t, filepath.Join(f.dir, "terraform.tfstate"))
	// OpenTofu writes its own registry's provider address, which Terraform
	// does not take for "cloudlock/cloudlock"; OpenTofu takes Terraform's.
	if strings.Contains(string(state), `"provider[\"registry.opentofu.org/`) && !acctest.IsOpenTofu() {
		t.Skip("a state OpenTofu wrote (provider registry.opentofu.org/cloudlock/cloudlock): only OpenTofu continues from it")
	}
	want, had := wantIdentities(t, state)
	u := &upgrade{f: f, m: m, want: want, hadIdentity: had, noIdentity: noIdentity}
	u.cli = acctest.NewCLI(t, map[string]string{
		// As applied by the old build, in today's syntax as the CHANGELOG
		// tells a user to write it.
		"main.tf":           upgradesyntax.BlockSyntax(string(read(t, filepath.Join(f.dir, "main.tf")))),
		"provider.tf":       acctest.RequiredProviders + acctest.ProviderConfig(m),
		"terraform.tfstate": string(state),
	})
	u.run(t, "init", "-input=false")
	m.ResetJournal()
	return u
}

func (u *upgrade) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := u.cli.Run(append(args, "-no-color")...)
	if err != nil {
		t.Fatalf("%s: %s: %v\n%s", u.f.dir, args[0], err, out)
	}
	return out
}

// expectEmptyPlan fails unless `plan -detailed-exitcode` says no changes
// (exit 0; 2 is a plan with changes).
func (u *upgrade) expectEmptyPlan(t *testing.T, what string, flags ...string) {
	t.Helper()
	out, err := u.cli.Run(append([]string{"plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=tfplan"}, flags...)...)
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode() == 2:
		t.Fatalf("%s: %s has changes, want none:\n%s", u.f.dir, what, out)
	default:
		t.Fatalf("%s: %s failed: %v\n%s", u.f.dir, what, err, out)
	}
}

// expectIdentity checks, in a subtest that a CLI without identity skips,
// that every resource of the state has the identity its attributes give;
// mayLack also accepts a resource with no identity at all (never one with
// other values, or null ones).
func (u *upgrade) expectIdentity(t *testing.T, after string, mayLack bool) {
	t.Helper()
	t.Run("identity after "+after, func(t *testing.T) {
		if u.noIdentity != "" {
			t.Skip(u.noIdentity)
		}
		var shown struct {
			Values struct {
				RootModule struct {
					Resources []struct {
						Address               string         `json:"address"`
						IdentitySchemaVersion *int           `json:"identity_schema_version"`
						Identity              map[string]any `json:"identity"`
					} `json:"resources"`
				} `json:"root_module"`
			} `json:"values"`
		}
		u.showJSON(t, &shown)
		seen := 0
		for _, r := range shown.Values.RootModule.Resources {
			want, ok := u.want[r.Address]
			if !ok {
				t.Errorf("%s is in state, not in the fixture", r.Address)
				continue
			}
			seen++
			if r.Identity == nil && mayLack {
				continue
			}
			if !reflect.DeepEqual(r.Identity, want) {
				t.Errorf("%s: identity %v, want %v", r.Address, r.Identity, want)
			}
			if r.IdentitySchemaVersion == nil || *r.IdentitySchemaVersion != 0 {
				t.Errorf("%s: identity_schema_version %v, want 0", r.Address, r.IdentitySchemaVersion)
			}
		}
		if seen != len(u.want) {
			t.Errorf("%d of the fixture's %d resources are in state", seen, len(u.want))
		}
	})
}

// expectPlannedIdentity checks that the last plan (tfplan) gives every
// resource the identity its attributes give.
func (u *upgrade) expectPlannedIdentity(t *testing.T) {
	t.Helper()
	t.Run("planned identity", func(t *testing.T) {
		if u.noIdentity != "" {
			t.Skip(u.noIdentity)
		}
		var plan struct {
			ResourceChanges []struct {
				Address string `json:"address"`
				Change  struct {
					Actions       []string       `json:"actions"`
					AfterIdentity map[string]any `json:"after_identity"`
				} `json:"change"`
			} `json:"resource_changes"`
		}
		u.showJSON(t, &plan, "tfplan")
		if len(plan.ResourceChanges) != len(u.want) {
			t.Errorf("the plan has %d resources, the fixture %d", len(plan.ResourceChanges), len(u.want))
		}
		for _, rc := range plan.ResourceChanges {
			if want := u.want[rc.Address]; !reflect.DeepEqual(rc.Change.AfterIdentity, want) {
				t.Errorf("%s (%v): planned identity %v, want %v", rc.Address, rc.Change.Actions, rc.Change.AfterIdentity, want)
			}
		}
	})
}

func (u *upgrade) showJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out, err := u.cli.Command(t.Context(), append([]string{"show", "-json", "-no-color"}, args...)...).Output()
	if err != nil {
		t.Fatalf("show -json %v: %v", args, err)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("show -json %v: %v\n%s", args, err, out)
	}
}

// changeTimeouts makes every resource of the fixture an in-place update
// that calls nothing (a read timeout, which every type has), through an
// override file, so the fixture's configuration stays as it was applied.
func (u *upgrade) changeTimeouts(t *testing.T) {
	t.Helper()
	var b strings.Builder
	for _, addr := range slices.Sorted(maps.Keys(u.want)) {
		typ, name, _ := strings.Cut(addr, ".")
		fmt.Fprintf(&b, "resource %q %q {\n  timeouts {\n    read = \"3m\"\n  }\n}\n\n", typ, name)
	}
	if err := os.WriteFile(filepath.Join(u.cli.Dir, "upgrade_override.tf"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// expectNoWrites fails when the mock served any call that changes the cloud.
func (u *upgrade) expectNoWrites(t *testing.T) {
	t.Helper()
	if w := acctest.WriteCalls(u.m); len(w) > 0 {
		t.Errorf("%d write call(s) to the cloud, want none: %v", len(w), w)
	}
}

// wantIdentities is the identity of each resource of a state, from its
// attributes: what the provider of today must give it, and what a fixture
// written with an identity holds already (checked here, so a later
// identity cannot silently differ from the one older states carry).
func wantIdentities(t *testing.T, state []byte) (want map[string]map[string]any, had bool) {
	t.Helper()
	var s struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
				Identity   map[string]any `json:"identity"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(state, &s); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, r := range s.Resources {
		if len(r.Instances) != 1 {
			t.Fatalf("%s.%s has %d instances; the fixtures have one each", r.Type, r.Name, len(r.Instances))
		}
		inst := r.Instances[0]
		a := inst.Attributes
		var id map[string]any
		switch r.Type {
		case "cloudlock_ecs_server_lock":
			id = map[string]any{"server_id": a["server_id"], "region": a["region"], "project_id": a["project_id"]}
		case "cloudlock_bastionhost_user_unlock":
			var users []string
			for _, u := range a["user_ids"].([]any) {
				users = append(users, u.(string))
			}
			slices.Sort(users) // the identity's list is sorted as text
			sorted := make([]any, len(users))
			for i, u := range users {
				sorted[i] = u
			}
			id = map[string]any{"instance_id": a["instance_id"], "region": a["region"], "user_ids": sorted}
		case "cloudlock_sms_task_unlock":
			id = map[string]any{"task_id": a["task_id"]}
		case "cloudlock_sms_source_server":
			id = map[string]any{"id": a["id"]}
		default:
			t.Fatalf("no identity known for %s: add it to wantIdentities", r.Type)
		}
		had = had || inst.Identity != nil
		if inst.Identity != nil && !reflect.DeepEqual(inst.Identity, id) {
			t.Fatalf("%s.%s: the fixture's identity %v is not what its attributes give, %v", r.Type, r.Name, inst.Identity, id)
		}
		out[r.Type+"."+r.Name] = id
	}
	return out, had
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name) //nolint:gosec // the package's testdata
	if err != nil {
		t.Fatal(err)
	}
	return b
}
