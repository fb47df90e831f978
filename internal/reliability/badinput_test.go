package reliability_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// badInput is one invalid configuration and what its error must say: the
// attribute's path and what is allowed.
type badInput struct {
	name   string
	config string
	want   *regexp.Regexp
}

// providerWith is a provider block for the mock at url with the given
// lines in its huaweicloud and alicloud blocks and at its top level.
func providerWith(url, hw, ali, top string) string {
	return fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    %[2]s
    endpoints {
      iam = %[1]q
      sms = %[1]q
      ecs = %[1]q
    }
  }
  alicloud {
    %[3]s
    endpoints { bastionhost = %[1]q }
  }
  %[4]s
}
`, url, hw, ali, top)
}

var (
	hwCreds  = fmt.Sprintf("region = %q\n    access_key = %q\n    secret_key = %q", acctest.HuaweiRegion, acctest.HuaweiAccessKey, acctest.HuaweiSecretKey)
	aliCreds = fmt.Sprintf("region = %q\n    access_key = %q\n    secret_key = %q", acctest.AlibabaRegion, acctest.AlibabaAccessKey, acctest.AlibabaSecretKey)
)

const validTaskID = "7a9a9540-ff28-4869-b9e4-855fbe12c001"

func unlockRes(taskID string) string {
	return fmt.Sprintf("resource \"cloudlock_sms_task_unlock\" \"b\" {\n  task_id = %q\n}\n", taskID)
}
func passphraseData(taskID string) string {
	return fmt.Sprintf("data \"cloudlock_sms_task_passphrase\" \"b\" {\n  task_id = %q\n}\n", taskID)
}
func passphraseEphemeral(taskID string) string {
	return fmt.Sprintf("ephemeral \"cloudlock_sms_task_passphrase\" \"b\" {\n  task_id = %q\n}\n", taskID)
}

// sourceRes is a valid source server registration with one line changed
// or added (an argument given twice takes the later line's place).
func sourceRes(line string) string {
	lines := map[string]string{"ip": `"10.0.0.41"`, "hostname": `"bad-input-01"`, "os_type": `"LINUX"`, "os_version": `"CENTOS_7_9_64BIT"`}
	extra := ""
	if name, value, ok := strings.Cut(line, " = "); ok {
		if _, known := lines[name]; known {
			lines[name] = value
		} else {
			extra = "  " + line + "\n"
		}
	}
	return fmt.Sprintf("resource \"cloudlock_sms_source_server\" \"b\" {\n  ip = %s\n  hostname = %s\n  os_type = %s\n  os_version = %s\n%s}\n",
		lines["ip"], lines["hostname"], lines["os_type"], lines["os_version"], extra)
}

// oneOf is the framework's message for a value outside a list: the
// attribute, one allowed value and the value given.
func oneOf(attr, allowed, got string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)Attribute ` + regexp.QuoteMeta(attr) + ` value must be one of:.*` + regexp.QuoteMeta(allowed) +
		`.*got:\s+` + regexp.QuoteMeta(got))
}

// allowedTaskID is what every task_id error must say is allowed.
func badTaskID(value string) *regexp.Regexp {
	return acctest.WrappedError(`Attribute task_id must contain only letters, digits, '-' and '_', got: ` + value)
}

// taskIDLength is the one error of a task_id of the wrong length (an empty
// one is not also reported as not matching the pattern).
func taskIDLength(n int) *regexp.Regexp {
	return acctest.OnlyError(fmt.Sprintf("Attribute task_id string length must be between 1 and 36, got: %d", n))
}

// timeoutErr is the timeouts library's message; it names the resource
// (its diagnostic has no attribute path) and what a duration looks like.
func timeoutErr(value string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)Invalid Attribute Value Time Duration.*with cloudlock_sms_task_unlock\.b.*"` +
		regexp.QuoteMeta(value) + `" must be a string containing a sequence of decimal numbers`)
}

// cliRejects matches an error the CLI reports itself, before the provider
// sees the configuration (an argument missing or unknown, a value of the
// wrong type). Each CLI words these its own way (Terraform 1.14 added
// ", but have string" to type errors), so the test checks what is ours: the
// configuration line the CLI shows and the attribute it names, quoted.
func cliRejects(line, attr string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + regexp.QuoteMeta(line) + `.*"` + regexp.QuoteMeta(attr) + `"`)
}

func endpointErr(path, value, rule string) *regexp.Regexp {
	return acctest.WrappedError(fmt.Sprintf("Attribute %s: %q %s", path, value, rule))
}

