package reliability_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// knownSecrets are credentials this repository holds on purpose (the mock's
// demo keys, the tests' keys and tokens): none may end up in a recorded
// fixture or an example.
func knownSecrets() map[string]string {
	k := map[string]string{
		"the mock's demo Huawei access key":  mockcloud.DemoHuawei.AccessKey,
		"the mock's demo Huawei secret key":  mockcloud.DemoHuawei.SecretKey,
		"the mock's demo Alibaba access key": mockcloud.DemoAlibaba.AccessKey,
		"the mock's demo Alibaba secret key": mockcloud.DemoAlibaba.SecretKey,
		"the tests' Huawei access key":       acctest.HuaweiAccessKey,
		"the tests' Alibaba access key":      acctest.AlibabaAccessKey,
	}
	for name, v := range secrets() {
		k["the tests' "+name] = v
	}
	return k
}

// Shapes of secrets, for values nobody told us about.
var (
	// A JSON member or HCL argument named like a secret, with its value.
	sensitiveJSON = regexp.MustCompile(`(?i)"(passphrase|password|secret[a-z_]*|security_?token|access_?key(?:_?id)?|accesskeyid|signature|adminpass|auth_?token|x-auth-token|x-security-token|authorization)"\s*:\s*"((?:[^"\\]|\\.)*)"`)
	sensitiveHCL  = regexp.MustCompile(`(?i)\b(passphrase|password|secret_key|security_token|access_key)\s*=\s*"([^"]*)"`)
	// A query or form parameter that carries a credential or a signature.
	sensitiveParam = regexp.MustCompile(`(?i)[?&](AccessKeyId|Signature|SecurityToken|Password|X-Auth-Token)=([^&"\s]+)`)
	// Credential formats: Huawei AK (20 upper-case letters and digits),
	// Alibaba AK (LTAI...), Alibaba STS token (CAIS...), STS ids, a signed
	// Authorization header, and any long opaque run (a token, a key).
	credentialShapes = map[string]*regexp.Regexp{
		"a Huawei access key":      regexp.MustCompile(`\b[A-Z0-9]{20}\b`),
		"an Alibaba access key":    regexp.MustCompile(`\bLTAI[A-Za-z0-9]{8,30}\b`),
		"an Alibaba STS token":     regexp.MustCompile(`\bCAIS[A-Za-z0-9+/=]{16,}`),
		"an STS access key":        regexp.MustCompile(`\bSTS\.[A-Za-z0-9]{10,}`),
		"a signed request":         regexp.MustCompile(`(?i)(Signature=[0-9a-f]{16,}|Credential=[A-Za-z0-9]{10,}/)`),
		"a long opaque token":      regexp.MustCompile(`[A-Za-z0-9+/_=-]{80,}`),
		"a private key":            regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`),
		"a bearer or token header": regexp.MustCompile(`(?i)\b(Bearer|X-Subject-Token:)\s+[A-Za-z0-9._-]{16,}`),
	}
	// What a secret-named value may be: empty, a template placeholder, a
	// mask, or the API documents' own stand-ins.
	placeholderValue = regexp.MustCompile(`^(|\{\{.*\}\}|\*+|X+|N/A|\.\.\.|<[^>]*>)$`)
)

// findSecrets returns what in content looks like a secret, one line each.
func findSecrets(content string) []string {
	var found []string
	for name, v := range knownSecrets() {
		if v != "" && strings.Contains(content, v) {
			found = append(found, name)
		}
	}
	for _, re := range []*regexp.Regexp{sensitiveJSON, sensitiveHCL, sensitiveParam} {
		for _, m := range re.FindAllStringSubmatch(content, -1) {
			if !placeholderValue.MatchString(m[2]) {
				found = append(found, fmt.Sprintf("%s = %q", m[1], m[2]))
			}
		}
	}
	for name, re := range credentialShapes {
		for _, m := range re.FindAllString(content, -1) {
			if !strings.Contains(m, "{{") {
				found = append(found, fmt.Sprintf("%s (%q)", name, m))
			}
		}
	}
	return found
}

// The scanner finds each kind of secret it claims to: otherwise a clean
// scan of the fixtures would prove nothing.
func TestFindSecretsFindsThem(t *testing.T) {
	leaks := map[string]string{
		"demo secret key":       `{"error_msg": "` + mockcloud.DemoHuawei.SecretKey + `"}`,
		"passphrase value":      `{"task_id": "{{.TaskID}}", "passphrase": "hunter2-real"}`,
		"token member":          `{"SecurityToken": "abc"}`,
		"signature in a query":  `{"path": "/?Action=GetUser&Signature=Zm9vYmFy&AccessKeyId={{.AccessKey}}"}`,
		"Huawei access key":     `{"message": "ak:QWERTYUIOP1234567890 not found"}`,
		"Alibaba access key":    `{"Message": "Specified access key LTAI5tAbCdEfGh123456 is not found."}`,
		"STS token":             `{"x": "CAIS0123456789abcdefghijKLMNOP"}`,
		"signed Authorization":  `{"headers": {"X": "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=0123456789abcdef0123"}}`,
		"long token":            `{"x": "` + strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 3) + `"}`,
		"HCL secret key":        `provider "x" { secret_key = "s3cr3t" }`,
		"private key":           "-----BEGIN RSA PRIVATE KEY-----\nMII...",
		"an Authorization JSON": `{"Authorization": "SDK-HMAC-SHA256 Access=a"}`,
	}
	for name, content := range leaks {
		if len(findSecrets(content)) == 0 {
			t.Errorf("%s: not found in %s", name, content)
		}
	}
	for _, clean := range []string{
		`{"passphrase": "{{.Passphrase}}", "encoded_authorization_message": "XXXXXX"}`,
		`{"RequestId": "{{.RequestID}}", "Message": "Specified access key is not found."}`,
		`{"error_code": "APIGW.0301", "request_id": "0123456789abcdef0123456789abcdef"}`,
		`provider "cloudlock" { huaweicloud { access_key = "..." } }`,
		`{"passphrase" : "********"}`,
	} {
		if got := findSecrets(clean); len(got) != 0 {
			t.Errorf("false alarm %v in %s", got, clean)
		}
	}
}

// Every recorded fixture, the mock's test data and every example holds
// placeholders, never a credential, token, signature or passphrase.
func TestFixturesAndExamplesHoldNoSecrets(t *testing.T) {
	files := 0
	for _, root := range []string{"../mockcloud/fixtures", "../mockcloud/testdata", "../../examples"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			for _, f := range findSecrets(string(b)) {
				t.Errorf("%s: %s", path, f)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 40 {
		t.Fatalf("only %d files scanned: the paths are wrong", files)
	}
	t.Logf("scanned %d files for secrets", files)
}
