package tui

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Another person's saved change (onus serve) shows at once, attributed to
// them; a stale one that arrives late does not undo a later one.
func TestChangedShowsAnotherPersonsAnswer(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.workshop()
	ctrl := h.m.questions.current()
	quinn := h.db.As("Quinn Other")
	first, err := quinn.Answer(h.m.a.ID, model.Answer{Control: ctrl, Status: model.StatusPlanned}, "")
	if err != nil {
		t.Fatal(err)
	}
	later, err := quinn.Answer(h.m.a.ID, model.Answer{Control: ctrl, Status: model.StatusPartial}, "")
	if err != nil {
		t.Fatal(err)
	}
	h.send(Changed{Assessment: later, By: "Quinn Other"})
	v := h.view()
	if !strings.Contains(v, "changed by Quinn Other") || !strings.Contains(v, "partial  by Quinn Other") {
		t.Fatalf("another person's answer is not shown as theirs:\n%s", v)
	}
	h.send(Changed{Assessment: first, By: "Quinn Other"})
	if got := h.m.a.Answer(ctrl).Status; got != model.StatusPartial {
		t.Errorf("a late, older change replaced the later one: %s", got)
	}
	// The user's own next answer starts from what they now see.
	h.press("1")
	got, err := h.db.Get(h.m.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ans := got.Answer(ctrl); ans.Status != model.StatusImplemented || ans.UpdatedBy != "tester" {
		t.Errorf("after the user's own answer: %s by %q", ans.Status, ans.UpdatedBy)
	}
}

// A read-only session (an observer of onus serve) refuses every edit,
// saying why, on the home screen as in an assessment.
func TestReadOnlySession(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.workshop()
	h.m.cfg.ReadOnly = "OBSERVER, read-only"
	h.press("1")
	if !strings.Contains(h.view(), "OBSERVER, read-only") {
		t.Errorf("the refusal is not shown:\n%s", h.view())
	}
	a, err := h.db.Get(h.m.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Answers) != 0 {
		t.Errorf("an observer answered: %v", a.Answers)
	}
	h.press("esc", "esc", "esc", "esc", "esc", "n")
	if h.m.screen != screenHome || len(h.m.dialogs) != 0 {
		t.Errorf("an observer opened the new-assessment form (screen %d, %d dialogs)", h.m.screen, len(h.m.dialogs))
	}
}

// Editing the notes another person then saves: the dialog says so and
// shows theirs above the user's own, which enter then saves over theirs.
func TestChangedUnderYou(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.workshop()
	ctrl := h.m.questions.current()
	h.press("o")
	h.typeText("mine: SOP-12 covers it")
	theirs, err := h.db.As("Quinn Other").Answer(h.m.a.ID, model.Answer{Control: ctrl, Status: model.StatusPartial, Notes: "theirs: only in draft"}, "")
	if err != nil {
		t.Fatal(err)
	}
	h.send(Changed{Assessment: theirs, By: "Quinn Other"})
	v := h.view()
	for _, want := range []string{"CHANGED UNDER YOU by Quinn Other", "theirs: theirs: only in draft", "mine: SOP-12 covers it"} {
		if !strings.Contains(v, want) {
			t.Errorf("the dialog does not show %q:\n%s", want, v)
		}
	}
	h.press("enter")
	got, err := h.db.Get(h.m.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ans := got.Answer(ctrl); ans.Notes != "mine: SOP-12 covers it" || ans.Status != model.StatusPartial || ans.UpdatedBy != "tester" {
		t.Errorf("saved over theirs: %+v; want my notes on their status, by tester", ans)
	}
	// A change to another control does not disturb the dialog.
	h.press("j", "o")
	other, err := h.db.As("Quinn Other").Answer(h.m.a.ID, model.Answer{Control: ctrl, Status: model.StatusPlanned}, "")
	if err != nil {
		t.Fatal(err)
	}
	h.send(Changed{Assessment: other, By: "Quinn Other"})
	if strings.Contains(h.view(), "CHANGED UNDER YOU") {
		t.Errorf("a change to another control is flagged:\n%s", h.view())
	}
}

// Who else is connected, and where, is on the status line; the people on
// the current control are named beside it.
func TestPresenceShown(t *testing.T) {
	h := newHarness(t, 140, 40)
	h.workshop()
	ctrl := h.m.questions.current()
	h.send(Presence{
		{Name: "Ben Infra", Role: "participant", Place: Place{Assessment: h.m.a.ID, Step: screenName(screenQuestions), At: ctrl}},
		{Name: "Cat Review", Role: "observer", Place: Place{Assessment: h.m.a.ID, Step: screenName(screenReview)}},
	})
	v := h.view()
	for _, want := range []string{"with Ben Infra (" + ctrl + "), Cat Review (Review)", "Here too: Ben Infra"} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q:\n%s", want, v)
		}
	}
	var moved []Place
	h.m.cfg.OnMove = func(p Place) { moved = append(moved, p) }
	h.press("j")
	if len(moved) != 1 || moved[0].Step != screenName(screenQuestions) || moved[0].At == ctrl || moved[0].Assessment != h.m.a.ID {
		t.Errorf("moving down reported %+v", moved)
	}
	h.press("k", "k") // the second k does not move: reported once
	if len(moved) != 2 || moved[1].At != ctrl {
		t.Errorf("moving back reported %+v", moved)
	}
}

// On the home screen another person's new assessment appears in the list.
func TestChangedOnHomeRelists(t *testing.T) {
	h := newHarness(t, 120, 40)
	a, err := h.db.As("Quinn Other").Create(model.Assessment{Name: "Quinn's new LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	h.send(Changed{Assessment: a, By: "Quinn Other"})
	if !strings.Contains(h.view(), "Quinn's new LIMS") {
		t.Errorf("the list does not show the new assessment:\n%s", h.view())
	}
}
