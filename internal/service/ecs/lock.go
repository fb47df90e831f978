package ecs

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// resolveTarget says where a server is: its region (the provider's when
// unset) and project (looked up through IAM when unset). The resource and
// the actions share it.
func resolveTarget(ctx context.Context, c *conns.Client, serverID, region, projectID types.String) (Target, diag.Diagnostics) {
	var diags diag.Diagnostics
	t := Target{ServerID: serverID.ValueString(), Region: region.ValueString(), ProjectID: projectID.ValueString()}
	if region.IsNull() || region.IsUnknown() {
		t.Region = c.Config().Huawei.Region
	}
	if projectID.IsNull() || projectID.IsUnknown() {
		id, err := NewAPI(c).ProjectID(ctx, t.Region)
		if err != nil {
			diags.AddAttributeError(path.Root("project_id"), "Failed to find the project id", projectLookupDetail(c, t.Region, err))
			return t, diags
		}
		t.ProjectID = id
	}
	return t, diags
}

// projectLookupDetail says why the project of region was not found and what
// to set instead: project_id of this resource or action always works; the
// provider's huaweicloud.project_id only serves the provider's own region.
func projectLookupDetail(c *conns.Client, region string, err error) string {
	fix := fmt.Sprintf("Set project_id here to the id of the project that owns the server in region %s", region)
	if region == c.Config().Huawei.Region {
		fix += fmt.Sprintf(", or huaweicloud.project_id (or %s) in the provider, which serves the provider's region %s", conns.EnvHuaweiProjectID, region)
	}
	var refused *conns.CredentialsRefusedError
	if errors.As(err, &refused) {
		// Setting project_id would only move the refusal to the next call.
		return fmt.Sprintf("Looking up the project id of region %s failed: %v", region, refused)
	}
	var np *conns.NoProjectError
	if errors.As(err, &np) {
		return fmt.Sprintf("Looking up the project id of region %s: %v.\n\n%s.", region, err, fix)
	}
	return conns.ErrorDetail(fmt.Sprintf("Looking up the project id of region %s", region), err) + "\n\n" + fix + ", to skip the look-up."
}

// setLock locks (or unlocks) a server and waits until it reports the new
// state; false means it failed and diags say how, with next: what the next
// apply does when the call was stopped after the cloud may have acted. The
// resource and the actions share it.
func setLock(ctx context.Context, api API, t Target, locked bool, next string, diags *diag.Diagnostics) bool {
	verb, send := "lock", api.Lock
	if !locked {
		verb, send = "unlock", api.Unlock
	}
	requestID, err := send(ctx, t)
	if err != nil {
		if conns.IsNotFound(err) {
			diags.AddAttributeError(path.Root("server_id"), "ECS server not found",
				conns.ErrorDetail(fmt.Sprintf("Sending %s to %s (check server_id, region and project_id)", verb, t), err))
			return false
		}
		diags.AddAttributeError(path.Root("server_id"), "Failed to "+verb+" an ECS server",
			conns.WriteErrorDetail(fmt.Sprintf("Sending %s to %s", verb, t), next, err))
		return false
	}
	accepted := "The cloud accepted the " + verb + " (HTTP 202" + requestIDNote(requestID) + ")"
	if _, err := api.WaitLockState(ctx, t, locked); err != nil {
		var wt *WaitTimeoutError
		switch {
		case errors.As(err, &wt) && wt.Interrupted:
			diags.AddAttributeError(path.Root("server_id"), "Interrupted waiting for the ECS server to report "+verb+"ed",
				err.Error()+".\n\n"+accepted+" and may still apply it. "+next)
			return false
		case errors.As(err, &wt):
			diags.AddAttributeError(path.Root("server_id"), "Timeout waiting for the ECS server to report "+verb+"ed",
				err.Error()+".\n\n"+accepted+"; the server may still change: apply again to check (and raise timeouts if the cloud is slow).")
			return false
		}
		diags.AddAttributeError(path.Root("server_id"), "Failed to confirm the "+verb+" of an ECS server",
			conns.ErrorDetail(fmt.Sprintf("The %s of %s was accepted (HTTP 202%s), but reading the server", verb, t, requestIDNote(requestID)), err))
		return false
	}
	return true
}

// requestIDNote is ", request id: <id>" for an answer that had one.
func requestIDNote(id string) string {
	if id == "" {
		return ""
	}
	return ", request id: " + id
}
