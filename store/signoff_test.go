package store

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
	bolt "go.etcd.io/bbolt"
)

// fakeKey signs without cryptography: the store only records what a key
// returns (the sign package tests real keys).
type fakeKey struct {
	signed [][]byte
	during func() // runs while "signing"
}

func (k *fakeKey) Fingerprint() string { return "SHA256:fake" }

func (k *fakeKey) Sign(m []byte) ([]byte, error) {
	k.signed = append(k.signed, m)
	if k.during != nil {
		k.during()
	}
	return []byte("-----BEGIN SSH SIGNATURE-----\nZmFrZQ==\n-----END SSH SIGNATURE-----\n"), nil
}

// signable creates an assessment of the embedded catalog with one answer.
func signable(t *testing.T, db *DB, cat *model.Catalog) model.Assessment {
	t.Helper()
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select(cat.Services[0].ID, cat.Services[1].ID),
		Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}})
	if err != nil {
		t.Fatal(err)
	}
	ctrl := cat.Applicable(a.Scope, a.Services)[0]
	if a, err = db.Answer(a.ID, model.Answer{Control: ctrl.ID, Status: model.StatusImplemented}, ""); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSignMakesFinalAndReadOnly(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	cat := embedded(t)
	a := signable(t, db, cat)
	key := &fakeKey{}

	// Open high-risk gaps: refused without an acknowledgement.
	_, err := db.Sign(a.ID, SignRequest{Meaning: "approved", Role: "QA"}, cat, key)
	var gaps *model.OpenGapsError
	if !errors.As(err, &gaps) || len(gaps.Gaps) == 0 || !strings.Contains(err.Error(), "--acknowledge") {
		t.Fatalf("signing with open high gaps: %v", err)
	}
	if len(key.signed) != 0 {
		t.Fatal("the key was asked to sign a refused signature")
	}

	before, _ := db.History(a.ID)
	req := SignRequest{Name: "Alice Example", Meaning: "approved", Role: "QA", Acknowledgement: "CAPA-12 covers the open controls"}
	m, err := db.PrepareSign(a.ID, req, cat, key.Fingerprint())
	if err != nil {
		t.Fatal(err)
	}
	if m.Head != model.Head(before) || m.Entries != uint64(len(before)) || m.Milestone != "final-1" || m.Signer != "Alice Example" ||
		m.Step != model.WorkflowFinal || m.OpenHighGaps != len(gaps.Gaps) || m.CatalogHash != cat.Hash || m.Key != "SHA256:fake" {
		t.Errorf("manifest: %+v", m)
	}
	a, err = db.Sign(a.ID, req, cat, key)
	if err != nil {
		t.Fatal(err)
	}
	trail, _ := db.History(a.ID)
	if len(trail) != len(before)+2 || trail[len(before)].Action != model.ActMilestone || trail[len(before)+1].Action != model.ActSign {
		t.Fatalf("trail after signing: %d entries, last %s", len(trail), trail[len(trail)-1].Action)
	}
	so := a.SignOffs[0]
	if a.Workflow != model.WorkflowFinal || len(a.SignOffs) != 1 || so.By != "Alice Example" || !so.Signed() ||
		so.Manifest != string(key.signed[0]) || so.Acknowledgement != req.Acknowledgement {
		t.Fatalf("after signing: %s %+v", a.Workflow, a.SignOffs)
	}
	if ms, _ := a.Milestone("final-1"); ms.Head != model.Head(before) || ms.Entries != uint64(len(before)) {
		t.Errorf("milestone %+v does not name the head signed", ms)
	}

	// Final is read-only: every change is refused, saying how to reopen.
	for name, change := range map[string]func() (model.Assessment, error){
		"answer": func() (model.Assessment, error) {
			return db.Answer(a.ID, model.Answer{Control: "x", Status: model.StatusPartial}, "")
		},
		"info": func() (model.Assessment, error) { return db.UpdateInfo(a.ID, model.Info{Name: "other"}, "") },
		"scope": func() (model.Assessment, error) {
			return db.UpdateScope(a.ID, model.Scope{Impact: model.ImpactNone}, "")
		},
		"services": func() (model.Assessment, error) { return db.DeselectServices(a.ID, a.ServiceIDs()) },
		"supplier": func() (model.Assessment, error) {
			return db.SetSupplierRecord(a.ID, model.SupplierRecord{Source: "soc2"})
		},
		"workflow":  func() (model.Assessment, error) { return db.SetWorkflow(a.ID, model.WorkflowDraft, "") },
		"delete":    func() (model.Assessment, error) { return db.Delete(a.ID, "") },
		"milestone": func() (model.Assessment, error) { return db.Milestone(a.ID, "later") },
	} {
		if _, err := change(); !errors.Is(err, model.ErrFinal) || !strings.Contains(err.Error(), "onus reopen "+a.ID+" --reason") {
			t.Errorf("%s on a final assessment: %v", name, err)
		}
	}
	if err := db.Purge(a.ID); !errors.Is(err, model.ErrFinal) {
		t.Errorf("purge of a final assessment: %v", err)
	}
	if n, _ := db.History(a.ID); len(n) != len(trail) {
		t.Fatal("a refused change reached the trail")
	}

	// A second signer signs the same milestone, by default.
	a, err = db.Sign(a.ID, SignRequest{Name: "Bob", Meaning: "approved for release", Acknowledgement: "as above"}, cat, key)
	if err != nil || len(a.SignOffs) != 2 || a.SignOffs[1].Milestone != "final-1" || len(a.Milestones) != 1 {
		t.Fatalf("second signature: %v %+v", err, a.SignOffs)
	}
	if _, err := db.Sign(a.ID, SignRequest{Meaning: "reviewed", Step: model.WorkflowInReview, Acknowledgement: "x"}, cat, key); err == nil {
		t.Error("an in-review signature on a final assessment")
	}

	// Reopening needs a reason; it supersedes both signatures.
	if _, err := db.Reopen(a.ID, ""); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Errorf("reopen without a reason: %v", err)
	}
	if a, err = db.Reopen(a.ID, "CAPA-7 changes the backup answer"); err != nil {
		t.Fatal(err)
	}
	if a.Workflow != model.WorkflowDraft || !a.SignOffs[0].Superseded || !a.SignOffs[1].Superseded {
		t.Errorf("after reopening: %s %+v", a.Workflow, a.SignOffs)
	}
	trail, _ = db.History(a.ID)
	if e := trail[len(trail)-1]; e.Action != model.ActReopen || e.Reason != "CAPA-7 changes the backup answer" || e.Actor != "alice" {
		t.Errorf("reopen entry: %+v", e)
	}
	ctrl := cat.Applicable(a.Scope, a.Services)[1]
	if _, err := db.Answer(a.ID, model.Answer{Control: ctrl.ID, Status: model.StatusPartial}, ""); err != nil {
		t.Fatalf("answer after reopening: %v", err)
	}
	// The old milestone no longer matches the record.
	_, err = db.Sign(a.ID, SignRequest{Meaning: "approved", Milestone: "final-1", Acknowledgement: "x"}, cat, key)
	if err == nil || !strings.Contains(err.Error(), "changed after milestone") {
		t.Errorf("signing a milestone the record moved away from: %v", err)
	}
	if a, err = db.Sign(a.ID, SignRequest{Meaning: "approved", Acknowledgement: "x"}, cat, key); err != nil || a.SignOffs[2].Milestone != "final-2" {
		t.Fatalf("signing again: %v %+v", err, a.SignOffs)
	}

	// The trail still rebuilds the assessment, and travels.
	if r := db.Verify(a.ID); r.Err != "" {
		t.Fatalf("verify: %s", r.Err)
	}
	b, err := db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Open(filepath.Join(t.TempDir(), "other.db"), Options{Actor: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, other)
	if got, err := other.Import(b); err != nil || len(got.SignOffs) != 3 || got.Workflow != model.WorkflowFinal {
		t.Fatalf("import of a signed assessment: %v", err)
	}
	dup, err := db.Duplicate(a.ID, "LIMS 2027")
	if err != nil || dup.Workflow != model.WorkflowDraft || len(dup.SignOffs) != 0 || len(dup.Milestones) != 0 {
		t.Errorf("duplicate of a signed assessment: %v %s %d %d", err, dup.Workflow, len(dup.SignOffs), len(dup.Milestones))
	}
}

