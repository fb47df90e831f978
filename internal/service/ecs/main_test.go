package ecs_test

import (
	"os"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/ecs"
)

func TestMain(m *testing.M) {
	acctest.Setup()
	// Waits for the lock state poll every few milliseconds instead of seconds.
	ecs.SetPollIntervalsForTesting(5*time.Millisecond, 20*time.Millisecond)
	os.Exit(m.Run())
}
