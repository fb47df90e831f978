package upgrade_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/provider"
)

// A fixture is testdata/<revision>/<type>/: the configuration a build of
// <revision> applied and the state it wrote (terraform.tfstate); the mock's
// world after that apply is testdata/<revision>/world.json.
type fixture struct{ revision, typ, dir string }

func fixtures(t *testing.T) []fixture {
	t.Helper()
	states, err := filepath.Glob(filepath.Join("testdata", "*", "*", "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for _, s := range states {
		dir := filepath.Dir(s)
		out = append(out, fixture{revision: filepath.Base(filepath.Dir(dir)), typ: filepath.Base(dir), dir: dir})
	}
	return out
}

// resourceTypes are the types the provider keeps in state.
func resourceTypes(t *testing.T) []string {
	t.Helper()
	p := provider.New("test")()
	var out []string
	for _, newResource := range p.Resources(context.Background()) {
		var resp resource.MetadataResponse
		newResource().Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "cloudlock"}, &resp)
		out = append(out, resp.TypeName)
	}
	slices.Sort(out)
	return out
}

// Every resource type has a state written by an earlier build, and every
// fixture is of a type the provider still has: a new type needs a fixture
// from its first release on, and a type cannot go without its states
// saying so.
func TestEveryTypeHasFixtures(t *testing.T) {
	byType := map[string][]string{}
	for _, f := range fixtures(t) {
		byType[f.typ] = append(byType[f.typ], f.revision)
	}
	for _, typ := range resourceTypes(t) {
		if len(byType[typ]) == 0 {
			t.Errorf("%s has no state fixture: go run ./internal/tools/upgradefixtures -rev <the last release> (internal/upgrade/README.md)", typ)
		}
		delete(byType, typ)
	}
	for typ, revs := range byType {
		t.Errorf("fixtures %v are of %s, which the provider no longer has", revs, typ)
	}
	for _, f := range fixtures(t) {
		if _, err := os.Stat(filepath.Join("testdata", f.revision, "world.json")); err != nil {
			t.Errorf("%s: the mock's world after the apply is missing: %v", f.dir, err)
		}
	}
}

// TestUpgrade plans and applies each fixture with the provider of today
// through the CLI under test, against a mock holding the world the
// fixture's apply left, two ways: with refresh, and without (as
// `-refresh=false` runs do, the way aws #44330's null identity came about).
// Either way every plan is empty, every resource ends with the identity its
// attributes give, and no call changes anything in the cloud.
func TestUpgrade(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	acctest.PreCheck(t)
	major, minor, version := acctest.CLIVersion(t)
	noIdentity := ""
	if major == 1 && minor < 12 {
		noIdentity = version + " has no resource identity (Terraform and OpenTofu 1.12 added it)"
	}
	for _, f := range fixtures(t) {
		t.Run(f.revision+"/"+f.typ, func(t *testing.T) {
			t.Parallel()
			t.Run("refresh", func(t *testing.T) {
				t.Parallel()
				u := startUpgrade(t, f, noIdentity)
				u.expectEmptyPlan(t, "the first plan of the old state")
				u.run(t, "apply", "-input=false", "-auto-approve")
				u.expectIdentity(t, "apply", false)
				u.expectEmptyPlan(t, "the plan after apply")
				u.expectNoWrites(t)
			})
			t.Run("no refresh", func(t *testing.T) {
				t.Parallel()
				u := startUpgrade(t, f, noIdentity)
				u.expectEmptyPlan(t, "the first plan of the old state", "-refresh=false")
				u.expectPlannedIdentity(t)
				u.run(t, "apply", "-input=false", "-refresh=false", "-auto-approve")
				// A no-op apply is not sent to the provider: the CLI writes
				// the state as it was, so a state written before identity
				// has none yet (the next refresh or update gives it).
				u.expectIdentity(t, "apply -refresh=false", !u.hadIdentity)
				// An update without refresh (timeouts, which call nothing)
				// is sent to the provider, which records the identity.
				u.changeTimeouts(t)
				u.run(t, "apply", "-input=false", "-refresh=false", "-auto-approve")
				u.expectIdentity(t, "an update with -refresh=false", false)
				u.expectEmptyPlan(t, "the plan after the update")
				u.expectNoWrites(t)
			})
		})
	}
}
