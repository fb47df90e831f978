package conns

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorDetail is the text of a diagnostic for a failed operation: what was
// being done, and what the cloud said (status, code, message, request id).
// For a write, WriteErrorDetail also says what a stopped call may have done.
func ErrorDetail(doing string, err error) string {
	return errorDetail(doing, false, "", err)
}

// WriteErrorDetail is ErrorDetail for a call that changes something. When
// the call was stopped (Ctrl-C or its timeout) the cloud may have acted on
// it although no answer came back, and next says what the next apply (or
// run) does about that; "" when the caller says it after the detail.
func WriteErrorDetail(doing, next string, err error) string {
	return errorDetail(doing, true, next, err)
}

func errorDetail(doing string, write bool, next string, err error) string {
	var ce *CloudError
	var se *StoppedError
	switch {
	case IsCredentialsError(err):
		return err.Error()
	case errors.As(err, &se):
		var b strings.Builder
		if se.Interrupted() {
			// Raising a timeout would not have helped: say what happened.
			fmt.Fprintf(&b, "%s was interrupted before it finished: Terraform was stopped (Ctrl-C).", doing)
		} else {
			fmt.Fprintf(&b, "%s timed out before it finished (raise the timeout in `timeouts` if the cloud is slow).", doing)
		}
		switch {
		case write:
			b.WriteString(" The cloud may already have acted on it.")
			if next != "" {
				b.WriteString(" " + next)
			}
		case se.Interrupted():
			b.WriteString(" The state keeps what it held before; the next plan reads the cloud again.")
		}
		b.WriteString("\n\n" + lastAnswer(se.Last))
		return b.String()
	case IsCredentialsRefused(err):
		return fmt.Sprintf("%s failed: %v", doing, err)
	case errors.As(err, &ce):
		return fmt.Sprintf("%s failed.\n\n%v", doing, ce)
	default:
		return fmt.Sprintf("%s failed: %v", doing, err)
	}
}

// lastAnswer is the last thing a stopped call heard: the cloud's answer
// (with its request id) when one arrived, else the transport's error.
func lastAnswer(last error) string {
	var ce *CloudError
	if errors.As(last, &ce) && ce.HTTPStatus != 0 {
		return "Last answer: " + ce.Error()
	}
	if last == nil {
		return "No answer had arrived."
	}
	return "No answer had arrived (" + last.Error() + ")."
}
