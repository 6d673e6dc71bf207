package model_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

func TestCompare(t *testing.T) {
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	// from holds free text from before the register; Compare files it as
	// E1, as the register does, so only what to changed shows.
	oq := model.EvidenceRef{Title: "OQ report", DocumentID: "OQ-042", Supplier: model.SupplierCustomer}
	signed := model.SignOff{By: "Jane", Meaning: "approved", At: t0, Step: model.WorkflowFinal, Signature: "sig", Key: "SHA256:k"}
	legacy := model.SignOff{By: "bob", Meaning: "reviewed", At: t0.Add(-time.Hour)}
	from := model.Assessment{ID: "A1", Name: "LIMS", Workflow: model.WorkflowFinal,
		Scope:    model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}},
		Services: []model.SelectedService{{ID: "ec2"}, {ID: "s3", Overrides: []model.ServiceOverride{{Layer: "data", Owner: model.OwnerShared, Justification: "AWS Backup"}}}},
		Answers: map[string]model.Answer{
			"GOV-01": {Control: "GOV-01", Status: model.StatusPartial, Evidence: []model.EvidenceRef{oq}, UpdatedAt: t0, UpdatedBy: "ana"},
			"GOV-02": {Control: "GOV-02", Status: model.StatusImplemented, Notes: "same", UpdatedAt: t0, UpdatedBy: "ana"},
			"GOV-03": {Control: "GOV-03", Status: model.StatusPlanned, UpdatedAt: t0},
		},
		Supplier: []model.SupplierRecord{{Source: "soc2", Obtained: "2026-01-10", Status: model.SupplierPending}, {Source: "soc1", Obtained: "2026-01-10", Status: model.SupplierAccepted}},
		SignOffs: []model.SignOff{legacy, signed},
	}
	to := from
	to.Name, to.Workflow = "LIMS 2027", model.WorkflowDraft
	to.Scope = model.Scope{Impact: model.ImpactIndirect, Frameworks: []string{"21cfr11", "annex11"}}
	to.Services = []model.SelectedService{{ID: "s3", Overrides: []model.ServiceOverride{{Layer: "data", Owner: model.OwnerCustomer, Justification: "own backups"}}}, {ID: "rds"}}
	to.Answers = map[string]model.Answer{
		"GOV-01": {Control: "GOV-01", Status: model.StatusImplemented, Links: []model.EvidenceLink{{Entry: "E1", Note: "§5"}, {Entry: "E2"}}, UpdatedAt: t0.Add(time.Hour), UpdatedBy: "ben"},
		"GOV-02": {Control: "GOV-02", Status: model.StatusImplemented, Notes: "same", UpdatedAt: t0.Add(time.Hour), UpdatedBy: "ben"}, // saved again, unchanged
		"GOV-04": {Control: "GOV-04", Status: model.StatusNotApplicable, Justification: "no interfaces"},
	}
	to.Supplier = []model.SupplierRecord{{Source: "soc2", Obtained: "2026-01-10", Status: model.SupplierReviewed, Reviewer: "QA"}, {Source: "iso27001", Obtained: "2026-02-01", Status: model.SupplierPending}}
	to.Register = []model.EvidenceEntry{
		{ID: "E1", Title: "OQ report", DocumentID: "OQ-042", Version: "2", Owner: model.SupplierCustomer},
		{ID: "E2", Title: "PQ report", DocumentID: "PQ-007", Owner: model.SupplierCustomer},
	}
	to.RegisterIssued = 2
	to.Reports = []model.ReportChoice{{Source: "pci-dss", Relevant: true, Reason: "card payments"}}
	superseded := signed
	superseded.Superseded = true
	to.SignOffs = []model.SignOff{superseded}

	d := model.Compare(cat, from, to, model.Point{Spec: "A1@v1"}, model.Point{Spec: "A1"})
	if d.Empty() {
		t.Fatal("no differences found")
	}
	want := func(what string, ok bool, got any) {
		t.Helper()
		if !ok {
			t.Errorf("%s: %+v", what, got)
		}
	}
	want("info", len(d.Info) == 2 && d.Info[0] == model.FieldChange{Field: "name", From: "LIMS", To: "LIMS 2027"} &&
		d.Info[1] == model.FieldChange{Field: "workflow", From: "final", To: "draft"}, d.Info)
	want("scope", len(d.Scope) == 2 && d.Scope[0].Field == "gxp_impact" && d.Scope[1] == model.FieldChange{Field: "frameworks", From: "21cfr11", To: "21cfr11, annex11"}, d.Scope)
	want("services", len(d.Services) == 3 &&
		d.Services[0].Service == "ec2" && d.Services[0].Change == model.Removed &&
		d.Services[1].Service == "s3" && d.Services[1].Change == model.Changed && len(d.Services[1].Overrides) == 1 &&
		d.Services[1].Overrides[0].From.Owner == model.OwnerShared && d.Services[1].Overrides[0].To.Owner == model.OwnerCustomer &&
		d.Services[2].Service == "rds" && d.Services[2].Change == model.Added, d.Services)
	var os *model.LayerChange
	for i, l := range d.Layers {
		if l.Layer == "os" {
			os = &d.Layers[i]
		}
	}
	want("the os layer leaves the customer with ec2", os != nil && os.From == model.OwnerCustomer && os.To == model.OwnerAWS, d.Layers)
	want("controls whose responsibility moved", len(d.Controls) > 0, d.Controls)
	for _, c := range d.Controls {
		if c.From == c.To || c.Reason == "" {
			t.Errorf("control change %+v", c)
		}
	}
	want("answers", len(d.Answers) == 3 &&
		d.Answers[0].Control == "GOV-01" && d.Answers[0].Change == model.Changed && d.Answers[0].By == "ben" &&
		d.Answers[0].Fields[0] == model.FieldChange{Field: "status", From: "partial", To: "implemented"} &&
		len(d.Answers[0].LinksAdded) == 2 && d.Answers[0].LinksAdded[0] == model.LinkChange{EvidenceLink: model.EvidenceLink{Entry: "E1", Note: "§5"}, Title: "OQ report"} &&
		d.Answers[0].LinksAdded[1].Entry == "E2" && d.Answers[0].LinksAdded[1].Title == "PQ report" &&
		len(d.Answers[0].LinksRemoved) == 1 && d.Answers[0].LinksRemoved[0] == model.LinkChange{EvidenceLink: model.EvidenceLink{Entry: "E1"}, Title: "OQ report"} &&
		d.Answers[1].Control == "GOV-03" && d.Answers[1].Change == model.Removed &&
		d.Answers[2].Control == "GOV-04" && d.Answers[2].Change == model.Added, d.Answers)
	want("supplier", len(d.Supplier) == 3 &&
		d.Supplier[0].Source == "soc2" && d.Supplier[0].Change == model.Changed && len(d.Supplier[0].Fields) == 2 &&
		d.Supplier[1].Source == "soc1" && d.Supplier[1].Change == model.Removed &&
		d.Supplier[2].Source == "iso27001" && d.Supplier[2].Change == model.Added, d.Supplier)
	want("register", len(d.Register) == 2 &&
		d.Register[0].Entry == "E1" && d.Register[0].Change == model.Changed && len(d.Register[0].Fields) == 1 && d.Register[0].Fields[0] == model.FieldChange{Field: "version", To: "2"} &&
		d.Register[1].Entry == "E2" && d.Register[1].Change == model.Added, d.Register)
	want("reports", len(d.Reports) == 1 && d.Reports[0].Source == "pci-dss" && d.Reports[0].From == nil && d.Reports[0].To.Reason == "card payments", d.Reports)
	want("sign-offs", len(d.SignOffs) == 2 &&
		d.SignOffs[0].Change == model.Superseded && d.SignOffs[0].By == "Jane" && d.SignOffs[0].Signed &&
		d.SignOffs[1].Change == model.Removed && d.SignOffs[1].By == "bob" && !d.SignOffs[1].Signed, d.SignOffs)

	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back model.Diff
	if err := json.Unmarshal(raw, &back); err != nil || len(back.Answers) != 3 || back.Services[1].Overrides[0].To.Justification != "own backups" {
		t.Errorf("JSON round trip: %v\n%s", err, raw)
	}

	if same := model.Compare(cat, from, from, model.Point{}, model.Point{}); !same.Empty() {
		t.Errorf("an assessment differs from itself: %+v", same)
	}
}

