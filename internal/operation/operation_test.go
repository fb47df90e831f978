package operation_test

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/operation"
)

type model struct {
	Name     string
	Timeouts timeouts.Value
}

// source fills a model as a plan would, or fails.
type source struct {
	m    model
	fail bool
}

func (s source) Get(_ context.Context, target any) diag.Diagnostics {
	if s.fail {
		return diag.Diagnostics{diag.NewErrorDiagnostic("Value Conversion Error", "cannot read")}
	}
	*target.(*model) = s.m
	return nil
}

func configured(create string) timeouts.Value {
	return timeouts.Value{Object: types.ObjectValueMust(map[string]attr.Type{"create": types.StringType},
		map[string]attr.Value{"create": types.StringValue(create)})}
}

func TestStartReadsTheModelThenItsTimeout(t *testing.T) {
	var m model
	var diags diag.Diagnostics
	// The timeout points into m before m is read: Start must read it after.
	ctx, cancel, ok := operation.Start(context.Background(), source{m: model{Name: "a", Timeouts: configured("7m")}},
		&m, operation.Create(&m.Timeouts, time.Minute), &diags)
	if !ok || diags.HasError() {
		t.Fatalf("Start failed: %v", diags)
	}
	defer cancel()
	if m.Name != "a" {
		t.Errorf("model not read: %+v", m)
	}
	deadline, has := ctx.Deadline()
	if left := time.Until(deadline); !has || left < 6*time.Minute || left > 7*time.Minute {
		t.Errorf("deadline in %v (set %v), want the configured 7m", left, has)
	}
}

func TestStartUsesTheDefault(t *testing.T) {
	var m model
	var diags diag.Diagnostics
	m.Timeouts = configured("7m") // overwritten by the read: null timeouts
	ctx, cancel, ok := operation.Start(context.Background(), source{m: model{Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})}}},
		&m, operation.Create(&m.Timeouts, 2*time.Minute), &diags)
	if !ok {
		t.Fatalf("Start failed: %v", diags)
	}
	defer cancel()
	deadline, _ := ctx.Deadline()
	if left := time.Until(deadline); left < time.Minute || left > 2*time.Minute {
		t.Errorf("deadline in %v, want the default 2m", left)
	}
}

func TestStartStopsAtAnError(t *testing.T) {
	calledTimeout := false
	timeout := func(context.Context) (time.Duration, diag.Diagnostics) { calledTimeout = true; return time.Minute, nil }
	failingTimeout := func(context.Context) (time.Duration, diag.Diagnostics) {
		return 0, diag.Diagnostics{diag.NewErrorDiagnostic("Invalid timeout", "bad")}
	}
	earlier := diag.Diagnostics{diag.NewErrorDiagnostic("Earlier", "from the state")}

	for name, tc := range map[string]struct {
		src     source
		timeout operation.Timeout
		diags   diag.Diagnostics
		errors  int
	}{
		"the read fails":         {src: source{fail: true}, timeout: timeout, errors: 1},
		"an earlier error":       {src: source{}, timeout: timeout, diags: earlier, errors: 1},
		"the timeout is invalid": {src: source{}, timeout: failingTimeout, errors: 1},
	} {
		t.Run(name, func(t *testing.T) {
			calledTimeout = false
			var m model
			diags := append(diag.Diagnostics{}, tc.diags...)
			ctx, cancel, ok := operation.Start(context.Background(), tc.src, &m, tc.timeout, &diags)
			cancel()
			if ok || diags.ErrorsCount() != tc.errors {
				t.Errorf("ok %v with %d error(s), want false with %d: %v", ok, diags.ErrorsCount(), tc.errors, diags)
			}
			if _, has := ctx.Deadline(); has {
				t.Error("the context got a deadline although Start failed")
			}
			if calledTimeout {
				t.Error("the timeout was read although the model was not")
			}
		})
	}
}
