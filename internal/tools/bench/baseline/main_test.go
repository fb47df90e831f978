package main

import (
	"os"
	"testing"
)

func TestQuietLogsSwitchesTheSDKLoggersOff(t *testing.T) {
	vars := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_NOOP"}
	for _, v := range append(vars, "TF_LOG", "TF_LOG_PROVIDER") {
		t.Setenv(v, "")
	}
	quietLogs()
	for _, v := range vars {
		if got := os.Getenv(v); got != "OFF" {
			t.Errorf("%s = %q, want OFF", v, got)
		}
	}
}

func TestQuietLogsKeepsLogsTerraformShows(t *testing.T) {
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_LOG_SDK", "")
	quietLogs()
	if got := os.Getenv("TF_LOG_SDK"); got != "" {
		t.Errorf("TF_LOG_SDK = %q with TF_LOG=trace, want it left unset", got)
	}
}