// Points name states of one trail; each rebuilds and anchors its state.
func TestPointOf(t *testing.T) {
	b := newBook(t)
	b.must(model.ActAnswer, "answer/AT-01", b.answer("AT-01", model.StatusPlanned), "")
	b.must(model.ActMilestone, "milestones/v1", "v1", "")
	b.must(model.ActAnswer, "answer/AT-01", b.answer("AT-01", model.StatusImplemented), "")

	for spec, want := range map[string]struct {
		entries uint64
		status  model.Status
	}{
		"a1":                      {4, model.StatusImplemented},
		"a1@v1":                   {2, model.StatusPlanned},
		"a1@2026-11-02T09:01:30Z": {2, model.StatusPlanned}, // the entries are a minute apart from 09:00
		"a1@2026-11-02":           {4, model.StatusImplemented},
	} {
		ps, err := model.ParsePoint(spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		a, p, err := model.PointOf(b.trail, ps)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if p.Entries != want.entries || p.Head != b.trail[want.entries-1].Hash || a.Answer("AT-01").Status != want.status || p.Spec != ps.String() {
			t.Errorf("%s: %+v, status %s", spec, p, a.Answer("AT-01").Status)
		}
	}
	// Several points of one trail, asked in any order, are each the state a
	// replay of their own prefix gives: the single replay keeps them apart.
	specs := []string{"a1", "a1@v1", "a1@2026-11-02T09:00:30Z", "a1@v1"}
	parsed := make([]model.PointSpec, len(specs))
	for i, s := range specs {
		parsed[i], _ = model.ParsePoint(s)
	}
	as, ps, err := model.PointsOf(b.trail, parsed...)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps {
		alone, err := model.Replay(b.trail[:p.Entries])
		if err != nil || !model.SameAssessment(alone, as[i]) {
			t.Errorf("%s: differs from a replay of its %d entries", specs[i], p.Entries)
		}
	}
	as[1].Answers["AT-01"] = model.Answer{Control: "AT-01", Status: model.StatusPartial}
	if as[3].Answer("AT-01").Status != model.StatusPlanned {
		t.Error("two points share their answers")
	}

	for _, bad := range []string{"", "@v1", "a1@v 1", "a1@-x"} {
		if _, err := model.ParsePoint(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	for _, spec := range []string{"a1@v2", "a1@2026-11-01"} {
		ps, _ := model.ParsePoint(spec)
		if _, _, err := model.PointOf(b.trail, ps); err == nil {
			t.Errorf("%s resolved", spec)
		}
	}
	// A broken chain is not shown as a point.
	b.trail[1].Actor = "mallory"
	now, _ := model.ParsePoint("a1")
	if _, _, err := model.PointOf(b.trail, now); err == nil {
		t.Error("a point of a broken chain")
	}
}