func TestSignRefusals(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	cat := embedded(t)
	a := signable(t, db, cat)
	ok := SignRequest{Meaning: "approved", Acknowledgement: "known"}

	if _, err := db.SetWorkflow(a.ID, model.WorkflowFinal, ""); err == nil || !strings.Contains(err.Error(), "only through an electronic signature") {
		t.Errorf("workflow → final: %v", err)
	}
	other := *cat
	other.Hash = "0123"
	for name, c := range map[string]struct {
		req  SignRequest
		cat  *model.Catalog
		want string
	}{
		"no meaning":      {SignRequest{Acknowledgement: "x"}, cat, "meaning"},
		"draft step":      {SignRequest{Meaning: "m", Step: model.WorkflowDraft, Acknowledgement: "x"}, cat, "in-review or final"},
		"no catalog":      {ok, nil, "catalog"},
		"other catalog":   {ok, &other, "--catalog"},
		"bad milestone":   {SignRequest{Meaning: "m", Milestone: "2026-01-01", Acknowledgement: "x"}, cat, "reads as a time"},
		"long name":       {SignRequest{Meaning: "m", Name: strings.Repeat("n", MaxNameBytes+1), Acknowledgement: "x"}, cat, "too long"},
		"invalid meaning": {SignRequest{Meaning: "ok \xff", Acknowledgement: "x"}, cat, "UTF-8"},
		"future time":     {SignRequest{Meaning: "m", Acknowledgement: "x", Time: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}, cat, "not within"},
		"stale time":      {SignRequest{Meaning: "m", Acknowledgement: "x", Time: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}, cat, "not within"},
		"another head":    {SignRequest{Meaning: "m", Acknowledgement: "x", Head: strings.Repeat("0", 64)}, cat, "changed after its manifest was shown"},
	} {
		if _, err := db.Sign(a.ID, c.req, c.cat, &fakeKey{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}

	// A change made while the key signs: nothing is recorded.
	key := &fakeKey{during: func() {
		if _, err := db.UpdateInfo(a.ID, model.Info{Name: "LIMS 2"}, ""); err != nil {
			t.Error(err)
		}
	}}
	before, _ := db.History(a.ID)
	if _, err := db.Sign(a.ID, ok, cat, key); err == nil || !strings.Contains(err.Error(), "changed while it was being signed") {
		t.Errorf("head moved while signing: %v", err)
	}
	if after, _ := db.History(a.ID); len(after) != len(before)+1 {
		t.Errorf("%d entries after a refused signature, want %d (the rename only)", len(after), len(before)+1)
	}

	if _, err := db.Delete(a.ID, "gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Sign(a.ID, ok, cat, &fakeKey{}); err == nil || !strings.Contains(err.Error(), "restore it first") {
		t.Errorf("signing a deleted assessment: %v", err)
	}
	if _, err := db.Reopen(a.ID, "why"); err == nil {
		t.Error("reopened a deleted draft")
	}
}

// Sign writes through the same check as any change: a tampered assessment
// is not signed, even when the tampering happens while the key signs.
func TestSignChecksIntegrity(t *testing.T) {
	src, id, _ := tamperSource(t)
	cat := embedded(t)
	req := SignRequest{Meaning: "approved", Acknowledgement: "CAPA-1 covers the gaps"}
	tamper := func(tx *bolt.Tx) error {
		as := tx.Bucket(bucketAssessments)
		return as.Put([]byte(id), bytes.Replace(append([]byte(nil), as.Get([]byte(id))...), []byte(`"LIMS"`), []byte(`"LIMX"`), 1))
	}

	path := filepath.Join(t.TempDir(), "onus.db")
	copyFile(t, src, path)
	editRaw(t, path, tamper)
	db := reopen(t, path)
	_, err := db.PrepareSign(id, req, cat, "SHA256:fake")
	wantIntegrityError(t, "prepare", err, id, "does not match its audit trail")
	_, err = db.Sign(id, req, cat, &fakeKey{})
	wantIntegrityError(t, "sign", err, id)
	_, err = db.Milestone(id, "m1")
	wantIntegrityError(t, "milestone", err, id)
	_, err = db.Reopen(id, "CAPA-2")
	wantIntegrityError(t, "reopen", err, id)
	mustClose(t, db)

	// Tampered while the key signs: the write finds it and records nothing.
	db, _ = openTest(t, "alice")
	defer mustClose(t, db)
	a := signable(t, db, cat)
	key := &fakeKey{during: func() {
		if err := db.update(func(tx *bolt.Tx) error {
			as := tx.Bucket(bucketAssessments)
			return as.Put([]byte(a.ID), bytes.Replace(append([]byte(nil), as.Get([]byte(a.ID))...), []byte(`"LIMS"`), []byte(`"LIMX"`), 1))
		}); err != nil {
			t.Fatal(err)
		}
	}}
	before, _ := db.History(a.ID)
	_, err = db.Sign(a.ID, req, cat, key)
	wantIntegrityError(t, "sign while tampered", err, a.ID, "does not match its audit trail")
	if after, _ := db.History(a.ID); len(key.signed) != 1 || len(after) != len(before) {
		t.Errorf("%d signed, %d entries after (were %d)", len(key.signed), len(after), len(before))
	}
}

// A final, signed assessment exports and imports elsewhere: the import is
// recorded after the signature (the one entry a final assessment takes
// besides a signature and a reopening), and the copy stays final.
func TestSignedBundleImports(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	cat := embedded(t)
	a := signable(t, db, cat)
	if _, err := db.Sign(a.ID, SignRequest{Meaning: "approved", Acknowledgement: "CAPA-1"}, cat, &fakeKey{}); err != nil {
		t.Fatal(err)
	}
	b, err := db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	dst := openTestAt(t, "bob", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	defer mustClose(t, dst)
	got, err := dst.Import(b)
	if err != nil {
		t.Fatalf("import of a signed, final assessment: %v", err)
	}
	if got.Workflow != model.WorkflowFinal || len(got.SignOffs) != 1 {
		t.Errorf("imported: %s %+v", got.Workflow, got.SignOffs)
	}
	if r := dst.Verify(got.ID); r.Err != "" {
		t.Error(r.Err)
	}
	if _, err := dst.Answer(got.ID, model.Answer{Control: cat.Controls[0].ID, Status: model.StatusPartial}, ""); !errors.Is(err, model.ErrFinal) {
		t.Errorf("a change to the imported final assessment: %v", err)
	}
}
