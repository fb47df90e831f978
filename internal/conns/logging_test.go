package conns

import "testing"

// LogsWanted follows Terraform's choice of the provider log level:
// TF_LOG_PROVIDER, else TF_LOG; unset or "off" shows nothing.
func TestLogsWanted(t *testing.T) {
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
		if got := LogsWanted(); got != c.want {
			t.Errorf("TF_LOG=%q TF_LOG_PROVIDER=%q: LogsWanted() = %v, want %v", c.tfLog, c.tfLogProvider, got, c.want)
		}
	}
}
