package conns_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// A call stopped by Ctrl-C says it was interrupted, not that a timeout was
// too short; a write says the cloud may have acted and what the next apply
// does; the last answer's request id is kept when one arrived.
func TestStoppedCallDetail(t *testing.T) {
	answered := &conns.CloudError{Cloud: "Huawei Cloud", Operation: "sms.UnlockTargetEcs", HTTPStatus: 503,
		Code: "SMS.0001", Message: "busy", RequestID: "req-503"}
	noAnswer := &conns.CloudError{Cloud: "Huawei Cloud", Operation: "sms.UnlockTargetEcs", Err: context.Canceled}
	interrupted := func(last error) error {
		return &conns.StoppedError{Operation: "sms.UnlockTargetEcs", Reason: conns.ReasonCancelled, Last: last}
	}
	timedOut := &conns.StoppedError{Operation: "sms.UnlockTargetEcs", Reason: conns.ReasonTimedOut, Last: answered}
	const next = "Nothing was recorded in state, so the next apply sends the unlock again."
	for _, c := range []struct {
		name, got, want string
	}{
		{"write interrupted, no answer", conns.WriteErrorDetail("Unlocking the target server of SMS task \"t\"", next, interrupted(noAnswer)),
			"Unlocking the target server of SMS task \"t\" was interrupted before it finished: Terraform was stopped (Ctrl-C). " +
				"The cloud may already have acted on it. Nothing was recorded in state, so the next apply sends the unlock again.\n\n" +
				"No answer had arrived (Huawei Cloud sms.UnlockTargetEcs: context canceled)."},
		{"write interrupted after an answer", conns.WriteErrorDetail("Unlocking", next, interrupted(answered)),
			"Unlocking was interrupted before it finished: Terraform was stopped (Ctrl-C). " +
				"The cloud may already have acted on it. Nothing was recorded in state, so the next apply sends the unlock again.\n\n" +
				"Last answer: Huawei Cloud sms.UnlockTargetEcs: HTTP 503, error code SMS.0001: busy (request id: req-503)"},
		{"read interrupted", conns.ErrorDetail("Reading SMS task \"t\"", interrupted(noAnswer)),
			"Reading SMS task \"t\" was interrupted before it finished: Terraform was stopped (Ctrl-C). " +
				"The state keeps what it held before; the next plan reads the cloud again.\n\n" +
				"No answer had arrived (Huawei Cloud sms.UnlockTargetEcs: context canceled)."},
		{"write timed out", conns.WriteErrorDetail("Unlocking", next, timedOut),
			"Unlocking timed out before it finished (raise the timeout in `timeouts` if the cloud is slow). " +
				"The cloud may already have acted on it. Nothing was recorded in state, so the next apply sends the unlock again.\n\n" +
				"Last answer: Huawei Cloud sms.UnlockTargetEcs: HTTP 503, error code SMS.0001: busy (request id: req-503)"},
		{"read timed out", conns.ErrorDetail("Reading", timedOut),
			"Reading timed out before it finished (raise the timeout in `timeouts` if the cloud is slow).\n\n" +
				"Last answer: Huawei Cloud sms.UnlockTargetEcs: HTTP 503, error code SMS.0001: busy (request id: req-503)"},
		{"wrapped", conns.ErrorDetail("Reading", errors.Join(errors.New("x"), interrupted(nil))),
			"Reading was interrupted before it finished: Terraform was stopped (Ctrl-C). " +
				"The state keeps what it held before; the next plan reads the cloud again.\n\nNo answer had arrived."},
	} {
		if c.got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, c.got, c.want)
		}
	}
}
