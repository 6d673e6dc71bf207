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
