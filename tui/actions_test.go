package tui

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// raise fills the action form that is open: what, who, by when.
func (h *harness) raise(text, owner, due string) {
	h.t.Helper()
	if _, ok := h.m.dialog().(*actionForm); !ok {
		h.t.Fatalf("no action form open: %T", h.m.dialog())
	}
	h.typeText(text)
	h.press("tab")
	h.typeText(owner)
	h.press("tab", "ctrl+u")
	h.typeText(due)
	h.press("enter")
}

// An action item raised on a question is about its control, shows under
// the question, and lands in the trail; the actions screen lists every
// item by due date or by owner, filters with /, closes one with space and
// takes it back with ctrl+z.
func TestActionItemsInTheWizard(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.workshop()
	ctrl := h.m.questions.current()
	h.press("a")
	h.raise("Send the access SOP", "Quinn", "2026-12-10")
	if h.m.dialog() != nil {
		t.Fatalf("the form stayed open: %s", h.m.flash)
	}
	if !strings.Contains(h.view(), "☐ A1 Send the access SOP · Quinn, due 2026-12-10") {
		t.Errorf("the question does not show its action:\n%s", h.view())
	}
	h.press("A")
	if h.m.screen != screenActions {
		t.Fatalf("A went to screen %d", h.m.screen)
	}
	h.press("a")
	h.raise("Book the follow-up", "Ana", "2026-11-01")
	a, err := h.db.Get(h.m.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Actions) != 2 || a.Actions[0].Control != ctrl || a.Actions[1].Control != "" || a.Actions[0].RaisedBy != "tester" {
		t.Fatalf("stored: %+v", a.Actions)
	}
	v := h.view()
	// By due date: A2 first (and late on 2026-11-20), then A1.
	if i, j := strings.Index(v, "A2    LATE"), strings.Index(v, "A1    open"); i < 0 || j < 0 || i > j {
		t.Errorf("by due date:\n%s", v)
	}
	h.press("b")
	v = h.view()
	if i, j := strings.Index(v, "A2 "), strings.Index(v, "A1 "); i < 0 || j < 0 || i > j || !strings.Contains(v, "by owner") {
		t.Errorf("by owner (Ana before Quinn):\n%s", v)
	}
	h.press("/")
	h.typeText("quinn")
	h.press("enter")
	if got := h.m.actionsV.list(h.m); len(got) != 1 || got[0].ID != "A1" {
		t.Fatalf("filtered: %+v", got)
	}
	h.press("space")
	a, _ = h.db.Get(h.m.a.ID)
	if it, _ := a.Action("A1"); it.Status != model.ActionDone {
		t.Fatalf("after space: %+v", it)
	}
	h.press("ctrl+z")
	a, _ = h.db.Get(h.m.a.ID)
	if it, _ := a.Action("A1"); it.Status != model.ActionOpen {
		t.Fatalf("after undo: %+v", it)
	}
	// Edit: enter opens the item, a changed owner is saved.
	h.press("enter", "tab", "ctrl+u")
	h.typeText("Quinn (QA)")
	h.press("enter")
	a, _ = h.db.Get(h.m.a.ID)
	if it, _ := a.Action("A1"); it.Owner != "Quinn (QA)" || it.Text != "Send the access SOP" {
		t.Fatalf("after the edit: %+v", it)
	}
	trail, _ := h.db.History(a.ID)
	n := 0
	for _, e := range trail {
		if e.Action == model.ActAction {
			n++
		}
	}
	if n != 5 { // two raised, closed, reopened, edited
		t.Errorf("%d action entries in the trail, want 5", n)
	}
	// The form refuses what the store would.
	h.press("a")
	h.raise("No date", "Ana", "soon")
	if h.m.dialog() == nil || !strings.Contains(h.m.flash, "not YYYY-MM-DD") {
		t.Errorf("a bad date: dialog %T, flash %q", h.m.dialog(), h.m.flash)
	}
}

// An action form's text is a draft until saved: the wizard reopens it.
func TestActionFormDraft(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.workshop()
	h.press("A", "a")
	h.typeText("Half typed")
	d := h.m.currentDraft()
	if d == nil || d.Form != formAction || d.Fields[0] != "Half typed" {
		t.Fatalf("draft: %+v", d)
	}
	h.m.closeDialog()
	h.run(h.m.restoreDraft(d))
	f, ok := h.m.dialog().(*actionForm)
	if !ok || f.inputs[0].text() != "Half typed" || f.control != "" {
		t.Fatalf("restored: %T %+v", h.m.dialog(), f)
	}
}

// The actions filter narrows as a query is typed and widens as it is
// erased, keeps to the order chosen with b, and follows the items as
// they change: the list is sorted and lowered once, not on every key.
func TestActionsFilterFollowsTypingOrderAndChanges(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.workshop()
	h.press("A")
	for _, it := range [][3]string{{"Write the backup SOP", "Quinn", "2026-12-10"}, {"Book the walkthrough", "Ana", "2026-12-01"}, {"Review the backup logs", "Bo", "2026-12-05"}} {
		h.press("a")
		h.raise(it[0], it[1], it[2])
	}
	ids := func() string {
		var out []string
		for _, it := range h.m.actionsV.list(h.m) {
			out = append(out, it.ID)
		}
		return strings.Join(out, " ")
	}
	h.press("/")
	for _, step := range []struct{ key, want string }{
		{"b", "A2 A3 A1"}, {"o", "A2 A3"}, {"backspace", "A2 A3 A1"}, {"a", "A3 A1"}, {"c", "A3 A1"},
		{"space", "A3 A1"}, {"l", "A3"}, {"backspace", "A3 A1"}, {"backspace", "A3 A1"}, {"backspace", "A3 A1"},
		{"backspace", "A2 A3 A1"}, {"backspace", "A2 A3 A1"},
	} {
		h.press(step.key)
		if got := ids(); got != step.want {
			t.Fatalf("after %q (filter %q): %s, want %s", step.key, h.m.actionsV.filter.text(), got, step.want)
		}
	}
	h.typeText("backup")
	h.press("enter", "b") // by owner: Bo before Quinn
	if got := ids(); got != "A3 A1" {
		t.Fatalf("by owner, filtered: %s", got)
	}
	h.press("a")
	h.raise("Archive the backup tapes", "Al", "2027-01-15")
	if got := ids(); got != "A4 A3 A1" {
		t.Fatalf("after raising a matching item: %s, want A4 A3 A1 (Al, Bo, Quinn)", got)
	}
}
