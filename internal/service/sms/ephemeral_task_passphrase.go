package sms

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewTaskPassphraseEphemeralResource is the constructor of the ephemeral resource cloudlock_sms_task_passphrase.
func NewTaskPassphraseEphemeralResource() ephemeral.EphemeralResource {
	return &taskPassphraseEphemeral{}
}

type taskPassphraseEphemeral struct{ client *conns.Client }

var _ ephemeral.EphemeralResourceWithConfigure = (*taskPassphraseEphemeral)(nil)

type taskPassphraseEphemeralModel struct {
	ID         types.String   `tfsdk:"id"`
	TaskID     types.String   `tfsdk:"task_id"`
	Passphrase types.String   `tfsdk:"passphrase"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (e *taskPassphraseEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_task_passphrase"
}

func (e *taskPassphraseEphemeral) Schema(ctx context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the certificate passphrase of an SMS migration task's secure transmission channel " +
			"(`GET /v3/tasks/{task_id}/passphrase`) without ever writing it to state or plan files. Needs Terraform 1.10 or later. " +
			"Terraform reads it in every plan and apply.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{Computed: true, MarkdownDescription: "The task id."},
			"task_id":    schema.StringAttribute{Required: true, MarkdownDescription: taskIDDescription, Validators: taskIDValidators},
			"passphrase": schema.StringAttribute{Computed: true, Sensitive: true, MarkdownDescription: passphraseDescription},
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (e *taskPassphraseEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

func (e *taskPassphraseEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m taskPassphraseEphemeralModel
	ctx, cancel, ok := operation.Start(ctx, req.Config, &m, operation.Open(&m.Timeouts, 2*time.Minute), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	pass, err := readPassphrase(ctx, e.client, m.TaskID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("task_id"), "Failed to read the passphrase of an SMS task", err.Error())
		return
	}
	m.ID = m.TaskID
	m.Passphrase = types.StringValue(pass)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
