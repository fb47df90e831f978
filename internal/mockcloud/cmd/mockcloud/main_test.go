package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

// The test binary doubles as the command: with MOCKCLOUD_RUN_MAIN set it runs
// main with the arguments after "--".
func TestMain(m *testing.M) {
	if os.Getenv("MOCKCLOUD_RUN_MAIN") == "1" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"mockcloud"}, os.Args[i+1:]...)
				break
			}
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "MOCKCLOUD_RUN_MAIN=1",
		"HW_ACCESS_KEY=", "HW_SECRET_KEY=", "HW_SECURITY_TOKEN=", "HW_PROJECT_ID=", "HW_REGION_NAME=")
	return cmd
}

func TestStandaloneServesDemoSeedAndStopsOnSIGTERM(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	cmd := command("-url-file", urlFile, "-journal")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no URL file; stderr:\n%s", stderr.String())
		}
		b, _ := os.ReadFile(urlFile)
		base = strings.TrimSpace(string(b))
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("URL %q", base)
	}

	// The demo seed's first task, with the demo keys.
	req, _ := http.NewRequest("GET", base+"/v3/tasks/7a9a9540-ff28-4869-b9e4-855fbe12a001/passphrase", nil)
	if err := signature.SignHuawei(req, nil, mockcloud.DemoHuawei.AccessKey, mockcloud.DemoHuawei.SecretKey, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		TaskID     string `json:"task_id"`
		Passphrase string `json:"passphrase"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if resp.StatusCode != 200 || p.Passphrase == "" {
		t.Fatalf("status %d, passphrase %q", resp.StatusCode, p.Passphrase)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v; stderr:\n%s", err, stderr.String())
	}
	log := stderr.String()
	if !strings.Contains(log, "sms.ShowPassphrase GET /v3/tasks/7a9a9540-ff28-4869-b9e4-855fbe12a001/passphrase -> 200") {
		t.Errorf("journal line missing:\n%s", log)
	}
	for _, secret := range []string{p.Passphrase, mockcloud.DemoHuawei.SecretKey, "Signature="} {
		if strings.Contains(log, secret) {
			t.Errorf("stderr contains %q:\n%s", secret, log)
		}
	}
}

func TestStandaloneRefusesNonLoopback(t *testing.T) {
	cmd := command("-listen", "0.0.0.0:0")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not a loopback address") {
		t.Errorf("err %v, output %s", err, out)
	}
}

// -h names the demo keys and the seeded world, so nobody has to read the
// demo script or the seed file to use the mock.
func TestHelpNamesCredentialsAndWorld(t *testing.T) {
	out, err := command("-h").CombinedOutput()
	if err != nil {
		t.Fatalf("-h: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Usage: mockcloud [flags]",
		"access key " + mockcloud.DemoHuawei.AccessKey + ", secret key " + mockcloud.DemoHuawei.SecretKey + "; region cn-north-4, project id 0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		"access key " + mockcloud.DemoAlibaba.AccessKey + ", secret key " + mockcloud.DemoAlibaba.SecretKey,
		"SMS task 7a9a9540-ff28-4869-b9e4-855fbe12a001 (demo-web-01, MIGRATE_SUCCESS): target server 2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01",
		"SMS task 7a9a9540-ff28-4869-b9e4-855fbe12a002 (demo-db-01, SYNC_SUCCESS)",
		"ECS server 2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01 (demo-web-01-target): unlocked",
		"Bastionhost instance bastionhost-cn-demo0001: users 1 alice (Frozen), 2 bob (Frozen), 3 carol (Normal), 4 dave (Frozen)",
		"SMS source server 1a6d1e0b-62e5-4376-b59f-ff2fd5690001 (host-192-0-2-10, waiting)",
		"-listen string",
		"make mock",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("-h lacks %q:\n%s", want, out)
		}
	}
}

// startOutput starts the command with args and extra environment, waits for
// its start-up text on stdout, stops it and returns stdout and stderr.
func startOutput(t *testing.T, env []string, args ...string) (string, string) {
	t.Helper()
	urlFile := filepath.Join(t.TempDir(), "url")
	cmd := command(append([]string{"-url-file", urlFile}, args...)...)
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no URL file; stderr:\n%s", stderr.String())
		}
		if b, _ := os.ReadFile(urlFile); len(b) > 0 {
			break
		}
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v; stderr:\n%s", err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// Once listening, the mock prints where, its keys, its world, and the
// environment and provider block that point cloudlock at it.
func TestStartupNamesCredentialsWorldAndEnvironment(t *testing.T) {
	out, _ := startOutput(t, nil)
	base := regexp.MustCompile(`mockcloud: listening on (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(out)
	if base == nil {
		t.Fatalf("no listening line:\n%s", out)
	}
	url := base[1]
	for _, want := range []string{
		"access key " + mockcloud.DemoHuawei.AccessKey + ", secret key " + mockcloud.DemoHuawei.SecretKey,
		"Bastionhost instance bastionhost-cn-demo0001: users 1 alice (Frozen)",
		"SMS task 7a9a9540-ff28-4869-b9e4-855fbe12a001",
		"export HW_ACCESS_KEY=" + mockcloud.DemoHuawei.AccessKey + " HW_SECRET_KEY=" + mockcloud.DemoHuawei.SecretKey + " HW_REGION_NAME=cn-north-4\n",
		"export ALICLOUD_ACCESS_KEY=" + mockcloud.DemoAlibaba.AccessKey + " ALICLOUD_SECRET_KEY=" + mockcloud.DemoAlibaba.SecretKey + " ALICLOUD_REGION=cn-hangzhou\n",
		"export ALIBABA_CLOUD_ENDPOINT_YUNDUN_BASTIONHOST=" + url + "\n",
		"export TF_VAR_endpoint=" + url + "\n",
		`endpoints {
      iam = "` + url + `"
      sms = "` + url + `"
      ecs = "` + url + `"
    }`,
		`endpoints { bastionhost = "` + url + `" }`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("start-up text lacks %q:\n%s", want, out)
		}
	}
}

