package conns

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := map[string]string{
		`{"task_id":"t1","passphrase":"s3cr\"et"}`:                         `{"task_id":"t1","passphrase":"***"}`,
		`{"Passphrase" : "abc", "x": 1}`:                                   `{"Passphrase":"***", "x": 1}`,
		`{"adminPass":"p","security_token":"tok"}`:                         `{"adminPass":"***","security_token":"***"}`,
		`https://h/?Action=UnlockUsers&AccessKeyId=LTAI1&Signature=abc%3D`: `https://h/?Action=UnlockUsers&AccessKeyId=***&Signature=***`,
		`SecurityToken=tok&UserIds=%5B%221%22%5D`:                          `SecurityToken=***&UserIds=%5B%221%22%5D`,
		`{"task_id":"t1"}`:                                                 `{"task_id":"t1"}`,
	}
	for in, want := range cases {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRedactHeader(t *testing.T) {
	h := map[string][]string{
		"Authorization":    {"SDK-HMAC-SHA256 Access=AK, Signature=abc"},
		"X-Security-Token": {"tok"},
		"X-Sdk-Date":       {"20260101T000000Z"},
	}
	out := redactHeader(h)
	if out["Authorization"] != "***" || out["X-Security-Token"] != "***" || out["X-Sdk-Date"] != "20260101T000000Z" {
		t.Fatalf("redactHeader = %v", out)
	}
}

func TestCloudErrorMessage(t *testing.T) {
	e := &CloudError{Cloud: "Huawei Cloud", Operation: "sms.UnlockTargetEcs", HTTPStatus: 403, Code: "SMS.9004",
		Message: "no permission", RequestID: "abc123", Attempts: 1}
	got := e.Error()
	for _, want := range []string{"HTTP 403", "SMS.9004", "no permission", "request id: abc123", "sms.UnlockTargetEcs"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}

func TestDefaultEndpoints(t *testing.T) {
	cases := map[[2]string]string{
		{ServiceSMS, "cn-east-3"}:      "https://sms.cn-north-4.myhuaweicloud.com",
		{ServiceSMS, "ap-southeast-1"}: "https://sms.ap-southeast-3.myhuaweicloud.com",
		{ServiceSMS, "ru-moscow-1"}:    "https://sms-api.ru-moscow-1.myhuaweicloud.com",
		{ServiceECS, "cn-north-4"}:     "https://ecs.cn-north-4.myhuaweicloud.com",
		{ServiceIAM, "ap-southeast-3"}: "https://iam.ap-southeast-3.myhuaweicloud.com",
	}
	for in, want := range cases {
		if got := DefaultHuaweiEndpoint(in[0], in[1]); got != want {
			t.Errorf("DefaultHuaweiEndpoint(%s, %s) = %s, want %s", in[0], in[1], got, want)
		}
	}
	bh := map[string]string{
		"cn-hangzhou":  "yundun-bastionhost.aliyuncs.com",
		"cn-hongkong":  "bastionhost.cn-hongkong.aliyuncs.com",
		"eu-central-1": "bastionhost.eu-central-1.aliyuncs.com",
		"xx-unknown-9": "yundun-bastionhost.xx-unknown-9.aliyuncs.com",
	}
	for region, want := range bh {
		if got := DefaultBastionhostEndpoint(region); got != want {
			t.Errorf("DefaultBastionhostEndpoint(%s) = %s, want %s", region, got, want)
		}
	}
}

func TestValidateEndpoint(t *testing.T) {
	for _, ok := range []string{"https://sms.cn-north-4.myhuaweicloud.com", "http://127.0.0.1:8080", "https://h/"} {
		if err := ValidateEndpoint(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"sms.example.com", "ftp://h", "https://", "https://h/v3", "https://h?x=1", "://", "https://a b"} {
		if err := ValidateEndpoint(bad); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	// Without a scheme: what is expected, not Go's "first path segment in URL
	// cannot contain colon" (127.0.0.1:8080) or scheme "localhost".
	for raw, want := range map[string]string{
		"127.0.0.1:8080":                   `"127.0.0.1:8080" is not a full URL: write https:// (or http://) before the host, e.g. "https://127.0.0.1:8080"`,
		"localhost:8080":                   `"localhost:8080" is not a full URL: write https:// (or http://) before the host, e.g. "https://localhost:8080"`,
		"ecs.cn-north-4.myhuaweicloud.com": `"ecs.cn-north-4.myhuaweicloud.com" is not a full URL: write https:// (or http://) before the host, e.g. "https://ecs.cn-north-4.myhuaweicloud.com"`,
		"not a url":                        `"not a url" is not a full URL: write https:// (or http://) before the host, e.g. "https://ecs.cn-north-4.myhuaweicloud.com"`,
		"https://a b":                      `"https://a b" is not a valid URL (invalid character " " in host name): expected https:// (or http://), a host and an optional port`,
	} {
		if err := ValidateEndpoint(raw); err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", raw, err, want)
		}
	}
}
