package tui

import (
	"testing"

	"github.com/onus-gxp/onus/model"
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
