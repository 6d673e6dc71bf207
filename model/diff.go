package model

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kinds of change in a Diff.
const (
	Added      = "added"
	Removed    = "removed"
	Changed    = "changed"
	Superseded = "superseded"
)

// Diff is what changed between two points of assessments: one
// assessment's milestones or times, or a baseline and its duplicate. The
// ownership sections are the catalog's resolution of each side.
type Diff struct {
	From     Point            `json:"from"`
	To       Point            `json:"to"`
	Catalog  CatalogRef       `json:"catalog"` // the catalog that resolved ownership
	Info     []FieldChange    `json:"info,omitempty"`
	Scope    []FieldChange    `json:"scope,omitempty"`
	Services []ServiceChange  `json:"services,omitempty"`
	Layers   []LayerChange    `json:"layers,omitempty"`   // the solution stack's owners
	Controls []ControlChange  `json:"controls,omitempty"` // applicability and responsibility
	Answers  []AnswerChange   `json:"answers,omitempty"`
	Supplier []SupplierChange `json:"supplier,omitempty"`
	Register []EntryChange    `json:"register,omitempty"` // the evidence register's entries
	Reports  []ReportChange   `json:"reports,omitempty"`  // AWS reports added or dismissed
	SignOffs []SignOffChange  `json:"signoffs,omitempty"`
}

// FieldChange is one field's value on each side ("" when absent).
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// ServiceChange is a service selected, deselected, or with other overrides.
type ServiceChange struct {
	Service   string           `json:"service"`
	Change    string           `json:"change"`
	Overrides []OverrideChange `json:"overrides,omitempty"`
}

// OverrideChange is one layer's assessment override on each side (nil:
// none).
type OverrideChange struct {
	Layer string           `json:"layer"`
	From  *ServiceOverride `json:"from,omitempty"`
	To    *ServiceOverride `json:"to,omitempty"`
}

// LayerChange is a layer of the solution stack that changed owner.
type LayerChange struct {
	Layer    string   `json:"layer"`
	From     Owner    `json:"from"`
	To       Owner    `json:"to"`
	CausedBy []string `json:"caused_by,omitempty"` // the services that put To on it
}

// ControlChange is a control whose responsibility changed; "" means it
// does not apply on that side.
type ControlChange struct {
	Control string         `json:"control"`
	From    Responsibility `json:"from"`
	To      Responsibility `json:"to"`
	Reason  string         `json:"reason,omitempty"` // the resolution's reason on the To side
}

// AnswerChange is an answer given, removed or changed.
type AnswerChange struct {
	Control      string        `json:"control"`
	Change       string        `json:"change"`
	Fields       []FieldChange `json:"fields,omitempty"` // status, justification, notes
	LinksAdded   []LinkChange  `json:"links_added,omitempty"`
	LinksRemoved []LinkChange  `json:"links_removed,omitempty"` // a link whose note changed is removed and added
	By           string        `json:"by,omitempty"`            // who last saved it on the To side
	At           time.Time     `json:"at,omitzero"`
}

// LinkChange is an evidence link of an answer, with the title its entry
// has on the side that holds the link.
type LinkChange struct {
	EvidenceLink
	Title string `json:"title,omitempty"`
}

// EntryChange is an evidence register entry added, removed or changed.
type EntryChange struct {
	Entry  string        `json:"entry"`
	Change string        `json:"change"`
	Fields []FieldChange `json:"fields"`
}

// ReportChange is an AWS report's relevance chosen, changed or given back
// to the catalog's rule (nil: the rule decides).
type ReportChange struct {
	Source string        `json:"source"`
	From   *ReportChoice `json:"from,omitempty"`
	To     *ReportChoice `json:"to,omitempty"`
}

// SupplierChange is a supplier record added, removed or changed.
type SupplierChange struct {
	Source string        `json:"source"`
	Change string        `json:"change"`
	Fields []FieldChange `json:"fields"`
}

