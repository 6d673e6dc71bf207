package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// longTrail builds a bundle of n entries the way the store writes them
// (the import then checks each one with model.Step): a creation, then
// answers going round the catalog's controls, each with notes and an
// evidence reference, and from the second round on the answer it
// replaces as its old value.
func longTrail(t testing.TB, cat *model.Catalog, n int) model.Bundle {
	t.Helper()
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	var a model.Assessment
	trail := make([]model.AuditEntry, 0, n)
	var prev model.ChainHead
	add := func(action, target string, old, v any) {
		e := model.AuditEntry{Assessment: "long0000000001", Seq: prev.Seq + 1, Time: at, Actor: "vera.keller", Action: action,
			Target: target, Format: model.EntryFormat, PrevHash: prev.Hash}
		var err error
		if old != nil {
			if e.Old, err = json.Marshal(old); err != nil {
				t.Fatal(err)
			}
		}
		if e.New, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
		e.Hash = e.ComputeHash()
		if err := model.Apply(&a, e); err != nil {
			t.Fatal(err)
		}
		trail = append(trail, e)
		prev = e.Link()
		at = at.Add(time.Second)
	}
	add(model.ActCreate, "assessment", nil, model.Assessment{ID: "long0000000001", Name: "LIMS on AWS", Organisation: "Acme",
		Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("ec2", "rds", "s3"), Workflow: model.WorkflowDraft,
		Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}, CreatedAt: at, CreatedBy: "vera.keller"})
	for i := 1; i < n; i++ {
		c := cat.Controls[i%len(cat.Controls)].ID
		ans := model.Answer{Control: c, Status: model.Statuses[i%4], Notes: fmt.Sprintf("reviewed in workshop %d with QA", i/len(cat.Controls)),
			Evidence:  []model.EvidenceRef{{Title: "OQ report", DocumentID: fmt.Sprintf("OQ-%05d", i), Version: "2.0", Date: "2026-01-02", Supplier: model.SupplierCustomer}},
			UpdatedAt: at, UpdatedBy: "vera.keller"}
		var old any
		if held, ok := a.Answers[c]; ok {
			old = held
		}
		add(model.ActAnswer, "answer/"+c, old, ans)
	}
	return model.NewBundle(a, trail)
}

// Onus's own largest exports import again: a bundle of 100,000 entries,
// as the store writes them and Export returns them (the assessment and its
// trail), is over the old 64 MiB cap; it reads back entry by entry and
// imports.
func TestLargestExportImportsAgain(t *testing.T) {
	const n = 100_000
	cat := embedded(t)
	b := longTrail(t, cat, n)
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(data) <= 64<<20 {
		t.Fatalf("%d entries take %d MiB; the test needs more than 64 MiB", n, len(data)>>20)
	}
	t.Logf("%d entries: %d bytes, %d per entry", n, len(data), len(data)/n)
	back, err := model.ReadBundle(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	data = nil
	db, err := Open(filepath.Join(t.TempDir(), "onus.db"), Options{Actor: "bob",
		Now: (&clock{now: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}).Now, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	a, err := db.Import(back)
	if err != nil {
		t.Fatalf("import of a %d-entry bundle: %v", n, err)
	}
	again, err := db.Export(a.ID)
	if err != nil || len(again.Trail) != n+1 || again.Trail[n-1].Hash != model.Head(b.Trail) {
		t.Errorf("export of the imported assessment: %v, %d entries", err, len(again.Trail))
	}
}
