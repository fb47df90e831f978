package provider

import (
	"github.com/cloudlock/terraform-provider-cloudlock/internal/sdklog"
)

// sdkLogLevelVars are the variables that set the level of the SDK's loggers
// and of this provider's own (see sdklog.LevelVars). `make bench` measured
// the lines they build by default, and Terraform drops, at about a third of
// the CPU time of an apply.
var sdkLogLevelVars = sdklog.LevelVars("cloudlock")

// QuietLogs switches the SDK's and the provider's loggers off when
// Terraform would drop their lines, and reports whether it did. A level the
// user set stays. main calls it before serving, except with -debug (the
// lines then go to the user's terminal).
func QuietLogs() bool {
	return sdklog.Quiet(sdkLogLevelVars)
}