// badInputs are the invalid configurations of the types on this branch. A
// new type adds its own (empty/oversized/badly formed ids, empty sets,
// duplicates, out-of-range numbers).
func badInputs(url string) []badInput {
	ok := providerWith(url, hwCreds, aliCreds, "")
	long := strings.Repeat("a", 37)
	// Without every endpoint of the cloud set, only known regions pass.
	noECS := func(cfg string) string { return strings.Replace(cfg, fmt.Sprintf("\n      ecs = %q", url), "", 1) }
	noBastionhost := func(cfg string) string {
		return strings.Replace(cfg, fmt.Sprintf("endpoints { bastionhost = %q }", url), "", 1)
	}
	return []badInput{
		// cloudlock_sms_task_unlock
		{"unlock: empty task_id", ok + unlockRes(""), taskIDLength(0)},
		{"unlock: 37-character task_id", ok + unlockRes(long), taskIDLength(37)},
		{"unlock: task_id with a path", ok + unlockRes("../../v3/projects"), badTaskID("../../v3/projects")},
		{"unlock: task_id with a query", ok + unlockRes("t1?marker=x"), badTaskID("t1?marker=x")},
		{"unlock: task_id with a space", ok + unlockRes("task 1"), badTaskID("task 1")},
		{"unlock: task_id not ASCII", ok + unlockRes("задача-1"), badTaskID("задача-1")},
		{"unlock: task_id missing", ok + "resource \"cloudlock_sms_task_unlock\" \"b\" {}\n",
			cliRejects(`resource "cloudlock_sms_task_unlock" "b"`, "task_id")},
		{"unlock: triggers not a map", ok + "resource \"cloudlock_sms_task_unlock\" \"b\" {\n  task_id = \"t1\"\n  triggers = \"x\"\n}\n",
			cliRejects(`triggers = "x"`, "triggers")},
		{"unlock: timeouts.create not a duration", ok + "resource \"cloudlock_sms_task_unlock\" \"b\" {\n  task_id = \"t1\"\n  timeouts { create = \"soon\" }\n}\n",
			timeoutErr("soon")},
		{"unlock: timeouts.read with spaces", ok + "resource \"cloudlock_sms_task_unlock\" \"b\" {\n  task_id = \"t1\"\n  timeouts { read = \"5 minutes\" }\n}\n",
			timeoutErr("5 minutes")},
		{"unlock: unknown argument", ok + "resource \"cloudlock_sms_task_unlock\" \"b\" {\n  task_id = \"t1\"\n  task = \"t1\"\n}\n",
			cliRejects(`task = "t1"`, "task")},

		// data source and ephemeral resource cloudlock_sms_task_passphrase
		{"passphrase data source: empty task_id", ok + passphraseData(""), taskIDLength(0)},
		{"passphrase data source: 37-character task_id", ok + passphraseData(long), taskIDLength(37)},
		{"passphrase data source: task_id with a path", ok + passphraseData("t1/unlock"), badTaskID("t1/unlock")},
		{"passphrase data source: task_id with a query", ok + passphraseData("t1?x=1"), badTaskID("t1?x=1")},
		{"passphrase ephemeral: empty task_id", ok + passphraseEphemeral(""), taskIDLength(0)},
		{"passphrase ephemeral: task_id with a path", ok + passphraseEphemeral("../t1"), badTaskID("../t1")},
		{"passphrase ephemeral: 37-character task_id", ok + passphraseEphemeral(long), taskIDLength(37)},

		// cloudlock_sms_source_server and the data source cloudlock_sms_source_servers
		{"source: empty ip", ok + sourceRes(`ip = ""`), acctest.WrappedError("Attribute ip string length must be between 1 and 255, got: 0")},
		{"source: empty hostname", ok + sourceRes(`hostname = ""`), acctest.WrappedError("Attribute hostname string length must be between 1 and 255, got: 0")},
		{"source: 256-character hostname", ok + sourceRes(`hostname = "`+strings.Repeat("h", 256)+`"`),
			acctest.WrappedError("Attribute hostname string length must be between 1 and 255, got: 256")},
		{"source: unknown os_type", ok + sourceRes(`os_type = "SOLARIS"`), oneOf("os_type", `"LINUX"`, `"SOLARIS"`)},
		{"source: unknown firmware", ok + sourceRes(`firmware = "COREBOOT"`), oneOf("firmware", `"BIOS"`, `"COREBOOT"`)},
		{"source: unknown platform", ok + sourceRes(`platform = "mars"`), oneOf("platform", `"hw"`, `"mars"`)},
		{"source: unknown state", ok + sourceRes(`state = "flying"`), oneOf("state", `"waiting"`, `"flying"`)},
		{"source: cpu_quantity out of range", ok + sourceRes(`cpu_quantity = 70000`),
			acctest.WrappedError("Attribute cpu_quantity value must be between 0 and 65535, got: 70000")},
		{"source: negative memory", ok + sourceRes(`memory = -1`), acctest.WrappedError("Attribute memory value must be at least 0, got: -1")},
		{"source: negative io_read_wait", ok + sourceRes(`io_read_wait = -1`),
			acctest.WrappedError("Attribute io_read_wait value must be between 0.000000 and 10000.000000, got: -1.000000")},
		{"source: os_version missing", ok + strings.Replace(sourceRes(""), `  os_version = "CENTOS_7_9_64BIT"`+"\n", "", 1),
			cliRejects(`resource "cloudlock_sms_source_server" "b"`, "os_version")},
		{"source servers data source: unknown state", ok + "data \"cloudlock_sms_source_servers\" \"b\" {\n  state = \"flying\"\n}\n",
			oneOf("state", `"waiting"`, `"flying"`)},
		{"source servers data source: 256-character name", ok + "data \"cloudlock_sms_source_servers\" \"b\" {\n  name = \"" + strings.Repeat("n", 256) + "\"\n}\n",
			acctest.WrappedError("Attribute name string length must be at most 255, got: 256")},
		{"source without Huawei keys", providerWith(url, `region = "cn-north-4"`, aliCreds, "") + sourceRes(""),
			acctest.WrappedError("missing access_key (huaweicloud.access_key or HW_ACCESS_KEY)")},

		// provider: regions, endpoints, retries
		{"unknown Huawei region", noECS(providerWith(url, `region = "mars-north-1"`, aliCreds, "")) + unlockRes(validTaskID),
			acctest.OnlyError(`Attribute huaweicloud.region: "mars-north-1" is not a region this provider knows. Known regions: ae-ad-1,`)},
		{"misspelt Huawei region", noECS(providerWith(url, `region = "cn-nort-4"`, aliCreds, "")) + unlockRes(validTaskID),
			acctest.OnlyError(`Attribute huaweicloud.region: "cn-nort-4" is not a region this provider knows. Did you mean "cn-north-4"? ` +
				`Known regions: ae-ad-1, af-north-1, af-south-1, ap-southeast-1/2/3/4/5, cn-east-2/3/4/5, cn-north-1/2/4/9/11/12,`)},
		{"unknown Alibaba region", noBastionhost(providerWith(url, hwCreds, `region = "moon-base-1"`, "")) + unlockRes(validTaskID),
			acctest.OnlyError(`Attribute alicloud.region: "moon-base-1" is not a region this provider knows. Known regions: ap-northeast-1/2,`)},
		{"misspelt Alibaba region", noBastionhost(providerWith(url, hwCreds, `region = "cn-hangzou"`, "")) + unlockRes(validTaskID),
			acctest.OnlyError(`Attribute alicloud.region: "cn-hangzou" is not a region this provider knows. Did you mean "cn-hangzhou"?`)},
		{"SMS endpoint without scheme", strings.Replace(ok, fmt.Sprintf("sms = %q", url), `sms = "sms.example.com"`, 1) + unlockRes(validTaskID),
			endpointErr("huaweicloud.endpoints.sms", "sms.example.com", `is not a full URL: write https:// (or http://) before the host, e.g. "https://sms.example.com"`)},
		{"ECS endpoint host and port without scheme", strings.Replace(ok, fmt.Sprintf("ecs = %q", url), `ecs = "127.0.0.1:8080"`, 1) + unlockRes(validTaskID),
			endpointErr("huaweicloud.endpoints.ecs", "127.0.0.1:8080", `is not a full URL: write https:// (or http://) before the host, e.g. "https://127.0.0.1:8080"`)},
		{"IAM endpoint with ftp scheme", strings.Replace(ok, fmt.Sprintf("iam = %q", url), `iam = "ftp://iam.example.com"`, 1) + unlockRes(validTaskID),
			endpointErr("huaweicloud.endpoints.iam", "ftp://iam.example.com", "must start with https:// (or http://)")},
		{"ECS endpoint without host", strings.Replace(ok, fmt.Sprintf("ecs = %q", url), `ecs = "https://"`, 1) + unlockRes(validTaskID),
			endpointErr("huaweicloud.endpoints.ecs", "https://", "has no host")},
		{"SMS endpoint with a path", strings.Replace(ok, fmt.Sprintf("sms = %q", url), `sms = "https://sms.example.com/v3"`, 1) + unlockRes(validTaskID),
			endpointErr("huaweicloud.endpoints.sms", "https://sms.example.com/v3", "must be a scheme and host (and port) only")},
		{"SMS endpoint with a query", strings.Replace(ok, fmt.Sprintf("sms = %q", url), `sms = "https://sms.example.com?x=1"`, 1) + unlockRes(validTaskID),
			endpointErr("huaweicloud.endpoints.sms", "https://sms.example.com?x=1", "must be a scheme and host (and port) only")},
		{"IAM endpoint with user info", strings.Replace(ok, fmt.Sprintf("iam = %q", url), `iam = "https://me:pw@iam.example.com"`, 1) + unlockRes(validTaskID),
			endpointErr("huaweicloud.endpoints.iam", "https://me:pw@iam.example.com", "must be a scheme and host (and port) only")},
		{"Bastionhost endpoint not a URL", strings.Replace(ok, fmt.Sprintf("bastionhost = %q", url), `bastionhost = "not a url"`, 1) + unlockRes(validTaskID),
			endpointErr("alicloud.endpoints.bastionhost", "not a url", "is not a full URL: write https:// (or http://) before the host")},
		{"negative max_retries", providerWith(url, hwCreds, aliCreds, "max_retries = -1") + unlockRes(validTaskID),
			acctest.WrappedError("Attribute max_retries value must be between 0 and 20, got: -1")},
		{"max_retries above 20", providerWith(url, hwCreds, aliCreds, "max_retries = 21") + unlockRes(validTaskID),
			acctest.WrappedError("Attribute max_retries value must be between 0 and 20, got: 21")},
		{"insecure not a bool", providerWith(url, hwCreds+"\n    insecure = \"maybe\"", aliCreds, "") + unlockRes(validTaskID),
			cliRejects(`insecure = "maybe"`, "insecure")},

		// credentials for the cloud in use
		{"unlock without Huawei keys", providerWith(url, `region = "cn-north-4"`, aliCreds, "") + unlockRes(validTaskID),
			acctest.WrappedError("missing access_key (huaweicloud.access_key or HW_ACCESS_KEY), secret_key (huaweicloud.secret_key or HW_SECRET_KEY)")},
		{"unlock without Huawei region", providerWith(url, fmt.Sprintf("access_key = %q\n    secret_key = %q", acctest.HuaweiAccessKey, acctest.HuaweiSecretKey), aliCreds, "") + unlockRes(validTaskID),
			acctest.WrappedError("missing region (huaweicloud.region or HW_REGION_NAME)")},
		{"unlock without Huawei secret key", providerWith(url, fmt.Sprintf("region = %q\n    access_key = %q", acctest.HuaweiRegion, acctest.HuaweiAccessKey), aliCreds, "") + unlockRes(validTaskID),
			acctest.WrappedError("missing secret_key (huaweicloud.secret_key or HW_SECRET_KEY)")},
		{"passphrase data source without Huawei keys", providerWith(url, `region = "cn-north-4"`, aliCreds, "") + passphraseData(validTaskID),
			acctest.WrappedError("missing access_key (huaweicloud.access_key or HW_ACCESS_KEY)")},
		{"passphrase ephemeral without Huawei keys", providerWith(url, `region = "cn-north-4"`, aliCreds, "") + passphraseEphemeral(validTaskID),
			acctest.WrappedError("missing access_key (huaweicloud.access_key or HW_ACCESS_KEY)")},
	}
}

