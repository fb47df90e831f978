package provider

import (
	"os"
	"runtime/debug"
)

// A provider process serves one Terraform command and keeps little live
// data: a few schemas, one client, the requests in flight. With Go's default
// (collect whenever the heap has doubled, from 4 MiB on) it collects several
// times in every plan and a few hundred times in an apply of 500 resources,
// spending up to a fifth of its CPU on it. gcPercent lets the heap grow 4×
// between collections instead; gcSoftLimit bounds what that costs in memory:
// near it, the runtime collects as often as it has to.
const (
	gcPercent   = 400
	gcSoftLimit = 256 << 20
)

// TuneGC sets the collector as above, unless the user set GOGC or GOMEMLIMIT
// (Terraform passes its environment on to providers). main calls it before
// serving.
func TuneGC() bool {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(gcSoftLimit)
	return true
}
