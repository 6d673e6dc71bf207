package report

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// A generic walker over OSCAL documents: it checks that every uuid is
// unique, that every uuid reference (a "...-uuid" or "...-uuids" field, a
// leveraged-authorization-uuid property), role-id and internal link
// ("#uuid") resolves, follows each import (import-ap, import-ssp,
// import-profile, a profile's imports, a component definition's sources)
// into the back-matter resource it names and the document that resource
// carries, and checks that every control-id and finding target names a
// control or statement of the catalog at the end of the chain.

var oscalRoots = []string{"catalog", "profile", "component-definition", "system-security-plan", "assessment-plan", "assessment-results"}

// markupKeys are the fields OSCAL types as markup-line or markup-multiline
// (NIST's 1.2.2 JSON schema: every caption, description, label, prose,
// purpose, statement, text, title and usage; remarks are markup-multiline).
var markupKeys = map[string]bool{"caption": true, "description": true, "label": true, "prose": true, "purpose": true,
	"statement": true, "text": true, "title": true, "usage": true, "remarks": true}

// walked is one document, resolved.
type walked struct {
	name     string // where it is: "oscal-ar" or "oscal-ar > assessment-plan > ..."
	root     string
	raw      []byte
	controls map[string]bool // the control ids its imports make available (a catalog's own)
	parts    map[string]bool // the part ids of the catalog at the end of its imports
	markup   []string        // every markup field's text
	imported []*walked       // the documents its back-matter carries
}

// all lists the document and every document it carries, depth first.
func (w *walked) all() []*walked {
	out := []*walked{w}
	for _, c := range w.imported {
		out = append(out, c.all()...)
	}
	return out
}

// reporter is what the walker reports through: a *testing.T, or a
// recorder in the test that the walker can fail.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

