package model_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

func batchRecord() model.RecordEntry {
	return model.RecordEntry{DataClass: "Batch production record", PredicateRule: "21 CFR 211.188", Part11: true,
		Retention: "1 year after batch expiry", SystemOfRecord: "MES database on Amazon RDS",
		Inspection: "read-only MES role and PDF export on request"}
}

// M1, E8: which records are Part 11 records, by predicate rule, with
// 11.1(e) inspection availability; the review shows a gap while Part 11 is
// in scope and no inventory exists.
func TestRecordInventory(t *testing.T) {
	cat := defaultCatalog(t)
	gapOf := func(a *model.Assessment) (model.Gap, bool) {
		for _, g := range cat.Review(a, time.Now()).Gaps {
			if g.Kind == model.GapNoRecordInventory {
				return g, true
			}
		}
		return model.Gap{}, false
	}
	a := &model.Assessment{Scope: model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}}, Services: model.Select("rds")}
	g, ok := gapOf(a)
	if !ok || g.Control != "REC-13" || !strings.Contains(g.Detail, "Part 11") {
		t.Fatalf("Part 11 chosen, no inventory: gap %+v, %v; want one on REC-13", g, ok)
	}
	all := &model.Assessment{Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("rds")}
	if _, ok := gapOf(all); !ok {
		t.Error("no framework chosen means Part 11 is in effect, yet no gap for the missing inventory")
	}
	annexOnly := &model.Assessment{Scope: model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"annex11"}}, Services: model.Select("rds")}
	if _, ok := gapOf(annexOnly); ok {
		t.Error("a Part 11 record inventory is asked of an Annex 11-only assessment")
	}
	a.Records = []model.RecordEntry{batchRecord()}
	if _, ok := gapOf(a); ok {
		t.Error("the gap stays after the inventory is recorded")
	}

	// The controls that ask for it.
	if c := controlByID(t, cat, "REC-13"); !citesClause(c, "21cfr11", "11.1(b)") || !strings.Contains(c.Question, "predicate rule") {
		t.Errorf("REC-13 does not ask for the record inventory by predicate rule: %q", c.Question)
	}
	if c := controlByID(t, cat, "REC-14"); !citesClause(c, "21cfr11", "11.1(e)") || !strings.Contains(c.Question, "FDA inspector") {
		t.Errorf("REC-14 does not ask 11.1(e) inspection availability: %q", c.Question)
	}
}

func TestRecordEntryValidation(t *testing.T) {
	ok := batchRecord()
	if err := ok.Validate(); err != nil {
		t.Fatalf("a complete entry: %v", err)
	}
	notPart11 := model.RecordEntry{DataClass: "Training slides", Retention: "3 years", SystemOfRecord: "S3 bucket docs"}
	if err := notPart11.Validate(); err != nil {
		t.Errorf("a record that is not a Part 11 record needs no predicate rule: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*model.RecordEntry)
		want string
	}{
		{"no data class", func(r *model.RecordEntry) { r.DataClass = " " }, "needs its data class"},
		{"no retention", func(r *model.RecordEntry) { r.Retention = "" }, "needs its retention"},
		{"no system of record", func(r *model.RecordEntry) { r.SystemOfRecord = "" }, "needs its system of record"},
		{"Part 11 without predicate rule", func(r *model.RecordEntry) { r.PredicateRule = "" }, "needs the predicate rule"},
		{"Part 11 without inspection", func(r *model.RecordEntry) { r.Inspection = "" }, "FDA inspection (11.1(e))"},
		{"huge notes", func(r *model.RecordEntry) { r.Notes = strings.Repeat("n", model.MaxRecordTextBytes+1) }, "notes too long"},
	} {
		r := batchRecord()
		tc.edit(&r)
		if err := r.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	dup := batchRecord()
	dup.DataClass = "batch production RECORD"
	if err := model.ValidateRecords([]model.RecordEntry{batchRecord(), dup}); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("the same data class twice: got %v", err)
	}
	if err := model.ValidateRecords(make([]model.RecordEntry, model.MaxRecordEntries+1)); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("too many entries: got %v", err)
	}
}

// The JSON names of an inventory entry are part of the file format.
func TestRecordEntryJSON(t *testing.T) {
	r := batchRecord()
	r.Hybrid, r.Notes = true, "QA signs the paper batch record"
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"data_class":"Batch production record","predicate_rule":"21 CFR 211.188","part11_record":true,"retention":"1 year after batch expiry",` +
		`"system_of_record":"MES database on Amazon RDS","inspection":"read-only MES role and PDF export on request","hybrid":true,"notes":"QA signs the paper batch record"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	a, err := json.Marshal(model.Assessment{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(a), "records") || strings.Contains(string(a), "internet_facing") {
		t.Errorf("an assessment without an inventory or the new flag encodes them: %s", a)
	}
}
