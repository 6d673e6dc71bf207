package lens

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// MaxImportBytes caps a lens file before it is parsed: the Tool's own
// limit with room for lenses exported with metadata it does not keep.
const MaxImportBytes = 4 << 20

// ImportOptions say how a lens meets the catalog.
type ImportOptions struct {
	// Map names, by lens question id, the catalog control that already
	// asks the question. A question Onus exported maps to its control
	// without being named here.
	Map map[string]string
}

// Imported is an extension made from a lens, with what the import
// noticed but did not refuse.
type Imported struct {
	Extension *Extension
	// Notes name the keys the format does not define (metadata such as
	// _comment, or a misspelt key such as Url), which were ignored.
	Notes []string
}

// Import turns a custom lens into an extension of the catalog: each
// pillar a domain, and each question a control owned by the customer
// (on the catalog's first layer that is the customer's in every service
// model), unless a catalog control asks it already. A control's
// criticality comes from the question's default risk rule (HIGH_RISK is
// high, MEDIUM_RISK medium, NO_RISK low; medium without one), and its
// guidance from the question's description, helpful resource and choices.
// A malformed lens is refused with every problem, each naming its pillar,
// question and field; keys the format does not define are ignored and
// noted. name is the file's name, used in messages; the extension's
// source keeps its base name and SHA-256.
func Import(data []byte, name string, base *model.Catalog, opts ImportOptions) (*Imported, error) {
	fail := func(msg string) error {
		return &model.CatalogError{Name: name, Problems: []model.Problem{{Msg: msg}}}
	}
	if len(data) > MaxImportBytes {
		return nil, fail(fmt.Sprintf("file is %d bytes; lenses are limited to %d MiB", len(data), MaxImportBytes>>20))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fail("not JSON: " + err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail("not JSON: data after the document")
	}
	w := &walker{}
	l := w.lens(doc)
	layer, ok := customerLayer(base)
	if !ok {
		w.problem("", "catalog %s has no layer that is the customer's in every service model, which an imported question needs", base.Name)
	}
	if len(w.problems) > 0 {
		return nil, &model.CatalogError{Name: name, Problems: w.problems}
	}
	sum := sha256.Sum256(data)
	ext := &Extension{
		Format: ExtensionFormat, Version: ExtensionVersion,
		ID:          "lens-" + slug(l.Name),
		Name:        l.Name,
		Description: l.Description,
		Source:      Source{File: filepath.Base(name), SHA256: hex.EncodeToString(sum[:]), SchemaVersion: l.SchemaVersion, Name: l.Name},
		Domains:     []model.Domain{},
		Controls:    []model.Control{},
	}
	exported := map[string]string{} // question id → control, for lenses Onus wrote
	for ctrl, q := range QuestionIDs(base) {
		exported[q] = ctrl
	}
	var problems []model.Problem
	for _, p := range l.Pillars {
		domain := model.Domain{ID: ext.ID + "." + p.ID, Name: p.Name}
		asked := 0
		for _, q := range p.Questions {
			ctrl, mapped := opts.Map[q.ID]
			if !mapped {
				ctrl, mapped = exported[q.ID]
				// Only a question Onus wrote maps by its id alone: its
				// helpful resource names the control, as question does.
				mapped = mapped && q.HelpfulResource != nil && strings.HasPrefix(q.HelpfulResource.DisplayText, "Onus "+ctrl+",")
			}
			if mapped {
				if _, ok := base.Control(ctrl); !ok {
					problems = append(problems, model.Problem{Path: q.ID, Msg: fmt.Sprintf("question %s is mapped to control %s, which the catalog does not have", q.ID, ctrl)})
				}
				ext.Mapped = append(ext.Mapped, Mapping{Pillar: p.ID, Question: q.ID, Control: ctrl})
				continue
			}
			asked++
			ext.Controls = append(ext.Controls, control(ext, domain.ID, layer, q))
		}
		if asked > 0 {
			ext.Domains = append(ext.Domains, domain)
		}
	}
	if len(problems) > 0 {
		return nil, &model.CatalogError{Name: name, Problems: problems}
	}
	return &Imported{Extension: ext, Notes: w.notes}, nil
}

// control is a lens question as a customer-owned control. Its id is the
// extension's and the question's, its title and question the question's
// title, and it is procedural: no automated check Onus knows evidences it.
func control(ext *Extension, domain, layer string, q Question) model.Control {
	var guide []string
	if q.Description != "" {
		guide = append(guide, q.Description)
	}
	if r := q.HelpfulResource; r != nil {
		guide = append(guide, strings.TrimSpace(r.DisplayText+" "+r.URL))
	}
	var practices []string
	for _, c := range q.Choices {
		if !strings.HasSuffix(c.ID, NoneSuffix) {
			practices = append(practices, "- "+c.Title)
		}
	}
	if len(practices) > 0 {
		guide = append(guide, "Best practices in the lens:\n"+strings.Join(practices, "\n"))
	}
	return model.Control{
		ID:           ext.ID + "." + q.ID,
		Domain:       domain,
		Title:        q.Title,
		Question:     q.Title,
		Guidance:     strings.Join(guide, "\n\n"),
		Layers:       []string{layer},
		CustomerPart: fmt.Sprintf("what %s asks in question %s", ext.Name, q.ID),
		Criticality:  criticality(q.RiskRules),
		Procedural:   true,
	}
}

// criticality reads a question's default risk rule.
func criticality(rules []RiskRule) model.Criticality {
	for _, r := range rules {
		if r.Condition == "default" {
			switch r.Risk {
			case HighRisk:
				return model.CriticalityHigh
			case NoRisk:
				return model.CriticalityLow
			}
		}
	}
	return model.CriticalityMedium
}

// customerLayer is the first layer the customer owns in every service
// model, with no service moving it elsewhere: where a question the
// catalog does not ask is wholly the customer's.
func customerLayer(cat *model.Catalog) (string, bool) {
	for _, l := range cat.Layers {
		whole := len(l.Owners) > 0
		for _, m := range model.ServiceModels {
			whole = whole && l.Owners[m] == model.OwnerCustomer
		}
		for _, s := range cat.Services {
			for _, o := range s.Overrides {
				whole = whole && !(o.Layer == l.ID && o.Owner != model.OwnerCustomer)
			}
		}
		if whole {
			return l.ID, true
		}
	}
	return "", false
}

// slug is a name in lower-case letters, digits and hyphens, for an id.
func slug(name string) string {
	s := strings.ToLower(strings.ReplaceAll(idChars(name), "_", "-"))
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	if s == "" {
		s = "unnamed"
	}
	return s
}

// walker reads a lens from decoded JSON, noting every problem with the
// path of its pillar, question and field.
type walker struct {
	problems []model.Problem
	notes    []string
}

func (w *walker) problem(path, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if path != "" {
		msg = path + ": " + msg
	}
	w.problems = append(w.problems, model.Problem{Path: path, Msg: msg})
}

// object reads a JSON object's known keys and notes the others.
func (w *walker) object(v any, path string, known ...string) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		w.problem(path, "%s, want an object", kind(v))
		return nil, false
	}
	var extra []string
	for k := range m {
		if !slices.Contains(known, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		w.notes = append(w.notes, fmt.Sprintf("%s: key %q is not part of the lens format; ignored", orLens(path), k))
	}
	return m, true
}

