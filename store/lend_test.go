package store

import (
	"testing"

	"github.com/onus-gxp/onus/model"
)

// A lent handle (onus serve running a relayed command) records its
// changes as its own actor's, tells its listener of each committed one
// (a creation, an answer; not a refused change), and its Close leaves the
// owner's file open.
func TestLendReportsCommittedChangesAndLeavesTheFileOpen(t *testing.T) {
	db, _ := openTest(t, "Fran Facilitator")
	defer mustClose(t, db)
	var got []model.Assessment
	lent := db.Lend("Carol Relay", func(a model.Assessment) { got = append(got, a) })
	a, err := lent.Create(model.Assessment{Name: "LIMS", Services: []model.SelectedService{{ID: "ec2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lent.Answer(a.ID, model.Answer{Control: "GOV-01", Status: model.StatusPartial}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := lent.Answer("no-such-id", model.Answer{Control: "GOV-01", Status: model.StatusPartial}, ""); err == nil {
		t.Fatal("an answer to no assessment was saved")
	}
	if err := lent.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != a.ID || got[1].Answers["GOV-01"].Status != model.StatusPartial {
		t.Fatalf("the listener was told of %d changes: %+v", len(got), got)
	}
	if by := got[1].Answers["GOV-01"].UpdatedBy; by != "Carol Relay" {
		t.Errorf("the answer is attributed to %q, want Carol Relay", by)
	}
	// The owner's handle still works: the lent Close did not close the file,
	// and changes of the owner's own are not reported to the lent listener.
	if _, err := db.Answer(a.ID, model.Answer{Control: "GOV-02", Status: model.StatusPlanned}, ""); err != nil {
		t.Fatalf("the owner's file after the lent handle's Close: %v", err)
	}
	if len(got) != 2 {
		t.Errorf("the owner's change was reported to the lent listener")
	}
	trail, err := db.History(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if trail[0].Actor != "Carol Relay" || trail[1].Actor != "Carol Relay" || trail[2].Actor != "Fran Facilitator" {
		t.Errorf("actors in the trail: %s, %s, %s", trail[0].Actor, trail[1].Actor, trail[2].Actor)
	}
}
