// Package operation holds the preamble every Create, Read, Update, Delete,
// Invoke and Open of the service packages starts with: read the model,
// take the operation's timeout from it, and give the context that deadline.
package operation

import (
	"context"
	"time"

	actiontimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	datasourcetimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	ephemeraltimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Source is where a model is read from: a request's tfsdk.Plan, tfsdk.State
// or tfsdk.Config.
type Source interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// Timeout is one operation's timeout: the configured duration, or the
// default. It reads the timeouts value when called, so it may point into a
// model that is not read yet.
type Timeout func(ctx context.Context) (time.Duration, diag.Diagnostics)

// Start reads m from src, then gives ctx the deadline of t (usually one of
// m's own timeouts, such as Create(&m.Timeouts, ...)). When diags has an
// error, earlier ones included, it returns false and there is nothing to
// cancel; otherwise the caller defers cancel.
func Start[M any](ctx context.Context, src Source, m *M, t Timeout, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	diags.Append(src.Get(ctx, m)...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	return WithTimeout(ctx, t, diags)
}

// WithTimeout gives ctx the deadline of t, for an operation whose model is
// already read. When diags has an error, earlier ones included, it returns
// false and there is nothing to cancel; otherwise the caller defers cancel.
func WithTimeout(ctx context.Context, t Timeout, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	d, ds := t(ctx)
	diags.Append(ds...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, true
}

// Create is a resource's create timeout in *v, def when not configured.
func Create(v *timeouts.Value, def time.Duration) Timeout {
	return func(ctx context.Context) (time.Duration, diag.Diagnostics) { return v.Create(ctx, def) }
}

// Read is a resource's read timeout in *v, def when not configured.
func Read(v *timeouts.Value, def time.Duration) Timeout {
	return func(ctx context.Context) (time.Duration, diag.Diagnostics) { return v.Read(ctx, def) }
}

// Update is a resource's update timeout in *v, def when not configured.
func Update(v *timeouts.Value, def time.Duration) Timeout {
	return func(ctx context.Context) (time.Duration, diag.Diagnostics) { return v.Update(ctx, def) }
}

// Delete is a resource's delete timeout in *v, def when not configured.
func Delete(v *timeouts.Value, def time.Duration) Timeout {
	return func(ctx context.Context) (time.Duration, diag.Diagnostics) { return v.Delete(ctx, def) }
}

// Invoke is an action's invoke timeout in *v, def when not configured.
func Invoke(v *actiontimeouts.Value, def time.Duration) Timeout {
	return func(ctx context.Context) (time.Duration, diag.Diagnostics) { return v.Invoke(ctx, def) }
}

// DataSourceRead is a data source's read timeout in *v, def when not configured.
func DataSourceRead(v *datasourcetimeouts.Value, def time.Duration) Timeout {
	return func(ctx context.Context) (time.Duration, diag.Diagnostics) { return v.Read(ctx, def) }
}

// Open is an ephemeral resource's open timeout in *v, def when not configured.
func Open(v *ephemeraltimeouts.Value, def time.Duration) Timeout {
	return func(ctx context.Context) (time.Duration, diag.Diagnostics) { return v.Open(ctx, def) }
}
