package conns

import (
	"os"
	"strings"
)

// LogsWanted reports whether Terraform shows provider log lines. Terraform
// takes the provider log level from TF_LOG_PROVIDER, else TF_LOG, and shows
// nothing when that is unset or "off"; every line the provider writes is then
// read and dropped, so building one is wasted work. Terraform passes its
// environment to the provider process, so the provider sees the same
// variables.
func LogsWanted() bool {
	level := os.Getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = os.Getenv("TF_LOG")
	}
	return level != "" && !strings.EqualFold(level, "off")
}
