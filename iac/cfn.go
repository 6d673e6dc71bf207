package iac

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// cloudFormation reads a CloudFormation or SAM template, YAML or JSON.
func (s *scanner) cloudFormation(p string, data []byte, depth int) error {
	tpl, err := parseTemplate(data)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Path = p
			return e
		}
		return &Error{Path: p, Msg: err.Error()}
	}
	resources, ok := tpl["Resources"].(map[string]any)
	if !ok {
		return &Error{Path: p, Msg: "not a CloudFormation template: it has no Resources section"}
	}
	globals, _ := tpl["Globals"].(map[string]any)
	// The template itself is a stack CloudFormation deploys.
	if err := s.add(Resource{File: p, Name: "(template)", Type: "AWS::CloudFormation::Stack",
		Note: "the file is a template, which CloudFormation deploys as a stack"}, cfnTypes, noProps); err != nil {
		return err
	}
	implicit := map[string]bool{}
	for _, name := range sortedKeys(resources) {
		where := p + ": " + name
		r, _ := resources[name].(map[string]any)
		typ, _ := r["Type"].(string)
		if typ == "AWS::CDK::Metadata" {
			s.ignore(typ, "the CDK's record of the app's construct library versions, not a resource of the solution", where)
			continue
		}
		props, _ := r["Properties"].(map[string]any)
		var note string
		if c, ok := r["Condition"].(string); ok {
			note = fmt.Sprintf("created only when condition %s holds", c)
		}
		if err := s.add(Resource{File: p, Name: name, Type: typ, Note: note}, cfnTypes, cfnLookup(props, samGlobals(globals, typ))); err != nil {
			return err
		}
		var err error
		switch typ {
		case "AWS::CloudFormation::Stack":
			err = s.nestedStack(p, name, r, props, depth)
		case "AWS::Serverless::Application":
			err = s.serverlessApplication(p, name, props, depth)
		case "AWS::Serverless::Function":
			err = s.implicitResources(p, name, props, implicit)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// parseTemplate reads a template into maps, lists and strings, with the
// short-form tags of YAML (!Ref, !Sub, !GetAtt, ...) turned into the long
// forms JSON writes ({"Ref": ...}, {"Fn::Sub": ...}).
func parseTemplate(data []byte) (map[string]any, error) {
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return parseJSONTemplate(t)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(err)
	}
	c := converter{}
	v, err := c.value(&root)
	if err != nil {
		return nil, err
	}
	tpl, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a CloudFormation template: the document is not a mapping")
	}
	return tpl, nil
}

func parseJSONTemplate(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tpl map[string]any
	if err := dec.Decode(&tpl); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, &Error{Line: 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")), Msg: se.Error()}
		}
		return nil, fmt.Errorf("not a CloudFormation template: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not a CloudFormation template: data after the JSON document")
	}
	return tpl, nil
}

// yamlError keeps the line the YAML parser names.
func yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		var line int
		if _, e := fmt.Sscanf(rest, "%d:", &line); e == nil {
			_, text, _ := strings.Cut(rest, ": ")
			return &Error{Line: line, Msg: text}
		}
	}
	return errors.New(msg)
}

// errTooLarge refuses a template that expands past maxNodes, as an alias
// bomb does.
var errTooLarge = fmt.Errorf("refused: the template expands to more than %d values (YAML aliases?)", maxNodes)

// converter turns YAML nodes into values, counting every value made so
// that aliases cannot expand without bound.
type converter struct {
	nodes     int
	expanding map[*yaml.Node]bool // aliases being expanded, to refuse one that contains itself
}

func (c *converter) value(n *yaml.Node) (any, error) {
	if c.nodes++; c.nodes > maxNodes {
		return nil, errTooLarge
	}
	var v any
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0])
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		if c.expanding[n.Alias] {
			return nil, errors.New("refused: a YAML alias contains itself")
		}
		if c.expanding == nil {
			c.expanding = map[*yaml.Node]bool{}
		}
		c.expanding[n.Alias] = true
		v, err := c.value(n.Alias)
		delete(c.expanding, n.Alias)
		return v, err
	case yaml.ScalarNode:
		if n.Tag != "!!null" {
			v = n.Value
		}
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			val, err := c.value(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = val
		}
		v = m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			val, err := c.value(item)
			if err != nil {
				return nil, err
			}
			l = append(l, val)
		}
		v = l
	}
	if tag, ok := strings.CutPrefix(n.Tag, "!"); ok && !strings.HasPrefix(tag, "!") && tag != "" {
		return intrinsic(tag, v), nil
	}
	return v, nil
}

