package iac

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

const dataSourceWhy = "a data source: it reads what exists, it creates nothing of the solution"

// terraformPlan reads `terraform show -json` of a plan (the planned
// values, every child module's resources included) or of a state.
func (s *scanner) terraformPlan(p string, data []byte, format Format) error {
	var values *tfjson.StateValues
	if format == FormatTerraformPlan {
		var plan tfjson.Plan
		if err := json.Unmarshal(data, &plan); err != nil {
			return &Error{Path: p, Msg: "not a Terraform plan from terraform show -json: " + err.Error()}
		}
		values = plan.PlannedValues
	} else {
		var state tfjson.State
		if err := json.Unmarshal(data, &state); err != nil {
			return &Error{Path: p, Msg: "not a Terraform state from terraform show -json: " + err.Error()}
		}
		values = state.Values
	}
	if values == nil || values.RootModule == nil {
		return nil // an empty plan: nothing to create
	}
	return s.planModule(p, values.RootModule)
}

func (s *scanner) planModule(p string, m *tfjson.StateModule) error {
	for _, r := range m.Resources {
		if r == nil {
			continue
		}
		if r.Mode == tfjson.DataResourceMode {
			s.ignore(r.Type, dataSourceWhy, p+": "+r.Address)
			continue
		}
		if err := s.add(Resource{File: p, Name: r.Address, Type: r.Type}, tfTypes, valuesLookup(r.AttributeValues)); err != nil {
			return err
		}
	}
	for _, child := range m.ChildModules {
		if child == nil {
			continue
		}
		if err := s.planModule(p, child); err != nil {
			return err
		}
	}
	return nil
}

// valuesLookup reads a planned resource's attribute values, where a
// nested block is a list of objects.
func valuesLookup(values map[string]any) lookup {
	return func(path []string) ([]string, string, bool) {
		vals, ok := planValues(values, path)
		return vals, "", ok
	}
}

func planValues(v any, path []string) ([]string, bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case []any:
		var out []string
		found := false
		for _, item := range v {
			if vals, ok := planValues(item, path); ok {
				out, found = append(out, vals...), true
			}
		}
		return out, found
	case map[string]any:
		if len(path) == 0 {
			return nil, true
		}
		return planValues(v[path[0]], path[1:])
	}
	if len(path) > 0 {
		return nil, false
	}
	return []string{fmt.Sprint(v)}, true
}

// terraformConfig reads the resource, data and module blocks of a .tf
// file. Modules are named, not followed.
func (s *scanner) terraformConfig(p string, data []byte) error {
	file, diags := hclsyntax.ParseConfig(data, p, hcl.InitialPos)
	if diags.HasErrors() {
		return hclError(p, diags)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return &Error{Path: p, Msg: "not Terraform configuration"}
	}
	for _, b := range body.Blocks {
		switch {
		case b.Type == "resource" && len(b.Labels) == 2:
			typ, addr := b.Labels[0], b.Labels[0]+"."+b.Labels[1]
			note, none := repetition(b.Body, data)
			if none {
				s.ignore(typ, note+": no instance is created", p+": "+addr)
				continue
			}
			if err := s.add(Resource{File: p, Name: addr, Type: typ, Note: note}, tfTypes, hclLookup(b.Body, data)); err != nil {
				return err
			}
		case b.Type == "data" && len(b.Labels) == 2:
			s.ignore(b.Labels[0], dataSourceWhy, p+": data."+b.Labels[0]+"."+b.Labels[1])
		case b.Type == "module" && len(b.Labels) == 1:
			ref := Reference{File: p, Name: "module." + b.Labels[0], Kind: "Terraform module",
				Why: "modules are named, not followed: give the module's .tf files too, or a plan from terraform show -json, which holds every module's resources"}
			if vals, expr, ok := attrValues(b.Body, "source", data); ok && expr == "" && len(vals) == 1 {
				ref.Source = vals[0]
			}
			s.refer(ref)
		}
	}
	return nil
}

func hclError(p string, diags hcl.Diagnostics) error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		e := &Error{Path: p, Msg: d.Summary}
		if d.Detail != "" {
			e.Msg += ": " + d.Detail
		}
		if d.Subject != nil {
			e.Line = d.Subject.Start.Line
		}
		return e
	}
	return &Error{Path: p, Msg: diags.Error()}
}

