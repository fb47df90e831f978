package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// BenchmarkResourceLifecycle is what Terraform asks of the provider for one
// resource in an apply and the refresh after it: ValidateResourceConfig,
// PlanResourceChange, ApplyResourceChange, ReadResource, with msgpack
// values as Terraform sends them, against the mock. It is the provider's
// share of `make bench`'s scale and refresh figures, with allocations:
//
//	go test ./internal/provider -run XXX -bench Lifecycle -benchmem -cpuprofile cpu.out
func BenchmarkResourceLifecycle(b *testing.B) {
	m := mockcloud.StartT(b, mockcloud.Options{
		Huawei:    mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey},
		Alibaba:   mockcloud.Credentials{AccessKey: acctest.AlibabaAccessKey, SecretKey: acctest.AlibabaSecretKey},
		ProjectID: acctest.ProjectID,
		Region:    acctest.HuaweiRegion,
	})
	cases := []struct {
		typ   string
		attrs func(i int) map[string]tftypes.Value
		put   func(i int)
	}{
		{
			typ: "cloudlock_sms_task_unlock",
			attrs: func(i int) map[string]tftypes.Value {
				return map[string]tftypes.Value{"task_id": tftypes.NewValue(tftypes.String, fmt.Sprintf("7a9a9540-ff28-4869-b9e4-%012d", i))}
			},
			put: func(i int) {
				m.PutTask(mockcloud.Task{ID: fmt.Sprintf("7a9a9540-ff28-4869-b9e4-%012d", i), Name: "t", State: "MIGRATE_SUCCESS",
					TargetServerID: "vm", TargetServerName: "vmname", TargetLocked: true})
			},
		},
		{
			typ: "cloudlock_ecs_server_lock",
			attrs: func(i int) map[string]tftypes.Value {
				return map[string]tftypes.Value{"server_id": tftypes.NewValue(tftypes.String, fmt.Sprintf("2f6b5e1c-8d3a-4c7e-9b1f-%012d", i))}
			},
			put: func(i int) {
				m.PutECSServer(mockcloud.ECSServer{ID: fmt.Sprintf("2f6b5e1c-8d3a-4c7e-9b1f-%012d", i), Name: "s", Status: "ACTIVE"})
			},
		},
	}
	for _, c := range cases {
		b.Run(c.typ, func(b *testing.B) {
			p := acctest.NewProtocol(b, m)
			ctx := context.Background()
			schemas, err := p.Server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
			if err != nil {
				b.Fatal(err)
			}
			typ := schemas.ResourceSchemas[c.typ].ValueType().(tftypes.Object)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				c.put(i)
				config := objectWith(typ, c.attrs(i))
				i++
				lifecycle(ctx, b, p.Server, c.typ, typ, config)
			}
		})
	}
}

// objectWith is an object of typ whose attributes are null but for attrs.
func objectWith(typ tftypes.Object, attrs map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
			continue
		}
		vals[name] = tftypes.NewValue(t, nil)
	}
	return tftypes.NewValue(typ, vals)
}

// lifecycle runs the RPCs of one create and one refresh. The proposed new
// state of a create is the configuration (computed values null).
func lifecycle(ctx context.Context, b *testing.B, srv tfprotov6.ProviderServer, name string, typ tftypes.Object, config tftypes.Value) {
	dv := func(v tftypes.Value) *tfprotov6.DynamicValue {
		d, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			b.Fatal(err)
		}
		return &d
	}
	null := dv(tftypes.NewValue(typ, nil))
	cfg := dv(config)
	vr, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: name, Config: cfg})
	check(b, "ValidateResourceConfig", err, vr.Diagnostics)
	plan, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: name, PriorState: null, ProposedNewState: cfg, Config: cfg,
	})
	check(b, "PlanResourceChange", err, plan.Diagnostics)
	applied, err := srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: name, PriorState: null, PlannedState: plan.PlannedState, Config: cfg,
	})
	check(b, "ApplyResourceChange", err, applied.Diagnostics)
	read, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: name, CurrentState: applied.NewState})
	check(b, "ReadResource", err, read.Diagnostics)
}

func check(b *testing.B, rpc string, err error, diags []*tfprotov6.Diagnostic) {
	if err != nil || acctest.HasError(diags) {
		b.Fatalf("%s: %v %s", rpc, err, acctest.DiagText(diags))
	}
}