// TestAccBadInput: each invalid configuration fails at validate or plan
// time (PlanOnly: nothing is applied), with the attribute path and what is
// allowed, and the mock's journal shows no API call at all.
func TestAccBadInput(t *testing.T) {
	t.Parallel()
	m := acctest.StartMock(t)
	m.PutTask(mockcloud.Task{ID: validTaskID, Passphrase: "p", TargetLocked: true})
	cases := badInputs(m.URL())
	steps := make([]resource.TestStep, 0, len(cases)+1)
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.config, PlanOnly: true, ExpectError: c.want})
	}
	// An import id skips the schema's validators; the resource checks it.
	steps = append(steps, resource.TestStep{
		Config:        providerWith(m.URL(), hwCreds, aliCreds, "") + unlockRes(validTaskID),
		ResourceName:  "cloudlock_sms_task_unlock.b",
		ImportState:   true,
		ImportStateId: "../../v3/projects",
		ExpectError:   acctest.WrappedError(`The import id must be an SMS task id: 1–36 letters, digits, '-' and '_', got "../../v3/projects".`),
	})
	steps = append(steps, resource.TestStep{
		Config:        providerWith(m.URL(), hwCreds, aliCreds, "") + sourceRes(""),
		ResourceName:  "cloudlock_sms_source_server.b",
		ImportState:   true,
		ImportStateId: "../tasks/" + validTaskID,
		ExpectError:   acctest.WrappedError(`Expected an SMS source server id (1–255 letters, digits, '-' and '_') as the import id, got "../tasks/` + validTaskID + `".`),
	})
	t.Logf("bad input: %d invalid configurations and 2 invalid import ids", len(cases))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
		CheckDestroy:             noCalls(m),
	})
}

