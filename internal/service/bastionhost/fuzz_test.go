package bastionhost

import (
	"slices"
	"strings"
	"testing"
)

// The import id is outside input: any string either fails cleanly or gives
// an instance and a sorted, duplicate-free list of non-empty user ids.
func FuzzParseImportID(f *testing.F) {
	for _, seed := range []string{"bastionhost-cn-x:1,2,3", ":", "a:,", "a:b, b ,c", "a:b:c", "", "a:\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		inst, users, err := parseImportID(id)
		if err != nil {
			return
		}
		if inst == "" || strings.Contains(inst, ":") || len(users) == 0 {
			t.Fatalf("%q gave instance %q, users %q", id, inst, users)
		}
		if !slices.IsSorted(users) || len(slices.Compact(slices.Clone(users))) != len(users) {
			t.Fatalf("%q gave unsorted or duplicate users %q", id, users)
		}
		for _, u := range users {
			if u == "" || strings.Contains(u, ",") {
				t.Fatalf("%q gave user %q", id, u)
			}
		}
		if unlockID(inst, users) != unlockID(inst, slices.Clone(users)) {
			t.Fatal("unlockID is not deterministic")
		}
	})
}