// SignOffChange is a sign-off made, gone, or superseded between the two
// points.
type SignOffChange struct {
	Change    string    `json:"change"`
	By        string    `json:"by"`
	Role      string    `json:"role,omitempty"`
	Meaning   string    `json:"meaning"`
	At        time.Time `json:"at"`
	Step      Workflow  `json:"step,omitempty"`
	Milestone string    `json:"milestone,omitempty"`
	Key       string    `json:"key,omitempty"`
	Signed    bool      `json:"signed"`
}

// Empty reports whether nothing differs.
func (d Diff) Empty() bool {
	return len(d.Info)+len(d.Scope)+len(d.Services)+len(d.Layers)+len(d.Controls)+len(d.Answers)+len(d.Supplier)+len(d.Register)+len(d.Reports)+len(d.SignOffs) == 0
}

// Compare computes the diff from a to b, resolving ownership with cat.
// Free-text evidence from before the register is compared as the register
// files it (WithRegister), so filing it changes nothing.
func Compare(cat *Catalog, a, b Assessment, from, to Point) Diff {
	a, b = WithRegister(a), WithRegister(b)
	d := Diff{From: from, To: to, Catalog: CatalogRef{Version: cat.Version, Hash: cat.Hash}}
	d.Info = fieldChanges(
		[]string{"name", "organisation", "system", "workflow"},
		[]string{a.Name, a.Organisation, a.System, string(a.Workflow)},
		[]string{b.Name, b.Organisation, b.System, string(b.Workflow)})
	d.Scope = fieldChanges(
		[]string{"gxp_impact", "frameworks", "multi_tenant", "open_system", "esignatures", "data_classification"},
		scopeValues(a.Scope), scopeValues(b.Scope))
	d.Services = serviceChanges(a.Services, b.Services)
	d.Layers = layerChanges(cat.SolutionStack(a.Services), cat.SolutionStack(b.Services))
	d.Controls = controlChanges(cat, a, b)
	d.Answers = answerChanges(a, b)
	d.Supplier = supplierChanges(a.Supplier, b.Supplier)
	d.Register = entryChanges(a.Register, b.Register)
	d.Reports = reportChanges(a.Reports, b.Reports)
	d.SignOffs = signOffChanges(a.SignOffs, b.SignOffs)
	return d
}

func fieldChanges(names, from, to []string) []FieldChange {
	var out []FieldChange
	for i, name := range names {
		if from[i] != to[i] {
			out = append(out, FieldChange{Field: name, From: from[i], To: to[i]})
		}
	}
	return out
}

func scopeValues(s Scope) []string {
	return []string{string(s.Impact), strings.Join(s.Frameworks, ", "), strconv.FormatBool(s.MultiTenant),
		strconv.FormatBool(s.OpenSystem), strconv.FormatBool(s.ESignatures), s.DataClassification}
}

func serviceChanges(from, to []SelectedService) []ServiceChange {
	byID := func(ss []SelectedService) map[string]SelectedService {
		m := make(map[string]SelectedService, len(ss))
		for _, s := range ss {
			m[s.ID] = s
		}
		return m
	}
	old, cur := byID(from), byID(to)
	var out []ServiceChange
	for _, s := range from {
		if _, ok := cur[s.ID]; !ok {
			out = append(out, ServiceChange{Service: s.ID, Change: Removed, Overrides: overrideChanges(s.Overrides, nil)})
		}
	}
	for _, s := range to {
		prev, ok := old[s.ID]
		switch {
		case !ok:
			out = append(out, ServiceChange{Service: s.ID, Change: Added, Overrides: overrideChanges(nil, s.Overrides)})
		default:
			if oc := overrideChanges(prev.Overrides, s.Overrides); len(oc) > 0 {
				out = append(out, ServiceChange{Service: s.ID, Change: Changed, Overrides: oc})
			}
		}
	}
	return out
}

