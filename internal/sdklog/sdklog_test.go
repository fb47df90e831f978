package sdklog

import "testing"

// Wanted follows Terraform's choice of the provider log level:
// TF_LOG_PROVIDER, else TF_LOG; unset or "off" shows nothing.
func TestWanted(t *testing.T) {
	cases := []struct {
		tfLog, tfLogProvider string
		want                 bool
	}{
		{"", "", false},
		{"trace", "", true},
		{"", "debug", true},
		{"OFF", "", false},
		{"off", "trace", true},
		{"trace", "off", false},
		{"json", "", true},
	}
	for _, c := range cases {
		t.Setenv("TF_LOG", c.tfLog)
		t.Setenv("TF_LOG_PROVIDER", c.tfLogProvider)
		if got := Wanted(); got != c.want {
			t.Errorf("TF_LOG=%q TF_LOG_PROVIDER=%q: Wanted() = %v, want %v", c.tfLog, c.tfLogProvider, got, c.want)
		}
	}
}

func TestLevelVarsNameTheProvidersLogger(t *testing.T) {
	got := LevelVars("noopwide")
	if got[len(got)-1] != "TF_LOG_PROVIDER_NOOPWIDE" {
		t.Errorf("LevelVars(noopwide) = %v, want the provider's logger TF_LOG_PROVIDER_NOOPWIDE last", got)
	}
}
