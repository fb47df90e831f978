package mockcloud_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

// An authentic request for an action the mock does not know gets
// InvalidAction.NotFound (so it passed the signature check) and a rejected
// one its signature error.
func TestAlibabaSignatures(t *testing.T) {
	creds := aliCreds
	creds.SecurityToken = "ali-test-security-token"
	s := mockcloud.StartT(t, mockcloud.Options{Huawei: hwCreds, Alibaba: creds})

	cases := []struct {
		name   string
		req    *http.Request
		status int
		code   string
	}{
		{"ACS3", acs3Request(t, s.URL(), creds.AccessKey, creds.SecretKey, creds.SecurityToken), 404, "InvalidAction.NotFound"},
		{"ACS3 wrong secret", acs3Request(t, s.URL(), creds.AccessKey, "wrong", creds.SecurityToken), 400, "SignatureDoesNotMatch"},
		{"ACS3 unknown key", acs3Request(t, s.URL(), "LTAI5tUnknownKey0000", creds.SecretKey, creds.SecurityToken), 404, "InvalidAccessKeyId.NotFound"},
		{"ACS3 wrong token", acs3Request(t, s.URL(), creds.AccessKey, creds.SecretKey, "other-token"), 400, "InvalidSecurityToken.MismatchWithAccessKey"},
		{"v2", v2Request(t, s.URL(), creds.AccessKey, creds.SecretKey, creds.SecurityToken), 404, "InvalidAction.NotFound"},
		{"v2 wrong secret", v2Request(t, s.URL(), creds.AccessKey, "wrong", creds.SecurityToken), 400, "SignatureDoesNotMatch"},
		{"v2 no token", v2Request(t, s.URL(), creds.AccessKey, creds.SecretKey, ""), 400, "InvalidSecurityToken.MismatchWithAccessKey"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e struct{ RequestId, HostId, Code, Message string }
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status || e.Code != tc.code || e.RequestId == "" || e.HostId == "" || e.Message == "" {
				t.Errorf("got %d %+v, want %d %s", resp.StatusCode, e, tc.status, tc.code)
			}
			if resp.Header.Get("x-acs-request-id") != e.RequestId {
				t.Errorf("x-acs-request-id %q, body RequestId %q", resp.Header.Get("x-acs-request-id"), e.RequestId)
			}
		})
	}
	if n := s.Calls("auth"); n != 5 {
		t.Errorf("Calls(auth) = %d, want 5", n)
	}
}

// unmockedAction is a real Bastionhost action the mock does not answer.
const unmockedAction = "DescribeInstances"

// acs3Request is an RPC call as darabonba-openapi sends it by default: action
// and version in headers, parameters in a form body, ACS3-HMAC-SHA256.
func acs3Request(t *testing.T, base, ak, secret, token string) *http.Request {
	t.Helper()
	body := []byte(url.Values{"InstanceId": {"bastionhost-cn-test0001"}, "RegionId": {"cn-hangzhou"}, "UserIds": {`["1","2"]`}}.Encode())
	req, _ := http.NewRequest("POST", base+"/", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("x-acs-action", unmockedAction)
	req.Header.Set("x-acs-version", "2019-12-09")
	if token != "" {
		req.Header.Set("x-acs-security-token", token)
	}
	if err := signature.SignAlibabaACS3(req, body, ak, secret, time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

// v2Request is the classic RPC form (SignatureAlgorithm "v2"): every
// parameter in the query, signed with HMAC-SHA1.
func v2Request(t *testing.T, base, ak, secret, token string) *http.Request {
	t.Helper()
	p := url.Values{
		"Action": {unmockedAction}, "Version": {"2019-12-09"}, "Format": {"JSON"},
		"AccessKeyId": {ak}, "SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"},
		"SignatureNonce": {time.Now().Format("150405.000000000")}, "Timestamp": {time.Now().UTC().Format("2006-01-02T15:04:05Z")},
		"InstanceId": {"bastionhost-cn-test0001"}, "UserIds": {`["1"]`},
	}
	if token != "" {
		p.Set("SecurityToken", token)
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		pairs = append(pairs, popEncode(k)+"="+popEncode(p.Get(k)))
	}
	canonical := strings.Join(pairs, "&")
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte("POST&%2F&" + popEncode(canonical)))
	query := canonical + "&Signature=" + popEncode(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req, _ := http.NewRequest("POST", base+"/?"+query, nil)
	return req
}

func popEncode(s string) string {
	s = url.QueryEscape(s)
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(s)
}
