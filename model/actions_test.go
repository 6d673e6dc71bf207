package model_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// trailer builds a trail entry by entry as the store does, and reports
// what Step says of each, so a test can try entries Step must refuse.
type trailer struct {
	t     *testing.T
	a     model.Assessment
	trail []model.AuditEntry
	cat   *model.Catalog
}

func newTrailer(t *testing.T, cat *model.Catalog, init model.Assessment) *trailer {
	tr := &trailer{t: t, cat: cat}
	init.ID, init.Workflow, init.CreatedBy = "a1", model.WorkflowDraft, "ana"
	init.CreatedAt = tr.at()
	tr.must(model.ActCreate, "assessment", nil, init)
	return tr
}

func (tr *trailer) at() time.Time {
	return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(len(tr.trail)) * time.Minute)
}

// try checks and applies one entry; a refused entry leaves the trail as
// it was.
func (tr *trailer) try(action, target string, old, v any) error {
	tr.t.Helper()
	e := model.AuditEntry{Assessment: "a1", Seq: uint64(len(tr.trail) + 1), Time: tr.at(), Format: model.EntryFormat,
		Actor: "ana", Action: action, Target: target, PrevHash: model.Head(tr.trail)}
	var err error
	if old != nil {
		if e.Old, err = json.Marshal(old); err != nil {
			tr.t.Fatal(err)
		}
	}
	if e.New, err = json.Marshal(stamped(v, e.Time)); err != nil {
		tr.t.Fatal(err)
	}
	e.Hash = e.ComputeHash()
	var prev model.ChainHead
	if len(tr.trail) > 0 {
		prev = tr.trail[len(tr.trail)-1].Link()
	}
	a := tr.a
	a.Answers = clone(a.Answers)
	if err := model.Step(&a, prev, e, tr.cat); err != nil {
		return err
	}
	tr.a = a
	tr.trail = append(tr.trail, e)
	return nil
}

