package store

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// An answer with a new free-text reference records three entries (the
// answer, the register's new entry, the answer's links) in one change; the assessment, its summary
// (with the progress counts) and its head are stored once, after both,
// and the result is what onus verifies.
func TestChangeStoresOnceAfterItsEntries(t *testing.T) {
	counts := 0
	db, err := Open(filepath.Join(t.TempDir(), "onus.db"), Options{Actor: "alice", Now: newClock().Now,
		Progress: func(a *model.Assessment) (int, int) { counts++; return answered(a), 10 }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "once", Services: model.Select("ec2", "s3")})
	if err != nil {
		t.Fatal(err)
	}
	counts = 0
	a, err = db.Answer(a.ID, benchAnswer(1), "")
	if err != nil {
		t.Fatal(err)
	}
	trail, err := db.History(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
	}
	if want := []string{model.ActCreate, model.ActAnswer, model.ActEntry, model.ActLinks}; !slices.Equal(actions, want) {
		t.Fatalf("trail %v, want %v", actions, want)
	}
	if counts != 1 {
		t.Errorf("progress counted %d times for one change, want once", counts)
	}
	if r := db.Verify(a.ID); r.Err != "" {
		t.Fatalf("verify: %s", r.Err)
	}
	if err := db.Check(a.ID); err != nil {
		t.Fatalf("check before a change: %v", err)
	}
}

// What a change returns is the caller's own: changing it, down to an
// answer's links, changes neither what the next change starts from nor
// what is stored.
func TestChangeReturnsACopy(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "copy", Services: model.Select("ec2", "s3")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Answer(a.ID, benchAnswer(1), "")
	if err != nil {
		t.Fatal(err)
	}
	ans := got.Answers["REC-01"]
	if len(ans.Links) != 1 {
		t.Fatalf("answer holds %d links, want 1", len(ans.Links))
	}
	ans.Links[0].Note = "changed by the caller"
	got.Answers["REC-02"] = model.Answer{Control: "REC-02", Status: model.Statuses[0]}
	got.Name = "changed by the caller"
	if _, err := db.Answer(a.ID, benchAnswer(5), ""); err != nil {
		t.Fatal(err)
	}
	stored, err := db.Get(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := stored.Answers["REC-02"]; ok || stored.Name != "copy" || stored.Answers["REC-01"].Links[0].Note != "" {
		t.Errorf("the caller's changes reached the store: %+v", stored.Answers)
	}
	if r := db.Verify(a.ID); r.Err != "" {
		t.Fatalf("verify: %s", r.Err)
	}
}

// A session's changes to answers count the progress from the summary
// before them (model.Catalog.ProgressAfter); after each, the summary says
// what a full count does, and verify, which counts again, agrees: answers
// given, changed, given free-text evidence, cleared, and answers after a
// change of services, which counts from scratch.
func TestProgressCountedFromTheLastSummary(t *testing.T) {
	cat := embedded(t)
	db, err := Open(filepath.Join(t.TempDir(), "onus.db"), Options{Actor: "ana", Now: newClock().Now, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "counts", Services: model.Select("ec2", "s3")})
	if err != nil {
		t.Fatal(err)
	}
	ctrls := cat.Applicable(a.Scope, a.Services)
	answer := func(i int, st model.Status) model.Answer {
		return model.Answer{Control: ctrls[i].ID, Status: st, Justification: "not used here", Notes: "n"}
	}
	withRef := answer(3, model.StatusImplemented)
	withRef.Evidence = []model.EvidenceRef{{Title: "OQ report", DocumentID: "OQ-042", Supplier: model.SupplierCustomer}}
	steps := []func() (model.Assessment, error){
		func() (model.Assessment, error) { return db.Answer(a.ID, answer(0, model.StatusImplemented), "") },
		func() (model.Assessment, error) { return db.Answer(a.ID, answer(1, model.StatusPartial), "") },
		func() (model.Assessment, error) { return db.Answer(a.ID, answer(0, model.StatusPlanned), "") },
		func() (model.Assessment, error) { return db.Answer(a.ID, withRef, "") },
		func() (model.Assessment, error) {
			return db.Answers(a.ID, []model.Answer{answer(2, model.StatusNotImplemented), answer(1, model.StatusUnanswered)}, "")
		},
		func() (model.Assessment, error) { return db.SelectServices(a.ID, []string{"rds"}) },
		func() (model.Assessment, error) { return db.Answer(a.ID, answer(4, model.StatusImplemented), "") },
		func() (model.Assessment, error) { return db.Answer(a.ID, answer(3, model.StatusUnanswered), "") },
	}
	for i, step := range steps {
		got, err := step()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		sums, err := db.List(false)
		if err != nil || len(sums) != 1 {
			t.Fatalf("step %d: list %v, %v", i, sums, err)
		}
		wantN, wantM := cat.Progress(&got)
		if s := sums[0]; s.Answered != wantN || s.Applicable != wantM || s.CountedWith != cat.Hash {
			t.Errorf("step %d: summary %d of %d (counted with %q), want %d of %d", i, s.Answered, s.Applicable, s.CountedWith, wantN, wantM)
		}
		if r := db.Verify(a.ID); r.Err != "" {
			t.Fatalf("step %d: verify: %s", i, r.Err)
		}
	}
}
