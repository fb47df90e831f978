package sms

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = (*sourceServerResource)(nil)

// What `moved` accepts: huaweicloud_sms_source_server of the huaweicloud
// provider (from either registry), whatever its schema version.
const (
	huaweicloudSourceType     = "huaweicloud_sms_source_server"
	huaweicloudProviderSuffix = "/huaweicloud/huaweicloud"
)

// MoveState takes over a source server from the huaweicloud provider's
// state (`moved { from = huaweicloud_sms_source_server.x  to = ... }`):
// the same SMS record, so nothing is registered again and nothing is
// replaced. The refresh that follows the move reads what SMS returns.
func (r *sourceServerResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: moveFromHuaweicloud}}
}

func moveFromHuaweicloud(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if req.SourceTypeName != huaweicloudSourceType || !strings.HasSuffix(req.SourceProviderAddress, huaweicloudProviderSuffix) {
		resp.Diagnostics.AddError("Cannot move this resource to cloudlock_sms_source_server",
			fmt.Sprintf("cloudlock_sms_source_server takes state only from %s of the huaweicloud provider "+
				"(registry.terraform.io/huaweicloud/huaweicloud); got %s of %s.\n\n"+
				"For a source server registered any other way, remove the moved block and import it by its SMS id instead.",
				huaweicloudSourceType, req.SourceTypeName, req.SourceProviderAddress))
		return
	}
	if req.SourceRawState == nil || len(req.SourceRawState.JSON) == 0 {
		resp.Diagnostics.AddError("Cannot move this resource to cloudlock_sms_source_server",
			"The state of "+huaweicloudSourceType+" is not in the JSON form Terraform 0.12 and later write; "+
				"refresh it with the huaweicloud provider first, or import the server by its SMS id instead.")
		return
	}
	var src map[string]any
	if err := json.Unmarshal(req.SourceRawState.JSON, &src); err != nil {
		resp.Diagnostics.AddError("Cannot move this resource to cloudlock_sms_source_server",
			"The state of "+huaweicloudSourceType+" could not be read: "+err.Error())
		return
	}
	m, diags := fromHuaweicloudState(src)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.TargetState.Set(ctx, &m)...)
	resp.Diagnostics.Append(setIdentityAttribute(ctx, resp.TargetIdentity, "id", m.ID)...)
	// state and migration_cycle were overwritten there with live values
	// (this resource keeps the values reported at registration), and an
	// argument may be missing from an old state: like after an import, the
	// first apply records the configured values instead of registering again.
	if resp.TargetPrivate != nil {
		resp.Diagnostics.Append(resp.TargetPrivate.SetKey(ctx, adoptKey, []byte(`true`))...)
	}
}

// fromHuaweicloudState maps the state huaweicloud_sms_source_server writes
// (SDKv2, the same names as the SMS API and as this resource) onto this
// resource. The scalars are taken over; the nested lists and what SMS
// reports live are left to the refresh that follows the move.
// timeoutsType is the type of the timeouts block, for a null value.
var timeoutsType = sourceServerResourceSchema(context.Background()).Blocks["timeouts"].Type().(timeouts.Type).ObjectType

func fromHuaweicloudState(src map[string]any) (sourceServerModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	id, _ := src["id"].(string)
	if id == "" || len(id) > 255 || !taskIDPattern.MatchString(id) {
		diags.AddError("Cannot move this resource to cloudlock_sms_source_server",
			fmt.Sprintf("The state of %s has no SMS source server id (1–255 letters, digits, '-' and '_'); got %q.", huaweicloudSourceType, id))
		return sourceServerModel{}, diags
	}
	str := func(k string) types.String {
		if s, ok := src[k].(string); ok && s != "" {
			return types.StringValue(s)
		}
		return types.StringNull()
	}
	boolean := func(k string) types.Bool {
		if b, ok := src[k].(bool); ok {
			return types.BoolValue(b)
		}
		return types.BoolNull()
	}
	integer := func(k string) types.Int64 {
		if f, ok := src[k].(float64); ok {
			return types.Int64Value(int64(f))
		}
		return types.Int64Null()
	}
	// For the arguments SMS never returns the huaweicloud state holds the
	// configured value, or the zero value (false, 0, "") that SDKv2 writes
	// for an argument left out: those move as unset, and a configuration
	// that does set them gets them recorded in place (the adopt mark).
	notReadBool := func(k string) types.Bool {
		if b, ok := src[k].(bool); ok && b {
			return types.BoolValue(true)
		}
		return types.BoolNull()
	}
	m := sourceServerModel{
		ID: types.StringValue(id), IP: str("ip"), Name: str("name"), Hostname: str("hostname"),
		OSType: str("os_type"), OSVersion: str("os_version"), Firmware: str("firmware"),
		CPUQuantity: integer("cpu_quantity"), Memory: integer("memory"),
		AgentVersion: str("agent_version"), OEMSystem: boolean("oem_system"), StartType: str("start_type"), HasTc: boolean("has_tc"),
		EnterpriseProjectID: str("enterprise_project_id"), AddDate: integer("add_date"), Connected: boolean("connected"),
		// Never returned by SMS (see notReadBool).
		VirtualizationType: str("virtualization_type"), LinuxBlockCheck: str("linux_block_check"), DomainID: str("domain_id"),
		HasRsync: notReadBool("has_rsync"), Paravirtualization: notReadBool("paravirtualization"), RawDevices: str("raw_devices"),
		DriverFiles: notReadBool("driver_files"), SystemServices: notReadBool("system_services"), AccountRights: notReadBool("account_rights"),
		BootLoader: str("boot_loader"), SystemDir: str("system_dir"), KernelVersion: str("kernel_version"), Platform: str("platform"),
		IOReadWait: types.Float64Null(),
		// Live values there, registration values here: see the adopt mark.
		MigrationCycle: types.StringNull(), State: types.StringNull(),
		// Filled by the refresh: `registered` with what SMS holds, the
		// blocks (none here) by the first apply, as after an import.
		Disks: types.ListValueMust(diskType, nil), BtrfsList: types.ListValueMust(btrfsType, nil),
		Networks: types.ListValueMust(networkType, nil), VolumeGroups: types.ListValueMust(volumeGroupType, nil),
		Registered:   types.ObjectNull(registeredType.AttrTypes),
		CurrentState: str("state"), CurrentMigrationCycle: str("migration_cycle"),
	}
	if f, ok := src["io_read_wait"].(float64); ok && f != 0 {
		m.IOReadWait = types.Float64Value(f)
	}
	m.Timeouts.Object = types.ObjectNull(timeoutsType.AttrTypes)
	return m, diags
}
