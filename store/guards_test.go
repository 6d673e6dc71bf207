package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// richAssessment makes an assessment that uses every kind of change.
func richAssessment(t *testing.T, db *DB) model.Assessment {
	t.Helper()
	a, err := db.Create(model.Assessment{Name: "LIMS", Organisation: "Acme", System: "LIMS",
		Scope:    model.Scope{Impact: model.ImpactIndirect, Frameworks: []string{"21cfr11"}, ESignatures: true, DataClassification: "GxP"},
		Services: model.Select("ec2", "s3"), Catalog: model.CatalogRef{Version: "2026.1", Hash: "abc"}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() (model.Assessment, error){
		func() (model.Assessment, error) {
			return db.SetOverride(a.ID, "ec2", model.ServiceOverride{Layer: "os", Owner: model.OwnerShared, Justification: "MSP patches"})
		},
		func() (model.Assessment, error) {
			return db.SetSupplierRecord(a.ID, model.SupplierRecord{Source: "soc2", Obtained: "2026-01-10", Reviewer: "QA", ReviewedOn: "2026-01-12", Status: model.SupplierAccepted})
		},
		func() (model.Assessment, error) {
			return db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusImplemented, Notes: "n"}, "why")
		},
		func() (model.Assessment, error) {
			return db.Answer(a.ID, model.Answer{Control: "REC-02", Status: model.StatusNotApplicable, Justification: "no hosting"}, "")
		},
		func() (model.Assessment, error) { return db.SetWorkflow(a.ID, model.WorkflowInReview, "ready") },
		func() (model.Assessment, error) { return db.Milestone(a.ID, "reviewed-1") },
		func() (model.Assessment, error) {
			return db.AddEntry(a.ID, model.EvidenceEntry{Title: "OQ", DocumentID: "OQ-1", Version: "2", Date: "2026-01-01", Location: "DMS",
				Owner: model.SupplierCustomer, Kind: model.DocTestRecord})
		},
		func() (model.Assessment, error) { return db.Link(a.ID, "E1", []string{"REC-01"}, "§4") },
		func() (model.Assessment, error) {
			return db.SetReportChoice(a.ID, "csa-star", &model.ReportChoice{Source: "csa-star", Relevant: true, Reason: "QA maps controls with the CAIQ"})
		},
	}
	for _, s := range steps {
		if a, err = s(); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func TestExportImportRoundTrip(t *testing.T) {
	src, _ := openTest(t, "alice")
	defer mustClose(t, src)
	a := richAssessment(t, src)
	b, err := src.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := src.Export(a.ID)
	if data2, _ := again.Encode(); string(data2) != string(data) {
		t.Error("exporting twice gave different bytes")
	}

	dst := openTestAt(t, "bob", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	defer mustClose(t, dst)
	decoded, err := model.DecodeBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := dst.Import(decoded)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	// The import is the last entry of the assessment's own trail: the
	// bundle's entries are as they were, and the new one names their head.
	h, _ := dst.History(a.ID)
	if len(h) != len(b.Trail)+1 || h[len(b.Trail)-1].Hash != model.Head(b.Trail) {
		t.Fatalf("imported trail: %d entries, want the bundle's %d and the import", len(h), len(b.Trail))
	}
	imp := h[len(h)-1]
	if imp.Action != model.ActImport || imp.Actor != "bob" || imp.PrevHash != model.Head(b.Trail) ||
		!strings.Contains(string(imp.New), model.Head(b.Trail)) {
		t.Errorf("the import entry: %+v", imp)
	}
	a.UpdatedAt = imp.Time
	stored, err := dst.Get(a.ID)
	if err != nil || !model.SameAssessment(stored, a) || !model.SameAssessment(got, a) {
		t.Errorf("imported assessment differs: %v\n%s\n%s", err, asJSON(stored), asJSON(a))
	}
	if r := dst.Verify(a.ID); r.Err != "" {
		t.Errorf("Verify after import: %s", r.Err)
	}
	sums, _ := dst.List(false)
	if len(sums) != 1 || sums[0].ID != a.ID || sums[0].Answered != 2 {
		t.Errorf("list after import: %+v", sums)
	}

	// The same again: nothing to do, and said so.
	if _, err := dst.Import(decoded); err == nil || !strings.Contains(err.Error(), "holds the bundle's head; nothing to import") {
		t.Errorf("second import: %v", err)
	}
	// Changed here since: the bundle is still part of its history.
	if _, err := dst.Answer(a.ID, model.Answer{Control: "REC-03", Status: model.StatusPlanned}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Import(decoded); err == nil || !strings.Contains(err.Error(), "nothing to import") {
		t.Errorf("import of a bundle older than the copy here: %v", err)
	}
	// Changed there since: another history.
	if _, err := src.Answer(a.ID, model.Answer{Control: "REC-04", Status: model.StatusPlanned}, ""); err != nil {
		t.Fatal(err)
	}
	b2, err := src.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Import(b2); err == nil || !strings.Contains(err.Error(), "different history") {
		t.Errorf("import over a copy changed elsewhere: %v", err)
	}
}

// Bundles whose chain holds but whose content a local change could never
// have made are refused too, and leave nothing behind.
func TestImportRefusesOddBundles(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	bundle := func(a model.Assessment) model.Bundle {
		a.Workflow, a.CreatedAt, a.CreatedBy = model.WorkflowDraft, at, "mallory"
		v := &v1Assessment{}
		v.add(t, at, "mallory", model.ActCreate, "assessment", nil, a, "")
		return model.NewBundle(v.a, v.trail)
	}
	cases := []struct {
		name string
		b    model.Bundle
		want string
	}{
		{"no trail", model.NewBundle(model.Assessment{ID: "x1", Name: "x"}, nil), "no audit trail"},
		{"confidential text as id", bundle(model.Assessment{ID: "Project Falcon", Name: "x"}), "not an onus assessment id"},
		{"path as id", bundle(model.Assessment{ID: "../x", Name: "x"}), "not an onus assessment id"},
		{"huge name", bundle(model.Assessment{ID: "x2", Name: strings.Repeat("n", MaxNameBytes+1)}), "name too long"},
		{"no name", bundle(model.Assessment{ID: "x3"}), "needs a name"},
		{"n/a without justification", bundle(model.Assessment{ID: "x4", Name: "x", BaselineOf: "x0",
			Answers: map[string]model.Answer{"A": {Control: "A", Status: model.StatusNotApplicable}}}), "justification"},
	}
	for _, c := range cases {
		if _, err := db.Import(c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want it refused saying %q", c.name, err, c.want)
		}
	}
	if all, _ := db.VerifyAll(); len(all) != 0 {
		t.Errorf("refused imports left %d assessments or trails", len(all))
	}
}

// A deleted assessment keeps its answers as they were until restored.
func TestDeletedAssessmentIsFrozen(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2")})
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{t: t, db: db, trail: []step{{model.ActCreate, "assessment"}}, last: a}
	r.ok(model.ActDelete, "assessment")(db.Delete(a.ID, "superseded"))
	r.refused("answer", "restore it first")(db.Answer(a.ID, model.Answer{Control: "A", Status: model.StatusPlanned}, ""))
	r.refused("services", "restore it first")(db.SelectServices(a.ID, []string{"s3"}))
	r.refused("scope", "restore it first")(db.UpdateScope(a.ID, model.Scope{}, ""))
	r.refused("workflow", "restore it first")(db.SetWorkflow(a.ID, model.WorkflowFinal, ""))
	r.ok(model.ActRestore, "assessment")(db.Restore(a.ID, ""))
	r.ok(model.ActAnswer, "answer/A")(db.Answer(a.ID, model.Answer{Control: "A", Status: model.StatusPlanned}, ""))
}

func TestInputLimits(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2")})
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{t: t, db: db, trail: []step{{model.ActCreate, "assessment"}}, last: a}
	long := strings.Repeat("x", MaxNameBytes+1)
	many := make([]string, MaxListLen+1)
	for i := range many {
		many[i] = fmt.Sprint("fw", i)
	}
	r.refused("101 frameworks", "framework ids; the limit")(db.UpdateScope(a.ID, model.Scope{Frameworks: many}, ""))
	r.refused("long service id", "service id too long")(db.SelectServices(a.ID, []string{long}))
	r.refused("empty service id", "empty service id")(db.SelectServices(a.ID, []string{" "}))
	r.refused("long control id", "control id too long")(db.Answer(a.ID, model.Answer{Control: long, Status: model.StatusPlanned}, ""))
	r.refused("long notes", "notes too long")(db.Answer(a.ID, model.Answer{Control: "A", Status: model.StatusPlanned, Notes: strings.Repeat("n", MaxTextBytes+1)}, ""))
	r.refused("long reason", "reason too long")(db.Answer(a.ID, model.Answer{Control: "A", Status: model.StatusPlanned}, strings.Repeat("n", MaxTextBytes+1)))
	r.refused("101 evidence references", "evidence references; the limit")(db.Answer(a.ID, model.Answer{Control: "A", Status: model.StatusPlanned,
		Evidence: make([]model.EvidenceRef, MaxEvidence+1)}, ""))
	r.refused("long source", "evidence source id too long")(db.SetSupplierRecord(a.ID, model.SupplierRecord{Source: long}))
	r.refused("empty source", "empty evidence source id")(db.SetSupplierRecord(a.ID, model.SupplierRecord{}))
	r.refused("long role", "role too long")(db.Sign(a.ID, SignRequest{Meaning: "approved", Role: long}, embedded(t), &fakeKey{}))
}

// Changes made around onus that a chain check alone would not name: an
// assessment or its summary removed, a trail removed.
func TestVerifyFindsMissingParts(t *testing.T) {
	db, path := openTest(t, "alice")
	var ids []string
	for _, n := range []string{"one", "two", "three", "four"} {
		a, err := db.Create(model.Assessment{Name: n})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	mustClose(t, db)
	editRaw(t, path, func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketAssessments).Delete([]byte(ids[0])); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSummaries).Delete([]byte(ids[1])); err != nil {
			return err
		}
		return tx.Bucket(bucketTrails).DeleteBucket([]byte(ids[2]))
	})
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	results, err := db.VerifyAll()
	if err != nil || len(results) != 4 {
		t.Fatalf("VerifyAll: %v, %d results", err, len(results))
	}
	want := map[string]string{ids[0]: "trail without its assessment", ids[1]: "summary is missing", ids[2]: "without its audit trail", ids[3]: ""}
	for _, r := range results {
		if w := want[r.ID]; (w == "") != (r.Err == "") || !strings.Contains(r.Err, w) {
			t.Errorf("%s: %q, want %q", r.ID, r.Err, w)
		}
	}
}

// Several processes starting at once on a machine with no database yet:
// one creates the file and the others use it; none replaces a file that
// another has already written to.
func TestConcurrentFirstOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "onus.db")
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := Open(path, Options{Actor: fmt.Sprint("p", i), Timeout: 20 * time.Second})
			if err != nil {
				errs <- err
				return
			}
			if _, err := db.Create(model.Assessment{Name: fmt.Sprint("from ", i)}); err != nil {
				errs <- err
			}
			if err := db.Close(); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		var iu *InUseError
		if errors.As(err, &iu) {
			t.Errorf("opener timed out: %v", err)
		} else {
			t.Error(err)
		}
	}
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	if sums, _ := db.List(true); len(sums) != n {
		t.Errorf("%d assessments after %d concurrent first opens, want %d", len(sums), n, n)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".onus-new-*")); len(m) != 0 {
		t.Errorf("temporary files left behind: %v", m)
	}
}

