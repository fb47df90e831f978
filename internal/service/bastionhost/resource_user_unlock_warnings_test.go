package bastionhost_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// The warnings say what happened: a replace by triggers unlocks the same
// users again, a replace by a smaller set says which users stay unlocked,
// a destroy only forgets, and a removed block (forget) warns nothing.
func TestAccUserUnlock_warningsSayWhatHappened(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	t.Parallel()
	m := acctest.StartMock(t)
	putInstance(m, instance, 3)
	cli := acctest.NewCLI(t, nil)
	apply := func(cfg string) []string {
		t.Helper()
		cli.Write(t, cfg)
		return acctest.Warnings(cli.RunJSON(t, "apply", "-auto-approve"))
	}
	expect := func(step string, got []string, want ...string) {
		t.Helper()
		joined := strings.Join(got, "\n")
		if len(want) == 0 && strings.Contains(joined, "unlocked") {
			t.Errorf("%s: warnings %q, want none of the provider's", step, got)
			return
		}
		for _, w := range want {
			if !strings.Contains(joined, w) {
				t.Errorf("%s: warnings %q, want %q", step, got, w)
			}
		}
		if strings.Contains(joined, "only removes it from state") && step != "destroy" {
			t.Errorf("%s: warns of a destroy that is not one: %q", step, got)
		}
	}
	cli.RunJSON(t, "init")
	expect("create", apply(unlockConfig(m, []string{"1", "2", "3"}, `  triggers = { run = "1" }`)))
	expect("triggers", apply(unlockConfig(m, []string{"1", "2", "3"}, `  triggers = { run = "2" }`)),
		"The Bastionhost users are unlocked again",
		fmt.Sprintf("the apply unlocks the 3 user(s) of Bastionhost instance %q in user_ids (1-3), again for those it had unlocked. "+
			"Nothing is locked in between", instance))
	expect("user_ids", apply(unlockConfig(m, []string{"1"}, `  triggers = { run = "2" }`)),
		"The Bastionhost users left out stay unlocked",
		fmt.Sprintf("The users of the previous unlock that it leaves out (instance %q: 2-3) stay unlocked", instance))
	expect("destroy", acctest.Warnings(cli.RunJSON(t, "destroy", "-auto-approve")),
		"The Bastionhost users stay unlocked",
		fmt.Sprintf("the users of Bastionhost instance %q are not locked again", instance))
	expect("create again", apply(unlockConfig(m, []string{"1"}, "")))
	expect("removed", apply(acctest.Removed(m, addr)))
}