// intrinsic is the long form of a short-form tag: !Ref x is {"Ref": x},
// !GetAtt a.b is {"Fn::GetAtt": [a, b]}, !Condition c is
// {"Condition": c}, and any other !Name v is {"Fn::Name": v}.
func intrinsic(tag string, v any) any {
	switch tag {
	case "Ref", "Condition":
		return map[string]any{tag: v}
	case "GetAtt":
		if s, ok := v.(string); ok {
			res, attr, _ := strings.Cut(s, ".")
			v = []any{res, attr}
		}
	}
	return map[string]any{"Fn::" + tag: v}
}

// intrinsicName names the intrinsic function a value is, or "".
func intrinsicName(v any) string {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return ""
	}
	for k, arg := range m {
		switch {
		case k == "Ref":
			if s, ok := arg.(string); ok {
				return "Ref " + s
			}
			return k
		case k == "Condition", strings.HasPrefix(k, "Fn::"):
			return k
		}
	}
	return ""
}

// cfnLookup reads a resource's properties, and for SAM resources the
// template's Globals for the same kind of resource where the resource
// does not set the property itself.
func cfnLookup(props, globals map[string]any) lookup {
	return func(path []string) ([]string, string, bool) {
		if v, ok := dig(props, path); ok {
			return literal(v)
		}
		if v, ok := dig(globals, path); ok {
			vals, expr, ok := literal(v)
			if expr != "" {
				expr += " in Globals"
			}
			return vals, expr, ok
		}
		return nil, "", false
	}
}

// samGlobals is the Globals section for a SAM resource type: Function
// for AWS::Serverless::Function, Api for AWS::Serverless::Api, ...
func samGlobals(globals map[string]any, typ string) map[string]any {
	kind, ok := strings.CutPrefix(typ, "AWS::Serverless::")
	if !ok {
		return nil
	}
	g, _ := globals[kind].(map[string]any)
	return g
}

