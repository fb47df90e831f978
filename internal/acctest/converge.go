package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Covering returns rows of n on/off choices (argument set or left out) in
// which every two arguments meet in all four combinations: all subsets
// when n is at most 3 (8 rows or fewer), otherwise a pairwise set. The
// first row leaves everything out and the last sets everything, so both
// ends are always tried.
//
// The pairwise set is Kleitman and Spencer's: with N rows, row 0 leaves
// everything out and each argument's choices in rows 1..N-1 are a distinct
// (N-1)-bit word with w = ⌈N/2⌉ bits set. Two distinct words of the same
// weight each have a bit the other lacks (set/unset and unset/set), and
// since 2w > N-1 they share a set bit (set/set). N grows with log n: 8 rows
// cover up to 35 arguments.
func Covering(n int) [][]bool {
	if n <= 3 {
		var rows [][]bool
		for mask := 0; mask < 1<<n; mask++ {
			row := make([]bool, n)
			for i := range row {
				row[i] = mask&(1<<i) != 0
			}
			rows = append(rows, row)
		}
		return rows
	}
	rowsN := 3
	for binomial(rowsN-1, (rowsN+1)/2) < n {
		rowsN++
	}
	bits, w := rowsN-1, (rowsN+1)/2
	var words []int
	for word := 0; word < 1<<bits && len(words) < n; word++ {
		if popcount(word) == w {
			words = append(words, word)
		}
	}
	rows := make([][]bool, rowsN, rowsN+1)
	for r := range rows {
		rows[r] = make([]bool, n)
		for k, word := range words {
			rows[r][k] = r > 0 && word&(1<<(r-1)) != 0
		}
	}
	all := make([]bool, n)
	for i := range all {
		all[i] = true
	}
	return append(rows, all)
}

func binomial(n, k int) int {
	if k < 0 || k > n {
		return 0
	}
	c := 1
	for i := 0; i < k; i++ {
		c = c * (n - i) / (i + 1)
	}
	return c
}

func popcount(x int) int {
	c := 0
	for ; x != 0; x &= x - 1 {
		c++
	}
	return c
}

// RowName names a row of Covering for a subtest: the arguments it sets.
func RowName(i int, names []string, row []bool) string {
	var set []string
	for k, on := range row {
		if on {
			set = append(set, names[k])
		}
	}
	switch {
	case len(set) == 0:
		return fmt.Sprintf("%02d_none", i)
	case len(set) == len(names):
		return fmt.Sprintf("%02d_all", i)
	case len(set) > 4:
		return fmt.Sprintf("%02d_%d_of_%d", i, len(set), len(names))
	}
	return fmt.Sprintf("%02d_%s", i, strings.Join(set, "+"))
}

// WriteMark counts the mock's write calls (WriteCalls) between test steps,
// so that a step can say how many it expects and the next step can check
// that the plans run after an apply wrote nothing.
type WriteMark struct {
	m    *mockcloud.Server
	seen int
}

// NewWriteMark starts counting from the calls the mock has served so far.
func NewWriteMark(m *mockcloud.Server) *WriteMark { return &WriteMark{m: m, seen: len(WriteCalls(m))} }

// Since returns the write calls since the last check and moves the mark.
func (w *WriteMark) Since() []string {
	all := WriteCalls(w.m)
	got := all[w.seen:]
	w.seen = len(all)
	return got
}

// Expect is a step's Check: exactly want write calls since the mark.
func (w *WriteMark) Expect(want int) testresource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := w.Since(); len(got) != want {
			return fmt.Errorf("%d write call(s) to the cloud, want %d: %v", len(got), want, got)
		}
		return nil
	}
}

// NoneSince is a step's PreConfig: the refreshes and plans that followed
// the previous step's apply wrote nothing.
func (w *WriteMark) NoneSince(t *testing.T) func() {
	return func() {
		t.Helper()
		if got := w.Since(); len(got) != 0 {
			t.Errorf("the plans after the previous apply made %d write call(s): %v", len(got), got)
		}
	}
}

var (
	cliVersionOnce sync.Once
	cliMajor       int
	cliMinor       int
	cliVersionErr  error
)

