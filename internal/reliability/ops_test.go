package reliability_test

import (
	"context"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/sms"
)

// Clouds, as the fault tables name them.
const (
	huawei  = "huawei"
	alibaba = "alibaba"
)

// apiOp is one cloud operation the provider calls, driven through its
// service's API layer (the same functions the resources call).
type apiOp struct {
	op         string // the mock's operation name (journal, InjectFault)
	cloud      string // huawei or alibaba
	idempotent bool   // as the API layer declares it to conns
	// answerless: the success answer carries nothing the provider reads,
	// only its status (SMS unlock's `200 {}`, a Nova action's `202`), so an
	// empty 2xx body is the cloud saying "done".
	answerless bool
	// setup puts what the operation needs into the mock.
	setup func(m *mockcloud.Server)
	// missing, if set, is a setup without the object, so that the cloud
	// answers its own not-found error, notFoundCode.
	missing      func(m *mockcloud.Server)
	notFoundCode string
	// call runs the operation; got is what it read (nil for a write).
	call func(ctx context.Context, c *conns.Client) (got any, err error)
	// want is the truth the mock holds for a read: got must equal it.
	want func(m *mockcloud.Server) any
	// done reports that a write's effect is in the mock.
	done func(m *mockcloud.Server) bool
}

const (
	opTaskID     = "7a9a9540-ff28-4869-b9e4-855fbe12b001"
	opPassphrase = "Zr4-matrix-passphrase-7Qp"
)

func opTask() mockcloud.Task {
	return mockcloud.Task{ID: opTaskID, Name: "matrix-task", State: "MIGRATE_SUCCESS", Passphrase: opPassphrase,
		TargetServerID: "5d1e0c2b-0000-4000-8000-00000000a001", TargetServerName: "matrix-target", TargetLocked: true}
}

func putTask(m *mockcloud.Server) { m.PutTask(opTask()) }
func noTask(*mockcloud.Server)    {}

// apiOps is every operation the provider calls. A new service adds its
// operations here, one entry each, and the whole fault matrix covers them.
var apiOps = []apiOp{
	{
		op: "iam.KeystoneListProjects", cloud: huawei, idempotent: true,
		setup: noTask,
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			return c.HuaweiProjectID(ctx, "")
		},
		want: func(*mockcloud.Server) any { return acctest.ProjectID },
	},
	{
		op: "sms.ShowTask", cloud: huawei, idempotent: true,
		setup: putTask, missing: noTask, notFoundCode: "SMS.6301",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			t, err := sms.NewAPI(c).ShowTask(ctx, opTaskID)
			if err != nil {
				return nil, err
			}
			return *t, nil
		},
		want: func(m *mockcloud.Server) any {
			t, _ := m.Task(opTaskID)
			return sms.Task{ID: t.ID, Name: t.Name, State: t.State, TargetServerID: t.TargetServerID, TargetServerName: t.TargetServerName}
		},
	},
	{
		op: "sms.ShowPassphrase", cloud: huawei, idempotent: true,
		setup: putTask, missing: noTask, notFoundCode: "SMS.6301",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			p, err := sms.NewAPI(c).ShowPassphrase(ctx, opTaskID)
			if err != nil {
				return nil, err
			}
			return p, nil
		},
		want: func(m *mockcloud.Server) any { t, _ := m.Task(opTaskID); return t.Passphrase },
	},
	{
		op: "sms.UnlockTargetEcs", cloud: huawei, idempotent: true, answerless: true,
		setup: putTask, missing: noTask, notFoundCode: "SMS.6301",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			return nil, sms.NewAPI(c).UnlockTargetServer(ctx, opTaskID)
		},
		done: func(m *mockcloud.Server) bool { t, ok := m.Task(opTaskID); return ok && !t.TargetLocked },
	},

	// ECS (#3)

	// Bastionhost (#4)

	// SMS source servers (#7)
}
