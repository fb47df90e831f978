package conns

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// CloudError is a failed cloud call, with what the cloud said about it.
type CloudError struct {
	Cloud      string // "Huawei Cloud" or "Alibaba Cloud"
	Operation  string // e.g. "sms.UnlockTargetEcs"
	HTTPStatus int    // 0 when no answer was received
	Code       string // the cloud's error code, e.g. SMS.9004
	Message    string
	RequestID  string
	// Attempts is how many times the call was sent.
	Attempts int
	// RetryAfter is the answer's Retry-After, when it had one.
	RetryAfter time.Duration
	// Err is the transport error when there was no answer.
	Err error
}

func (e *CloudError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Cloud, e.Operation)
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.HTTPStatus)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ", error code %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id: %s)", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " [after %d attempts]", e.Attempts)
	}
	return b.String()
}

func (e *CloudError) Unwrap() error { return e.Err }

// IsNotFound reports whether err is a cloud answer 404.
func IsNotFound(err error) bool { return hasStatus(err, 404) }

// IsForbidden reports whether err is a cloud answer 403.
func IsForbidden(err error) bool { return hasStatus(err, 403) }

// hasStatus: refused credentials are never "not found" or "forbidden" (Alibaba
// answers an unknown access key with 404 InvalidAccessKeyId.NotFound, which
// must not read as a resource gone).
func hasStatus(err error, status int) bool {
	var ce *CloudError
	return errors.As(err, &ce) && ce.HTTPStatus == status && !IsCredentialsRefused(err)
}

// CredentialsRefusedError is a call the cloud refused for its credentials —
// a wrong or disabled key, a secret that does not match its key, an expired
// token — named with where they came from, so the message leads to the
// setting to fix and not to what the call was for.
type CredentialsRefusedError struct {
	Source string // "access keys (HW_ACCESS_KEY, HW_SECRET_KEY)"
	Err    *CloudError
}

func (e *CredentialsRefusedError) Error() string {
	src := e.Source
	if !strings.HasPrefix(src, "the ") {
		src = "the " + src
	}
	return fmt.Sprintf("%s refused %s: check that the access key and its secret are right, belong together and are enabled "+
		"(and that a security token, if set, has not expired).\n\n%v", e.Err.Cloud, src, e.Err)
}

func (e *CredentialsRefusedError) Unwrap() error { return e.Err }

// IsCredentialsRefused reports whether the cloud refused the credentials.
func IsCredentialsRefused(err error) bool {
	var re *CredentialsRefusedError
	return errors.As(err, &re)
}

// alibabaRefusedCodes are Alibaba's codes for credentials it does not take
// (POP gateway; the same for every RPC API).
var alibabaRefusedCodes = map[string]bool{
	"InvalidAccessKeyId.NotFound": true, "InvalidAccessKeyId.Inactive": true, "InvalidAccessKeyId": true,
	"SignatureDoesNotMatch": true, "IncompleteSignature": true,
	"InvalidSecurityToken.Expired": true, "InvalidSecurityToken.Malformed": true, "InvalidSecurityToken.MismatchWithAccessKey": true,
}

// refused wraps err when the cloud's answer refuses the credentials of
// source: Huawei's API Gateway answers 401 (APIGW.0301 and its siblings),
// Alibaba one of alibabaRefusedCodes.
func refused(err error, source string) error {
	var ce *CloudError
	var se *StoppedError
	if err == nil || source == "" || !errors.As(err, &ce) || IsCredentialsRefused(err) || errors.As(err, &se) {
		return err
	}
	if ce.HTTPStatus == http.StatusUnauthorized || (ce.Cloud == "Alibaba Cloud" && alibabaRefusedCodes[ce.Code]) {
		return &CredentialsRefusedError{Source: source, Err: ce}
	}
	return err
}
