package store

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

func lastEntry(t *testing.T, db *DB, id string) model.AuditEntry {
	t.Helper()
	trail, err := db.History(id)
	if err != nil {
		t.Fatal(err)
	}
	return trail[len(trail)-1]
}

func verified(t *testing.T, db *DB, id string) {
	t.Helper()
	if r := db.Verify(id); r.Err != "" {
		t.Fatalf("Verify: %s", r.Err)
	}
}

// The record inventory: each entry is added, edited, renamed (the old
// class removed and the new one added, both or neither) and removed by
// audited changes with old and new entry.
func TestRecordInventoryChanges(t *testing.T) {
	db, _ := openTest(t, "ana")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	id := a.ID
	batch := model.RecordEntry{DataClass: "Batch record", PredicateRule: "21 CFR 211.188", Part11: true, Retention: "1 year after expiry",
		SystemOfRecord: "MES on RDS", Inspection: "read-only role"}
	if a, err = db.SetRecord(id, "", batch); err != nil || !slices.Equal(a.Records, []model.RecordEntry{batch}) {
		t.Fatalf("SetRecord: %v %+v", err, a.Records)
	}
	if e := lastEntry(t, db, id); e.Action != model.ActRecord || e.Target != "records/Batch record" || len(e.Old) != 0 {
		t.Errorf("entry %+v", e)
	}
	edited := batch
	edited.Retention = "5 years"
	if _, err = db.SetRecord(id, "Batch record", edited); err != nil {
		t.Fatal(err)
	}
	e := lastEntry(t, db, id)
	var old model.RecordEntry
	if json.Unmarshal(e.Old, &old); old != batch {
		t.Errorf("the edit's old value is %+v", old)
	}
	lab := model.RecordEntry{DataClass: "Lab results", Retention: "10 years", SystemOfRecord: "LIMS"}
	if _, err = db.SetRecord(id, "", lab); err != nil {
		t.Fatal(err)
	}
	before, _ := db.History(id)
	renamed := edited
	renamed.DataClass = "Lab results"
	if _, err := db.SetRecord(id, "Batch record", renamed); err == nil || !strings.Contains(err.Error(), "listed already") {
		t.Errorf("a rename onto another class: %v", err)
	}
	if invalid := (model.RecordEntry{DataClass: "x", Part11: true, Retention: "1", SystemOfRecord: "S3"}); true {
		if _, err := db.SetRecord(id, "", invalid); err == nil {
			t.Error("a Part 11 record without its predicate rule was stored")
		}
	}
	if after, _ := db.History(id); len(after) != len(before) {
		t.Fatal("a refused change recorded entries")
	}
	renamed.DataClass = "Batch production record"
	if a, err = db.SetRecord(id, "Batch record", renamed); err != nil {
		t.Fatal(err)
	}
	trail, _ := db.History(id)
	if len(trail) != len(before)+2 || trail[len(trail)-2].Target != "records/Batch record" || string(trail[len(trail)-2].New) != "null" ||
		trail[len(trail)-1].Target != "records/Batch production record" {
		t.Errorf("a rename recorded %d entries: %+v", len(trail)-len(before), trail[len(before):])
	}
	if got := []string{a.Records[0].DataClass, a.Records[1].DataClass}; !slices.Equal(got, []string{"Lab results", "Batch production record"}) {
		t.Errorf("records after the rename: %v", got)
	}
	if a, err = db.RemoveRecord(id, "Lab results"); err != nil || len(a.Records) != 1 {
		t.Fatalf("RemoveRecord: %v %+v", err, a.Records)
	}
	if _, err := db.RemoveRecord(id, "Lab results"); err == nil {
		t.Error("removed twice")
	}
	verified(t, db, id)
	got, _ := db.Get(id)
	if !slices.Equal(got.Records, a.Records) {
		t.Errorf("stored %+v", got.Records)
	}
}

// A service's GAMP category of the assessment's own is set with its
// justification, and cleared back to the catalog's.
func TestGAMPCategoryChanges(t *testing.T) {
	db, _ := openTest(t, "ana")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "Dashboards", Services: model.Select("quicksight")})
	if err != nil {
		t.Fatal(err)
	}
	g := &model.GAMPOverride{Category: model.GAMPCustom, Justification: "custom visuals"}
	if a, err = db.SetGAMP(a.ID, "quicksight", g); err != nil || a.Services[0].GAMP == nil || *a.Services[0].GAMP != *g {
		t.Fatalf("SetGAMP: %v %+v", err, a.Services)
	}
	if _, err := db.SetGAMP(a.ID, "quicksight", &model.GAMPOverride{Category: 4}); err == nil {
		t.Error("a category without a justification was stored")
	}
	if _, err := db.SetGAMP(a.ID, "s3", g); err == nil {
		t.Error("a category for a service not selected")
	}
	if a, err = db.SetGAMP(a.ID, "quicksight", nil); err != nil || a.Services[0].GAMP != nil {
		t.Fatalf("clear: %v %+v", err, a.Services)
	}
	if _, err := db.SetGAMP(a.ID, "quicksight", nil); err == nil {
		t.Error("cleared twice")
	}
	verified(t, db, a.ID)
}

