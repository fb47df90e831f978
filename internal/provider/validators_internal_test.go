package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// One mistake, one error: no attribute of any type has two validators side
// by side (both would report the same bad value); several checks are
// combined with validate.InOrder, which stops at the first that fails.
func TestNoAttributeStacksValidators(t *testing.T) {
	checked := 0
	for name, s := range allSchemas() {
		v := reflect.ValueOf(s)
		checked += checkValidators(t, name, v.FieldByName("Attributes"))
		checked += checkValidators(t, name, v.FieldByName("Blocks"))
	}
	if checked < 10 {
		t.Fatalf("only %d attributes with validators found: the walk is broken", checked)
	}
}

// No object a person writes is a nested attribute: Terraform drops a
// misspelt key of one before the provider sees it (hashicorp/terraform#33570),
// where it refuses one in a block. Computed nested attributes (read back,
// never written) are fine.
func TestWrittenObjectsAreBlocks(t *testing.T) {
	found := 0
	for name, s := range allSchemas() {
		v := reflect.ValueOf(s)
		found += countBlocks(v.FieldByName("Blocks"))
		iter := v.FieldByName("Attributes").MapRange()
		for iter.Next() {
			walkWritten(t, name+"."+iter.Key().String(), iter.Value())
		}
	}
	if found < 10 { // the provider's 8, a timeouts block per type
		t.Fatalf("only %d blocks found: the walk is broken", found)
	}
}

func walkWritten(t *testing.T, name string, attr reflect.Value) {
	t.Helper()
	if attr.Kind() == reflect.Interface {
		attr = attr.Elem()
	}
	get := attr.MethodByName("GetNestedObject")
	if !get.IsValid() {
		return
	}
	written := attr.MethodByName("IsOptional").Call(nil)[0].Bool() || attr.MethodByName("IsRequired").Call(nil)[0].Bool()
	if written {
		t.Errorf("%s is a nested attribute a person writes: make it a block, or a misspelt key in it is dropped", name)
	}
	obj := get.Call(nil)[0]
	if obj.Kind() == reflect.Interface {
		obj = obj.Elem()
	}
	iter := obj.MethodByName("GetAttributes").Call(nil)[0].MapRange()
	for iter.Next() {
		walkWritten(t, name+"."+iter.Key().String(), iter.Value())
	}
}

func countBlocks(blocks reflect.Value) int {
	n := 0
	iter := blocks.MapRange()
	for iter.Next() {
		n++
		b := iter.Value()
		if b.Kind() == reflect.Interface {
			b = b.Elem()
		}
		obj := b.MethodByName("GetNestedObject").Call(nil)[0]
		if obj.Kind() == reflect.Interface {
			obj = obj.Elem()
		}
		n += countBlocks(obj.MethodByName("GetBlocks").Call(nil)[0])
	}
	return n
}

// allSchemas is every schema of the provider, by kind and type name.
func allSchemas() map[string]any {
	ctx := context.Background()
	schemas := map[string]any{}
	{
		var resp provider.SchemaResponse
		New("test")().Schema(ctx, provider.SchemaRequest{}, &resp)
		schemas["provider"] = resp.Schema
	}
	for _, f := range resources {
		r := f()
		var m resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "cloudlock"}, &m)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		schemas["resource "+m.TypeName] = resp.Schema
	}
	for _, f := range dataSources {
		d := f()
		var m datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "cloudlock"}, &m)
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		schemas["data source "+m.TypeName] = resp.Schema
	}
	for _, f := range ephemeralResources {
		e := f()
		var m ephemeral.MetadataResponse
		e.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: "cloudlock"}, &m)
		var resp ephemeral.SchemaResponse
		e.Schema(ctx, ephemeral.SchemaRequest{}, &resp)
		schemas["ephemeral "+m.TypeName] = resp.Schema
	}
	for _, f := range actions {
		a := f()
		var m action.MetadataResponse
		a.Metadata(ctx, action.MetadataRequest{ProviderTypeName: "cloudlock"}, &m)
		var resp action.SchemaResponse
		a.Schema(ctx, action.SchemaRequest{}, &resp)
		schemas["action "+m.TypeName] = resp.Schema
	}
	return schemas
}

// checkValidators walks a map of attributes or blocks (and what they nest)
// and reports each with more than one validator; it returns how many have one.
func checkValidators(t *testing.T, where string, attrs reflect.Value) int {
	t.Helper()
	n := 0
	iter := attrs.MapRange()
	for iter.Next() {
		name := where + "." + iter.Key().String()
		attr := iter.Value()
		if attr.Kind() == reflect.Interface {
			attr = attr.Elem()
		}
		typ := attr.Type()
		for i := 0; i < typ.NumMethod(); i++ {
			m := typ.Method(i)
			if !strings.HasSuffix(m.Name, "Validators") || m.Type.NumIn() != 1 || m.Type.NumOut() != 1 || m.Type.Out(0).Kind() != reflect.Slice {
				continue
			}
			switch l := attr.Method(i).Call(nil)[0].Len(); {
			case l > 1:
				t.Errorf("%s has %d validators; combine them with validate.InOrder", name, l)
			case l == 1:
				n++
			}
		}
		if get := attr.MethodByName("GetNestedObject"); get.IsValid() {
			obj := get.Call(nil)[0]
			if obj.Kind() == reflect.Interface {
				obj = obj.Elem()
			}
			n += checkValidators(t, name, obj.MethodByName("GetAttributes").Call(nil)[0])
			if blocks := obj.MethodByName("GetBlocks"); blocks.IsValid() {
				n += checkValidators(t, name, blocks.Call(nil)[0])
			}
		}
	}
	return n
}