func orLens(path string) string {
	if path == "" {
		return "lens"
	}
	return path
}

// text reads a string field; required ones must not be empty.
func (w *walker) text(m map[string]any, key, path string, required bool) string {
	v, ok := m[key]
	if !ok || v == nil {
		if required {
			w.problem(join(path, key), "missing")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		w.problem(join(path, key), "%s, want text", kind(v))
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		w.problem(join(path, key), "empty")
	}
	return s
}

func (w *walker) list(m map[string]any, key, path string, required bool) []any {
	v, ok := m[key]
	if !ok || v == nil {
		if required {
			w.problem(join(path, key), "missing")
		}
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		w.problem(join(path, key), "%s, want a list", kind(v))
		return nil
	}
	if required && len(l) == 0 {
		w.problem(join(path, key), "empty")
	}
	return l
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// at names an element of a list by its index and, once known, its id.
func at(path, key string, i int, id string) string {
	p := fmt.Sprintf("%s[%d]", join(path, key), i)
	if id != "" {
		p += fmt.Sprintf(" (%s)", id)
	}
	return p
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "text"
	case json.Number:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func (w *walker) lens(doc any) Lens {
	var l Lens
	m, ok := w.object(doc, "", "schemaVersion", "name", "description", "pillars")
	if !ok {
		return l
	}
	l.SchemaVersion = w.text(m, "schemaVersion", "", true)
	if l.SchemaVersion != "" && l.SchemaVersion != SchemaVersion {
		w.problem("schemaVersion", "%q; this onus reads custom lenses of schema %s", l.SchemaVersion, SchemaVersion)
	}
	l.Name = w.text(m, "name", "", true)
	l.Description = w.text(m, "description", "", false)
	questions := map[string]string{} // id → where first seen
	pillars := map[string]bool{}
	for i, pv := range w.list(m, "pillars", "", true) {
		id := idOf(pv)
		path := at("", "pillars", i, id)
		pm, ok := w.object(pv, path, "id", "name", "questions")
		if !ok {
			continue
		}
		p := Pillar{ID: w.text(pm, "id", path, true), Name: w.text(pm, "name", path, true)}
		if p.ID != "" && pillars[p.ID] {
			w.problem(join(path, "id"), "pillar id %s is used twice", p.ID)
		}
		pillars[p.ID] = true
		for j, qv := range w.list(pm, "questions", path, true) {
			q := w.question(qv, at(path, "questions", j, idOf(qv)))
			if q.ID != "" {
				if first, dup := questions[q.ID]; dup {
					w.problem(at(path, "questions", j, q.ID)+".id", "question id %s is used twice (first at %s)", q.ID, first)
				}
				questions[q.ID] = at(path, "questions", j, q.ID)
			}
			p.Questions = append(p.Questions, q)
		}
		l.Pillars = append(l.Pillars, p)
	}
	return l
}

func idOf(v any) string {
	if m, ok := v.(map[string]any); ok {
		if s, ok := m["id"].(string); ok {
			return s
		}
	}
	return ""
}

func (w *walker) question(v any, path string) Question {
	var q Question
	m, ok := w.object(v, path, "id", "title", "description", "helpfulResource", "choices", "riskRules")
	if !ok {
		return q
	}
	q.ID = w.text(m, "id", path, true)
	q.Title = w.text(m, "title", path, true)
	q.Description = w.text(m, "description", path, false)
	q.HelpfulResource = w.resource(m, "helpfulResource", path)
	choices := map[string]bool{}
	for i, cv := range w.list(m, "choices", path, true) {
		cpath := at(path, "choices", i, idOf(cv))
		cm, ok := w.object(cv, cpath, "id", "title", "description", "helpfulResource", "improvementPlan", "additionalResources")
		if !ok {
			continue
		}
		c := Choice{ID: w.text(cm, "id", cpath, true), Title: w.text(cm, "title", cpath, true)}
		if c.ID != "" && choices[c.ID] {
			w.problem(join(cpath, "id"), "choice id %s is used twice in the question", c.ID)
		}
		choices[c.ID] = true
		c.HelpfulResource = w.resource(cm, "helpfulResource", cpath)
		c.ImprovementPlan = w.resource(cm, "improvementPlan", cpath)
		q.Choices = append(q.Choices, c)
	}
	for i, rv := range w.list(m, "riskRules", path, false) {
		rpath := at(path, "riskRules", i, "")
		rm, ok := w.object(rv, rpath, "condition", "risk")
		if !ok {
			continue
		}
		r := RiskRule{Condition: w.text(rm, "condition", rpath, true), Risk: w.text(rm, "risk", rpath, true)}
		if r.Risk != "" && r.Risk != HighRisk && r.Risk != MediumRisk && r.Risk != NoRisk {
			w.problem(join(rpath, "risk"), "%q, want HIGH_RISK, MEDIUM_RISK or NO_RISK", r.Risk)
		}
		q.RiskRules = append(q.RiskRules, r)
	}
	return q
}

// resource reads an optional helpful resource or improvement plan.
func (w *walker) resource(m map[string]any, key, path string) *Resource {
	v, ok := m[key]
	if !ok || v == nil {
		return nil
	}
	rm, ok := w.object(v, join(path, key), "displayText", "url")
	if !ok {
		return nil
	}
	return &Resource{DisplayText: w.text(rm, "displayText", join(path, key), false), URL: w.text(rm, "url", join(path, key), false)}
}