func overrideChanges(from, to []ServiceOverride) []OverrideChange {
	layers := map[string]*OverrideChange{}
	var order []string
	at := func(layer string) *OverrideChange {
		if c, ok := layers[layer]; ok {
			return c
		}
		layers[layer] = &OverrideChange{Layer: layer}
		order = append(order, layer)
		return layers[layer]
	}
	for _, o := range from {
		at(o.Layer).From = &o
	}
	for _, o := range to {
		at(o.Layer).To = &o
	}
	var out []OverrideChange
	for _, l := range order {
		c := layers[l]
		if c.From == nil || c.To == nil || *c.From != *c.To {
			out = append(out, *c)
		}
	}
	return out
}

func layerChanges(from, to SolutionStack) []LayerChange {
	var out []LayerChange
	for i, l := range to.Layers {
		if i < len(from.Layers) && from.Layers[i].Owner != l.Owner {
			out = append(out, LayerChange{Layer: l.Layer.ID, From: from.Layers[i].Owner, To: l.Owner, CausedBy: l.CausedBy})
		}
	}
	return out
}

func controlChanges(cat *Catalog, a, b Assessment) []ControlChange {
	from, to := cat.ResolveAll(a.Scope, a.Services).Resolutions, cat.ResolveAll(b.Scope, b.Services).Resolutions
	var out []ControlChange
	for _, c := range cat.Controls {
		f, inFrom := from[c.ID]
		t, inTo := to[c.ID]
		if (inFrom || inTo) && f.Responsibility != t.Responsibility {
			reason := t.Reason()
			if !inTo {
				reason = "no longer applies to this scope and these services"
			}
			out = append(out, ControlChange{Control: c.ID, From: f.Responsibility, To: t.Responsibility, Reason: reason})
		}
	}
	return out
}