// Keys given to the mock are the user's: their secrets are never printed,
// and the world described is the seed given.
func TestStartupHidesGivenSecretsAndDescribesGivenSeed(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"tasks": [{"id": "task-1", "name": "mine", "state": "MIGRATE_SUCCESS", "target_server_id": "srv-1", "target_server_name": "t", "target_locked": true}], "bastionhost_instances": [], "source_servers": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut := startOutput(t, []string{"HW_ACCESS_KEY=GIVENAK", "HW_SECRET_KEY=given-hw-secret-value"},
		"-seed", seed, "-ali-access-key", "GIVENALIAK", "-ali-secret-key", "given-ali-secret-value", "-region", "ap-southeast-1")
	for _, want := range []string{
		"access key GIVENAK, secret key (the HW_SECRET_KEY or flag given; not shown); region ap-southeast-1",
		"access key GIVENALIAK, secret key (the ALICLOUD_SECRET_KEY or flag given; not shown)",
		"SMS task task-1 (mine, MIGRATE_SUCCESS): target server srv-1 t, locked",
		"export HW_ACCESS_KEY=GIVENAK HW_SECRET_KEY=<your HW_SECRET_KEY> HW_REGION_NAME=ap-southeast-1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("start-up text lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{"given-hw-secret-value", "given-ali-secret-value", "demo0001"} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("output contains %q:\n%s%s", secret, out, errOut)
		}
	}
}

