package conns

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// answerInfo is what the transport saw of the answer to one attempt. The
// SDKs drop the HTTP status and the request-id header when an answer's body
// cannot be decoded (an HTML 503 page from a load balancer, an empty 502,
// a truncated JSON): kept here, they still reach the CloudError, so the
// retry policy and the diagnostic see the status the cloud really sent.
type answerInfo struct {
	status    int
	requestID string
}

type answerInfoKey struct{}

// withAnswerInfo gives one attempt a place for the transport to note its answer.
func withAnswerInfo(ctx context.Context) (context.Context, *answerInfo) {
	ai := &answerInfo{}
	return context.WithValue(ctx, answerInfoKey{}, ai), ai
}

// retryAfterNote is where the transport notes an answer's Retry-After for
// the pacing of the attempt (pace.go): kept apart from answerInfo, which
// each cloud's attempt makes for itself.
type retryAfterNote struct{ after time.Duration }

type retryAfterKey struct{}

func withRetryAfterNote(ctx context.Context) (context.Context, *retryAfterNote) {
	n := &retryAfterNote{}
	return context.WithValue(ctx, retryAfterKey{}, n), n
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// noteAnswer records an answer that arrived whole, for the attempt of ctx.
func noteAnswer(ctx context.Context, resp *http.Response) {
	if n, ok := ctx.Value(retryAfterKey{}).(*retryAfterNote); ok {
		n.after = retryAfter(resp.Header.Get("Retry-After"))
	}
	ai, ok := ctx.Value(answerInfoKey{}).(*answerInfo)
	if !ok {
		return
	}
	ai.status = resp.StatusCode
	ai.requestID = resp.Header.Get("X-Request-Id")
	if ai.requestID == "" {
		ai.requestID = resp.Header.Get("x-acs-request-id")
	}
}

// unreadable is the error for an answer that arrived but could not be read.
func unreadable(cloud, operation string, ai *answerInfo, why string) *CloudError {
	ce := &CloudError{Cloud: cloud, Operation: operation, HTTPStatus: ai.status, RequestID: ai.requestID}
	if ai.status >= http.StatusBadRequest {
		ce.Message = "the error answer has no readable body (" + why + ")"
	} else {
		ce.Message = "the answer could not be read: " + why
	}
	return ce
}

// sdkString cleans a string the Alibaba SDK built from a missing value: it
// writes "<nil>" for a code or request id the answer did not have.
func sdkString(s string) string {
	if s == "<nil>" {
		return ""
	}
	return s
}

// stripSDKPrefix turns darabonba's "code: 502, <msg> request id: <id>" into <msg>.
func stripSDKPrefix(msg string) string {
	if !strings.HasPrefix(msg, "code: ") {
		return msg
	}
	if i := strings.Index(msg, ", "); i >= 0 {
		msg = msg[i+2:]
	}
	if i := strings.LastIndex(msg, " request id: "); i >= 0 {
		msg = msg[:i]
	}
	return sdkString(strings.TrimSpace(msg))
}
