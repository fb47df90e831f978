package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// Names of the mock's STS world used by the credential tests. Not real.
const (
	AlibabaAccountID       = "1234567890123456"
	AlibabaRoleARN         = "acs:ram::" + AlibabaAccountID + ":role/terraform-deployer"
	AlibabaOIDCRoleARN     = "acs:ram::" + AlibabaAccountID + ":role/github-actions"
	AlibabaOIDCProviderARN = "acs:ram::" + AlibabaAccountID + ":oidc-provider/GitHubActions"
	AlibabaECSRole         = "terraform-runner"
	// AlibabaOIDCToken stands in for a JWT from GitHub Actions: the mock
	// accepts exactly this text from the token file.
	AlibabaOIDCToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmV4YW1wbGUvaW5mcmEifQ.mock-oidc-token-signature" //nolint:gosec // a test value the mock accepts, not a credential
)

// trustMockCA makes Go programs of this process (the provider under test)
// trust the mock's TLS certificate, which its STS endpoint needs
// (credentials-go calls STS over HTTPS only). SSL_CERT_FILE is read once,
// at the first TLS handshake, so this runs in Setup, before any test.
func trustMockCA() {
	bundle, err := mockcloud.CABundle()
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "cloudlock-mock-ca")
	if err != nil {
		panic(err)
	}
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, bundle, 0o600); err != nil { //nolint:gosec // a temporary directory of our own
		panic(err)
	}
	_ = os.Setenv("SSL_CERT_FILE", path)
}

// AlibabaSTS sets up the mock's STS world (the roles, the OIDC provider,
// the instance's RAM role) and returns the STS endpoint (https). It clears
// every Alibaba credential variable of the environment for the test. ECS
// metadata requests reach the mock through AlibabaProviderFactories (or a
// client's TestSettings.AlibabaMetadataProxy).
func AlibabaSTS(t *testing.T, m *mockcloud.Server) string {
	t.Helper()
	for _, e := range AlibabaCredentialEnv {
		t.Setenv(e, "")
	}
	m.AddRole(AlibabaRoleARN)
	m.AddRole(AlibabaOIDCRoleARN)
	m.AddOIDCProvider(AlibabaOIDCProviderARN, AlibabaOIDCToken)
	m.SetECSRole(AlibabaECSRole)
	u, err := m.TLSURL()
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// AlibabaCredentialEnv is every variable that can choose Alibaba credentials.
var AlibabaCredentialEnv = []string{
	"ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
	"ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN",
	"ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE", "ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_CONFIG_FILE",
	"ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI",
	"ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN", "ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME",
	"ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
	"ALIBABA_CLOUD_ENDPOINT_STS", "ALICLOUD_REGION", "ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_REGION_ID",
}

// AlibabaProviderConfig is a provider block for the mock at m with only the
// alicloud block: region and endpoints, plus body (credential settings).
func AlibabaProviderConfig(m *mockcloud.Server, sts, body string) string {
	return fmt.Sprintf(`
provider "cloudlock" {
  alicloud {
    region    = %q
    endpoints {
      bastionhost = %q
      sts         = %q
    }
%s
  }
  max_retries = 0
}
`, AlibabaRegion, m.URL(), sts, body)
}

// WriteFile writes content to a new file of the test and returns its path.
func WriteFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// AlibabaProviderFactories serve the provider under test with its ECS
// metadata requests (an instance's RAM role) sent to the mock m.
func AlibabaProviderFactories(m *mockcloud.Server) map[string]func() (tfprotov6.ProviderServer, error) {
	s := ProviderSettings
	s.AlibabaMetadataProxy = m.URL()
	return ProviderFactoriesWith(s)
}
