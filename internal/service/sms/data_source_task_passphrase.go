package sms

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

// NewTaskPassphraseDataSource is the constructor of the data source cloudlock_sms_task_passphrase.
func NewTaskPassphraseDataSource() datasource.DataSource { return &taskPassphraseDataSource{} }

type taskPassphraseDataSource struct{ client *conns.Client }

var _ datasource.DataSourceWithConfigure = (*taskPassphraseDataSource)(nil)

type taskPassphraseModel struct {
	ID         types.String   `tfsdk:"id"`
	TaskID     types.String   `tfsdk:"task_id"`
	Passphrase types.String   `tfsdk:"passphrase"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

const passphraseDescription = "The certificate passphrase of the task's secure transmission channel."

func (d *taskPassphraseDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_task_passphrase"
}

func (d *taskPassphraseDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the certificate passphrase of an SMS migration task's secure transmission channel " +
			"(`GET /v3/tasks/{task_id}/passphrase`). The passphrase is sensitive but **is stored in state and plan files**; " +
			"with Terraform 1.10 or later prefer the ephemeral resource `cloudlock_sms_task_passphrase`, which never is.",
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

func (d *taskPassphraseDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = operation.ProviderClient(req.ProviderData, &resp.Diagnostics)
}

func (d *taskPassphraseDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m taskPassphraseModel
	ctx, cancel, ok := operation.Start(ctx, req.Config, &m, operation.DataSourceRead(&m.Timeouts, 2*time.Minute), &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	pass, err := readPassphrase(ctx, d.client, m.TaskID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("task_id"), "Failed to read the passphrase of an SMS task", err.Error())
		return
	}
	m.ID = m.TaskID
	m.Passphrase = types.StringValue(pass)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// readPassphrase is shared by the data source and the ephemeral resource.
func readPassphrase(ctx context.Context, c *conns.Client, taskID string) (string, error) {
	if c == nil {
		return "", fmt.Errorf("the provider is not configured")
	}
	pass, err := NewAPI(c).ShowPassphrase(ctx, taskID)
	if err != nil {
		return "", fmt.Errorf("%s", conns.ErrorDetail(fmt.Sprintf("Reading the passphrase of SMS task %q", taskID), err))
	}
	return pass, nil
}
