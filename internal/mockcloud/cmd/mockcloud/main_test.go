package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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
