package store

import (
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// The wizard's state is kept per assessment and per actor, round-trips a
// draft exactly (line breaks, long text), and is never a record: no audit
// entry, no change to the assessment or its list summary, nothing exported.
func TestWizardStateKeptOutsideTheRecords(t *testing.T) {
	db, path := openTest(t, "ann")
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.History(a.ID)
	bundle, _ := db.Export(a.ID)

	note := strings.Repeat("line one\nline two\n\n", 1500) + "end"
	want := WizardState{Step: "questions", At: "GOV-04", Draft: &Draft{Form: "notes", Target: "GOV-04", Fields: []string{note}}}
	if err := db.SetWizardState(a.ID, want); err != nil {
		t.Fatal(err)
	}
	if err := db.SetWizardState("", WizardState{Draft: &Draft{Form: "new", Fields: []string{"Data lake"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.WizardState(a.ID)
	if err != nil || got.Step != "questions" || got.At != "GOV-04" || got.Draft == nil || got.Draft.Fields[0] != note || got.Draft.At.IsZero() {
		t.Fatalf("state %+v, %v", got, err)
	}
	if home, _ := db.WizardState(""); home.Draft == nil || home.Draft.Fields[0] != "Data lake" {
		t.Fatalf("home state %+v", home)
	}

	after, _ := db.History(a.ID)
	if len(after) != len(before) {
		t.Fatalf("the wizard's state added %d audit entries", len(after)-len(before))
	}
	again, _ := db.Export(a.ID)
	b1, _ := bundle.Encode()
	b2, _ := again.Encode()
	if string(b1) != string(b2) {
		t.Fatal("the wizard's state changed the exported bundle")
	}
	if r := db.Verify(a.ID); r.Err != "" {
		t.Fatalf("verify: %s", r.Err)
	}
	mustClose(t, db)

	// Another person sees none of it; the same person does, after a restart.
	other, err := Open(path, Options{Actor: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := other.WizardState(a.ID); s.Draft != nil || s.Step != "" {
		t.Fatalf("bob sees ann's state: %+v", s)
	}
	mustClose(t, other)
	ann, err := Open(path, Options{Actor: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, ann)
	if s, _ := ann.WizardState(a.ID); s.Draft == nil || s.Draft.Fields[0] != note {
		t.Fatal("ann's draft did not survive a restart")
	}

	// The zero state removes it; a purge drops every actor's.
	if err := ann.SetWizardState(a.ID, WizardState{}); err != nil {
		t.Fatal(err)
	}
	if s, _ := ann.WizardState(a.ID); s.Draft != nil || s.Step != "" {
		t.Fatalf("cleared state still there: %+v", s)
	}
	if err := ann.SetWizardState(a.ID, want); err != nil {
		t.Fatal(err)
	}
	if err := ann.bolt.Update(func(tx *bolt.Tx) error { return dropWizardState(tx, a.ID) }); err != nil {
		t.Fatal(err)
	}
	if s, _ := ann.WizardState(a.ID); s.Draft != nil {
		t.Fatal("dropWizardState kept the draft")
	}
}

func TestWizardStateTooLarge(t *testing.T) {
	db, _ := openTest(t, "ann")
	defer mustClose(t, db)
	huge := WizardState{Draft: &Draft{Form: "notes", Fields: []string{strings.Repeat("x", MaxWizardStateBytes)}}}
	if err := db.SetWizardState("", huge); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("a draft over the limit: %v", err)
	}
}

// A purge drops every person's wizard state in the assessment in its own
// transaction: no draft of its text is left in the file's data, and the
// drafts of other assessments stay.
func TestPurgeDropsDrafts(t *testing.T) {
	db, path := openTest(t, "ann")
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.Create(model.Assessment{Name: "QMS"})
	if err != nil {
		t.Fatal(err)
	}
	draft := func(text string) WizardState {
		return WizardState{Step: "questions", At: "GOV-04", Draft: &Draft{Form: "notes", Target: "GOV-04", Fields: []string{text}}}
	}
	if err := db.SetWizardState(a.ID, draft("ann's secret about the LIMS")); err != nil {
		t.Fatal(err)
	}
	if err := db.SetWizardState(b.ID, draft("ann's note on the QMS")); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	bob, err := Open(path, Options{Actor: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if err := bob.SetWizardState(a.ID, draft("bob's secret about the LIMS")); err != nil {
		t.Fatal(err)
	}
	mustClose(t, bob)

	db, err = Open(path, Options{Actor: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	if err := db.Purge(a.ID); err != nil {
		t.Fatal(err)
	}
	db.view(func(tx *bolt.Tx) error {
		if w := tx.Bucket(bucketWizard); w != nil && w.Bucket([]byte(a.ID)) != nil {
			t.Error("the purged assessment keeps its wizard state")
		}
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			return walkValues(bk, func(k, v []byte) {
				if strings.Contains(string(v), "secret about the LIMS") {
					t.Errorf("%s/%s still holds a draft of the purged assessment", name, k)
				}
			})
		})
	})
	if s, _ := db.WizardState(b.ID); s.Draft == nil || s.Draft.Fields[0] != "ann's note on the QMS" {
		t.Errorf("the purge took another assessment's draft: %+v", s)
	}
}

// walkValues calls fn with every value under bk, nested buckets included.
func walkValues(bk *bolt.Bucket, fn func(k, v []byte)) error {
	return bk.ForEach(func(k, v []byte) error {
		if v == nil {
			return walkValues(bk.Bucket(k), fn)
		}
		fn(k, v)
		return nil
	})
}