// An assessment made with the catalog before the November review (the
// release at 1c4f9f7, in testdata/release3) opens, verifies and moves to
// today's catalog with every answer kept; the move is an entry naming both
// catalogs, and a second move is refused.
func TestMoveToCatalogKeepsAnswers(t *testing.T) {
	cat := embedded(t)
	path := filepath.Join(t.TempDir(), "onus.db")
	copyFile(t, filepath.Join(release3, "onus.db"), path)
	clk := &clock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	db, err := Open(path, Options{Actor: "ana", Now: clk.Now, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	sums, _ := db.List(false)
	i := slices.IndexFunc(sums, func(s model.Summary) bool { return s.Name == "LIMS next round" })
	if i < 0 {
		t.Fatalf("no draft in the fixture: %+v", sums)
	}
	id := sums[i].ID
	before, err := db.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if before.Catalog.Version != "2026.11.0" || cat.Is(before.Catalog) || len(before.Answers) != 2 {
		t.Fatalf("the fixture's assessment: catalog %+v, %d answers", before.Catalog, len(before.Answers))
	}
	after, err := db.MoveToCatalog(id, cat, "catalog review of November 2026")
	if err != nil {
		t.Fatal(err)
	}
	if after.Catalog != cat.Ref() || !model.SameAssessment(model.Assessment{Answers: after.Answers}, model.Assessment{Answers: before.Answers}) {
		t.Errorf("after the move: catalog %+v, answers %v (were %v)", after.Catalog, after.Answers, before.Answers)
	}
	e := lastEntry(t, db, id)
	var old model.CatalogRef
	var mv model.CatalogMove
	json.Unmarshal(e.Old, &old)
	json.Unmarshal(e.New, &mv)
	if e.Action != model.ActCatalog || old != before.Catalog || mv.Catalog != cat.Ref() || len(mv.Dropped) != 0 || e.Reason == "" {
		t.Errorf("entry %+v", e)
	}
	verified(t, db, id)
	if _, err := db.MoveToCatalog(id, cat, ""); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("a second move: %v", err)
	}
	// The list counts it with the catalog it is on now.
	sums, _ = db.List(false)
	if s := sums[slices.IndexFunc(sums, func(s model.Summary) bool { return s.ID == id })]; s.Catalog != cat.Ref() {
		t.Errorf("summary catalog %+v", s.Catalog)
	}
}

// A move to a catalog without one of the answered controls drops that
// answer, names it in the entry, and keeps the file's digests right; the
// answer is still in the trail.
func TestMoveToCatalogDropsAnswersToControlsItLacks(t *testing.T) {
	cur := embedded(t)
	db, _ := openTest(t, "ana")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2"), Catalog: cur.Ref()})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"AT-01", "AT-04"} {
		if _, err := db.Answer(a.ID, model.Answer{Control: c, Status: model.StatusImplemented}, ""); err != nil {
			t.Fatal(err)
		}
	}
	next := &model.Catalog{Schema: cur.Schema, Version: "2099.1.0", Name: cur.Name, Layers: cur.Layers, Frameworks: cur.Frameworks,
		Domains: cur.Domains, Evidence: cur.Evidence, Services: cur.Services, Hash: "next",
		Controls: slices.DeleteFunc(slices.Clone(cur.Controls), func(c model.Control) bool { return c.ID == "AT-04" })}
	moved, err := db.MoveToCatalog(a.ID, next, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, kept := moved.Answers["AT-04"]; kept || len(moved.Answers) != 1 {
		t.Errorf("answers after the move: %v", moved.Answers)
	}
	var mv model.CatalogMove
	json.Unmarshal(lastEntry(t, db, a.ID).New, &mv)
	if !slices.Equal(mv.Dropped, []string{"AT-04"}) {
		t.Errorf("the entry drops %v", mv.Dropped)
	}
	verified(t, db, a.ID)
	got, _ := db.Get(a.ID)
	if _, ok := got.Answers["AT-04"]; ok {
		t.Error("the dropped answer is still stored")
	}
	// Another change after it: the head's digest of the answers held.
	if _, err := db.Answer(a.ID, model.Answer{Control: "AT-01", Status: model.StatusPartial}, ""); err != nil {
		t.Fatal(err)
	}
	verified(t, db, a.ID)
}
