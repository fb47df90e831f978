package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Mirrors huaweicloud-sdk-go-v3 core/auth/signer (signer.go), which is what
// every Huawei Cloud SDK and the Terraform provider sign with, and the
// checks API Gateway applies to it.
const (
	huaweiAlgorithm     = "SDK-HMAC-SHA256"
	huaweiDateHeader    = "X-Sdk-Date"
	huaweiDateFormat    = "20060102T150405Z"
	huaweiContentHeader = "X-Sdk-Content-Sha256"
	huaweiUnsigned      = "UNSIGNED-PAYLOAD"
	huaweiTokenHeader   = "x-security-token"

	huaweiStatus = http.StatusUnauthorized
	huaweiCode   = "APIGW.0301"
	huaweiPrefix = "Incorrect IAM authentication information: "
)

func huaweiError(msg string) *Error {
	return &Error{Status: huaweiStatus, Code: huaweiCode, Message: huaweiPrefix + msg}
}

// VerifyHuawei checks the SDK-HMAC-SHA256 signature (headers X-Sdk-Date and
// Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...),
// as Huawei API Gateway does. body is the full request body; now is the
// server clock for the 15 minute skew check. It returns nil when the request
// is authentic.
func VerifyHuawei(r *http.Request, body []byte, lookup Lookup, now time.Time) *Error {
	auth := r.Header.Get("Authorization")
	if strings.TrimSpace(auth) == "" {
		return huaweiError("Authorization header not found")
	}
	alg, fields, ok := parseAuthorization(auth)
	if !ok {
		return huaweiError("parse Authorization header fail")
	}
	if alg != huaweiAlgorithm {
		return huaweiError("unsupported signing algorithm " + alg)
	}
	ak, signedList, sig := fields["Access"], fields["SignedHeaders"], fields["Signature"]
	if ak == "" || signedList == "" || sig == "" {
		return huaweiError("parse Authorization header fail")
	}

	date, _ := headerPresent(r.Header, huaweiDateHeader)
	if date == "" {
		return huaweiError("x-sdk-date not found")
	}
	t, err := time.Parse(huaweiDateFormat, date)
	if err != nil {
		return huaweiError("invalid x-sdk-date " + date)
	}
	if d := now.Sub(t); d > maxSkew || d < -maxSkew {
		return huaweiError(fmt.Sprintf("signature expired, signature time:%s,server time:%s",
			date, now.UTC().Format(huaweiDateFormat)))
	}

	signed := strings.Split(signedList, ";")
	// An unsigned date would let a captured request be replayed forever.
	if !containsFold(signed, huaweiDateHeader) {
		return huaweiError("verify aksk signature fail, x-sdk-date is not signed")
	}

	secret, ok := lookup(ak)
	if !ok {
		return huaweiError(fmt.Sprintf("Get secretKey failed,ak:%s,err:ak not exist", ak))
	}

	cr, display, err := huaweiCanonicalRequest(r, body, signed)
	if err == nil {
		want := huaweiSign(secret, huaweiStringToSign(cr, t))
		got, decErr := hex.DecodeString(sig)
		if decErr == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	// API Gateway echoes its canonical request with newlines shown as '|'.
	return huaweiError("verify aksk signature fail, canonicalRequest:" + strings.ReplaceAll(display, "\n", "|"))
}

// SignHuawei (re)signs r in place with SDK-HMAC-SHA256 (sets X-Sdk-Date and
// Authorization), for the given body. Like the SDK it signs every header
// present except Content-Type, names with '_' and Host; unlike the SDK it
// also leaves out hop-by-hop and transport-managed headers, because a proxy
// or net/http may drop or rewrite them after signing.
func SignHuawei(r *http.Request, body []byte, ak, sk string, now time.Time) error {
	if ak == "" {
		return errors.New("signature: Huawei access key is empty")
	}
	if sk == "" {
		return errors.New("signature: Huawei secret key is empty")
	}
	if r.URL == nil {
		return errors.New("signature: request has no URL")
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	delHeader(r.Header, "Authorization")
	// The SDK only hashes JSON/BSON bodies; any other declared content type
	// (forms, uploads) is sent unhashed.
	if ct, ok := headerPresent(r.Header, "Content-Type"); ok &&
		!strings.Contains(ct, "application/json") && !strings.Contains(ct, "application/bson") {
		setHeader(r.Header, huaweiContentHeader, huaweiUnsigned)
	}
	t := now.UTC().Truncate(time.Second)
	setHeader(r.Header, huaweiDateHeader, t.Format(huaweiDateFormat))

	signed := huaweiHeadersToSign(r.Header)
	cr, _, err := huaweiCanonicalRequest(r, body, signed)
	if err != nil {
		return err
	}
	sig := hex.EncodeToString(huaweiSign(sk, huaweiStringToSign(cr, t)))
	r.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		huaweiAlgorithm, ak, strings.Join(signed, ";"), sig))
	return nil
}

