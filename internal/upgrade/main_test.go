package upgrade_test

import (
	"os"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/provider"
)

func TestMain(m *testing.M) {
	acctest.Setup()
	// The provider served in process logs every RPC at trace level to this
	// process's stderr, some 2,000 lines a fixture, which buried a failing
	// plan's output. Off as main.go switches them off when Terraform would
	// drop them; TF_LOG and the SDK's own variables still win.
	provider.QuietLogs()
	os.Exit(m.Run())
}