func clone(m map[string]model.Answer) map[string]model.Answer {
	if m == nil {
		return nil
	}
	out := make(map[string]model.Answer, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (tr *trailer) must(action, target string, old, v any) {
	tr.t.Helper()
	if err := tr.try(action, target, old, v); err != nil {
		tr.t.Fatalf("%s %s: %v", action, target, err)
	}
}

func (tr *trailer) refused(what, want, action, target string, old, v any) {
	tr.t.Helper()
	err := tr.try(action, target, old, v)
	if err == nil || !strings.Contains(err.Error(), want) {
		tr.t.Errorf("%s: %v, want a refusal saying %q", what, err, want)
	}
}

// A record entry is a change of its own (records/DATA CLASS), with the
// old entry and the new one, checked by Step as every change is.
func TestRecordEntriesInTheTrail(t *testing.T) {
	tr := newTrailer(t, nil, model.Assessment{Name: "LIMS"})
	rec := batchRecord()
	target := "records/" + rec.DataClass
	tr.must(model.ActRecord, target, nil, rec)
	if !slices.Equal(tr.a.Records, []model.RecordEntry{rec}) {
		t.Fatalf("records %+v", tr.a.Records)
	}
	edited := rec
	edited.Retention = "5 years after batch release"
	tr.refused("no old value", "records no old value", model.ActRecord, target, nil, edited)
	tr.refused("an old value that was not held", "not what the assessment held", model.ActRecord, target, edited, edited)
	tr.must(model.ActRecord, target, rec, edited)
	if tr.a.Records[0].Retention != edited.Retention {
		t.Fatal("the edit did not apply")
	}

	other := rec
	other.DataClass = "batch production record " // the same class in other letters
	tr.refused("the same class twice", "listed already", model.ActRecord, "records/"+other.DataClass, nil, other)
	tr.refused("a target for another class", "the entry is for", model.ActRecord, "records/Lab results", nil, rec)
	tr.refused("a bad target", "records/DATA CLASS", model.ActRecord, "record/"+rec.DataClass, nil, rec)
	noRule := model.RecordEntry{DataClass: "Lab results", Part11: true, Retention: "10 years", SystemOfRecord: "LIMS", Inspection: "export"}
	tr.refused("a Part 11 record without its predicate rule", "predicate rule", model.ActRecord, "records/Lab results", nil, noRule)
	long := model.RecordEntry{DataClass: strings.Repeat("x", model.MaxNameBytes+1), Retention: "1 year", SystemOfRecord: "S3"}
	tr.refused("a data class longer than a name", "too long", model.ActRecord, "records/"+long.DataClass, nil, long)
	tr.refused("removing what is not there", "not there", model.ActRecord, "records/Lab results", nil, nil)

	tr.must(model.ActRecord, target, edited, nil)
	if len(tr.a.Records) != 0 {
		t.Fatalf("removed, yet %+v", tr.a.Records)
	}
	// The trail rebuilds the same inventory unchecked, as a verified
	// bundle is replayed.
	a, err := model.Replay(tr.trail)
	if err != nil || !model.SameAssessment(a, tr.a) {
		t.Fatalf("replay: %v", err)
	}
	// A new assessment starts with no inventory: each entry is a change.
	withRecords := model.Assessment{Name: "LIMS", Records: []model.RecordEntry{rec}}
	if err := newTrailerErr(t, withRecords); err == nil || !strings.Contains(err.Error(), "record entries") {
		t.Errorf("a creation carrying record entries: %v", err)
	}
}

func newTrailerErr(t *testing.T, init model.Assessment) error {
	tr := &trailer{t: t}
	init.ID, init.Workflow, init.CreatedBy = "a1", model.WorkflowDraft, "ana"
	init.CreatedAt = tr.at()
	return tr.try(model.ActCreate, "assessment", nil, init)
}

// A service's GAMP category of the assessment's own rides on the services
// entry: checked (a category GAMP 5 uses, a justification) and compared
// with what the assessment held, as overrides are.
func TestGAMPCategoryInTheTrail(t *testing.T) {
	tr := newTrailer(t, defaultCatalog(t), model.Assessment{Name: "LIMS"})
	tr.must(model.ActServices, "services", []model.SelectedService{}, model.Select("quicksight", "s3"))
	withGAMP := model.Select("quicksight", "s3")
	withGAMP[0].GAMP = &model.GAMPOverride{Category: model.GAMPCustom, Justification: "Custom visuals written for the batch release dashboard."}
	held := model.Select("quicksight", "s3")
	tr.must(model.ActServices, "services", held, withGAMP)
	if g := tr.a.Services[0].GAMP; g == nil || g.Category != model.GAMPCustom {
		t.Fatalf("GAMP %+v", g)
	}
	cleared := model.Select("quicksight", "s3")
	// The old value must carry the category the assessment held.
	tr.refused("an old value without the held category", "not what the assessment held", model.ActServices, "services", held, cleared)
	bad := model.Select("quicksight", "s3")
	bad[0].GAMP = &model.GAMPOverride{Category: 2, Justification: "firmware"}
	tr.refused("category 2", "use 1, 3, 4 or 5", model.ActServices, "services", withGAMP, bad)
	bad[0].GAMP = &model.GAMPOverride{Category: model.GAMPConfigured, Justification: " "}
	tr.refused("no justification", "needs a justification", model.ActServices, "services", withGAMP, bad)
	tr.must(model.ActServices, "services", withGAMP, cleared)
	if tr.a.Services[0].GAMP != nil {
		t.Fatal("the category was not cleared")
	}
}

// Every field of the scope is compared with the entry's old value, the
// internet-facing flag and the data categories included.
func TestScopeEntriesCompareEveryField(t *testing.T) {
	tr := newTrailer(t, nil, model.Assessment{Name: "LIMS", Scope: model.Scope{Impact: model.ImpactDirect}})
	s := model.Scope{Impact: model.ImpactDirect, InternetFacing: true, DataCategories: []model.DataCategory{model.DataHealth}}
	tr.must(model.ActScope, "scope", model.Scope{Impact: model.ImpactDirect}, s)
	next := s
	next.OpenSystem = true
	for name, old := range map[string]model.Scope{
		"internet-facing": {Impact: model.ImpactDirect, DataCategories: []model.DataCategory{model.DataHealth}},
		"data categories": {Impact: model.ImpactDirect, InternetFacing: true},
	} {
		tr.refused("an old scope without the held "+name, "not what the assessment held", model.ActScope, "scope", old, next)
	}
	bad := s
	bad.DataCategories = []model.DataCategory{"genetic"}
	tr.refused("an unknown data category", "unknown data category", model.ActScope, "scope", s, bad)
	bad.DataCategories = []model.DataCategory{model.DataHealth, model.DataHealth}
	tr.refused("a category twice", "twice", model.ActScope, "scope", s, bad)
	tr.must(model.ActScope, "scope", s, next)
}

// TEN-03 (a key per tenant) limits access to each tenant's records to
// that tenant's people, 21 CFR 11.10(d): it applies to a multi-tenant
// assessment under Part 11 alone, as the other tenancy controls do.
func TestTenantKeysUnderPart11Alone(t *testing.T) {
	cat := defaultCatalog(t)
	scope := model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}, MultiTenant: true}
	if !slices.ContainsFunc(cat.Applicable(scope, model.Select("dynamodb", "kms")), func(c *model.Control) bool { return c.ID == "TEN-03" }) {
		t.Error("TEN-03 drops when only Part 11 is chosen")
	}
	if !citesClause(controlByID(t, cat, "TEN-03"), "21cfr11", "11.10(d)") {
		t.Error("TEN-03 does not cite 11.10(d)")
	}
}
