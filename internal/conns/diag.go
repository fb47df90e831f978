package conns

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// FromProviderData returns the shared client handed to a type's Configure.
// Data is nil before the provider is configured (e.g. during validate).
func FromProviderData(data any, diags *diag.Diagnostics) *Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *conns.Client, got %T. This is a bug in the provider.", data))
		return nil
	}
	return c
}

// ErrorDetail is the text of a diagnostic for a failed operation: what was
// being done, and what the cloud said (status, code, message, request id).
func ErrorDetail(doing string, err error) string {
	var ce *CloudError
	var se *StoppedError
	switch {
	case IsCredentialsError(err):
		return err.Error()
	case errors.As(err, &se):
		return fmt.Sprintf("%s %s before it could finish (raise the timeout in `timeouts` if the cloud is slow).\n\nLast error: %v",
			doing, se.Reason, se.Last)
	case errors.As(err, &ce):
		return fmt.Sprintf("%s failed.\n\n%v", doing, ce)
	default:
		return fmt.Sprintf("%s failed: %v", doing, err)
	}
}
