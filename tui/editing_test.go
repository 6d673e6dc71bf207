package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// A field scrolls with its cursor: past its width the end of what is
// typed, where the cursor is, stays on screen.
func TestInputsScrollWithTheCursor(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.newAssessment("LIMS")
	h.press("down", "enter")
	h.typeText(strings.Repeat("Acme Pharma Manufacturing ", 6) + "END-OF-NAME")
	if v := h.view(); !strings.Contains(v, "END-OF-NAME") {
		t.Fatalf("the end of the typing is off screen:\n%s", v)
	}
	checkFits(t, h.m.View().Content, 80, 24)
	h.workshop()
	h.press("e", "enter")
	h.typeText(strings.Repeat("Operational qualification report ", 5) + "TITLE-END")
	if v := h.view(); !strings.Contains(v, "TITLE-END") {
		t.Fatalf("the end of the evidence title is off screen:\n%s", v)
	}
}

// answerWithNote stores a note on the first question, as another tool
// would, and opens the questions on it.
func answerWithNote(t *testing.T, h *harness, notes string) string {
	t.Helper()
	h.workshop()
	ctrl := h.m.questions.current()
	if _, err := h.db.Answer(h.m.a.ID, model.Answer{Control: ctrl, Status: model.StatusPartial, Notes: notes}, ""); err != nil {
		t.Fatal(err)
	}
	h.goHome()
	h.press("enter")
	if h.m.questions.current() != ctrl {
		t.Fatalf("reopened at %s, not %s", h.m.questions.current(), ctrl)
	}
	return ctrl
}

// A 30,007-character note with line breaks opened with o and saved with
// enter is stored unchanged: nothing is cut, and nothing is recorded for
// a note nobody changed.
func TestLongNoteIsNeverCut(t *testing.T) {
	h := newHarness(t, 100, 30)
	var b strings.Builder
	for i := 0; b.Len() < 30000; i++ {
		b.WriteString("Observation ")
		b.WriteString(strings.Repeat("x", i%40))
		b.WriteString(".\n")
	}
	note := b.String()[:30000] + "\n\t end."
	if n := len([]rune(note)); n != 30007 {
		t.Fatalf("the note has %d characters", n)
	}
	ctrl := answerWithNote(t, h, note)
	before, _ := h.db.History(h.m.a.ID)
	h.press("o")
	if _, ok := h.m.dialog().(*textDialog); !ok {
		t.Fatalf("o did not open the notes:\n%s", h.view())
	}
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if got := a.Answer(ctrl).Notes; got != note {
		t.Fatalf("the note changed: %d bytes, want %d", len(got), len(note))
	}
	if after, _ := h.db.History(h.m.a.ID); len(after) != len(before) {
		t.Fatalf("saving an unchanged note recorded %d entries", len(after)-len(before))
	}
	// An edit keeps every line break, and adds one where ctrl+j is typed.
	h.press("o", "ctrl+j")
	h.typeText("Added in the workshop.")
	h.press("enter")
	a, _ = h.db.Get(h.m.a.ID)
	got := a.Answer(ctrl).Notes
	if !strings.HasPrefix(got, b.String()[:29000]) || !strings.HasSuffix(got, "\nAdded in the workshop.") {
		t.Fatalf("after an edit the note is %d bytes, ending %q", len(got), got[max(0, len(got)-60):])
	}
	if strings.Contains(h.view(), "⏎") {
		t.Fatalf("line breaks shown as marks:\n%s", h.view())
	}
}

// A justification longer than 200 characters is stored whole.
func TestLongJustificationIsStoredWhole(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	ctrl := h.m.questions.current()
	why := strings.Repeat("The control is covered by the site procedure SOP-114, clause 7. ", 12)
	h.press("5")
	h.send(tea.PasteMsg{Content: why})
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if ans := a.Answer(ctrl); ans.Status != model.StatusNotApplicable || ans.Justification != strings.TrimSpace(why) {
		t.Fatalf("stored %d bytes of a %d-byte justification", len(ans.Justification), len(why))
	}
}

// A paste that would take a field past its limit is refused with a
// message naming the field and the limit; nothing of it goes in. A paste
// with Windows line endings keeps one line break per line.
func TestOverlongPasteIsRefused(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	ctrl := h.m.questions.current()
	h.press("o")
	h.typeText("kept")
	h.send(tea.PasteMsg{Content: strings.Repeat("0123456789", 20000)}) // 200 KB
	v := h.view()
	if !strings.Contains(v, "NOT PASTED") || !strings.Contains(v, "64 KiB") || !strings.Contains(v, "Notes") {
		t.Fatalf("no message naming the field and the limit:\n%s", v)
	}
	h.send(tea.PasteMsg{Content: "one\r\ntwo\r\n"})
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if got := a.Answer(ctrl).Notes; got != "keptone\ntwo" {
		t.Fatalf("stored %q", got)
	}
	// A one-line field has its own limit, in bytes.
	h.press("tab", "tab", "shift+tab", "shift+tab") // scope
	h.press("esc", "esc", "esc")
	if h.m.screen != screenScope {
		h.m.show(place{screen: screenScope})
	}
	h.press("g", "enter")
	h.send(tea.PasteMsg{Content: strings.Repeat("é", store.MaxNameBytes)})
	if v := h.view(); !strings.Contains(v, "NOT PASTED") || !strings.Contains(v, "200 bytes") {
		t.Fatalf("an over-long name was not refused:\n%s", v)
	}
}

// The new-assessment prompt shows no placeholder in its field: what is
// in the field is what was typed.
func TestNewAssessmentPromptIsEmpty(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n")
	for _, l := range strings.Split(h.view(), "\n") {
		if strings.Contains(l, "Name:") && strings.Trim(l, "│ ") != "Name:" {
			t.Fatalf("the name field is not empty: %q", l)
		}
	}
}