// dig follows a path of keys; it stops early at an intrinsic function,
// whose value is not known until deployment.
func dig(v any, path []string) (any, bool) {
	for _, key := range path {
		if intrinsicName(v) != "" {
			return v, true
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[key]; !ok {
			return nil, false
		}
	}
	return v, v != nil
}

// literal gives a property's literal values, or names what it is when it
// is not one.
func literal(v any) ([]string, string, bool) {
	if name := intrinsicName(v); name != "" {
		return nil, name, true
	}
	switch v := v.(type) {
	case string:
		return []string{v}, "", true
	case json.Number, bool, float64:
		return []string{fmt.Sprint(v)}, "", true
	case []any:
		var vals []string
		for _, item := range v {
			iv, expr, _ := literal(item)
			if expr != "" {
				return nil, expr, true
			}
			vals = append(vals, iv...)
		}
		return vals, "", true
	case nil:
		return nil, "", false
	}
	return nil, "a structure, not a value", true
}

// literalString is a property that must be one literal string.
func literalString(v any) (string, string) {
	vals, expr, ok := literal(v)
	switch {
	case !ok:
		return "", "it is not set"
	case expr != "":
		return "", "it is not a literal (" + expr + ")"
	case len(vals) != 1:
		return "", "it is not a single value"
	}
	return vals[0], ""
}

// nestedStack follows an AWS::CloudFormation::Stack to its template: by
// the CDK's asset path, or by a TemplateURL that is a local file, as
// before `aws cloudformation package`.
func (s *scanner) nestedStack(p, name string, r, props map[string]any, depth int) error {
	const kind = "nested stack"
	if md, ok := r["Metadata"].(map[string]any); ok {
		if asset, ok := md["aws:asset:path"].(string); ok && asset != "" {
			return s.follow(p, name, kind, asset, depth)
		}
	}
	url, why := literalString(props["TemplateURL"])
	switch {
	case why != "":
		s.refer(Reference{File: p, Name: name, Kind: kind, Why: "TemplateURL cannot be followed: " + why})
	case remote(url):
		s.refer(Reference{File: p, Name: name, Kind: kind, Source: url, Why: "the template is in S3 or on the web, which Onus does not reach: give its file to read it"})
	default:
		return s.follow(p, name, kind, url, depth)
	}
	return nil
}

// serverlessApplication follows an AWS::Serverless::Application whose
// Location is a local template.
func (s *scanner) serverlessApplication(p, name string, props map[string]any, depth int) error {
	const kind = "serverless application"
	switch loc := props["Location"].(type) {
	case string:
		if remote(loc) {
			s.refer(Reference{File: p, Name: name, Kind: kind, Source: loc, Why: "the template is in S3 or on the web, which Onus does not reach: give its file to read it"})
			return nil
		}
		return s.follow(p, name, kind, loc, depth)
	case map[string]any:
		id, _ := literalString(loc["ApplicationId"])
		s.refer(Reference{File: p, Name: name, Kind: kind, Source: id, Why: "an application from the Serverless Application Repository, which Onus does not reach: its resources are not read"})
	default:
		s.refer(Reference{File: p, Name: name, Kind: kind, Why: "Location is not a file or an application id"})
	}
	return nil
}

// implicitResources records what SAM creates for a function's events
// without the template declaring it: the API of an Api or HttpApi event
// that names none (ServerlessRestApi, ServerlessHttpApi, shared by every
// such event), and the EventBridge rule or schedule of a schedule or
// event-pattern event.
func (s *scanner) implicitResources(p, fn string, props map[string]any, shared map[string]bool) error {
	events, _ := props["Events"].(map[string]any)
	for _, ev := range sortedKeys(events) {
		e, _ := events[ev].(map[string]any)
		kind, _ := e["Type"].(string)
		eprops, _ := e["Properties"].(map[string]any)
		name, typ := fn+ev, ""
		switch kind {
		case "Api":
			if eprops["RestApiId"] == nil {
				name, typ = "ServerlessRestApi", "AWS::Serverless::Api"
			}
		case "HttpApi":
			if eprops["ApiId"] == nil {
				name, typ = "ServerlessHttpApi", "AWS::Serverless::HttpApi"
			}
		case "Schedule", "CloudWatchEvent", "EventBridgeRule":
			typ = "AWS::Events::Rule"
		case "ScheduleV2":
			typ = "AWS::Scheduler::Schedule"
		}
		if typ == "" || shared[name] {
			continue
		}
		shared[name] = true
		note := fmt.Sprintf("not declared: SAM creates it for the %s event %s of %s", kind, ev, fn)
		if err := s.add(Resource{File: p, Name: name, Type: typ, Note: note}, cfnTypes, noProps); err != nil {
			return err
		}
	}
	return nil
}

// follow reads a template another file names, relative to that file.
func (s *scanner) follow(parent, name, kind, rel string, depth int) error {
	ref := Reference{File: parent, Name: name, Kind: kind, Source: rel}
	switch {
	case depth+1 > MaxNesting:
		ref.Why = fmt.Sprintf("nested more than %d deep: not followed", MaxNesting)
	case !filepath.IsLocal(filepath.FromSlash(rel)):
		ref.Why = "the path leaves the directory of the file that names it: not followed"
	default:
		target := filepath.Join(filepath.Dir(parent), filepath.FromSlash(rel))
		if _, err := s.src.Stat(target); err != nil {
			ref.Why = "no such file beside " + filepath.Base(parent) + ": not read"
			break
		}
		return s.file(target, depth+1)
	}
	s.refer(ref)
	return nil
}

// remote reports whether a location is a URL rather than a file.
func remote(loc string) bool {
	for _, scheme := range []string{"https://", "http://", "s3://"} {
		if strings.HasPrefix(strings.ToLower(loc), scheme) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
