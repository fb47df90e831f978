package signature_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	hwcore "github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	vpc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2"
	vpcmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

const (
	hwAK      = "HWTESTAK0000000000001"
	hwSK      = "hwtestsecret"
	hwProject = "0123456789abcdef0123456789abcdef"

	aliAK     = "LTAI5tTestAccessKey01"
	aliSecret = "alitestsecret"

	// stsToken must never be echoed back in an error message.
	stsToken = "sts-token-that-must-not-leak"
)

func lookupOf(ak, secret string) signature.Lookup {
	return func(k string) (string, bool) {
		if k == ak {
			return secret, true
		}
		return "", false
	}
}

type verifyFunc func(*http.Request, []byte, signature.Lookup, time.Time) *signature.Error

// mockCloud is an endpoint that judges every request with a verifier, after
// an optional tampering step that stands for a man in the middle.
type mockCloud struct {
	*httptest.Server
	verify   verifyFunc
	lookup   signature.Lookup
	writeErr func(http.ResponseWriter, *signature.Error)
	okBody   string

	mu       sync.Mutex
	mutate   func(r *http.Request, body []byte) []byte
	skew     time.Duration // how far the server clock is ahead
	verdicts []*signature.Error
	requests []*http.Request
	bodies   [][]byte
}

func newMockCloud(t *testing.T, verify verifyFunc, lookup signature.Lookup,
	writeErr func(http.ResponseWriter, *signature.Error), okBody string) *mockCloud {
	t.Helper()
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"} {
		t.Setenv(k, "")
	}
	m := &mockCloud{verify: verify, lookup: lookup, writeErr: writeErr, okBody: okBody}
	m.Server = httptest.NewServer(m) // binds 127.0.0.1
	t.Cleanup(m.Close)
	return m
}

func (m *mockCloud) reset(mutate func(*http.Request, []byte) []byte, skew time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mutate, m.skew, m.verdicts, m.requests, m.bodies = mutate, skew, nil, nil, nil
}

func (m *mockCloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests = append(m.requests, r.Clone(context.Background()))
	m.bodies = append(m.bodies, append([]byte(nil), body...))
	if m.mutate != nil {
		body = m.mutate(r, body)
	}
	verdict := m.verify(r, body, m.lookup, time.Now().Add(m.skew))
	m.verdicts = append(m.verdicts, verdict)
	if verdict != nil {
		m.writeErr(w, verdict)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, m.okBody)
}

// lastVerdict returns the verdict on the only request made since reset; a
// retrying SDK would make the assertions meaningless, so more is a failure.
func (m *mockCloud) lastVerdict(t *testing.T) *signature.Error {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.verdicts) != 1 {
		t.Fatalf("server saw %d requests, want 1", len(m.verdicts))
	}
	return m.verdicts[0]
}

func (m *mockCloud) lastRequest(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.requests) == 0 {
		t.Fatal("server saw no request")
	}
	return m.requests[len(m.requests)-1], m.bodies[len(m.bodies)-1]
}

func writeHuaweiError(w http.ResponseWriter, e *signature.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"error_code": e.Code, "error_msg": e.Message, "request_id": "mock-request-id",
	})
}

func writeAlibabaError(w http.ResponseWriter, e *signature.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"RequestId": "mock-request-id", "HostId": "127.0.0.1", "Code": e.Code, "Message": e.Message,
	})
}

// assertVerdict checks the server's verdict; wantCode "" means accepted.
func assertVerdict(t *testing.T, got *signature.Error, wantStatus int, wantCode, wantMsg string) {
	t.Helper()
	if wantCode == "" {
		if got != nil {
			t.Fatalf("request rejected: %v", got)
		}
		return
	}
	if got == nil {
		t.Fatalf("request accepted, want %d %s", wantStatus, wantCode)
	}
	if got.Status != wantStatus || got.Code != wantCode {
		t.Fatalf("got %d %s (%s), want %d %s", got.Status, got.Code, got.Message, wantStatus, wantCode)
	}
	if !strings.Contains(got.Message, wantMsg) {
		t.Fatalf("message %q does not contain %q", got.Message, wantMsg)
	}
	for _, secret := range []string{hwSK, aliSecret, stsToken, "wrong-secret"} {
		if strings.Contains(got.Message, secret) || strings.Contains(got.Error(), secret) {
			t.Fatalf("error message leaks a secret: %q", got.Message)
		}
	}
}

// ---------------------------------------------------------------- Huawei

type itemBody struct {
	Description string `json:"description"`
}

