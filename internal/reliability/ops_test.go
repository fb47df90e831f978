package reliability_test

import (
	"context"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/ecs"
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
	name       string // for test names, when op alone is ambiguous
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
	missing        func(m *mockcloud.Server)
	notFoundCode   string
	notFoundStatus int // default 404
	// call runs the operation; got is what it read (nil for a write).
	call func(ctx context.Context, c *conns.Client) (got any, err error)
	// want is the truth the mock holds for a read: got must equal it.
	want func(m *mockcloud.Server) any
	// done reports that a write's effect is in the mock.
	done func(m *mockcloud.Server) bool
	// fallback names the cells in which the operation is not the one that
	// answers: the call turns to fallbackOp, which succeeds (the batched
	// ECS read reads with the single GET when the list is refused).
	fallback   map[string]bool
	fallbackOp string
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

const (
	opServerID   = "5d1e0c2b-0000-4000-8000-00000000e001"
	opInstanceID = "bastionhost-cn-matrix01"
	opUserID     = "17"
)

var opTarget = ecs.Target{Region: acctest.HuaweiRegion, ProjectID: acctest.ProjectID, ServerID: opServerID}

func putServer(locked bool) func(m *mockcloud.Server) {
	return func(m *mockcloud.Server) {
		m.PutECSServer(mockcloud.ECSServer{ID: opServerID, Name: "matrix-ecs", Locked: locked})
	}
}

func noServer(*mockcloud.Server) {}

func putBastionUser(state string) func(m *mockcloud.Server) {
	return func(m *mockcloud.Server) {
		m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: opInstanceID, Users: []mockcloud.BastionhostUser{
			{UserID: opUserID, UserName: "matrix-user", UserState: []string{state}},
			{UserID: "18", UserName: "other-user", UserState: []string{bastionhost.StateNormal}},
		}})
	}
}

