package tui

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// TestCountsOfOneReadInTheSingular: a count of one is written with its
// noun in the singular, as a client in the room reads it on the projector.
func TestCountsOfOneReadInTheSingular(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("One of each")
	id := h.m.a.ID
	if _, err := h.db.SelectServices(id, []string{"s3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.AddEntry(id, model.EvidenceEntry{ID: model.EntryID(1), Title: "Quality manual", Owner: model.SupplierCustomer, DocumentID: "QM-1", Version: "1"}); err != nil {
		t.Fatal(err)
	}
	h.run(h.m.open(id))
	for _, c := range []struct {
		at        screenID
		want, not string
	}{
		{screenScope, "With this scope and 1 selected service, ", "1 selected services"},
		{screenEvidence, "Evidence register  1 piece ·", "1 pieces"},
	} {
		h.run(h.m.goTo(place{screen: c.at}))
		v := h.view()
		if !strings.Contains(v, c.want) || strings.Contains(v, c.not) {
			t.Errorf("screen %d: want %q, not %q:\n%s", c.at, c.want, c.not, v)
		}
	}
}
