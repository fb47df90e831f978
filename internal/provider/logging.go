package provider

import (
	"os"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// sdkLogLevelVars are the variables through which terraform-plugin-go,
// terraform-plugin-framework and terraform-plugin-log set the level of
// their loggers (the SDK root logger, its proto and framework subsystems,
// and this provider's own logger, named after its address). Unset, each
// defaults to TRACE: the provider then formats a JSON line for every step of
// every request, and Terraform parses and drops each one unless TF_LOG or
// TF_LOG_PROVIDER asks for them. `make bench` measured that at about a
// third of the CPU time of an apply.
var sdkLogLevelVars = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CLOUDLOCK"}

// QuietLogs switches the SDK's and the provider's loggers off when
// Terraform would drop their lines, and reports whether it did. A level the
// user set stays. main calls it before serving, except with -debug (the
// lines then go to the user's terminal).
func QuietLogs() bool {
	if conns.LogsWanted() {
		return false
	}
	for _, v := range sdkLogLevelVars {
		if os.Getenv(v) == "" {
			_ = os.Setenv(v, "OFF") // Setenv fails only for invalid names
		}
	}
	return true
}
