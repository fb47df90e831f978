//go:build benchwide

package main

import (
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/sdklog"
)

// noopwide_thing has the state shape of cloudlock_sms_task_unlock: the id and
// the required argument, a map of triggers, three computed strings of the
// same sizes and a timeouts object, so that Terraform handles instances as
// large as cloudlock's. Like cloudlock (provider.QuietLogs, through the same
// sdklog.Quiet), it switches the SDK's loggers off when Terraform would drop
// their lines, so that b wide is the floor for this shape: what Terraform and
// the framework cost, and nothing else.
func init() {
	typeName = "noopwide"
	sdklog.Quiet(sdklog.LevelVars(typeName))
	resourceSchema = rschema.Schema{Attributes: map[string]rschema.Attribute{
		"name":               rschema.StringAttribute{Required: true},
		"id":                 rschema.StringAttribute{Computed: true},
		"triggers":           rschema.MapAttribute{Optional: true, ElementType: types.StringType},
		"task_name":          rschema.StringAttribute{Computed: true},
		"target_server_id":   rschema.StringAttribute{Computed: true},
		"target_server_name": rschema.StringAttribute{Computed: true},
	}, Blocks: map[string]rschema.Block{
		// A block, as cloudlock's timeouts are.
		"timeouts": rschema.SingleNestedBlock{Attributes: map[string]rschema.Attribute{
			"create": rschema.StringAttribute{Optional: true},
			"read":   rschema.StringAttribute{Optional: true},
		}},
	}}
	newModel = func() stateModel { return &wideModel{} }
}

type wideModel struct {
	Name             types.String `tfsdk:"name"`
	ID               types.String `tfsdk:"id"`
	Triggers         types.Map    `tfsdk:"triggers"`
	TaskName         types.String `tfsdk:"task_name"`
	TargetServerID   types.String `tfsdk:"target_server_id"`
	TargetServerName types.String `tfsdk:"target_server_name"`
	Timeouts         types.Object `tfsdk:"timeouts"`
}

func (m *wideModel) fill() {
	m.ID = m.Name
	m.TaskName = types.StringValue("bench-0")
	m.TargetServerID = types.StringValue("2f6b5e1c-8d3a-4c7e-9b1f-000000000000")
	m.TargetServerName = types.StringValue("bench-0-target")
}
