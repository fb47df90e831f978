package acctest

import "testing"

// Every pair of arguments meets set/set, set/unset, unset/set and
// unset/unset in some row.
func TestCoveringIsPairwise(t *testing.T) {
	for n := 1; n <= 60; n++ {
		rows := Covering(n)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				seen := map[[2]bool]bool{}
				for _, r := range rows {
					seen[[2]bool{r[i], r[j]}] = true
				}
				if len(seen) != 4 {
					t.Fatalf("n=%d: arguments %d and %d meet in %d of 4 combinations", n, i, j, len(seen))
				}
			}
		}
		if n == 4 || n == 30 || n == 60 {
			t.Logf("n=%d: %d rows", n, len(rows))
		}
	}
}