// itemRequest exercises what typed service calls do not: a path parameter
// with reserved characters, a repeated query parameter and a signed custom header.
type itemRequest struct {
	Name  string    `json:"name"`
	Tags  []string  `json:"tags"`
	Query string    `json:"q"`
	Token string    `json:"X-Client-Token"`
	Body  *itemBody `json:"body,omitempty"`
}

type itemResponse struct {
	HttpStatusCode int `json:"-"`
}

func itemDef() *def.HttpRequestDef {
	return def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodPut).
		WithPath("/v2/{project_id}/items/{name}").
		WithResponse(new(itemResponse)).
		WithContentType("application/json;charset=UTF-8").
		WithRequestField(def.NewFieldDef().WithName("Name").WithJsonTag("name").WithLocationType(def.Path)).
		WithRequestField(def.NewFieldDef().WithName("Tags").WithJsonTag("tags").WithLocationType(def.Query)).
		WithRequestField(def.NewFieldDef().WithName("Query").WithJsonTag("q").WithLocationType(def.Query)).
		WithRequestField(def.NewFieldDef().WithName("Token").WithJsonTag("X-Client-Token").WithLocationType(def.Header)).
		WithRequestField(def.NewFieldDef().WithName("Body").WithLocationType(def.Body)).
		Build()
}

// blobRequest has a non-JSON body, which the SDK sends as UNSIGNED-PAYLOAD.
type blobRequest struct {
	Body *string `json:"body,omitempty"`
}

func blobDef() *def.HttpRequestDef {
	return def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodPost).
		WithPath("/v1/{project_id}/blobs").
		WithResponse(new(itemResponse)).
		WithContentType("application/octet-stream").
		WithRequestField(def.NewFieldDef().WithName("Body").WithLocationType(def.Body)).
		Build()
}

func huaweiClient(t *testing.T, endpoint, ak, sk, token string, extraHeaders map[string]string) *hwcore.HcHttpClient {
	t.Helper()
	cb := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(hwProject)
	if token != "" {
		cb = cb.WithSecurityToken(token)
	}
	cred, err := cb.SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := vpc.VpcClientBuilder().WithEndpoints([]string{endpoint}).WithCredential(cred).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	if extraHeaders != nil {
		hc.WithExtraHeaders(extraHeaders)
	}
	return hc
}

type huaweiCall func(hc *hwcore.HcHttpClient) error

func listVpcs(hc *hwcore.HcHttpClient) error {
	limit := int32(10)
	marker := "vpc marker/+&=~ä*"
	_, err := vpc.NewVpcClient(hc).ListVpcs(&vpcmodel.ListVpcsRequest{Limit: &limit, Marker: &marker})
	return err
}

func createVpc(hc *hwcore.HcHttpClient) error {
	name, cidr := "my-vpc", "192.168.0.0/16"
	_, err := vpc.NewVpcClient(hc).CreateVpc(&vpcmodel.CreateVpcRequest{
		Body: &vpcmodel.CreateVpcRequestBody{Vpc: &vpcmodel.CreateVpcOption{Name: &name, Cidr: &cidr}},
	})
	return err
}

func putItem(hc *hwcore.HcHttpClient) error {
	_, err := hc.Sync(&itemRequest{
		Name:  "item +1 (ä)~*",
		Tags:  []string{"zeta", "alpha beta", "a&b=c"},
		Query: "",
		Token: "client-token-1",
		Body:  &itemBody{Description: "hello <world> & \"friends\""},
	}, itemDef())
	return err
}

func postBlob(hc *hwcore.HcHttpClient) error {
	body := "raw blob content"
	_, err := hc.Sync(&blobRequest{Body: &body}, blobDef())
	return err
}

