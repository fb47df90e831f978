package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
)

// The served binary writes no log line when Terraform would drop it (TF_LOG
// and TF_LOG_PROVIDER unset), and the SDK's trace lines when TF_LOG asks for
// them. The binary runs under the real terraform CLI through dev_overrides,
// behind a wrapper script that sends its stderr (where the lines go) to a file.
// The CLI is the one the acceptance tests use (TF_ACC_TERRAFORM_PATH, Terraform
// or OpenTofu).
func TestServedProviderLogsOnlyWhenTerraformShowsThem(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("builds the provider and runs terraform; set TF_ACC=1")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "terraform-provider-cloudlock")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", real, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	wrapDir := filepath.Join(dir, "wrap")
	if err := os.MkdirAll(wrapDir, 0o755); err != nil {
		t.Fatal(err)
	}
	stderrFile := filepath.Join(dir, "provider-stderr.log")
	script := "#!/bin/sh\nexec \"$REAL_PROVIDER\" \"$@\" 2>>\"$PROVIDER_STDERR\"\n"
	if err := os.WriteFile(filepath.Join(wrapDir, "terraform-provider-cloudlock"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, []byte(`provider_installation {
  dev_overrides {
    "`+acctest.ProviderAddress()+`" = "`+wrapDir+`"
  }
  direct {}
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := `terraform {
  required_providers {
    cloudlock = { source = "cloudlock/cloudlock" }
  }
}
resource "cloudlock_sms_task_unlock" "x" {
  task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
}
`
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	// validate runs with env added to a clean logging environment and
	// returns what the provider wrote to stderr.
	validate := func(env ...string) string {
		t.Helper()
		_ = os.Remove(stderrFile)
		cmd := exec.CommandContext(ctx, acctest.TerraformBin(), "validate", "-no-color") //nolint:gosec // the CLI the tests are told to use
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"REAL_PROVIDER="+real, "PROVIDER_STDERR="+stderrFile,
			"TF_LOG=", "TF_LOG_PROVIDER=", "TF_LOG_PATH=", "TF_LOG_SDK=", "TF_LOG_SDK_PROTO=", "TF_LOG_SDK_FRAMEWORK=",
			"TF_LOG_PROVIDER_CLOUDLOCK=")
		cmd.Env = append(cmd.Env, env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform validate: %v\n%s", err, out)
		}
		b, err := os.ReadFile(stderrFile)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return string(b)
	}

	// SDK and provider lines carry "@module" (sdk.proto, sdk.framework,
	// provider); go-plugin's own two start-up lines per process do not, and
	// stay (the SDK offers no way to quiet them).
	quiet := validate()
	if n := strings.Count(quiet, `"@module"`); n > 0 {
		t.Errorf("without TF_LOG the provider wrote %d SDK log lines Terraform drops:\n%s", n, firstLines(quiet, 5))
	}
	// With TF_LOG the lines are there: the check above is not vacuous.
	loud := validate("TF_LOG=trace", "TF_LOG_PATH="+filepath.Join(dir, "terraform.log"))
	if !strings.Contains(loud, `"@module":"sdk.proto"`) || !strings.Contains(loud, `"@level":"trace"`) {
		t.Errorf("with TF_LOG=trace the provider wrote no SDK trace line; stderr:\n%s", firstLines(loud, 5))
	}
}

func firstLines(s string, n int) string {
	lines := bytes.Split([]byte(s), []byte("\n"))
	if len(lines) > n {
		lines = lines[:n]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
