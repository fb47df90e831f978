package acctest

import (
	"context"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Moved is what MoveResourceState answered: the target state and identity
// as plain Go values (nil where null), private state and diagnostics.
type Moved struct {
	State       map[string]any
	Identity    map[string]any
	Private     []byte
	Diagnostics []*tfprotov6.Diagnostic
}

// MoveResourceState asks the provider to take state of sourceType, written
// by sourceProvider as raw JSON, into targetType, as a `moved` block does.
func (p *Protocol) MoveResourceState(sourceProvider, sourceType string, rawJSON []byte, targetType string) Moved {
	p.t.Helper()
	resp, err := p.Server.MoveResourceState(context.Background(), &tfprotov6.MoveResourceStateRequest{
		SourceProviderAddress: sourceProvider,
		SourceTypeName:        sourceType,
		SourceState:           &tfprotov6.RawState{JSON: rawJSON},
		TargetTypeName:        targetType,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	out := Moved{Private: resp.TargetPrivate, Diagnostics: resp.Diagnostics}
	if resp.TargetState != nil {
		out.State, _ = p.decode(resp.TargetState, p.schema.ResourceSchemas[targetType].ValueType()).(map[string]any)
	}
	if resp.TargetIdentity != nil && resp.TargetIdentity.IdentityData != nil {
		ids, err := p.Server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
		if err != nil {
			p.t.Fatal(err)
		}
		out.Identity, _ = p.decode(resp.TargetIdentity.IdentityData, ids.IdentitySchemas[targetType].ValueType()).(map[string]any)
	}
	return out
}

func (p *Protocol) decode(v *tfprotov6.DynamicValue, typ tftypes.Type) any {
	val, err := v.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	return plain(val)
}

// plain turns a protocol value into Go values: map, slice, string, float64
// or bool; nil for null (and for unknown, which a state never holds).
func plain(v tftypes.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case v.Type().Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		f, _ := n.Float64()
		return f
	case v.Type().Is(tftypes.Object{}), v.Type().Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			out[k] = plain(e)
		}
		return out
	default: // list, set, tuple
		var l []tftypes.Value
		_ = v.As(&l)
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = plain(e)
		}
		return out
	}
}
