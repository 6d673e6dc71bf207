package iac

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

const dataSourceWhy = "a data source: it reads what exists, it creates nothing of the solution"

// The parts of `terraform show -json` Onus reads: a plan's planned values
// or a state's values, each a tree of modules holding resources (the JSON
// output format, https://developer.hashicorp.com/terraform/internals/json-format).
type (
	tfShow struct {
		FormatVersion string    `json:"format_version"`
		PlannedValues *tfValues `json:"planned_values"` // a plan
		Values        *tfValues `json:"values"`         // a state
	}
	tfValues struct {
		RootModule *tfModule `json:"root_module"`
	}
	tfModule struct {
		Resources    []*tfResource `json:"resources"`
		ChildModules []*tfModule   `json:"child_modules"`
	}
	tfResource struct {
		Address         string         `json:"address"`
		Mode            string         `json:"mode"` // "managed" or "data"
		Type            string         `json:"type"`
		AttributeValues map[string]any `json:"values"`
	}
)

// terraformPlan reads `terraform show -json` of a plan (the planned
// values, every child module's resources included) or of a state.
func (s *scanner) terraformPlan(p string, data []byte, format Format) error {
	what := "plan"
	if format == FormatTerraformState {
		what = "state"
	}
	var show tfShow
	err := json.Unmarshal(data, &show)
	if err == nil {
		err = checkFormatVersion(what, show.FormatVersion)
	}
	if err != nil {
		return &Error{Path: p, Msg: "not a Terraform " + what + " from terraform show -json: " + err.Error()}
	}
	values := show.PlannedValues
	if format == FormatTerraformState {
		values = show.Values
	}
	if values == nil || values.RootModule == nil {
		return nil // an empty plan: nothing to create
	}
	return s.planModule(p, values.RootModule)
}

// checkFormatVersion accepts the format versions HashiCorp's own reader
// (github.com/hashicorp/terraform-json) accepts for plans and states:
// at least 0.1 and below 2.0, without a pre-release; a major version
// changes when the format does in a way a reader must know.
func checkFormatVersion(what, v string) error {
	if v == "" {
		return fmt.Errorf("unexpected %s input, format version is missing", what)
	}
	parts := strings.Split(strings.TrimPrefix(v, "v"), ".")
	nums := make([]int, 3)
	valid := len(parts) <= 3
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || !valid {
			valid = false
			break
		}
		nums[i] = n
	}
	if !valid {
		return fmt.Errorf("invalid format version %q", v)
	}
	if major, minor := nums[0], nums[1]; major >= 2 || major == 0 && minor < 1 {
		return fmt.Errorf("unsupported %s format version: %q does not satisfy \">= 0.1, < 2.0\"", what, v)
	}
	return nil
}

func (s *scanner) planModule(p string, m *tfModule) error {
	for _, r := range m.Resources {
		if r == nil {
			continue
		}
		if r.Mode == "data" {
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
	body, err := parseHCL(data)
	if err != nil {
		e := &Error{Path: p, Msg: err.Error()}
		if se, ok := err.(*hclError); ok {
			e.Line = se.line
		}
		return e
	}
	for _, b := range body.blocks {
		switch {
		case b.typ == "resource" && len(b.labels) == 2:
			typ, addr := b.labels[0], b.labels[0]+"."+b.labels[1]
			note, none := repetition(b.body)
			if none {
				s.ignore(typ, note+": no instance is created", p+": "+addr)
				continue
			}
			if err := s.add(Resource{File: p, Name: addr, Type: typ, Note: note}, tfTypes, hclLookup(b.body)); err != nil {
				return err
			}
		case b.typ == "data" && len(b.labels) == 2:
			s.ignore(b.labels[0], dataSourceWhy, p+": data."+b.labels[0]+"."+b.labels[1])
		case b.typ == "module" && len(b.labels) == 1:
			ref := Reference{File: p, Name: "module." + b.labels[0], Kind: "Terraform module",
				Why: "modules are named, not followed: give the module's .tf files too, or a plan from terraform show -json, which holds every module's resources"}
			if vals, expr, ok := attrValues(b.body, "source"); ok && expr == "" && len(vals) == 1 {
				ref.Source = vals[0]
			}
			s.refer(ref)
		}
	}
	return nil
}

// repetition describes a resource's count or for_each, and whether a
// literal count of zero (or an empty for_each) means no instance at all.
func repetition(body *tfBody) (note string, none bool) {
	for _, name := range []string{"count", "for_each"} {
		attr, ok := body.attrs[name]
		if !ok {
			continue
		}
		note = name + " = " + exprText(attr)
		if attr.literal {
			switch v := attr.val; v.kind {
			case tfNumber:
				none = v.num.Sign() == 0
			case tfList, tfObject:
				none = len(v.items) == 0
			}
		}
		return note, none
	}
	return "", false
}

// hclLookup reads a resource block's arguments and nested blocks. Only
// literals are read: an expression with a variable, a reference or a
// function call is named instead.
func hclLookup(body *tfBody) lookup {
	return func(path []string) ([]string, string, bool) {
		return bodyValues(body, path)
	}
}

func bodyValues(body *tfBody, path []string) ([]string, string, bool) {
	if len(path) == 0 {
		return nil, "", true
	}
	if len(path) == 1 {
		if vals, expr, ok := attrValues(body, path[0]); ok {
			return vals, expr, ok
		}
	} else if attr, ok := body.attrs[path[0]]; ok {
		if !attr.literal {
			return nil, exprText(attr), true
		}
		return valuePath(attr.val, path[1:])
	}
	var out []string
	found := false
	for _, b := range body.blocks {
		switch {
		case b.typ == path[0]:
			vals, expr, ok := bodyValues(b.body, path[1:])
			if expr != "" {
				return nil, expr, true
			}
			if ok {
				out, found = append(out, vals...), true
			}
		case b.typ == "dynamic" && len(b.labels) == 1 && b.labels[0] == path[0]:
			return nil, "a dynamic block", true
		}
	}
	return out, "", found
}

func attrValues(body *tfBody, name string) ([]string, string, bool) {
	attr, ok := body.attrs[name]
	if !ok {
		return nil, "", false
	}
	if !attr.literal {
		return nil, exprText(attr), true
	}
	return valuePath(attr.val, nil)
}

// valuePath follows a path into an object value and gives the strings at
// its end: a list's or an object's elements in order (an object's by
// key), numbers as decimals, bools as true or false; nulls are skipped.
func valuePath(v tfValue, path []string) ([]string, string, bool) {
	for _, key := range path {
		var ok bool
		if v, ok = v.get(key); !ok {
			return nil, "", false
		}
	}
	if v.kind == tfNull {
		return nil, "", false
	}
	var out []string
	var add func(tfValue)
	add = func(v tfValue) {
		switch v.kind {
		case tfString, tfBool:
			out = append(out, v.str)
		case tfNumber:
			out = append(out, v.num.Text('f', -1))
		case tfList, tfObject:
			for _, el := range v.items {
				add(el)
			}
		}
	}
	add(v)
	return out, "", true
}

// exprText is an argument's expression as written, shortened for a
// message.
func exprText(a *tfAttr) string {
	text := strings.Join(strings.Fields(a.text), " ")
	if text == "" {
		return "an expression"
	}
	if len(text) > 60 {
		text = text[:57] + "..."
	}
	return text
}
