package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// ctrl+z undoes the user's last change in this session, newest first, by
// an ordinary recorded change that restores the value before, with the
// reason "undo of entry N".
func TestUndoIsARecordedChange(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	ctrl := h.m.questions.current()
	h.press("1", "o")
	h.typeText("first note")
	h.press("enter")
	trail, _ := h.db.History(h.m.a.ID)
	notesEntry := trail[len(trail)-1]
	h.press("ctrl+z")
	a, _ := h.db.Get(h.m.a.ID)
	if ans := a.Answer(ctrl); ans.Notes != "" || ans.Status != model.StatusImplemented {
		t.Fatalf("after one undo: %+v", ans)
	}
	trail, _ = h.db.History(h.m.a.ID)
	last := trail[len(trail)-1]
	if last.Reason != fmt.Sprintf("undo of entry %d", notesEntry.Seq) || last.Target != "answer/"+ctrl {
		t.Fatalf("the undo is recorded as %+v", last)
	}
	h.press("ctrl+z")
	a, _ = h.db.Get(h.m.a.ID)
	if ans := a.Answer(ctrl); ans.Status != model.StatusUnanswered {
		t.Fatalf("after two undos: %+v", ans)
	}
	// Services and the scope come back too.
	h.press("shift+tab", "/")
	h.typeText("lambda")
	h.press("enter", "space")
	if a, _ := h.db.Get(h.m.a.ID); !slices.Contains(a.ServiceIDs(), "lambda") {
		t.Fatal("lambda not selected")
	}
	h.press("ctrl+z")
	if a, _ := h.db.Get(h.m.a.ID); slices.Contains(a.ServiceIDs(), "lambda") {
		t.Fatal("undo kept lambda")
	}
	// A change still waiting for the disk is dropped, not recorded.
	before, _ := h.db.History(h.m.a.ID)
	h.press("tab")
	h.m.saves.busy = true // the disk is busy with something else
	h.m.saves.jobs = append(h.m.saves.jobs, saveJob{id: -1})
	h.press("2", "ctrl+z")
	if n := len(h.m.saves.jobs); n != 1 {
		t.Fatalf("%d saves queued after undoing the waiting one", n)
	}
	h.m.saves.busy, h.m.saves.jobs = false, nil
	if after, _ := h.db.History(h.m.a.ID); len(after) != len(before) || !strings.Contains(h.view(), "undone before it was saved") {
		t.Fatalf("undo of an unsaved change recorded %d entries:\n%s", len(after)-len(before), h.view())
	}
	// Nothing left of this session: says so.
	for range 10 {
		h.press("ctrl+z")
	}
	if !strings.Contains(h.view(), "nothing to undo") {
		t.Fatalf("no message when there is nothing to undo:\n%s", h.view())
	}
}

// A signature is not undone: ctrl+z says so, and undoes nothing before it.
func TestUndoStopsAtASignature(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	h.press("1", "tab")
	h.signWith("reviewed", "CAPA-1", 0)
	h.press("R")
	h.typeText("CAPA-2")
	h.press("enter", "ctrl+z")
	a, _ := h.db.Get(h.m.a.ID)
	if len(a.SignOffs) != 1 || a.Answer(h.m.questions.current()).Status != model.StatusImplemented || !strings.Contains(h.view(), "not undone") {
		t.Fatalf("undo after a sign-off: %+v\n%s", a.SignOffs, h.view())
	}
}
