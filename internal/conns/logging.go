package conns

import "os"

// LogsWanted reports whether Terraform shows provider log lines: only when
// TF_LOG or TF_LOG_PROVIDER is set (to any level). Otherwise Terraform reads
// every line the provider writes and drops it, so building one is wasted
// work. Terraform passes its environment to the provider process, so the
// provider sees the same variables.
func LogsWanted() bool {
	return os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != ""
}