func noCalls(m *mockcloud.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if j := m.Journal(); len(j) != 0 {
			return fmt.Errorf("invalid input made %d API calls, want 0 (first: %s %s)", len(j), j[0].Method, j[0].Path)
		}
		return nil
	}
}

// badEnv is an invalid value from the environment and what its error says.
type badEnv struct {
	env, value string
	want       *regexp.Regexp
}

var badEnvs = []badEnv{
	{"HW_REGION_NAME", "mars-north-1", acctest.WrappedError(`huaweicloud.region: the region from the environment (HW_REGION_NAME): "mars-north-1" is not a region this provider knows. Known regions: ae-ad-1`)},
	{"HW_REGION_NAME", "cn-north4", acctest.WrappedError(`huaweicloud.region: the region from the environment (HW_REGION_NAME): "cn-north4" is not a region this provider knows. Did you mean "cn-north-4"?`)},
	{"ALICLOUD_REGION", "moon-base-1", acctest.WrappedError(`alicloud.region: the region from the environment (ALICLOUD_REGION): "moon-base-1" is not a region this provider knows. Known regions: ap-northeast-1/2`)},
	{"CLOUDLOCK_MAX_RETRIES", "-3", acctest.WrappedError(`max_retries: the environment variable CLOUDLOCK_MAX_RETRIES must be a whole number from 0 to 20, got "-3".`)},
	{"CLOUDLOCK_MAX_RETRIES", "lots", acctest.WrappedError(`max_retries: the environment variable CLOUDLOCK_MAX_RETRIES must be a whole number from 0 to 20, got "lots".`)},
	{"HW_INSECURE", "maybe", acctest.WrappedError(`huaweicloud.insecure: the environment variable HW_INSECURE must be true or false, got "maybe".`)},
	{"ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST", "bastionhost.example.com",
		acctest.WrappedError(`alicloud.endpoints.bastionhost: the environment variable ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST: "bastionhost.example.com" is not a full URL: write https:// (or http://) before the host, e.g. "https://bastionhost.example.com"`)},
}