// A change starts from a copy of the assessment the last change committed
// (see DB.last): what a caller does with a returned assessment must not
// reach the next change.
func TestReturnedAssessmentIsACopy(t *testing.T) {
	db, path := openTest(t, "alice")
	a := richAssessment(t, db)
	a.Register[0].Title = "forged"               // shares its array with the original unless copied
	a.Answers["REC-01"].Links[0].Note = "forged" // the same
	a.Answers["REC-02"] = model.Answer{Control: "REC-02", Status: model.StatusNotImplemented}
	a.Answers["FORGED"] = model.Answer{Control: "FORGED", Status: model.StatusImplemented}
	a.Services[0].Overrides[0].Owner = model.OwnerAWS
	a.Milestones[0].By = "mallory"
	a.Scope.Frameworks[0] = "forged"
	a.Supplier[0].Reviewer = "mallory"
	b, err := db.Answer(a.ID, model.Answer{Control: "REC-03", Status: model.StatusPlanned}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Answers["FORGED"]; ok || b.Register[0].Title != "OQ" || b.Answers["REC-01"].Links[0].Note != "§4" || b.Answers["REC-02"].Status != model.StatusNotApplicable ||
		b.Services[0].Overrides[0].Owner != model.OwnerShared ||
		b.Milestones[0].By != "alice" || b.Scope.Frameworks[0] != "21cfr11" || b.Supplier[0].Reviewer != "QA" {
		t.Errorf("a change to a returned assessment reached the store:\n%s", asJSON(b))
	}
	mustClose(t, db)
	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	got, err := db.Get(a.ID)
	if err != nil || !model.SameAssessment(got, b) {
		t.Errorf("stored assessment differs from the one returned: %v", err)
	}
	if r := db.Verify(a.ID); r.Err != "" {
		t.Error(r.Err)
	}
}

// Changes from several goroutines (the wizard saves in the background)
// each get their own entry in one unbroken chain.
func TestConcurrentChanges(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				if _, err := db.Answer(a.ID, model.Answer{Control: fmt.Sprintf("C-%d-%02d", g, i), Status: model.StatusPlanned}, ""); err != nil {
					t.Error(err)
				}
				if _, err := db.Get(a.ID); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got, err := db.Get(a.ID)
	if err != nil || len(got.Answers) != 100 {
		t.Fatalf("%d answers after 100 concurrent changes: %v", len(got.Answers), err)
	}
	if r := db.Verify(a.ID); r.Err != "" || r.Entries != 101 {
		t.Errorf("Verify: %+v", r)
	}
}