// CLIAtLeast reports whether the CLI under test (TerraformBin) is at least
// major.minor, for steps a test adds only where the CLI has the feature
// (tfversion checks apply to a whole TestCase, not to one step).
func CLIAtLeast(t *testing.T, major, minor int) bool {
	t.Helper()
	cliVersionOnce.Do(func() {
		// An empty CLI configuration: OpenTofu prints the warning about a
		// missing one on stdout, in the way of the JSON.
		dir := t.TempDir()
		rc := filepath.Join(dir, ".terraformrc")
		if err := os.WriteFile(rc, nil, 0o600); err != nil {
			cliVersionErr = err
			return
		}
		cli := &CLI{Dir: dir, Env: []string{"TF_CLI_CONFIG_FILE=" + rc}}
		out, err := cli.Command(t.Context(), "version", "-json").Output()
		if err != nil {
			cliVersionErr = err
			return
		}
		var v struct {
			Version string `json:"terraform_version"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			cliVersionErr = fmt.Errorf("%w: %s", err, out)
			return
		}
		parts := strings.SplitN(v.Version, ".", 3)
		cliMajor, _ = strconv.Atoi(parts[0])
		if len(parts) > 1 {
			cliMinor, _ = strconv.Atoi(parts[1])
		}
	})
	if cliVersionErr != nil {
		t.Fatalf("terraform version -json: %v", cliVersionErr)
	}
	return cliMajor > major || (cliMajor == major && cliMinor >= minor)
}

// HCL writes v (decoded JSON: maps, lists, strings, json.Number or
// float64, bools) as an HCL expression, keys sorted, so a test can build
// configurations from the API's documents.
func HCL(v any, indent string) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("{\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "%s  %s = %s\n", indent, k, HCL(x[k], indent+"  "))
		}
		b.WriteString(indent + "}")
		return b.String()
	case []any:
		if len(x) == 0 {
			return "[]"
		}
		var b strings.Builder
		b.WriteString("[\n")
		for _, e := range x {
			fmt.Fprintf(&b, "%s  %s,\n", indent, HCL(e, indent+"  "))
		}
		b.WriteString(indent + "]")
		return b.String()
	case string:
		// HCL's escapes are Go's for what the documents hold; "${" and
		// "%{" would start a template.
		q := strconv.Quote(x)
		return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(q)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// Removed is a configuration that takes addr out of state and leaves the
// object in the cloud (Terraform and OpenTofu ≥ 1.7), so that the next
// step can import it.
func Removed(m *mockcloud.Server, addr string) string {
	return ProviderConfig(m) + fmt.Sprintf(`
removed {
  from = %s
  lifecycle {
    destroy = false
  }
}
`, addr)
}

// ExpectKnownAtPlan fails when the plan leaves any of attrs of addr
// unknown ("known after apply"): an update that cannot change them must
// plan their state values.
func ExpectKnownAtPlan(addr string, attrs ...string) plancheck.PlanCheck {
	return knownAtPlan{addr: addr, attrs: attrs}
}

type knownAtPlan struct {
	addr  string
	attrs []string
}

func (c knownAtPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr || rc.Change == nil {
			continue
		}
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		var bad []string
		for _, a := range c.attrs {
			if u, ok := unknown[a].(bool); ok && u {
				bad = append(bad, a)
			}
		}
		if len(bad) > 0 {
			resp.Error = fmt.Errorf("%s: the plan shows %s as (known after apply)", c.addr, strings.Join(bad, ", "))
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// ConvergeArg is an optional argument of a generated configuration: the
// lines that set it, and the lines of the in-place update (empty when it
// cannot change in place: the update leaves it as the row has it).
type ConvergeArg struct {
	Name, Set, Updated string
}

// ConvergeInstance is one resource of a generated configuration: created
// (ImportID and Identity empty), imported by id, or imported by identity.
// Body holds its required arguments.
type ConvergeInstance struct {
	Name, Body, ImportID, Identity string
	// Writes is the number of write calls its creation makes.
	Writes int
}

// Convergence runs the generated configurations of one resource type:
// Covering over args, and per row one TestCase whose first step creates
// and imports the instances (by identity only when the CLI is ≥ 1.12;
// instances says which it gets) and whose second step makes every
// in-place update. After each apply the harness plans again and fails on
// a non-empty plan; each step's write calls are counted in the mock's
// journal, and the plans after an apply must make none. It returns the
// number of rows, for the test to report.
func Convergence(t *testing.T, typ string, args []ConvergeArg, instances func(t *testing.T, m *mockcloud.Server, identity bool) []ConvergeInstance) int {
	t.Helper()
	names := make([]string, len(args))
	for i, a := range args {
		names[i] = a.Name
	}
	rows := Covering(len(args))
	identity := CLIAtLeast(t, 1, 12)
	for i, row := range rows {
		t.Run(RowName(i, names, row), func(t *testing.T) {
			t.Parallel()
			m := StartMock(t)
			mark := NewWriteMark(m)
			ins := instances(t, m, identity)
			config := func(update bool) string {
				out := ProviderConfig(m)
				for _, in := range ins {
					out += fmt.Sprintf("\nresource %q %q {\n%s\n", typ, in.Name, in.Body)
					for k, a := range args {
						switch {
						case update && a.Updated != "":
							out += a.Updated + "\n"
						case row[k]:
							out += a.Set + "\n"
						}
					}
					out += "}\n"
					switch {
					case in.ImportID != "":
						out += fmt.Sprintf("import {\n  to = %s.%s\n  id = %q\n}\n", typ, in.Name, in.ImportID)
					case in.Identity != "":
						out += fmt.Sprintf("import {\n  to = %s.%s\n  identity = %s\n}\n", typ, in.Name, in.Identity)
					}
				}
				return out
			}
			writes := 0
			var updated []plancheck.PlanCheck
			for _, in := range ins {
				writes += in.Writes
				updated = append(updated, plancheck.ExpectResourceAction(typ+"."+in.Name, plancheck.ResourceActionUpdate))
			}
			testresource.Test(t, testresource.TestCase{
				PreCheck:                 func() { PreCheck(t) },
				ProtoV6ProviderFactories: ProviderFactories,
				Steps: []testresource.TestStep{
					{Config: config(false), Check: mark.Expect(writes)},
					{
						PreConfig:        mark.NoneSince(t),
						Config:           config(true),
						ConfigPlanChecks: testresource.ConfigPlanChecks{PreApply: updated},
						Check:            mark.Expect(0),
					},
				},
			})
		})
	}
	return len(rows)
}
