package conns_test

import (
	"context"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/sms"
)

// BenchmarkHuaweiCall is one signed SMS read against the mock with a client
// that already made a call: the per-request cost of the client (the mock's
// share shows in the profile under mockcloud).
func BenchmarkHuaweiCall(b *testing.B) {
	m := mockcloud.StartT(b, mockcloud.Options{
		Huawei: mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey},
	})
	m.PutTask(mockcloud.Task{ID: task, Name: "t", State: "MIGRATE_SUCCESS", TargetServerID: "vm1"})
	api := sms.NewAPI(acctest.Client(m, 0))
	ctx := context.Background()
	if _, err := api.ShowTask(ctx, task); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := api.ShowTask(ctx, task); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHuaweiFirstCall is a new client's first call: what every
// provider process pays once per service and endpoint.
func BenchmarkHuaweiFirstCall(b *testing.B) {
	m := mockcloud.StartT(b, mockcloud.Options{
		Huawei: mockcloud.Credentials{AccessKey: acctest.HuaweiAccessKey, SecretKey: acctest.HuaweiSecretKey},
	})
	m.PutTask(mockcloud.Task{ID: task, Name: "t", State: "MIGRATE_SUCCESS", TargetServerID: "vm1"})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sms.NewAPI(acctest.Client(m, 0)).ShowTask(ctx, task); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAlibabaCall is one signed Bastionhost read against the mock with
// a client that already made a call (unpaced): the per-request cost,
// including the darabonba client each call builds (alibaba.go).
func BenchmarkAlibabaCall(b *testing.B) {
	m := mockcloud.StartT(b, mockcloud.Options{
		Alibaba: mockcloud.Credentials{AccessKey: acctest.AlibabaAccessKey, SecretKey: acctest.AlibabaSecretKey},
	})
	m.PutBastionhostInstance(mockcloud.BastionhostInstance{ID: "bastionhost-cn-bench", Users: []mockcloud.BastionhostUser{{UserID: "1", UserName: "u1"}}})
	cfg := acctest.ClientConfig(m, 0)
	cfg.RateLimits.Alibaba = 1e9
	c := conns.New(cfg)
	call := conns.AlibabaCall{Service: "bastionhost", Action: "GetUser", Version: "2019-12-09",
		Params: map[string]string{"InstanceId": "bastionhost-cn-bench", "UserId": "1"}, Idempotent: true}
	ctx := context.Background()
	var out map[string]any
	if err := c.CallAlibaba(ctx, call, &out); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.CallAlibaba(ctx, call, &out); err != nil {
			b.Fatal(err)
		}
	}
}