func answerChanges(a, b Assessment) []AnswerChange {
	from, to := a.Answers, b.Answers
	ids := slices.Sorted(maps.Keys(from))
	for id := range to {
		if _, ok := from[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []AnswerChange
	for _, id := range ids {
		f, inFrom := from[id]
		t, inTo := to[id]
		c := AnswerChange{Control: id, Change: Changed, By: t.UpdatedBy, At: t.UpdatedAt}
		switch {
		case !inFrom:
			c.Change = Added
		case !inTo:
			c.Change = Removed
		}
		c.Fields = fieldChanges([]string{"status", "justification", "notes"},
			[]string{string(f.Status), f.Justification, f.Notes}, []string{string(t.Status), t.Justification, t.Notes})
		c.LinksRemoved = linkChanges(&a, missing(f.Links, t.Links))
		c.LinksAdded = linkChanges(&b, missing(t.Links, f.Links))
		if len(c.Fields)+len(c.LinksAdded)+len(c.LinksRemoved) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// linkChanges names the entries of links as a's register does.
func linkChanges(a *Assessment, links []EvidenceLink) []LinkChange {
	var out []LinkChange
	for _, l := range links {
		c := LinkChange{EvidenceLink: l}
		if e, ok := a.Entry(l.Entry); ok {
			c.Title = e.Title
		}
		out = append(out, c)
	}
	return out
}

// missing returns the values of xs that ys lacks.
func missing[T comparable](xs, ys []T) []T {
	var out []T
	for _, x := range xs {
		if !slices.Contains(ys, x) {
			out = append(out, x)
		}
	}
	return out
}

func supplierChanges(from, to []SupplierRecord) []SupplierChange {
	fields := []string{"obtained", "period_start", "period_end", "version", "reviewer", "status", "notes"}
	values := func(r *SupplierRecord) []string {
		if r == nil {
			return make([]string, len(fields))
		}
		return []string{r.Obtained, r.PeriodStart, r.PeriodEnd, r.Version, r.Reviewer, string(r.Status), r.Notes}
	}
	find := func(rs []SupplierRecord, source string) *SupplierRecord {
		for i := range rs {
			if rs[i].Source == source {
				return &rs[i]
			}
		}
		return nil
	}
	var out []SupplierChange
	add := func(source string, f, t *SupplierRecord) {
		c := SupplierChange{Source: source, Change: Changed, Fields: fieldChanges(fields, values(f), values(t))}
		switch {
		case f == nil:
			c.Change = Added
		case t == nil:
			c.Change = Removed
		}
		if len(c.Fields) > 0 || c.Change != Changed {
			out = append(out, c)
		}
	}
	for i := range from {
		add(from[i].Source, &from[i], find(to, from[i].Source))
	}
	for i := range to {
		if find(from, to[i].Source) == nil {
			add(to[i].Source, nil, &to[i])
		}
	}
	return out
}

func signOffChanges(from, to []SignOff) []SignOffChange {
	key := func(s SignOff) string {
		return fmt.Sprint(s.By, "\x00", s.At.UTC().Format(time.RFC3339Nano), "\x00", s.Meaning, "\x00", s.Signature)
	}
	change := func(kind string, s SignOff) SignOffChange {
		return SignOffChange{Change: kind, By: s.By, Role: s.Role, Meaning: s.Meaning, At: s.At, Step: s.Step,
			Milestone: s.Milestone, Key: s.Key, Signed: s.Signed()}
	}
	old := make(map[string]SignOff, len(from))
	for _, s := range from {
		old[key(s)] = s
	}
	seen := make(map[string]bool, len(to))
	var out []SignOffChange
	for _, s := range to {
		k := key(s)
		seen[k] = true
		prev, ok := old[k]
		switch {
		case !ok:
			out = append(out, change(Added, s))
		case s.Superseded && !prev.Superseded:
			out = append(out, change(Superseded, s))
		}
	}
	for _, s := range from {
		if !seen[key(s)] {
			out = append(out, change(Removed, s))
		}
	}
	return out
}

func entryChanges(from, to []EvidenceEntry) []EntryChange {
	fields := []string{"title", "document_id", "version", "date", "location", "owner", "kind", "period_start", "period_end", "valid_until"}
	values := func(e *EvidenceEntry) []string {
		if e == nil {
			return make([]string, len(fields))
		}
		return []string{e.Title, e.DocumentID, e.Version, e.Date, e.Location, string(e.Owner), string(e.Kind), e.PeriodStart, e.PeriodEnd, e.ValidUntil}
	}
	find := func(es []EvidenceEntry, id string) *EvidenceEntry {
		if i := slices.IndexFunc(es, func(e EvidenceEntry) bool { return e.ID == id }); i >= 0 {
			return &es[i]
		}
		return nil
	}
	var out []EntryChange
	add := func(id string, f, t *EvidenceEntry) {
		c := EntryChange{Entry: id, Change: Changed, Fields: fieldChanges(fields, values(f), values(t))}
		switch {
		case f == nil:
			c.Change = Added
		case t == nil:
			c.Change = Removed
		}
		if len(c.Fields) > 0 {
			out = append(out, c)
		}
	}
	for i := range from {
		add(from[i].ID, &from[i], find(to, from[i].ID))
	}
	for i := range to {
		if find(from, to[i].ID) == nil {
			add(to[i].ID, nil, &to[i])
		}
	}
	return out
}

func reportChanges(from, to []ReportChoice) []ReportChange {
	find := func(cs []ReportChoice, source string) *ReportChoice {
		if i := slices.IndexFunc(cs, func(c ReportChoice) bool { return c.Source == source }); i >= 0 {
			c := cs[i]
			return &c
		}
		return nil
	}
	var sources []string
	for _, c := range slices.Concat(from, to) {
		if !slices.Contains(sources, c.Source) {
			sources = append(sources, c.Source)
		}
	}
	slices.Sort(sources)
	var out []ReportChange
	for _, s := range sources {
		f, t := find(from, s), find(to, s)
		if f == nil || t == nil || *f != *t {
			out = append(out, ReportChange{Source: s, From: f, To: t})
		}
	}
	return out
}