func walkOSCAL(t reporter, name string, data []byte) *walked {
	t.Helper()
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatalf("%s: not JSON: %v", name, err)
	}
	w := &walked{name: name, raw: data, controls: map[string]bool{}, parts: map[string]bool{}}
	var body map[string]any
	for _, r := range oscalRoots {
		if b, ok := top[r].(map[string]any); ok && len(top) == 1 {
			w.root, body = r, b
		}
	}
	if body == nil {
		t.Fatalf("%s: not an OSCAL document: %v", name, keysOf(top))
	}
	errorf := func(format string, a ...any) { t.Errorf("%s: "+format, append([]any{name}, a...)...) }

	// What can be referred to.
	uuids := map[string]int{}
	roles := map[string]bool{}
	resources := map[string]map[string]any{}
	walkJSON(body, func(key string, v any, parent map[string]any) {
		if key == "uuid" {
			if s, ok := v.(string); ok {
				uuids[s]++
			}
		}
		if s, ok := v.(string); ok && markupKeys[key] {
			w.markup = append(w.markup, s)
		}
	})
	for u, n := range uuids {
		if n > 1 {
			errorf("uuid %s is used %d times", u, n)
		}
	}
	if meta, ok := body["metadata"].(map[string]any); ok {
		for _, r := range list(meta["roles"]) {
			roles[str(r, "id")] = true
		}
	}
	if bm, ok := body["back-matter"].(map[string]any); ok {
		for _, r := range list(bm["resources"]) {
			res := r.(map[string]any)
			resources[str(res, "uuid")] = res
		}
	}

	// Every reference resolves.
	walkJSON(body, func(key string, v any, parent map[string]any) {
		switch {
		case strings.HasSuffix(key, "-uuid"):
			if !uuidsHas(uuids, v) {
				errorf("%s %v refers to nothing", key, v)
			}
		case strings.HasSuffix(key, "-uuids"):
			for _, u := range list(v) {
				if !uuidsHas(uuids, u) {
					errorf("%s %v refers to nothing", key, u)
				}
			}
		case key == "role-id":
			if !roles[fmt.Sprint(v)] {
				errorf("role-id %v is not a role of the metadata", v)
			}
		case key == "role-ids":
			for _, r := range list(v) {
				if !roles[fmt.Sprint(r)] {
					errorf("role-id %v is not a role of the metadata", r)
				}
			}
		case key == "href":
			if s := fmt.Sprint(v); strings.HasPrefix(s, "#") && resources[s[1:]] == nil {
				errorf("link %s points at no back-matter resource", s)
			}
		case key == "name" && v == "leveraged-authorization-uuid":
			if !uuidsHas(uuids, parent["value"]) {
				errorf("leveraged-authorization-uuid %v refers to nothing", parent["value"])
			}
		}
	})

	// The documents the back-matter carries, resolved in turn.
	carried := map[string]*walked{}
	for _, u := range sortedKeys(resources) {
		res := resources[u]
		b64, ok := res["base64"].(map[string]any)
		if !ok {
			continue
		}
		data, err := base64.StdEncoding.DecodeString(str(b64, "value"))
		if err != nil {
			errorf("resource %s: base64: %v", u, err)
			continue
		}
		if !json.Valid(data) {
			continue // not an OSCAL document
		}
		c := walkOSCAL(t, name+" > "+str(b64, "filename"), data)
		carried[u] = c
		w.imported = append(w.imported, c)
	}
	imports := func(href any, kinds ...string) *walked {
		s := fmt.Sprint(href)
		c := carried[strings.TrimPrefix(s, "#")]
		if !strings.HasPrefix(s, "#") || c == nil {
			errorf("import %s does not resolve to a document in back-matter", s)
			return nil
		}
		for _, k := range kinds {
			if c.root == k {
				return c
			}
		}
		errorf("import %s is a %s, want %v", s, c.root, kinds)
		return nil
	}
	inherit := func(c *walked) {
		if c == nil {
			return
		}
		for k := range c.controls {
			w.controls[k] = true
		}
		for k := range c.parts {
			w.parts[k] = true
		}
	}

	switch w.root {
	case "catalog":
		walkJSON(body, func(key string, v any, parent map[string]any) {
			if key == "controls" {
				for _, c := range list(v) {
					w.controls[str(c, "id")] = true
				}
			}
			if key == "parts" {
				for _, p := range list(v) {
					if id := str(p, "id"); id != "" {
						w.parts[id] = true
					}
				}
			}
		})
	case "profile":
		for _, imp := range list(body["imports"]) {
			m := imp.(map[string]any)
			c := imports(m["href"], "catalog", "profile")
			if c == nil {
				continue
			}
			selected := map[string]bool{}
			if _, all := m["include-all"]; all {
				selected = c.controls
			}
			for _, sel := range list(m["include-controls"]) {
				for _, id := range list(sel.(map[string]any)["with-ids"]) {
					if !c.controls[fmt.Sprint(id)] {
						errorf("profile selects %v, which the catalog lacks", id)
					}
					selected[fmt.Sprint(id)] = true
				}
			}
			for _, sel := range list(m["exclude-controls"]) {
				for _, id := range list(sel.(map[string]any)["with-ids"]) {
					delete(selected, fmt.Sprint(id))
				}
			}
			for k := range selected {
				w.controls[k] = true
			}
			for k := range c.parts {
				w.parts[k] = true
			}
		}
	case "component-definition":
		walkJSON(body, func(key string, v any, parent map[string]any) {
			if key == "source" {
				inherit(imports(v, "catalog", "profile"))
			}
		})
	case "system-security-plan":
		inherit(imports(mapOf(body["import-profile"])["href"], "profile", "catalog"))
	case "assessment-plan":
		inherit(imports(mapOf(body["import-ssp"])["href"], "system-security-plan"))
	case "assessment-results":
		inherit(imports(mapOf(body["import-ap"])["href"], "assessment-plan"))
	}

	if w.root != "catalog" && w.root != "profile" {
		walkJSON(body, func(key string, v any, parent map[string]any) {
			if key == "control-id" && !w.controls[fmt.Sprint(v)] {
				errorf("control-id %v is not a control of the imported baseline", v)
			}
			if key == "target-id" && parent["type"] == "statement-id" && !w.parts[fmt.Sprint(v)] {
				errorf("finding target %v is not a statement of the catalog", v)
			}
		})
	}
	return w
}

func walkJSON(v any, visit func(key string, v any, parent map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			visit(k, x[k], x)
			walkJSON(x[k], visit)
		}
	case []any:
		for _, e := range x {
			walkJSON(e, visit)
		}
	}
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func str(v any, key string) string {
	s, _ := mapOf(v)[key].(string)
	return s
}

func uuidsHas(uuids map[string]int, v any) bool {
	s, ok := v.(string)
	return ok && uuids[s] > 0
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func keysOf(m map[string]any) []string { return sortedKeys(m) }
