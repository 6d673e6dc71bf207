package tui

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/store"
)

// flat is a view's text as one line: panel borders dropped, every run of
// spaces and line breaks one space, so a sentence wrapped over lines
// reads whole.
func flat(view string) string {
	var words []string
	for _, l := range strings.Split(view, "\n") {
		words = append(words, strings.Fields(strings.Trim(l, "│ "))...)
	}
	return strings.Join(words, " ")
}

// A problem the user must read to go on is shown whole, wrapped, at any
// width: the supplier form's refusal used to be cut at the panel's edge
// with "…", losing what to do about it.
func TestProblemsAreShownWhole(t *testing.T) {
	for _, w := range []int{80, 100} {
		h := newHarness(t, w, 30)
		h.newAssessment("LIMS")
		h.tabTo("Supplier")
		h.press("enter") // the first source's record
		for range supplierFieldLabels[:len(supplierFieldLabels)-1] {
			h.press("down")
		}
		h.press("right", "right", "enter") // accepted, with no reviewer
		want := "✘ accepted says the report was reviewed: enter who reviewed it and when (Reviewer, Reviewed on), or choose pending."
		if v := h.view(); !strings.Contains(flat(v), want) {
			t.Errorf("at %d columns the supplier form's refusal is not whole:\n%s", w, v)
		}
	}
}

// The trail's failed check is shown whole under the title, however long
// the store's reason.
func TestTrailFailureShownWhole(t *testing.T) {
	for _, w := range []int{80, 120} {
		h := newHarnessWith(t, w, 30, func(db *store.DB) Store { return failingStore{db} }, nil)
		h.newAssessment("LIMS")
		h.press("t")
		v := h.view()
		if !strings.Contains(v, "✘ FAILS its check at entry 2") ||
			!strings.Contains(flat(v), "audit trail broken at entry 2: the stored assessment does not match its audit trail") {
			t.Errorf("at %d columns the trail's failed check is not whole:\n%s", w, v)
		}
	}
}