// batchCodes is what an UnlockUsers/LockUsers call read: each user's result code.
func batchCodes(res bastionhost.BatchResult, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, r := range res.Results {
		codes = append(codes, r.Code)
	}
	return codes, nil
}

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

	// ECS (#3). The project id is given, as the resource has it once
	// discovered, so each call is the one operation.
	{
		name: "ecs.NovaServerAction lock", op: "ecs.NovaServerAction", cloud: huawei, idempotent: true, answerless: true,
		setup: putServer(false), missing: noServer, notFoundCode: "itemNotFound",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			_, err := ecs.NewAPI(c).Lock(ctx, opTarget)
			return nil, err
		},
		done: func(m *mockcloud.Server) bool { v, ok := m.ECSServer(opServerID); return ok && v.Locked },
	},
	{
		name: "ecs.NovaServerAction unlock", op: "ecs.NovaServerAction", cloud: huawei, idempotent: true, answerless: true,
		setup: putServer(true), missing: noServer, notFoundCode: "itemNotFound",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			_, err := ecs.NewAPI(c).Unlock(ctx, opTarget)
			return nil, err
		},
		done: func(m *mockcloud.Server) bool { v, ok := m.ECSServer(opServerID); return ok && !v.Locked },
	},
	{
		op: "ecs.NovaShowServer", cloud: huawei, idempotent: true,
		setup: putServer(true), missing: noServer, notFoundCode: "itemNotFound",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			v, err := ecs.NewAPI(c).ShowServer(ctx, opTarget)
			if err != nil {
				return nil, err
			}
			return *v, nil
		},
		want: func(m *mockcloud.Server) any {
			v, _ := m.ECSServer(opServerID)
			return ecs.Server{ID: v.ID, Name: v.Name, Status: v.Status, Locked: v.Locked}
		},
	},

	{
		// The batched read (ecs.ReadServer): a list call by id. A 403 or
		// 404 on it turns the read to the single GET, which answers.
		name: "ecs.ListServersDetails batched read", op: "ecs.ListServersDetails", cloud: huawei, idempotent: true,
		setup: putServer(true), fallback: map[string]bool{"403": true, "404": true}, fallbackOp: "ecs.NovaShowServer",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			v, err := ecs.NewAPI(c).ReadServer(ctx, opTarget)
			if err != nil {
				return nil, err
			}
			return *v, nil
		},
		want: func(m *mockcloud.Server) any {
			v, _ := m.ECSServer(opServerID)
			return ecs.Server{ID: v.ID, Name: v.Name, Status: v.Status, Locked: v.Locked}
		},
	},

	// Bastionhost (#4)
	{
		op: "bastionhost.UnlockUsers", cloud: alibaba, idempotent: true,
		setup: putBastionUser(bastionhost.StateFrozen), missing: noServer,
		notFoundCode: "Commodity.BizError.InvalidStatus", notFoundStatus: 400,
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			return batchCodes(bastionhost.NewAPI(c).UnlockUsers(ctx, "", opInstanceID, []string{opUserID}))
		},
		want: func(*mockcloud.Server) any { return []string{bastionhost.ResultOK} },
		done: func(m *mockcloud.Server) bool {
			u, ok := m.BastionhostUser(opInstanceID, opUserID)
			return ok && !u.Frozen()
		},
	},
	{
		op: "bastionhost.LockUsers", cloud: alibaba, idempotent: true,
		setup: putBastionUser(bastionhost.StateNormal), missing: noServer,
		notFoundCode: "Commodity.BizError.InvalidStatus", notFoundStatus: 400,
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			return batchCodes(bastionhost.NewAPI(c).LockUsers(ctx, "", opInstanceID, []string{opUserID}))
		},
		want: func(*mockcloud.Server) any { return []string{bastionhost.ResultOK} },
		done: func(m *mockcloud.Server) bool {
			u, ok := m.BastionhostUser(opInstanceID, opUserID)
			return ok && u.Frozen()
		},
	},
	{
		op: "bastionhost.GetUser", cloud: alibaba, idempotent: true,
		setup: putBastionUser(bastionhost.StateFrozen), missing: noServer,
		notFoundCode: "Commodity.BizError.InvalidStatus", notFoundStatus: 400,
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			u, err := bastionhost.NewAPI(c).GetUser(ctx, "", opInstanceID, opUserID)
			if err != nil {
				return nil, err
			}
			return u.States, nil
		},
		want: func(m *mockcloud.Server) any { u, _ := m.BastionhostUser(opInstanceID, opUserID); return u.UserState },
	},
	{
		op: "bastionhost.ListUsers", cloud: alibaba, idempotent: true,
		setup: putBastionUser(bastionhost.StateFrozen), missing: noServer,
		notFoundCode: "Commodity.BizError.InvalidStatus", notFoundStatus: 400,
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			ids, _, err := bastionhost.NewAPI(c).FrozenUserIDs(ctx, "", opInstanceID)
			if err != nil {
				return nil, err
			}
			return ids, nil
		},
		want: func(*mockcloud.Server) any { return map[string]bool{opUserID: true} },
	},

	// SMS source servers (#7)
	{
		// Not idempotent: each success creates a record, so only throttling
		// and connections never made are retried.
		op: "sms.RegisterServer", cloud: huawei, idempotent: false,
		setup: noTask,
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			id, err := sms.NewAPI(c).RegisterServer(ctx, opRegistration())
			if err != nil {
				return nil, err
			}
			return id, nil
		},
		want: func(m *mockcloud.Server) any {
			if all := m.SourceServers(); len(all) == 1 {
				return all[0].ID
			}
			return nil
		},
		done: func(m *mockcloud.Server) bool { return len(m.SourceServers()) > 0 },
	},
	{
		op: "sms.ShowServer", cloud: huawei, idempotent: true,
		setup: putSource, missing: noTask, notFoundCode: "SMS.2216",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			v, err := sms.NewAPI(c).ShowServer(ctx, opSourceID)
			if err != nil {
				return nil, err
			}
			return [3]string{deref(v.Id), deref(v.Name), deref(v.Ip)}, nil
		},
		want: func(m *mockcloud.Server) any {
			v, _ := m.SourceServer(opSourceID)
			return [3]string{v.ID, v.Name, v.IP}
		},
	},
	{
		op: "sms.ListServers", cloud: huawei, idempotent: true,
		setup: putSource,
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			all, err := sms.NewAPI(c).ListServers(ctx, sms.ServerFilter{})
			if err != nil {
				return nil, err
			}
			var ids []string
			for _, v := range all {
				ids = append(ids, deref(v.Id))
			}
			return ids, nil
		},
		want: func(m *mockcloud.Server) any {
			var ids []string
			for _, v := range m.SourceServers() {
				ids = append(ids, v.ID)
			}
			return ids
		},
	},
	{
		op: "sms.UpdateServerName", cloud: huawei, idempotent: true, answerless: true,
		setup: putSource, missing: noTask, notFoundCode: "SMS.2216",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			return nil, sms.NewAPI(c).UpdateServerName(ctx, opSourceID, "renamed-by-matrix")
		},
		done: func(m *mockcloud.Server) bool {
			v, _ := m.SourceServer(opSourceID)
			return v.Name == "renamed-by-matrix"
		},
	},
	{
		op: "sms.DeleteServer", cloud: huawei, idempotent: true, answerless: true,
		setup: putSource, missing: noTask, notFoundCode: "SMS.2216",
		call: func(ctx context.Context, c *conns.Client) (any, error) {
			return nil, sms.NewAPI(c).DeleteServer(ctx, opSourceID)
		},
		done: func(m *mockcloud.Server) bool { _, ok := m.SourceServer(opSourceID); return !ok },
	},
}

const opSourceID = "3c2b1a09-0000-4000-8000-00000000c001"

func putSource(m *mockcloud.Server) {
	m.PutSourceServer(mockcloud.SourceServer{ID: opSourceID, IP: "10.0.0.9", Name: "matrix-source", Hostname: "matrix-source",
		OSType: "LINUX", OSVersion: "CENTOS_7_9_64BIT", State: "waiting", AddDate: 1731290000000})
}

// opRegistration is a registration the cloud accepts (seed 001's mandatory fields).
func opRegistration() *sms.SourceRegistration {
	ip, host, vt := "10.0.0.9", "matrix-source", "HVM"
	var osType model.PostSourceServerBodyOsType
	_ = osType.UnmarshalJSON([]byte(`"LINUX"`))
	return &sms.SourceRegistration{
		PostSourceServerBody: model.PostSourceServerBody{
			Ip: &ip, Hostname: &host, Name: host, OsType: osType, OsVersion: "CENTOS_7_9_64BIT",
			AgentVersion: "2.2.1", Networks: []model.NetWork{},
		},
		VirtualizationType: &vt,
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
