package provider

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// keepGC restores the collector's settings after a test changes them.
func keepGC(t *testing.T) {
	t.Helper()
	percent := debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(-1) // -1 reads without changing
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

// unsetenv unsets name for the test, restoring it afterwards.
func unsetenv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // registers the restore
	_ = os.Unsetenv(name)
}

func TestTuneGCCollectsLessOftenWithinASoftLimit(t *testing.T) {
	keepGC(t)
	unsetenv(t, "GOGC")
	unsetenv(t, "GOMEMLIMIT")
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)

	if !TuneGC() {
		t.Fatal("TuneGC did not tune the collector with GOGC and GOMEMLIMIT unset")
	}
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GC percent = %d, want %d", got, gcPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != gcSoftLimit {
		t.Errorf("memory limit = %d, want %d", got, gcSoftLimit)
	}
}

func TestTuneGCKeepsTheUsersChoice(t *testing.T) {
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			keepGC(t)
			unsetenv(t, "GOGC")
			unsetenv(t, "GOMEMLIMIT")
			t.Setenv(env, map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}[env])
			debug.SetGCPercent(77)
			debug.SetMemoryLimit(math.MaxInt64)

			if TuneGC() {
				t.Fatalf("TuneGC tuned the collector although %s is set", env)
			}
			if got := debug.SetGCPercent(100); got != 77 {
				t.Errorf("GC percent = %d, want 77 (left alone)", got)
			}
			if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
				t.Errorf("memory limit = %d, want no limit (left alone)", got)
			}
		})
	}
}
