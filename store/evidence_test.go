package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// linked is the register entries an answer links to, in its order.
func linked(a model.Assessment, control string) []model.EvidenceEntry {
	var out []model.EvidenceEntry
	for _, l := range a.Answers[control].Links {
		if e, ok := a.Entry(l.Entry); ok {
			out = append(out, e)
		}
	}
	return out
}

// refOf is the free-text reference an entry was filed from.
func refOf(e model.EvidenceEntry) model.EvidenceRef {
	return model.EvidenceRef{Title: e.Title, DocumentID: e.DocumentID, Version: e.Version, Date: e.Date, Location: e.Location, Supplier: e.Owner}
}

// actions lists a trail's actions and targets from entry from on.
func actions(t *testing.T, db *DB, id string, from int) []string {
	t.Helper()
	tr, err := db.History(id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range tr[from:] {
		out = append(out, e.Action+" "+e.Target)
	}
	return out
}

// The register's changes through the store: each an audited entry (or a
// few in one transaction), checked by model.Step; the trail verifies and
// the assessment exports and imports elsewhere, register and all.
func TestRegisterThroughTheStore(t *testing.T) {
	cat := embedded(t)
	path := filepath.Join(t.TempDir(), "onus.db")
	db, err := Open(path, Options{Actor: "ana", Now: newClock().Now, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2", "rds", "s3"), Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}})
	if err != nil {
		t.Fatal(err)
	}
	id := a.ID
	spec := model.EvidenceEntry{Title: "Configuration specification", DocumentID: "CS-12", Version: "2.0", Location: "DMS/QA/CS-12",
		Owner: model.SupplierCustomer, Kind: model.DocSpecification}
	if a, err = db.AddEntry(id, spec); err != nil || a.Register[0].ID != "E1" {
		t.Fatalf("AddEntry: %v %+v", err, a.Register)
	}
	if _, err = db.AddEntry(id, model.EvidenceEntry{ID: "E7", Title: "x", Owner: model.SupplierCustomer}); err == nil || !strings.Contains(err.Error(), "next evidence id is E2") {
		t.Errorf("an id out of turn: %v", err)
	}
	five := []string{"SEC-01", "ENC-01", "ENC-02", "AC-01", "AC-02"}
	n := len(actions(t, db, id, 0))
	if a, err = db.Link(id, "E1", five, "§4.2"); err != nil {
		t.Fatal(err)
	}
	if got := actions(t, db, id, n); len(got) != 5 || got[0] != "evidence-links links/SEC-01" {
		t.Errorf("linking to five controls recorded %v", got)
	}
	// Answering keeps the links; editing the entry reaches every control.
	if a, err = db.Answer(id, model.Answer{Control: "SEC-01", Status: model.StatusImplemented}, ""); err != nil || len(a.Answers["SEC-01"].Links) != 1 {
		t.Fatalf("an answer after linking: %v %+v", err, a.Answers["SEC-01"])
	}
	spec.ID, spec.Version = "E1", "2.1"
	if a, err = db.EditEntry(id, spec); err != nil {
		t.Fatal(err)
	}
	for _, c := range five {
		if ev := linked(a, c); len(ev) != 1 || ev[0].Version != "2.1" || a.Answers[c].Links[0].Note != "§4.2" {
			t.Errorf("%s cites %+v", c, ev)
		}
	}
	// onus answer --evidence: the text is filed, an identical entry reused.
	again := model.EvidenceRef{Title: spec.Title, DocumentID: spec.DocumentID, Version: "2.1", Location: spec.Location, Supplier: model.SupplierCustomer}
	oq := model.EvidenceRef{Title: "OQ report", DocumentID: "OQ-042", Supplier: model.SupplierCustomer}
	if a, err = db.Answer(id, model.Answer{Control: "AT-01", Status: model.StatusImplemented, Evidence: []model.EvidenceRef{again, oq}}, ""); err != nil {
		t.Fatal(err)
	}
	if ev := linked(a, "AT-01"); len(ev) != 2 || ev[0].ID != "E1" || ev[1].ID != "E2" || len(a.Register) != 2 || len(a.Answers["AT-01"].Evidence) != 0 {
		t.Errorf("answer --evidence filed %+v; register %+v", ev, a.Register)
	}
	// Unlink; a control not linked is an error.
	if a, err = db.Unlink(id, "E1", []string{"AC-02"}); err != nil || len(a.Answers["AC-02"].Links) != 0 {
		t.Errorf("Unlink: %v %+v", err, a.Answers["AC-02"])
	}
	if _, err = db.Unlink(id, "E1", []string{"AC-02"}); err == nil || !strings.Contains(err.Error(), "AC-02 does not link to E1") {
		t.Errorf("unlinking what is not linked: %v", err)
	}
	// Removing a linked entry unlinks it first, each unlinking recorded.
	n = len(actions(t, db, id, 0))
	if a, err = db.RemoveEntry(id, "E1"); err != nil {
		t.Fatal(err)
	}
	want := []string{"evidence-links links/AC-01", "evidence-links links/AT-01", "evidence-links links/ENC-01", "evidence-links links/ENC-02",
		"evidence-links links/SEC-01", "evidence-entry evidence/E1"}
	if got := actions(t, db, id, n); !slices.Equal(got, want) {
		t.Errorf("removing a linked entry recorded\n%v\nwant\n%v", got, want)
	}
	if _, ok := a.Entry("E1"); ok || len(a.LinkedFrom("E1")) != 0 {
		t.Error("E1 is still there")
	}
	if a, err = db.AddEntry(id, model.EvidenceEntry{Title: "Access SOP", Owner: model.SupplierCustomer}); err != nil || a.Register[len(a.Register)-1].ID != "E3" {
		t.Errorf("the id after a removal: %v %+v", err, a.Register)
	}
	// A supplier record is linked as aws:SOURCE; removing it unlinks it.
	if _, err = db.SetSupplierRecord(id, model.SupplierRecord{Source: "soc2", Obtained: "2026-03-01", Status: model.SupplierPending}); err != nil {
		t.Fatal(err)
	}
	if a, err = db.Link(id, "aws:soc2", []string{"AC-01"}, "CC6.1"); err != nil {
		t.Fatal(err)
	}
	if a, err = db.RemoveSupplierRecord(id, "soc2"); err != nil || len(a.Answers["AC-01"].Links) != 0 {
		t.Errorf("removing a linked supplier record: %v %+v", err, a.Answers["AC-01"])
	}
	// Reports added and dismissed with a reason.
	if _, err = db.SetReportChoice(id, "pci-dss", &model.ReportChoice{Source: "pci-dss", Relevant: true}); err == nil {
		t.Error("a report added without a reason")
	}
	if a, err = db.SetReportChoice(id, "pci-dss", &model.ReportChoice{Source: "pci-dss", Relevant: true, Reason: "the shop takes cards"}); err != nil || len(a.Reports) != 1 {
		t.Errorf("SetReportChoice: %v %+v", err, a.Reports)
	}
	if a, err = db.SetReportChoice(id, "pci-dss", nil); err != nil || len(a.Reports) != 0 {
		t.Errorf("back to the rule: %v %+v", err, a.Reports)
	}
	if r := db.Verify(id); r.Err != "" || len(r.Notes) != 0 {
		t.Fatalf("Verify: %+v", r)
	}
	b, err := db.Export(id)
	if err != nil {
		t.Fatal(err)
	}
	if b.Version != 3 {
		t.Errorf("bundle version %d", b.Version)
	}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := model.DecodeBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := Open(filepath.Join(t.TempDir(), "onus.db"), Options{Actor: "bob", Now: (&clock{now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}).Now,
		Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, dst)
	got, err := dst.Import(back)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Register, a.Register) || got.RegisterIssued != 3 {
		t.Errorf("the register did not travel: %+v", got.Register)
	}
}

// registerFixtures are databases written by builds before the register
// (testdata/register/make.sh): the release before the catalog review, main
// as the register was started, and main as the register was merged into
// it, with the signing work.
//
// finalBreaks: how a final assessment of a fixture fails verification,
// "" when it verifies. a594b82 (a release) wrote format 2 entries that
// made an assessment final through the workflow; the signing rules hold
// from entry format 3 on, so that assessment verifies as it was written.
var registerFixtures = []struct{ release, schema, finalBreaks string }{
	{"1c4f9f7", "3", ""},
	{"a594b82", "4", ""},
	{"a06c1c2", "4", ""},
}

// checkVerified reports the verification results of a fixture: every
// assessment verifies, but for a final one that breaks as fx says.
func checkVerified(t *testing.T, when string, results []VerifyResult, final, finalBreaks string) {
	t.Helper()
	for _, r := range results {
		switch {
		case r.ID == final && finalBreaks != "":
			if !strings.Contains(r.Err, finalBreaks) {
				t.Errorf("Verify the final %s %s: %q, want it to break with %q", r.ID, when, r.Err, finalBreaks)
			}
		case r.Err != "":
			t.Errorf("Verify %s %s: %s", r.ID, when, r.Err)
		}
	}
}

// Migration: free-text evidence of a file made by an earlier release is
// shown as register entries, identical references merged, every answer
// keeping its evidence; nothing is written at the upgrade, so every chain
// verifies and the final, signed assessment and the deleted one stay as
// they were. The first change to an assessment's answers records the
// filing, with the very ids shown before, and verify still passes; the
// export imports elsewhere.
func TestFreeTextEvidenceMigrates(t *testing.T) {
	cat := embedded(t)
	for _, fx := range registerFixtures {
		t.Run(fx.release, func(t *testing.T) {
			fixture := filepath.Join("testdata", "register", fx.release+".db")
			before := fileSHA(t, fixture)
			if _, schema := bucketNames(t, fixture); schema != fx.schema {
				t.Fatalf("%s is schema %s, want %s", fixture, schema, fx.schema)
			}
			raw, err := os.ReadFile(filepath.Join("testdata", "register", fx.release+".ids"))
			if err != nil {
				t.Fatal(err)
			}
			ids := strings.Fields(string(raw))
			lims, final, gone := ids[0], ids[1], ids[2]
			path := filepath.Join(t.TempDir(), "onus.db")
			copyFile(t, fixture, path)

			// Read-only, not upgraded: the register shows all the same.
			ro, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			roA, err := ro.Get(lims)
			mustClose(t, ro)
			if err != nil || !roA.HasFreeText() {
				t.Fatalf("read-only Get: %v", err)
			}

			db, err := Open(path, Options{Actor: "mig", Now: (&clock{now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}).Now,
				Catalog: func() *model.Catalog { return cat }})
			if err != nil {
				t.Fatal(err)
			}
			defer mustClose(t, db)
			if v, _ := db.schema(); v != SchemaVersion {
				t.Fatalf("schema %d after opening", v)
			}
			heads := map[string]string{}
			for _, id := range ids {
				tr, err := db.History(id)
				if err != nil {
					t.Fatal(err)
				}
				heads[id] = model.Head(tr)
			}
			results, err := db.VerifyAll()
			if err != nil || len(results) != 3 {
				t.Fatalf("VerifyAll: %v, %d results", err, len(results))
			}
			checkVerified(t, "after the upgrade", results, final, fx.finalBreaks)

			a, err := db.Get(lims)
			if err != nil {
				t.Fatal(err)
			}
			view := model.WithRegister(a)
			if !model.SameAssessment(model.WithRegister(roA), view) {
				t.Error("the upgraded file shows another register than the file before it")
			}
			// AC-01 (SOP E1, pen test E2), AC-02 (spec 2.0: E3), AT-01
			// (SOC 2 E4, spec 2.1 E5), AT-02 (OQ E6; its earlier draft
			// reference was replaced), ENC-01, ENC-02, SEC-01 (E5, E6 again).
			titles := []string{"Access management SOP", "Penetration test report", "Configuration specification <LIMS>", "AWS SOC 2 Type 2",
				"Configuration specification <LIMS>", "OQ report"}
			if len(view.Register) != len(titles) || view.RegisterIssued != len(titles) {
				t.Fatalf("register: %+v", view.Register)
			}
			for i, e := range view.Register {
				if e.ID != model.EntryID(i+1) || e.Title != titles[i] {
					t.Errorf("entry %d: %s %q, want E%d %q", i, e.ID, e.Title, i+1, titles[i])
				}
			}
			for c, ans := range a.Answers {
				var refs []model.EvidenceRef
				for _, e := range linked(view, c) {
					refs = append(refs, refOf(e))
				}
				var want []model.EvidenceRef
				for _, r := range ans.Evidence {
					if !slices.Contains(want, r) {
						want = append(want, r)
					}
				}
				if !slices.Equal(refs, want) {
					t.Errorf("%s keeps %+v, want %+v", c, refs, want)
				}
			}
			r := cat.Review(&a, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
			if it := r.Register[4]; it.ID != "E5" || len(it.Supports) != 4 {
				t.Errorf("E5 supports %+v, want AT-01, ENC-01, ENC-02 and SEC-01", it.Supports)
			}

			// The first change to an answer files the free text first.
			n := len(actions(t, db, lims, 0))
			after, err := db.Answer(lims, model.Answer{Control: "GOV-01", Status: model.StatusImplemented, Notes: "after the upgrade"}, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := actions(t, db, lims, n); !slices.Equal(got, []string{"evidence-register evidence", "answer answer/GOV-01"}) {
				t.Errorf("the first change recorded %v", got)
			}
			if !slices.Equal(after.Register, view.Register) || after.HasFreeText() {
				t.Errorf("the filing recorded another register than the one shown:\n%+v\n%+v", after.Register, view.Register)
			}
			tr, _ := db.History(lims)
			if f := tr[n]; f.Actor != "mig" || !strings.Contains(f.Reason, "6 entries") || f.Format != model.EntryFormat {
				t.Errorf("the filing entry: %+v", f)
			}
			// Later changes take the next id, links and all.
			if after, err = db.AddEntry(lims, model.EvidenceEntry{Title: "IQ report", Owner: model.SupplierCustomer}); err != nil || after.Register[6].ID != "E7" {
				t.Errorf("AddEntry after the filing: %v", err)
			}
			if _, err = db.Link(lims, "E5", []string{"AC-02"}, "§3"); err != nil {
				t.Error(err)
			}
			results, err = db.VerifyAll()
			if err != nil {
				t.Fatal(err)
			}
			checkVerified(t, "after the filing", results, final, fx.finalBreaks)
			// The final assessment stays read-only: the register's changes
			// follow the workflow's rules as every other change does.
			if fx.finalBreaks == "" {
				if _, err := db.AddEntry(final, model.EvidenceEntry{Title: "PQ report", Owner: model.SupplierCustomer}); !errors.Is(err, model.ErrFinal) {
					t.Errorf("AddEntry to the final assessment: %v", err)
				}
				if _, err := db.Answer(final, model.Answer{Control: "REC-01", Status: model.StatusPartial}, ""); !errors.Is(err, model.ErrFinal) {
					t.Errorf("an answer to the final assessment: %v", err)
				}
				if _, err := db.Link(final, "E1", []string{"REC-02"}, ""); !errors.Is(err, model.ErrFinal) {
					t.Errorf("a link in the final assessment: %v", err)
				}
				if _, err := db.SetReportChoice(final, "pci-dss", &model.ReportChoice{Source: "pci-dss", Relevant: true, Reason: "cards"}); !errors.Is(err, model.ErrFinal) {
					t.Errorf("a report choice in the final assessment: %v", err)
				}
			}
			// The final assessment and the deleted one were not written to.
			for _, id := range []string{final, gone} {
				tr, _ := db.History(id)
				if model.Head(tr) != heads[id] {
					t.Errorf("%s was written to: %s", id, tr[len(tr)-1].Action)
				}
				got, _ := db.Get(id)
				if !got.HasFreeText() || len(model.WithRegister(got).Register) != 2-map[string]int{final: 0, gone: 1}[id] {
					t.Errorf("%s: %+v", id, model.WithRegister(got).Register)
				}
			}
			// The deleted one is filed when restored and changed.
			if _, err := db.Restore(gone, "needed after all"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Answer(gone, model.Answer{Control: "SEC-01", Status: model.StatusPartial}, ""); err != nil {
				t.Fatal(err)
			}
			if r := db.Verify(gone); r.Err != "" {
				t.Errorf("Verify the restored one: %s", r.Err)
			}
			// Exports import elsewhere, the filed one and the final one.
			dst := openTestAt(t, "carol", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			defer mustClose(t, dst)
			exports := []string{lims, final}
			if fx.finalBreaks != "" {
				exports = exports[:1]
			}
			for _, id := range exports {
				b, err := db.Export(id)
				if err != nil {
					t.Fatal(err)
				}
				data, err := b.Encode()
				if err != nil {
					t.Fatal(err)
				}
				back, err := model.DecodeBundle(data)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := dst.Import(back); err != nil {
					t.Errorf("import of %s: %v", id, err)
				}
			}
			if fileSHA(t, fixture) != before {
				t.Errorf("%s changed while testing", fixture)
			}
		})
	}
}
