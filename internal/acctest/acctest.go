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

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
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

// Retry delays of every client and provider of acctest: short, so fault
// tests are fast.
const (
	RetryBaseDelay = 5 * time.Millisecond
	RetryMaxDelay  = 50 * time.Millisecond
)

// ProviderSettings are what the provider under test is given: short
// backoff, and Bastionhost unpaced unless rate_limits says otherwise (the
// default 8 calls/s only slows tests that are not about pacing; those that
// are use conns clients with the default, or set rate_limits).
var ProviderSettings = conns.TestSettings{
	RetryBaseDelay: RetryBaseDelay, RetryMaxDelay: RetryMaxDelay,
	AlibabaCallsPerSecond: 1e9, ThrottleScale: ThrottleScale,
}

// ThrottleScale speeds up the pacing after throttling in the tests that
// throttle on purpose and are not about pacing (conns.TestSettings).
const ThrottleScale = 100

// NewProvider is the provider under test with ProviderSettings.
func NewProvider() func() fwprovider.Provider {
	return provider.NewForTests("test", ProviderSettings)
}

// ProviderFactories serve the provider under test, in process.
var ProviderFactories = ProviderFactoriesWith(ProviderSettings)

// ProviderFactoriesWith serve the provider under test with other settings.
func ProviderFactoriesWith(settings conns.TestSettings) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"cloudlock": providerserver.NewProtocol6WithError(provider.NewForTests("test", settings)()),
	}
}

// ProviderFactoriesWithEcho adds the echo provider, which makes ephemeral
// values visible to checks.
var ProviderFactoriesWithEcho = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudlock": providerserver.NewProtocol6WithError(NewProvider()()),
	"echo":      echoprovider.NewProviderServer(),
}

// Setup is called from TestMain.
func Setup() {
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
	return StartMockWith(t, mockcloud.Options{})
}

// StartMockWith is StartMock with more options (a clock, say).
func StartMockWith(t *testing.T, opts mockcloud.Options) *mockcloud.Server {
	t.Helper()
	opts.Huawei = mockcloud.Credentials{AccessKey: HuaweiAccessKey, SecretKey: HuaweiSecretKey}
	opts.Alibaba = mockcloud.Credentials{AccessKey: AlibabaAccessKey, SecretKey: AlibabaSecretKey}
	opts.ProjectID, opts.Region = ProjectID, HuaweiRegion
	return mockcloud.StartT(t, opts)
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
	return conns.New(ClientConfig(m, maxRetries))
}

// ClientConfig is Client's configuration, for tests that change a setting
// before building the client.
func ClientConfig(m *mockcloud.Server, maxRetries int) conns.Config {
	return conns.Config{
		MaxRetries: maxRetries,
		// Pacing stays the default: the pacing tests build their clients here.
		Test: conns.TestSettings{RetryBaseDelay: RetryBaseDelay, RetryMaxDelay: RetryMaxDelay, ThrottleScale: ThrottleScale},
		Huawei: conns.HuaweiConfig{
			Region: HuaweiRegion, AccessKey: HuaweiAccessKey, SecretKey: HuaweiSecretKey,
			Endpoints: conns.HuaweiEndpoints{IAM: m.URL(), SMS: m.URL(), ECS: m.URL()},
		},
		Alibaba: conns.AlibabaConfig{
			Region: AlibabaRegion, AccessKey: AlibabaAccessKey, SecretKey: AlibabaSecretKey,
			Endpoints: conns.AlibabaEndpoints{Bastionhost: m.URL()},
		},
	}
}
