package synth

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/onus-gxp/onus/model"
)

// Assessments returns n assessments of cat as bundles, each with a valid
// audit trail: created with a few services, then the first answers of its
// applicable controls answered. Importing them fills a database the size
// a long-running practice would have, in one commit per assessment
// instead of one per answer.
func Assessments(cat *model.Catalog, n, answers int, start time.Time) ([]model.Bundle, error) {
	services := pickServices(cat, 6)
	out := make([]model.Bundle, 0, n)
	at := start.UTC()
	for i := range n {
		t := trail{}
		id := fmt.Sprintf("synth%011d", i)
		created := model.Assessment{
			ID: id, Name: fmt.Sprintf("Assessment %04d", i), Organisation: "Synthetic Pharma", System: fmt.Sprintf("System %d", i%37),
			Scope:    model.Scope{Impact: model.ImpactDirect, Frameworks: []string{}},
			Services: model.Select(services...), Workflow: model.WorkflowDraft,
			Catalog:   model.CatalogRef{Version: cat.Version, Hash: cat.Hash},
			CreatedAt: at, CreatedBy: "synth", UpdatedAt: at,
		}
		if err := t.add(id, at, model.ActCreate, "assessment", created); err != nil {
			return nil, err
		}
		for j, c := range firstN(cat.Applicable(created.Scope, created.Services), answers) {
			at = at.Add(time.Second)
			ans := model.Answer{Control: c.ID, Status: model.Statuses[j%4], Notes: "reviewed in the workshop",
				Evidence:  []model.EvidenceRef{{Title: "OQ report", DocumentID: fmt.Sprintf("OQ-%03d", j), Supplier: model.SupplierCustomer}},
				UpdatedAt: at, UpdatedBy: "synth"}
			if err := t.add(id, at, model.ActAnswer, "answer/"+c.ID, ans); err != nil {
				return nil, err
			}
		}
		at = at.Add(time.Minute)
		out = append(out, model.NewBundle(t.a, t.entries))
	}
	return out, nil
}

// trail builds an audit trail the way the store does: each entry linked to
// the previous one's hash and applied to the assessment.
type trail struct {
	a       model.Assessment
	entries []model.AuditEntry
}

func (t *trail) add(id string, at time.Time, action, target string, value any) error {
	return t.change(id, at, action, target, nil, value)
}

// change adds an entry that replaces old (nil: none) with value.
func (t *trail) change(id string, at time.Time, action, target string, old, value any) error {
	raw, err := json.Marshal(value)
	if err != nil {
		return err
	}
	e := model.AuditEntry{Assessment: id, Seq: uint64(len(t.entries) + 1), Time: at, Actor: "synth",
		Action: action, Target: target, New: raw, PrevHash: model.Head(t.entries)}
	if old != nil {
		if e.Old, err = json.Marshal(old); err != nil {
			return err
		}
	}
	e.Hash = e.ComputeHash()
	if err := model.Apply(&t.a, e); err != nil {
		return err
	}
	t.entries = append(t.entries, e)
	return nil
}

// PickServices takes up to n service ids spread evenly over the catalog,
// so every service model is represented.
func PickServices(cat *model.Catalog, n int) []string {
	return pickServices(cat, n)
}

func pickServices(cat *model.Catalog, n int) []string {
	var ids []string
	step := max(1, len(cat.Services)/n)
	for i := 0; i < len(cat.Services) && len(ids) < n; i += step {
		ids = append(ids, cat.Services[i].ID)
	}
	return ids
}

func firstN[T any](s []T, n int) []T {
	return s[:min(n, len(s))]
}

// Answered returns one assessment of cat as a bundle: created with
// services services (picked as PickServices does), then its applicable
// controls answered in turn, round after round, until the trail holds
// entries entries (at least one round: every applicable control answered,
// with evidence). It is the hard case of the exports: services scaled with
// the catalog, every control answered, and, with many rounds, a long trail.
func Answered(cat *model.Catalog, id string, services, entries int, start time.Time) (model.Bundle, error) {
	t := trail{}
	at := start.UTC()
	created := model.Assessment{
		ID: id, Name: "Answered " + id, Organisation: "Synthetic Pharma", System: "Synthetic system",
		Scope:    model.Scope{Impact: model.ImpactDirect, Frameworks: []string{}},
		Services: model.Select(pickServices(cat, services)...), Workflow: model.WorkflowDraft,
		Catalog:   model.CatalogRef{Version: cat.Version, Hash: cat.Hash},
		CreatedAt: at, CreatedBy: "synth", UpdatedAt: at,
	}
	if err := t.add(id, at, model.ActCreate, "assessment", created); err != nil {
		return model.Bundle{}, err
	}
	applicable := cat.Applicable(created.Scope, created.Services)
	if len(applicable) == 0 {
		return model.Bundle{}, fmt.Errorf("no control applies to %d services", services)
	}
	for j := 0; len(t.entries) < entries || j < len(applicable); j++ {
		c := applicable[j%len(applicable)]
		at = at.Add(time.Second)
		ans := model.Answer{Control: c.ID, Status: model.Statuses[j%4], Notes: fmt.Sprintf("round %d of the workshop", j/len(applicable)+1),
			Evidence:  []model.EvidenceRef{{Title: "OQ report " + c.ID, DocumentID: "OQ-" + c.ID, Version: "1", Date: "2026-01-05", Supplier: model.SupplierCustomer}},
			UpdatedAt: at, UpdatedBy: "synth"}
		var old any
		if was, ok := t.a.Answers[c.ID]; ok {
			old = was
		}
		if err := t.change(id, at, model.ActAnswer, "answer/"+c.ID, old, ans); err != nil {
			return model.Bundle{}, err
		}
	}
	return model.NewBundle(t.a, t.entries), nil
}