func TestVerifyHuaweiWithSDK(t *testing.T) {
	m := newMockCloud(t, signature.VerifyHuawei, lookupOf(hwAK, hwSK), writeHuaweiError, `{"vpcs":[]}`)
	const code = "APIGW.0301"
	old := time.Now().Add(-20 * time.Minute).UTC().Format("20060102T150405Z")

	cases := []struct {
		name         string
		call         huaweiCall
		ak, sk       string
		token        string
		extraHeaders map[string]string
		mutate       func(*http.Request, []byte) []byte
		skew         time.Duration
		wantCode     string
		wantMsg      string
	}{
		{name: "GET with query accepted", call: listVpcs},
		{name: "POST with JSON body accepted", call: createVpc},
		{name: "PUT with path param, repeated query and custom header accepted", call: putItem},
		{name: "non-JSON body signed as UNSIGNED-PAYLOAD accepted", call: postBlob},
		{name: "security token accepted", call: listVpcs, token: stsToken},
		{
			name: "unsigned header added is still accepted", call: listVpcs,
			mutate: func(r *http.Request, b []byte) []byte { r.Header.Set("X-Added-By-Proxy", "1"); return b },
		},
		{
			// API Gateway does not hash bodies declared UNSIGNED-PAYLOAD either.
			name: "UNSIGNED-PAYLOAD body may change", call: postBlob,
			mutate: func(r *http.Request, b []byte) []byte { return []byte("other content") },
		},
		{
			name: "tampered path", call: listVpcs, wantCode: code, wantMsg: "verify aksk signature fail, canonicalRequest:GET|/v1/",
			mutate: func(r *http.Request, b []byte) []byte {
				r.URL.Path = strings.Replace(r.URL.Path, "/vpcs", "/subnets", 1)
				r.URL.RawPath = ""
				return b
			},
		},
		{
			name: "tampered path parameter", call: putItem, wantCode: code, wantMsg: "verify aksk signature fail",
			mutate: func(r *http.Request, b []byte) []byte {
				r.URL.Path = strings.Replace(r.URL.Path, "item +1", "item +2", 1)
				r.URL.RawPath = ""
				return b
			},
		},
		{
			name: "tampered query", call: listVpcs, wantCode: code, wantMsg: "verify aksk signature fail",
			mutate: func(r *http.Request, b []byte) []byte {
				q := r.URL.Query()
				q.Set("limit", "1000")
				r.URL.RawQuery = q.Encode()
				return b
			},
		},
		{
			name: "repeated query value dropped", call: putItem, wantCode: code, wantMsg: "verify aksk signature fail",
			mutate: func(r *http.Request, b []byte) []byte {
				q := r.URL.Query()
				q["tags"] = q["tags"][:2]
				r.URL.RawQuery = q.Encode()
				return b
			},
		},
		{
			name: "tampered JSON body", call: createVpc, wantCode: code, wantMsg: "verify aksk signature fail",
			mutate: func(r *http.Request, b []byte) []byte {
				return bytes.Replace(b, []byte("192.168.0.0/16"), []byte("10.0.0.0/8"), 1)
			},
		},
		{
			name: "tampered signed header", call: listVpcs, wantCode: code, wantMsg: "verify aksk signature fail",
			mutate: func(r *http.Request, b []byte) []byte { r.Header.Set("X-Project-Id", "someoneelse"); return b },
		},
		{
			name: "tampered custom signed header", call: putItem, wantCode: code, wantMsg: "verify aksk signature fail",
			mutate: func(r *http.Request, b []byte) []byte { r.Header.Set("X-Client-Token", "client-token-2"); return b },
		},
		{
			name: "tampered security token is rejected and not echoed", call: listVpcs, token: stsToken,
			wantCode: code, wantMsg: "x-security-token:******",
			mutate: func(r *http.Request, b []byte) []byte { r.Header.Set("X-Security-Token", stsToken+"x"); return b },
		},
		{
			name: "method changed", call: listVpcs, wantCode: code, wantMsg: "canonicalRequest:DELETE|",
			mutate: func(r *http.Request, b []byte) []byte { r.Method = http.MethodDelete; return b },
		},
		{name: "wrong secret", call: createVpc, sk: "wrong-secret", wantCode: code, wantMsg: "verify aksk signature fail"},
		{
			name: "unknown AK", call: listVpcs, ak: "HWTESTAK9999999999999", wantCode: code,
			wantMsg: "Get secretKey failed,ak:HWTESTAK9999999999999,err:ak not exist",
		},
		{
			name: "missing Authorization", call: listVpcs, wantCode: code, wantMsg: "Authorization header not found",
			mutate: func(r *http.Request, b []byte) []byte { r.Header.Del("Authorization"); return b },
		},
		{
			name: "missing X-Sdk-Date", call: listVpcs, wantCode: code, wantMsg: "x-sdk-date not found",
			mutate: func(r *http.Request, b []byte) []byte { r.Header.Del("X-Sdk-Date"); return b },
		},
		{
			name: "signed 20 minutes ago", call: listVpcs, extraHeaders: map[string]string{"X-Sdk-Date": old},
			wantCode: code, wantMsg: "signature expired, signature time:" + old,
		},
		{name: "server clock 20 minutes ahead", call: listVpcs, skew: 20 * time.Minute, wantCode: code, wantMsg: "signature expired"},
		{name: "server clock 14 minutes ahead", call: listVpcs, skew: 14 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ak, sk := hwAK, hwSK
			if tc.ak != "" {
				ak = tc.ak
			}
			if tc.sk != "" {
				sk = tc.sk
			}
			m.reset(tc.mutate, tc.skew)
			err := tc.call(huaweiClient(t, m.URL, ak, sk, tc.token, tc.extraHeaders))
			assertVerdict(t, m.lastVerdict(t), http.StatusUnauthorized, tc.wantCode, tc.wantMsg)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("SDK call failed: %v", err)
				}
				return
			}
			var se *sdkerr.ServiceResponseError
			if !errors.As(err, &se) {
				t.Fatalf("SDK error %T %v, want ServiceResponseError", err, err)
			}
			if se.StatusCode != http.StatusUnauthorized || se.ErrorCode != tc.wantCode {
				t.Fatalf("SDK saw %d %s, want 401 %s", se.StatusCode, se.ErrorCode, tc.wantCode)
			}
		})
	}
}