// With -ca-file the mock also serves HTTPS, writes the CA bundle to trust,
// and prints a provider block that assumes its demo RAM role and IAM
// agency; the conns client, trusting the file, assumes both.
func TestStandaloneServesRolesWithCAFile(t *testing.T) {
	dir := t.TempDir()
	urlFile, caFile, outFile := filepath.Join(dir, "url"), filepath.Join(dir, "ca.pem"), filepath.Join(dir, "out")
	out, err := os.Create(outFile)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	// Relative paths, as a person types them: the lines to paste name them
	// absolutely, to work in the other shell's folder.
	cmd := command("-url-file", urlFile, "-ca-file", "ca.pem", "-cli-config", "dev.tfrc", "-journal")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no URL file; stderr:\n%s", stderr.String())
		}
		if b, _ := os.ReadFile(urlFile); len(b) > 0 {
			break
		}
	}
	b, _ := os.ReadFile(outFile)
	text := string(b)
	sts := regexp.MustCompile(`sts += "(https://127\.0\.0\.1:\d+)"`).FindStringSubmatch(text)
	base := regexp.MustCompile(`mockcloud: listening on (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(text)
	if sts == nil || base == nil {
		t.Fatalf("no STS or base URL in:\n%s", text)
	}
	paste := text[strings.Index(text, "Environment for the provider"):]
	paste = paste[:strings.Index(paste, "Provider block")]
	for _, want := range []string{"export SSL_CERT_FILE=" + caFile + "\n", "export TF_CLI_CONFIG_FILE=" + filepath.Join(dir, "dev.tfrc") + "\n"} {
		if !strings.Contains(paste, want) {
			t.Errorf("the block to paste lacks %q:\n%s", want, paste)
		}
	}
	for _, want := range []string{`role_arn = "` + demoRoleARN + `"`,
		`assume_role {
      agency_name = "` + demoAgency + `"
      domain_name = "` + demoAgencyDomain + `"
    }`} {
		if !strings.Contains(text, want) {
			t.Errorf("start-up text lacks %q:\n%s", want, text)
		}
	}
	pem, err := os.ReadFile(caFile)
	if err != nil || !strings.Contains(string(pem), "BEGIN CERTIFICATE") {
		t.Fatalf("CA file: %v", err)
	}

	// This test process makes no other TLS connection, so the roots are
	// read from here.
	t.Setenv("SSL_CERT_FILE", caFile)
	ali := conns.New(conns.Config{Alibaba: conns.AlibabaConfig{Region: alibabaRegion,
		AccessKey: mockcloud.DemoAlibaba.AccessKey, SecretKey: mockcloud.DemoAlibaba.SecretKey,
		AssumeRole: &conns.AlibabaAssumeRole{RoleARN: demoRoleARN, From: "test"}, Endpoints: conns.AlibabaEndpoints{STS: sts[1]}}})
	if err := ali.CheckAlibaba(); err != nil {
		t.Errorf("assume the demo role: %v", err)
	}
	hw := conns.New(conns.Config{Huawei: conns.HuaweiConfig{Region: defaultRegion,
		AccessKey: mockcloud.DemoHuawei.AccessKey, SecretKey: mockcloud.DemoHuawei.SecretKey,
		AssumeRole: &conns.HuaweiAssumeRole{AgencyName: demoAgency, DomainName: demoAgencyDomain, Origin: "test"},
		Endpoints:  conns.HuaweiEndpoints{IAM: base[1]}}})
	if err := hw.CheckHuawei(context.Background()); err != nil || hw.HuaweiCredentialFetches() != 1 {
		t.Errorf("assume the demo agency: %v (%d fetches)", err, hw.HuaweiCredentialFetches())
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	for _, op := range []string{"sts.AssumeRole", "iam.CreateTemporaryAccessKey"} {
		if !strings.Contains(stderr.String(), op+" ") {
			t.Errorf("the journal lacks %s:\n%s", op, stderr.String())
		}
	}
}

// -limit is repeatable and parsed as mockcloud.ParseLimit; a bad one is
// refused at the flag.
func TestLimitFlags(t *testing.T) {
	var f limitFlags
	for _, v := range []string{"each:ecs.*=window:200/5m", "each:bastionhost.*=bucket:10"} {
		if err := f.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	if len(f) != 2 || f[0].Calls != 200 || f[0].Window != 5*time.Minute || !f[0].PerAPI || f[1].Rate != 10 {
		t.Fatalf("%+v", f)
	}
	if err := f.Set("ecs.*=window:often"); err == nil {
		t.Fatal("a bad limit was accepted")
	}
}