// repetition describes a resource's count or for_each, and whether a
// literal count of zero means no instance at all.
func repetition(body *hclsyntax.Body, src []byte) (note string, none bool) {
	for _, name := range []string{"count", "for_each"} {
		attr, ok := body.Attributes[name]
		if !ok {
			continue
		}
		note = name + " = " + exprText(attr.Expr, src)
		if v, diags := attr.Expr.Value(nil); !diags.HasErrors() && v.IsKnown() && !v.IsNull() {
			switch {
			case v.Type() == cty.Number:
				none = v.AsBigFloat().Sign() == 0
			case v.CanIterateElements():
				none = v.LengthInt() == 0
			}
		}
		return note, none
	}
	return "", false
}

// hclLookup reads a resource block's attributes and nested blocks. Only
// literals are read: an expression with a variable, a reference or a
// function call is named instead.
func hclLookup(body *hclsyntax.Body, src []byte) lookup {
	return func(path []string) ([]string, string, bool) {
		return bodyValues(body, path, src)
	}
}

func bodyValues(body *hclsyntax.Body, path []string, src []byte) ([]string, string, bool) {
	if len(path) == 0 {
		return nil, "", true
	}
	if len(path) == 1 {
		if vals, expr, ok := attrValues(body, path[0], src); ok {
			return vals, expr, ok
		}
	} else if attr, ok := body.Attributes[path[0]]; ok {
		v, expr := literalValue(attr.Expr, src)
		if expr != "" {
			return nil, expr, true
		}
		return ctyPath(v, path[1:])
	}
	var out []string
	found := false
	for _, b := range body.Blocks {
		switch {
		case b.Type == path[0]:
			vals, expr, ok := bodyValues(b.Body, path[1:], src)
			if expr != "" {
				return nil, expr, true
			}
			if ok {
				out, found = append(out, vals...), true
			}
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == path[0]:
			return nil, "a dynamic block", true
		}
	}
	return out, "", found
}

func attrValues(body *hclsyntax.Body, name string, src []byte) ([]string, string, bool) {
	attr, ok := body.Attributes[name]
	if !ok {
		return nil, "", false
	}
	v, expr := literalValue(attr.Expr, src)
	if expr != "" {
		return nil, expr, true
	}
	return ctyPath(v, nil)
}

// literalValue evaluates an expression without variables or functions,
// or names it by its source text when it needs them.
func literalValue(e hclsyntax.Expression, src []byte) (cty.Value, string) {
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return cty.NilVal, exprText(e, src)
	}
	return v, ""
}

// ctyPath follows a path into an object value and gives the strings at
// its end.
func ctyPath(v cty.Value, path []string) ([]string, string, bool) {
	for _, key := range path {
		if v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
			return nil, "", false
		}
		if v.Type().IsObjectType() {
			if !v.Type().HasAttribute(key) {
				return nil, "", false
			}
			v = v.GetAttr(key)
		} else {
			k := cty.StringVal(key)
			if !v.HasIndex(k).True() {
				return nil, "", false
			}
			v = v.Index(k)
		}
	}
	if v.IsNull() {
		return nil, "", false
	}
	var out []string
	var add func(cty.Value)
	add = func(v cty.Value) {
		switch {
		case v.IsNull():
		case v.Type() == cty.String:
			out = append(out, v.AsString())
		case v.Type() == cty.Number:
			out = append(out, v.AsBigFloat().Text('f', -1))
		case v.Type() == cty.Bool:
			out = append(out, fmt.Sprint(v.True()))
		case v.CanIterateElements():
			for it := v.ElementIterator(); it.Next(); {
				_, el := it.Element()
				add(el)
			}
		}
	}
	add(v)
	return out, "", true
}

// exprText is an expression as written, shortened for a message.
func exprText(e hclsyntax.Expression, src []byte) string {
	r := e.Range()
	if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte >= r.End.Byte {
		return "an expression"
	}
	text := strings.Join(strings.Fields(string(src[r.Start.Byte:r.End.Byte])), " ")
	if len(text) > 60 {
		text = text[:57] + "..."
	}
	return text
}
