package provider

import (
	"os"
	"testing"
)

// clearLogEnv unsets every logging variable for the test (t.Setenv restores
// them afterwards).
func clearLogEnv(t *testing.T) {
	t.Helper()
	for _, v := range append([]string{"TF_LOG", "TF_LOG_PROVIDER"}, sdkLogLevelVars...) {
		t.Setenv(v, "")
	}
}

func TestQuietLogsSwitchesTheSDKLoggersOffWhenTerraformDropsTheirLines(t *testing.T) {
	clearLogEnv(t)
	if !QuietLogs() {
		t.Fatal("QuietLogs did nothing with TF_LOG and TF_LOG_PROVIDER unset")
	}
	for _, v := range sdkLogLevelVars {
		if got := os.Getenv(v); got != "OFF" {
			t.Errorf("%s = %q, want OFF", v, got)
		}
	}
}

func TestQuietLogsKeepsLogsTerraformShows(t *testing.T) {
	for _, v := range []string{"TF_LOG", "TF_LOG_PROVIDER"} {
		t.Run(v, func(t *testing.T) {
			clearLogEnv(t)
			t.Setenv(v, "debug")
			if QuietLogs() {
				t.Fatalf("QuietLogs switched logs off with %s=debug", v)
			}
			for _, s := range sdkLogLevelVars {
				if got := os.Getenv(s); got != "" {
					t.Errorf("%s = %q, want it left unset", s, got)
				}
			}
		})
	}
}

func TestQuietLogsKeepsALevelTheUserSet(t *testing.T) {
	clearLogEnv(t)
	t.Setenv("TF_LOG_SDK_PROTO", "error")
	QuietLogs()
	if got := os.Getenv("TF_LOG_SDK_PROTO"); got != "error" {
		t.Errorf("TF_LOG_SDK_PROTO = %q, want the user's error", got)
	}
	if got := os.Getenv("TF_LOG_SDK"); got != "OFF" {
		t.Errorf("TF_LOG_SDK = %q, want OFF", got)
	}
}