// TestSignHuaweiVerifies checks SignHuawei against VerifyHuawei, both
// directly and across a real connection to the mock.
func TestSignHuaweiVerifies(t *testing.T) {
	m := newMockCloud(t, signature.VerifyHuawei, lookupOf(hwAK, hwSK), writeHuaweiError, `{}`)
	body := []byte(`{"vpc":{"name":"signed-by-us"}}`)
	newReq := func() *http.Request {
		r, err := http.NewRequest(http.MethodPost, m.URL+"/v1/"+hwProject+"/vpcs/a%20b+c?limit=5&marker=x%2By&empty=", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Project-Id", hwProject)
		r.Header.Set("User-Agent", "signature-test")
		// Stale credentials from an earlier signature must be replaced.
		r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=OLD, SignedHeaders=x-sdk-date, Signature=00")
		r.Header.Set("X-Sdk-Date", "20000101T000000Z")
		return r
	}

	now := time.Now()
	r := newReq()
	if err := signature.SignHuawei(r, body, hwAK, hwSK, now); err != nil {
		t.Fatal(err)
	}
	if got := signature.AccessKey(r, body); got != hwAK {
		t.Fatalf("AccessKey = %q", got)
	}
	if e := signature.VerifyHuawei(r, body, lookupOf(hwAK, hwSK), now); e != nil {
		t.Fatalf("direct verify: %v", e)
	}
	if e := signature.VerifyHuawei(r, []byte(`{}`), lookupOf(hwAK, hwSK), now); e == nil {
		t.Fatal("direct verify accepted another body")
	}

	m.reset(nil, 0)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	assertVerdict(t, m.lastVerdict(t), 0, "", "")

	// An old signing time must be caught by the server's skew check.
	r = newReq()
	if err := signature.SignHuawei(r, body, hwAK, hwSK, now.Add(-20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	m.reset(nil, 0)
	resp, err = http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	assertVerdict(t, m.lastVerdict(t), http.StatusUnauthorized, "APIGW.0301", "signature expired")

	if err := signature.SignHuawei(newReq(), body, "", hwSK, now); err == nil {
		t.Fatal("SignHuawei accepted an empty AK")
	}
}

// TestSignHuaweiMatchesSDKSigner compares SignHuawei with the SDK's own
// signer on the same request, header for header.
func TestSignHuaweiMatchesSDKSigner(t *testing.T) {
	const date = "20240102T030405Z"
	when, _ := time.Parse("20060102T150405Z", date)
	body := map[string]any{"name": "x y", "n": 1}
	sdkReq := request.NewHttpRequestBuilder().
		WithEndpoint("https://vpc.cn-north-4.myhuaweicloud.com").
		WithMethod(http.MethodPost).
		WithPath("/v1/"+hwProject+"/items/a b+c~ä").
		AddQueryParam("limit", reflect.ValueOf(5)).
		AddQueryParam("tags", reflect.ValueOf([]string{"b", "a c"})).
		AddQueryParam("marker", reflect.ValueOf("m/+=&")).
		AddHeaderParam("Content-Type", "application/json;charset=UTF-8").
		AddHeaderParam("X-Project-Id", hwProject).
		AddHeaderParam("X-Sdk-Date", date).
		AddHeaderParam("User-Agent", "huaweicloud-usdk-go/3.0").
		WithBody("", body).
		Build()
	extra, err := signer.Sign(sdkReq, hwAK, hwSK)
	if err != nil {
		t.Fatal(err)
	}
	want := extra["Authorization"]

	hr, err := sdkReq.ConvertRequest()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(hr.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := signature.SignHuawei(hr, raw, hwAK, hwSK, when); err != nil {
		t.Fatal(err)
	}
	if got := hr.Header.Get("Authorization"); got != want {
		t.Fatalf("SignHuawei Authorization\n got %s\nwant %s", got, want)
	}

	// Other signers put host in SignedHeaders; the gateway then checks the
	// Host the request arrived with.
	hostReq := request.NewHttpRequestBuilder().
		WithEndpoint("https://vpc.cn-north-4.myhuaweicloud.com").
		WithMethod(http.MethodGet).
		WithPath("/v1/"+hwProject+"/vpcs").
		AddHeaderParam("Host", "vpc.cn-north-4.myhuaweicloud.com").
		AddHeaderParam("X-Sdk-Date", date).
		Build()
	extra, err = signer.Sign(hostReq, hwAK, hwSK)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(extra["Authorization"], "SignedHeaders=host;x-sdk-date,") {
		t.Fatalf("SDK did not sign host: %s", extra["Authorization"])
	}
	hr, err = hostReq.ConvertRequest()
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Authorization", extra["Authorization"])
	if e := signature.VerifyHuawei(hr, nil, lookupOf(hwAK, hwSK), when); e != nil {
		t.Fatalf("host-signed request rejected: %v", e)
	}
	hr.Host = "evil.example.com"
	if e := signature.VerifyHuawei(hr, nil, lookupOf(hwAK, hwSK), when); e == nil || !strings.Contains(e.Message, "host:evil.example.com") {
		t.Fatalf("changed Host: %v", e)
	}
}

// ---------------------------------------------------------------- Alibaba

func alibabaClient(t *testing.T, endpoint, ak, secret, token, algorithm string) *openapi.Client {
	t.Helper()
	cfg := &openapiutil.Config{
		AccessKeyId:     dara.String(ak),
		AccessKeySecret: dara.String(secret),
		Endpoint:        dara.String(endpoint),
		Protocol:        dara.String("http"),
	}
	if token != "" {
		cfg.SecurityToken = dara.String(token)
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func unlockUsers(c *openapi.Client, withBody bool) (map[string]any, error) {
	params := &openapiutil.Params{
		Action:      dara.String("UnlockUsers"),
		Version:     dara.String("2019-12-09"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
	req := &openapiutil.OpenApiRequest{Query: map[string]*string{
		"InstanceId": dara.String("dms-instance-1"),
		"UserIds":    dara.String(`["1","2"]`),
		"Note":       dara.String("a b*c~d+e/f&g=h ä"),
	}}
	if withBody {
		req.Body = map[string]any{"Comment": "form body * ~ + & = ä", "Count": 3}
	}
	return c.CallApiWithCtx(context.Background(), params, req, &dara.RuntimeOptions{})
}

func setQuery(key, value string) func(*http.Request, []byte) []byte {
	return func(r *http.Request, b []byte) []byte {
		q := r.URL.Query()
		q.Set(key, value)
		r.URL.RawQuery = q.Encode()
		return b
	}
}

func TestVerifyAlibabaWithSDK(t *testing.T) {
	m := newMockCloud(t, signature.VerifyAlibaba, lookupOf(aliAK, aliSecret), writeAlibabaError, `{"RequestId":"x","Results":[]}`)
	endpoint := strings.TrimPrefix(m.URL, "http://")

	changeHost := func(r *http.Request, b []byte) []byte { r.Host = "dms-enterprise.aliyuncs.com"; return b }
	dropAuth := func(r *http.Request, b []byte) []byte { r.Header.Del("Authorization"); return b }
	tamperBody := func(r *http.Request, b []byte) []byte {
		return bytes.Replace(b, []byte("Count=3"), []byte("Count=4"), 1)
	}
	dropSignature := func(r *http.Request, b []byte) []byte {
		q := r.URL.Query()
		q.Del("Signature")
		r.URL.RawQuery = q.Encode()
		return b
	}

	type tc struct {
		name       string
		algorithm  string // "" = SDK default (ACS3-HMAC-SHA256)
		withBody   bool
		ak, secret string
		token      string
		mutate     func(*http.Request, []byte) []byte
		skew       time.Duration
		wantStatus int
		wantCode   string
		wantMsg    string
	}
	const mismatch = "Specified signature is not matched with our calculation. server string to sign is:"
	cases := []tc{
		// ACS3-HMAC-SHA256
		{name: "ACS3 accepted"},
		{name: "ACS3 with form body accepted", withBody: true},
		{name: "ACS3 with STS token accepted", token: stsToken},
		{name: "ACS3 tampered query param", mutate: setQuery("InstanceId", "dms-instance-2"), wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: mismatch + "ACS3-HMAC-SHA256\n"},
		{name: "ACS3 added query param", mutate: setQuery("Force", "true"), wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: mismatch},
		{name: "ACS3 tampered form body", withBody: true, mutate: tamperBody, wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: mismatch},
		{
			name: "ACS3 tampered action header", wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: "x-acs-action:DeleteUsers",
			mutate: func(r *http.Request, b []byte) []byte { r.Header.Set("X-Acs-Action", "DeleteUsers"); return b },
		},
		{
			name: "ACS3 tampered STS token is not echoed", token: stsToken, wantStatus: 400, wantCode: "SignatureDoesNotMatch",
			wantMsg: "x-acs-security-token:******",
			mutate:  func(r *http.Request, b []byte) []byte { r.Header.Set("X-Acs-Security-Token", stsToken+"x"); return b },
		},
		{name: "ACS3 host changed", mutate: changeHost, wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: "host:dms-enterprise.aliyuncs.com"},
		{name: "ACS3 wrong secret", secret: "wrong-secret", wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: mismatch},
		{name: "ACS3 unknown AK", ak: "LTAI5tUnknownKey0000", wantStatus: 404, wantCode: "InvalidAccessKeyId.NotFound", wantMsg: "Specified access key is not found."},
		{name: "ACS3 missing Authorization", mutate: dropAuth, wantStatus: 400, wantCode: "MissingSignature", wantMsg: "Signature"},
		{
			name: "ACS3 host left out of SignedHeaders", wantStatus: 400, wantCode: "IncompleteSignature",
			mutate: func(r *http.Request, b []byte) []byte {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=host;", "SignedHeaders=", 1))
				return b
			},
		},
		{name: "ACS3 server clock 20 minutes ahead", skew: 20 * time.Minute, wantStatus: 400, wantCode: "InvalidTimeStamp.Expired", wantMsg: "expired"},
		{name: "ACS3 server clock 20 minutes behind", skew: -20 * time.Minute, wantStatus: 400, wantCode: "InvalidTimeStamp.Expired", wantMsg: "expired"},

		// classic RPC HMAC-SHA1 ("v2")
		{name: "v2 accepted", algorithm: "v2"},
		{name: "v2 with form body accepted", algorithm: "v2", withBody: true},
		{name: "v2 with STS token accepted", algorithm: "v2", token: stsToken},
		{name: "v2 host changed still accepted", algorithm: "v2", mutate: changeHost},
		{name: "v2 tampered query param", algorithm: "v2", mutate: setQuery("InstanceId", "dms-instance-2"), wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: mismatch + "POST&%2F&AccessKeyId%3D" + aliAK},
		{name: "v2 tampered action", algorithm: "v2", mutate: setQuery("Action", "DeleteUsers"), wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: "Action%3DDeleteUsers"},
		{name: "v2 tampered form body", algorithm: "v2", withBody: true, mutate: tamperBody, wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: "Count%3D4"},
		{
			name: "v2 tampered STS token is not echoed", algorithm: "v2", token: stsToken, wantStatus: 400, wantCode: "SignatureDoesNotMatch",
			wantMsg: "SecurityToken%3D" + strings.Repeat("%252A", 6), mutate: setQuery("SecurityToken", stsToken+"x"),
		},
		{name: "v2 wrong secret", algorithm: "v2", secret: "wrong-secret", wantStatus: 400, wantCode: "SignatureDoesNotMatch", wantMsg: mismatch},
		{name: "v2 unknown AK", algorithm: "v2", ak: "LTAI5tUnknownKey0000", wantStatus: 404, wantCode: "InvalidAccessKeyId.NotFound", wantMsg: "Specified access key is not found."},
		{name: "v2 missing Signature", algorithm: "v2", mutate: dropSignature, wantStatus: 400, wantCode: "MissingSignature", wantMsg: "Signature"},
		{name: "v2 stale Timestamp", algorithm: "v2", skew: 20 * time.Minute, wantStatus: 400, wantCode: "InvalidTimeStamp.Expired", wantMsg: "expired"},
		{name: "v2 server clock 14 minutes ahead", algorithm: "v2", skew: 14 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ak, secret := aliAK, aliSecret
			if c.ak != "" {
				ak = c.ak
			}
			if c.secret != "" {
				secret = c.secret
			}
			m.reset(c.mutate, c.skew)
			res, err := unlockUsers(alibabaClient(t, endpoint, ak, secret, c.token, c.algorithm), c.withBody)
			assertVerdict(t, m.lastVerdict(t), c.wantStatus, c.wantCode, c.wantMsg)

			// Make sure the case really exercised the intended signature form.
			r, _ := m.lastRequest(t)
			isACS3 := strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256 ")
			if want := c.algorithm == ""; isACS3 != want {
				t.Fatalf("ACS3 request = %v, want %v", isACS3, want)
			}

			if c.wantCode == "" {
				if err != nil {
					t.Fatalf("SDK call failed: %v", err)
				}
				if b, _ := res["body"].(map[string]any); b == nil || b["RequestId"] != "x" {
					t.Fatalf("unexpected SDK result %v", res)
				}
				return
			}
			var se *tea.SDKError
			if !errors.As(err, &se) {
				t.Fatalf("SDK error %T %v, want *tea.SDKError", err, err)
			}
			if dara.StringValue(se.Code) != c.wantCode || dara.IntValue(se.StatusCode) != c.wantStatus {
				t.Fatalf("SDK saw %d %s, want %d %s", dara.IntValue(se.StatusCode), dara.StringValue(se.Code), c.wantStatus, c.wantCode)
			}
		})
	}
}

// TestSignAlibabaACS3Verifies checks SignAlibabaACS3 against VerifyAlibaba,
// both directly and across a real connection to the mock.
func TestSignAlibabaACS3Verifies(t *testing.T) {
	m := newMockCloud(t, signature.VerifyAlibaba, lookupOf(aliAK, aliSecret), writeAlibabaError, `{"RequestId":"x"}`)
	body := []byte("Comment=hello%20world&Count=3")
	newReq := func(target string) *http.Request {
		r, err := http.NewRequest(http.MethodPost, target+"/?InstanceId=i-1&UserIds=%5B%221%22%5D&Empty=", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("x-acs-action", "UnlockUsers")
		r.Header.Set("x-acs-version", "2019-12-09")
		r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=OLD,SignedHeaders=host,Signature=00")
		return r
	}

	now := time.Now()
	r := newReq(m.URL)
	if err := signature.SignAlibabaACS3(r, body, aliAK, aliSecret, now); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"x-acs-date", "x-acs-content-sha256", "x-acs-signature-nonce"} {
		if r.Header.Get(h) == "" {
			t.Fatalf("%s not set", h)
		}
	}
	if got := signature.AccessKey(r, body); got != aliAK {
		t.Fatalf("AccessKey = %q", got)
	}
	if e := signature.VerifyAlibaba(r, body, lookupOf(aliAK, aliSecret), now); e != nil {
		t.Fatalf("direct verify: %v", e)
	}

	m.reset(nil, 0)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	assertVerdict(t, m.lastVerdict(t), 0, "", "")

	// Signed for another host: the Host header is part of the signature.
	r = newReq("http://ecs.aliyuncs.com")
	if err := signature.SignAlibabaACS3(r, body, aliAK, aliSecret, now); err != nil {
		t.Fatal(err)
	}
	if r.Host != "ecs.aliyuncs.com" {
		t.Fatalf("Host = %q", r.Host)
	}
	r.URL.Host, r.Host = strings.TrimPrefix(m.URL, "http://"), ""
	m.reset(nil, 0)
	resp, err = http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	assertVerdict(t, m.lastVerdict(t), 400, "SignatureDoesNotMatch", "host:127.0.0.1")

	// A nonce already present (from the original client) is kept.
	r = newReq(m.URL)
	r.Header.Set("x-acs-signature-nonce", "keep-me")
	if err := signature.SignAlibabaACS3(r, body, aliAK, aliSecret, now); err != nil {
		t.Fatal(err)
	}
	if got := r.Header.Get("x-acs-signature-nonce"); got != "keep-me" {
		t.Fatalf("nonce = %q", got)
	}
}

// TestSignAlibabaACS3MatchesSDK compares SignAlibabaACS3 with the SDK's
// GetAuthorization on the same request.
func TestSignAlibabaACS3MatchesSDK(t *testing.T) {
	const date = "2024-01-02T03:04:05Z"
	when, _ := time.Parse(time.RFC3339, date)
	body := []byte(`{"a":"b c"}`)
	query := map[string]*string{
		"InstanceId": dara.String("i-1"),
		"Note":       dara.String("a b*c~d+e/f&g=h ä"),
		"Empty":      dara.String(""),
	}
	headers := map[string]*string{
		"host":                  dara.String("dms-enterprise.cn-hangzhou.aliyuncs.com"),
		"x-acs-action":          dara.String("UnlockUsers"),
		"x-acs-version":         dara.String("2019-12-09"),
		"x-acs-date":            dara.String(date),
		"x-acs-signature-nonce": dara.String("nonce-1"),
		"x-acs-content-sha256":  dara.String(sha256hex(body)),
		"content-type":          dara.String("application/json; charset=utf-8"),
		"user-agent":            dara.String("not signed"),
	}
	dr := dara.NewRequest()
	dr.Method = dara.String("POST")
	dr.Pathname = dara.String("/api/v1/items*")
	dr.Query = query
	dr.Headers = headers
	want := dara.StringValue(openapiutil.GetAuthorization(dr, dara.String("ACS3-HMAC-SHA256"),
		dara.String(sha256hex(body)), dara.String(aliAK), dara.String(aliSecret)))

	q := url.Values{}
	for k, v := range query {
		q.Set(k, *v)
	}
	hr, err := http.NewRequest(http.MethodPost, "http://dms-enterprise.cn-hangzhou.aliyuncs.com/api/v1/items*?"+q.Encode(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k != "host" {
			hr.Header.Set(k, *v)
		}
	}
	if err := signature.SignAlibabaACS3(hr, body, aliAK, aliSecret, when); err != nil {
		t.Fatal(err)
	}
	if got := hr.Header.Get("Authorization"); got != want {
		t.Fatalf("SignAlibabaACS3 Authorization\n got %s\nwant %s", got, want)
	}
}

// TestVerifyAlibabaRPCMatchesSDK checks VerifyAlibaba against the SDK's
// GetRPCSignature for a GET request with reserved characters in values.
func TestVerifyAlibabaRPCMatchesSDK(t *testing.T) {
	now := time.Now().UTC()
	params := map[string]*string{
		"Action":           dara.String("DescribeInstances"),
		"Version":          dara.String("2014-05-26"),
		"Format":           dara.String("json"),
		"AccessKeyId":      dara.String(aliAK),
		"SignatureMethod":  dara.String("HMAC-SHA1"),
		"SignatureVersion": dara.String("1.0"),
		"SignatureNonce":   dara.String("nonce-2"),
		"Timestamp":        dara.String(now.Format("2006-01-02T15:04:05Z")),
		"Filter":           dara.String(`{"a b":"*~+/"}`),
	}
	sig := dara.StringValue(openapiutil.GetRPCSignature(params, dara.String("GET"), dara.String(aliSecret)))
	q := url.Values{}
	for k, v := range params {
		q.Set(k, *v)
	}
	q.Set("Signature", sig)
	r := httptest.NewRequest(http.MethodGet, "http://ecs.aliyuncs.com/?"+q.Encode(), nil)
	if e := signature.VerifyAlibaba(r, nil, lookupOf(aliAK, aliSecret), now); e != nil {
		t.Fatalf("verify: %v", e)
	}
	r.Method = http.MethodPost
	if e := signature.VerifyAlibaba(r, nil, lookupOf(aliAK, aliSecret), now); e == nil || e.Code != "SignatureDoesNotMatch" {
		t.Fatalf("method change: %v", e)
	}
}

// ---------------------------------------------------------------- AccessKey

func TestAccessKey(t *testing.T) {
	newReq := func(method, target string, body string) *http.Request {
		return httptest.NewRequest(method, target, strings.NewReader(body))
	}

	hw := newReq(http.MethodGet, "http://vpc.example.com/v1/p/vpcs", "")
	hw.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=HWAK1, SignedHeaders=x-sdk-date, Signature=abcd")

	acs3 := newReq(http.MethodPost, "http://ecs.aliyuncs.com/", "")
	acs3.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=LTAIACS3,SignedHeaders=host;x-acs-date,Signature=abcd")

	v2Query := newReq(http.MethodGet, "http://ecs.aliyuncs.com/?AccessKeyId=LTAIQUERY&Signature=x", "")

	v2Form := newReq(http.MethodPost, "http://ecs.aliyuncs.com/", "AccessKeyId=LTAIFORM&Signature=x")
	v2Form.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")

	// A form-looking body that is not declared as a form is not a parameter source.
	v2JSON := newReq(http.MethodPost, "http://ecs.aliyuncs.com/", "AccessKeyId=LTAIJSON")
	v2JSON.Header.Set("Content-Type", "application/json")

	none := newReq(http.MethodGet, "http://ecs.aliyuncs.com/?Action=X", "")

	cases := []struct {
		name string
		r    *http.Request
		body string
		want string
	}{
		{"Huawei Access=", hw, "", "HWAK1"},
		{"ACS3 Credential=", acs3, "", "LTAIACS3"},
		{"v2 AccessKeyId in query", v2Query, "", "LTAIQUERY"},
		{"v2 AccessKeyId in form body", v2Form, "AccessKeyId=LTAIFORM&Signature=x", "LTAIFORM"},
		{"body not declared as form", v2JSON, "AccessKeyId=LTAIJSON", ""},
		{"no credentials", none, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := signature.AccessKey(c.r, []byte(c.body)); got != c.want {
				t.Fatalf("AccessKey = %q, want %q", got, c.want)
			}
		})
	}
}

func sha256hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