func huaweiStringToSign(canonicalRequest string, t time.Time) string {
	return huaweiAlgorithm + "\n" + t.UTC().Format(huaweiDateFormat) + "\n" + sha256Hex([]byte(canonicalRequest))
}

func huaweiSign(secret, stringToSign string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return m.Sum(nil)
}

// notSignedByProxy are headers that net/http or an intermediary manages, so
// their value at signing time is not what the gateway will see.
var notSignedByProxy = map[string]bool{
	"authorization":       true,
	"host":                true,
	"content-length":      true,
	"transfer-encoding":   true,
	"connection":          true,
	"keep-alive":          true,
	"proxy-connection":    true,
	"proxy-authorization": true,
	"proxy-authenticate":  true,
	"te":                  true,
	"trailer":             true,
	"upgrade":             true,
}

func huaweiHeadersToSign(h http.Header) []string {
	seen := map[string]bool{}
	var out []string
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "content-type") || strings.Contains(k, "_") || notSignedByProxy[lk] || seen[lk] {
			continue
		}
		seen[lk] = true
		out = append(out, lk)
	}
	sort.Strings(out)
	return out
}

// huaweiCanonicalRequest builds the canonical request for the given signed
// headers, plus a copy with the security token redacted for error messages.
func huaweiCanonicalRequest(r *http.Request, body []byte, signed []string) (cr, display string, err error) {
	payload := sha256Hex(body)
	if v, ok := headerPresent(r.Header, huaweiContentHeader); ok {
		// A declared hash other than UNSIGNED-PAYLOAD must still be the body's,
		// or a body could be swapped under a valid signature.
		if v != huaweiUnsigned && !strings.EqualFold(v, payload) {
			err = errors.New("signature: X-Sdk-Content-Sha256 does not match the body")
		}
		payload = v
	}

	query, qerr := huaweiCanonicalQuery(r.URL.RawQuery)
	if qerr != nil && err == nil {
		err = qerr
	}

	head := strings.Join([]string{r.Method, huaweiCanonicalURI(escapedPath(r)), query}, "\n") + "\n"
	var hdr, hdrDisplay strings.Builder
	for _, key := range signed {
		vals := append([]string(nil), headerValues(r, strings.ToLower(key))...)
		sort.Strings(vals)
		for _, v := range vals {
			v = strings.TrimSpace(v)
			hdr.WriteString(key + ":" + v + "\n")
			if strings.EqualFold(key, huaweiTokenHeader) {
				v = redacted
			}
			hdrDisplay.WriteString(key + ":" + v + "\n")
		}
	}
	tail := "\n" + strings.Join(signed, ";") + "\n" + payload
	return head + hdr.String() + tail, head + hdrDisplay.String() + tail, err
}

// huaweiCanonicalURI re-encodes each path segment with the SDK's escaping
// and forces a trailing slash, as the SDK signer does.
func huaweiCanonicalURI(escaped string) string {
	segs := strings.Split(escaped, "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		segs[i] = huaweiEscape(s)
	}
	p := strings.Join(segs, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

func huaweiCanonicalQuery(raw string) (string, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "", err
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vals := append([]string(nil), q[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			parts = append(parts, huaweiEscape(k)+"="+huaweiEscape(v))
		}
	}
	return strings.Join(parts, "&"), nil
}

// huaweiEscape percent-encodes everything but A-Z a-z 0-9 - _ . ~, in upper-case hex.
func huaweiEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '_' || c == '-' || c == '~' || c == '.' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

// headerPresent finds a header whatever the case of its key, because SDKs
// sometimes fill http.Header directly with lower-case keys.
func headerPresent(h http.Header, name string) (string, bool) {
	if vs, ok := h[http.CanonicalHeaderKey(name)]; ok {
		if len(vs) == 0 {
			return "", true
		}
		return vs[0], true
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			if len(vs) == 0 {
				return "", true
			}
			return vs[0], true
		}
	}
	return "", false
}

func delHeader(h http.Header, name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}

func setHeader(h http.Header, name, value string) {
	delHeader(h, name)
	h.Set(name, value)
}
