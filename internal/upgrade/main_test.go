package upgrade_test

import (
	"os"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

func TestMain(m *testing.M) {
	acctest.Setup()
	os.Exit(m.Run())
}
