// Package acctest starts the mock cloud for tests and gives the provider
// factories and configuration that point the provider at it.
package acctest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/provider"
)

// Credentials the mock cloud accepts in tests. They are not real.
const (
	HuaweiAccessKey  = "HWTESTACCESSKEY00001"
	HuaweiSecretKey  = "hw-test-secret-key-not-real-0001"
	AlibabaAccessKey = "LTAItestaccesskey0001"
	AlibabaSecretKey = "ali-test-secret-not-real-0001"
	ProjectID        = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	HuaweiRegion     = "cn-north-4"
	AlibabaRegion    = "cn-hangzhou"
)

// The provider runs inside the test process. When it finds no credentials
// its last resort is the ECS metadata service (169.254.169.254) and the SDK's
// ~/.huaweicloud/credentials: point them at a closed loopback port and a file
// that does not exist, so no test leaves 127.0.0.1 or reads a developer's
// keys. Tests of those sources set their own.
func init() {
	if os.Getenv(conns.EnvHuaweiMetadataEndpoint) == "" {
		_ = os.Setenv(conns.EnvHuaweiMetadataEndpoint, "http://127.0.0.1:1")
	}
	if os.Getenv(conns.EnvHuaweiSDKCredentials) == "" {
		_ = os.Setenv(conns.EnvHuaweiSDKCredentials, filepath.Join(os.TempDir(), "cloudlock-tests-have-no-huaweicloud-credentials"))
	}
}

// ProviderFactories serve the provider under test, in process.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudlock": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// ProviderFactoriesWithEcho adds the echo provider, which makes ephemeral
// values visible to checks.
var ProviderFactoriesWithEcho = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudlock": providerserver.NewProtocol6WithError(provider.New("test")()),
	"echo":      echoprovider.NewProviderServer(),
}

// Setup is called from TestMain: short backoff so fault tests are fast.
func Setup() {
	conns.SetRetryDelaysForTesting(5*time.Millisecond, 50*time.Millisecond)
	conns.SetThrottlePacingForTesting(100)
	trustMockCA()
}

// PreCheck skips when no terraform CLI can be found without downloading.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_VERSION") != "" {
		t.Fatal("TF_ACC_TERRAFORM_VERSION makes the harness download terraform; unset it")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p == "" {
		if _, err := exec.LookPath("terraform"); err != nil {
			t.Fatal("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is unset")
		}
	}
	checkCLIEnv(t)
}

// checkCLIEnv stops a test whose environment would make OpenTofu fail in
// ways that hide the test's point, naming the fix.
func checkCLIEnv(t testing.TB) {
	t.Helper()
	bin, host := os.Getenv("TF_ACC_TERRAFORM_PATH"), os.Getenv("TF_ACC_PROVIDER_HOST")
	tofu := strings.HasPrefix(filepath.Base(bin), "tofu")
	// OpenTofu resolves "cloudlock/cloudlock" under its own registry host;
	// the harnesses reattach the provider under TF_ACC_PROVIDER_HOST.
	if tofu && host != "registry.opentofu.org" {
		t.Fatalf("TF_ACC_TERRAFORM_PATH=%s is OpenTofu: set TF_ACC_PROVIDER_HOST=registry.opentofu.org", bin)
	}
	// OpenTofu prints the missing-file warning on stdout, which breaks every
	// JSON answer the harness reads (Terraform prints it on stderr).
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" && (tofu || host == "registry.opentofu.org") {
		if _, err := os.Stat(f); err != nil { //nolint:gosec // the CLI config file the user named, only checked
			t.Fatalf("TF_CLI_CONFIG_FILE=%s: %v; with OpenTofu point it at an existing (possibly empty) file or unset it", f, err)
		}
	}
}

// StartMock starts a mock cloud for one test, accepting the test credentials.
func StartMock(t *testing.T) *mockcloud.Server {
	t.Helper()
	return mockcloud.StartT(t, mockcloud.Options{
		Huawei:    mockcloud.Credentials{AccessKey: HuaweiAccessKey, SecretKey: HuaweiSecretKey},
		Alibaba:   mockcloud.Credentials{AccessKey: AlibabaAccessKey, SecretKey: AlibabaSecretKey},
		ProjectID: ProjectID,
		Region:    HuaweiRegion,
	})
}

// ProviderConfig is a provider block for the mock at m. project_id is left
// unset so that it is discovered through the mock's IAM.
func ProviderConfig(m *mockcloud.Server) string {
	return fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    region     = %[2]q
    access_key = %[3]q
    secret_key = %[4]q
    endpoints {
      iam = %[1]q
      sms = %[1]q
      ecs = %[1]q
    }
  }
  alicloud {
    region     = %[5]q
    access_key = %[6]q
    secret_key = %[7]q
    endpoints {
      bastionhost = %[1]q
    }
  }
  max_retries = 3
}
`, m.URL(), HuaweiRegion, HuaweiAccessKey, HuaweiSecretKey, AlibabaRegion, AlibabaAccessKey, AlibabaSecretKey)
}

// Client returns a conns client configured for the mock, for unit tests.
func Client(m *mockcloud.Server, maxRetries int) *conns.Client {
	return conns.New(conns.Config{
		MaxRetries: maxRetries,
		Huawei: conns.HuaweiConfig{
			Region: HuaweiRegion, AccessKey: HuaweiAccessKey, SecretKey: HuaweiSecretKey,
			Endpoints: conns.HuaweiEndpoints{IAM: m.URL(), SMS: m.URL(), ECS: m.URL()},
		},
		Alibaba: conns.AlibabaConfig{
			Region: AlibabaRegion, AccessKey: AlibabaAccessKey, SecretKey: AlibabaSecretKey,
			Endpoints: conns.AlibabaEndpoints{Bastionhost: m.URL()},
		},
	})
}
