package conns

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
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

// huaweiThrottleCodes are API Gateway's flow-control codes.
var huaweiThrottleCodes = []string{"APIGW.0308"}

// retryable says whether a failed attempt may be sent again. Throttling,
// 5xx and connection errors are transient; other 4xx are not. A call that is
// not idempotent is retried only when the cloud cannot have acted on it:
// throttled, or the connection was never made.
func retryable(err error, idempotent bool) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ce *CloudError
	if !errors.As(err, &ce) {
		return false
	}
	if ce.HTTPStatus == 0 {
		if ce.Err == nil {
			return false
		}
		if errors.Is(ce.Err, context.Canceled) || errors.Is(ce.Err, context.DeadlineExceeded) {
			return false
		}
		if !isTransportError(ce.Err) || isCertificateError(ce.Err) {
			return false
		}
		return idempotent || neverSent(ce.Err)
	}
	if isThrottle(ce) {
		return true
	}
	if ce.HTTPStatus < 300 {
		// A success answer that could not be read (truncated, empty, not
		// JSON): the cloud may have acted, so only a call that is safe to
		// repeat asks again rather than trust or drop what it cannot read.
		return idempotent
	}
	return idempotent && ce.HTTPStatus >= 500
}

func isThrottle(ce *CloudError) bool {
	if ce.HTTPStatus == 429 || strings.HasPrefix(ce.Code, "Throttling") {
		return true
	}
	for _, c := range huaweiThrottleCodes {
		if ce.Code == c {
			return true
		}
	}
	return false
}

// isTransportError reports a failure to exchange bytes with the cloud, as
// opposed to a local error (bad request, bad credentials object).
func isTransportError(err error) bool {
	var netErr net.Error
	var urlErr *url.Error
	return errors.As(err, &netErr) || errors.As(err, &urlErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

// isCertificateError reports a TLS verification failure: no retry mends it.
func isCertificateError(err error) bool {
	var verr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	return errors.As(err, &verr) || errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host)
}

// neverSent reports a connection that failed before the request left.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
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