// TestAccBadInputFromEnvironment: values from the environment get the same
// checks, naming the attribute and the variable. Not parallel: it sets the
// process environment, which the in-process provider reads.
func TestAccBadInputFromEnvironment(t *testing.T) {
	m := acctest.StartMock(t)
	cfg := fmt.Sprintf(`
provider "cloudlock" {
  huaweicloud {
    access_key = %q
    secret_key = %q
    endpoints {
      iam = %[3]q
      sms = %[3]q
    }
  }
}
`, acctest.HuaweiAccessKey, acctest.HuaweiSecretKey, m.URL()) + unlockRes(validTaskID)
	for _, e := range badEnvs {
		t.Setenv(e.env, "") // restored when the test ends
	}
	t.Setenv("HW_REGION_NAME", acctest.HuaweiRegion)
	steps := make([]resource.TestStep, 0, len(badEnvs))
	for _, e := range badEnvs {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				for _, o := range badEnvs {
					_ = os.Unsetenv(o.env)
				}
				_ = os.Setenv("HW_REGION_NAME", acctest.HuaweiRegion)
				_ = os.Setenv(e.env, e.value)
			},
			Config: cfg, PlanOnly: true, ExpectError: e.want,
		})
	}
	t.Logf("bad input from the environment: %d values", len(badEnvs))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps:                    steps,
		CheckDestroy:             noCalls(m),
	})
}
