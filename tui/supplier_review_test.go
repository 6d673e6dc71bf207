package tui

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// Two presses of enter on the supplier step record that the report was
// obtained, not that anyone reviewed it: no reviewer, no review, pending.
// (They used to record "reviewed" by the OS user.)
func TestSupplierEnterTwiceRecordsNoReview(t *testing.T) {
	h := newHarness(t, 120, 30)
	h.newAssessment("LIMS")
	h.tabTo("Supplier")
	h.press("enter", "enter")
	a, _ := h.db.Get(h.m.a.ID)
	if len(a.Supplier) != 1 {
		t.Fatalf("supplier records: %+v", a.Supplier)
	}
	if r := a.Supplier[0]; r.Status != model.SupplierPending || r.Reviewer != "" || r.ReviewedOn != "" {
		t.Errorf("enter, enter recorded %+v", r)
	}
}

// "Reviewed" is recorded again, and only when the user enters who
// reviewed the report and when: the form says what is missing and saves
// nothing until then.
func TestSupplierReviewNeedsReviewerAndDate(t *testing.T) {
	h := newHarness(t, 120, 30)
	h.newAssessment("LIMS")
	h.tabTo("Supplier")
	h.press("enter")
	for range supStatus {
		h.press("down")
	}
	h.press("right") // pending → reviewed
	h.press("enter")
	if a, _ := h.db.Get(h.m.a.ID); len(a.Supplier) != 0 || !strings.Contains(h.m.flash, "enter who reviewed it and when") {
		t.Fatalf("reviewed without a reviewer: %+v %q", a.Supplier, h.m.flash)
	}
	h.press("up", "up")
	h.typeText("Q. Reviewer")
	h.press("enter")
	if a, _ := h.db.Get(h.m.a.ID); len(a.Supplier) != 0 {
		t.Fatalf("reviewed without a date: %+v", a.Supplier)
	}
	h.press("down")
	h.typeText("2026-11-20")
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if len(a.Supplier) != 1 || a.Supplier[0].Status != model.SupplierReviewed || a.Supplier[0].Reviewer != "Q. Reviewer" || a.Supplier[0].ReviewedOn != "2026-11-20" {
		t.Fatalf("recorded %+v %q\n%s", a.Supplier, h.m.flash, h.view())
	}
}

// brokenStore fails the check every change makes, as a tampered file does.
type brokenStore struct{ Store }

func (b brokenStore) Check(id string) error {
	return &store.IntegrityError{ID: id, Seq: 3, Finding: "audit trail broken at entry 3: content does not match its hash", Refused: "written to"}
}

// An assessment that fails its integrity check opens read-only, saying
// why: the first bad entry, and onus salvage. Nothing is saved to it.
func TestBrokenAssessmentOpensReadOnly(t *testing.T) {
	h := newHarness(t, 120, 30)
	h.newAssessment("LIMS")
	id := h.m.a.ID
	h.press("esc")
	broken := newHarnessWith(t, 120, 30, func(*store.DB) Store { return brokenStore{h.db} }, nil)
	broken.press("enter")
	v := broken.view()
	if broken.m.a == nil || !strings.Contains(v, "READ-ONLY, fails its integrity check at entry 3: onus salvage ") || !strings.Contains(v, id+" --reason TEXT") {
		t.Fatalf("opened:\n%s", v)
	}
	broken.press("enter") // edit the name
	if broken.m.typing() || !strings.Contains(broken.m.flash, "READ-ONLY") {
		t.Fatalf("a form opened on a broken assessment:\n%s", broken.view())
	}
	broken.press("tab", "tab", "space", "tab", "tab", "S")
	if broken.m.dialog() != nil {
		t.Fatalf("signing a broken assessment:\n%s", broken.view())
	}
	if hist, _ := h.db.History(id); len(hist) != 1 {
		t.Fatalf("%d entries: something was written", len(hist))
	}
}

// failingStore fails the full check the trail screen shows, as a file
// whose value was changed outside onus does (the chain alone still holds).
type failingStore struct{ Store }

func (f failingStore) Verify(id string) store.VerifyResult {
	return store.VerifyResult{ID: id, Seq: 2, Err: "audit trail broken at entry 2: the stored assessment does not match its audit trail"}
}

// The trail screen tells the truth: what the store's full check finds,
// not the hash chain alone (which used to say "chain intact" for an
// assessment whose stored values were edited in the file).
func TestTrailShowsTheFullCheck(t *testing.T) {
	h := newHarnessWith(t, 120, 30, func(db *store.DB) Store { return failingStore{db} }, nil)
	h.newAssessment("LIMS")
	h.press("t")
	v := h.view()
	if !strings.Contains(v, "✘ FAILS its check at entry 2") || strings.Contains(v, "✔ verified") {
		t.Fatalf("trail of an assessment failing its check:\n%s", v)
	}
}
