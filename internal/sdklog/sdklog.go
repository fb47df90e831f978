// Package sdklog decides whether a served provider builds log lines at all.
// It imports nothing but the standard library, so that the provider and the
// bench's baseline providers share it without pulling in anything else.
package sdklog

import (
	"os"
	"strings"
)

// Wanted reports whether Terraform shows provider log lines. Terraform
// takes the provider log level from TF_LOG_PROVIDER, else TF_LOG, and shows
// nothing when that is unset or "off"; every line the provider writes is then
// read and dropped, so building one is wasted work. Terraform passes its
// environment to the provider process, so the provider sees the same
// variables.
func Wanted() bool {
	level := os.Getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = os.Getenv("TF_LOG")
	}
	return level != "" && !strings.EqualFold(level, "off")
}

// LevelVars are the variables through which terraform-plugin-go,
// terraform-plugin-framework and terraform-plugin-log set the level of their
// loggers: the SDK root logger, its proto and framework subsystems, and the
// logger of the provider named name. Unset, each defaults to TRACE: the
// provider then formats a JSON line for every step of every request, and
// Terraform parses and drops each one unless Wanted.
func LevelVars(name string) []string {
	return []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_" + strings.ToUpper(name)}
}

// Quiet sets each of vars to OFF when Terraform would drop the lines (not
// Wanted), and reports whether it did. A level the user set stays.
func Quiet(vars []string) bool {
	if Wanted() {
		return false
	}
	for _, v := range vars {
		if os.Getenv(v) == "" {
			_ = os.Setenv(v, "OFF") // Setenv fails only for invalid names
		}
	}
	return true
}
