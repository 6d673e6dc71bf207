package tui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// flaky is the real store whose writes fail while down is set, as on a
// full disk.
type flaky struct {
	*store.DB
	down *bool
}

var errDiskFull = errors.New("write /data/onus.db: no space left on device")

func (f flaky) Answer(id string, a model.Answer, reason string) (model.Assessment, error) {
	if *f.down {
		return model.Assessment{}, errDiskFull
	}
	return f.DB.Answer(id, a, reason)
}

func (f flaky) UpdateScope(id string, s model.Scope, reason string) (model.Assessment, error) {
	if *f.down {
		return model.Assessment{}, errDiskFull
	}
	return f.DB.UpdateScope(id, s, reason)
}

func newFlaky(t *testing.T) (*harness, *bool) {
	down := new(bool)
	h := newHarnessWith(t, 120, 40, func(db *store.DB) Store { return flaky{db, down} }, nil)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("s3")
	h.press("tab")
	return h, down
}

func TestFailedAnswerIsKeptAndRetriedOnNextAction(t *testing.T) {
	h, down := newFlaky(t)
	ctrl := h.m.questions.current()
	*down = true
	h.press("1")
	v := h.view()
	if !strings.Contains(v, "NOT SAVED (1 kept, tried again on your next key): write /data/onus.db: no space left on device") {
		t.Fatalf("no NOT SAVED status:\n%s", v)
	}
	if !strings.Contains(v, "Status: ✔ implemented  NOT SAVED") {
		t.Fatalf("the unsaved answer must stay on screen, marked:\n%s", v)
	}
	if a, _ := h.db.Get(h.m.a.ID); a.Answer(ctrl).Status != model.StatusUnanswered {
		t.Fatal("saved although the store failed")
	}
	h.press("j") // still failing: retried, still kept
	if h.m.unsaved() != 1 || !strings.Contains(h.view(), "NOT SAVED") {
		t.Fatalf("after a second failure: %d unsaved\n%s", h.m.unsaved(), h.view())
	}
	*down = false
	h.press("k") // space is back: the next key saves it
	if a, _ := h.db.Get(h.m.a.ID); a.Answer(ctrl).Status != model.StatusImplemented {
		t.Fatalf("not saved on the next action: %+v", a.Answer(ctrl))
	}
	if v := h.view(); strings.Contains(v, "NOT SAVED") || !strings.Contains(v, "saved") {
		t.Fatalf("status after the retry:\n%s", v)
	}
}

// A form closes on enter at once; when its save fails, what was typed
// stays on screen, marked NOT SAVED, and is saved on the next key.
func TestFailedNotesSurviveClosingTheForm(t *testing.T) {
	h, down := newFlaky(t)
	ctrl := h.m.questions.current()
	*down = true
	h.press("o")
	h.typeText("reviewed with QA on 12 Nov")
	h.press("enter")
	if h.m.dialog() != nil {
		t.Fatalf("the form must close at once:\n%s", h.view())
	}
	if v := h.view(); !strings.Contains(v, "Notes: reviewed with QA on 12 Nov") || !strings.Contains(v, "NOT SAVED") {
		t.Fatalf("draft notes not shown, or not marked:\n%s", v)
	}
	*down = false
	h.press("down")
	if a, _ := h.db.Get(h.m.a.ID); a.Answer(ctrl).Notes != "reviewed with QA on 12 Nov" {
		t.Fatalf("notes not saved on retry: %+v", a.Answer(ctrl))
	}
}

func TestQuitWarnsAboutUnsavedChanges(t *testing.T) {
	h, down := newFlaky(t)
	*down = true
	h.press("2", "q")
	if h.quit || !strings.Contains(h.view(), "1 change is NOT SAVED") {
		t.Fatalf("quit without warning:\n%s", h.view())
	}
	h.press("y")
	if !h.quit {
		t.Fatal("y must quit")
	}
}

// Saves go to the store one at a time, in the order they were made, even
// when the keys come faster than the store.
func TestSavesRunOneAtATime(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("s3")
	h.press("tab")
	ctrl := h.m.questions.current()
	step := func(msg tea.Msg) tea.Cmd {
		next, cmd := h.m.Update(msg)
		h.m = next.(*Model)
		return cmd
	}
	first := step(keyMsg("1"))
	if second := step(keyMsg("4")); second != nil && !isBatchOfNil(second) {
		t.Fatal("a second save started while the first was in flight")
	}
	if got := h.m.cur.Answer(ctrl).Status; got != model.StatusNotImplemented {
		t.Fatalf("the screen shows %s, not the last answer given", got)
	}
	h.run(first) // the first completes, then the second runs
	a, _ := h.db.Get(h.m.a.ID)
	if got := a.Answer(ctrl).Status; got != model.StatusNotImplemented {
		t.Fatalf("stored %s; the later answer must win", got)
	}
	hist, _ := h.db.History(h.m.a.ID)
	if n := len(hist); hist[n-2].Target != "answer/"+ctrl || hist[n-1].Target != "answer/"+ctrl {
		t.Fatalf("trail tail: %+v", hist[n-2:])
	}
}

// isBatchOfNil: tea.Batch of nil commands does nothing.
func isBatchOfNil(cmd tea.Cmd) bool {
	b, ok := cmd().(tea.BatchMsg)
	if !ok {
		return false
	}
	for _, c := range b {
		if c != nil {
			return false
		}
	}
	return true
}

// listCounter counts the store's List calls: the home list read again.
type listCounter struct {
	*store.DB
	lists int
}

func (c *listCounter) List(includeDeleted bool) ([]model.Summary, error) {
	c.lists++
	return c.DB.List(includeDeleted)
}

// TestAnswerDoesNotReadTheHomeList: a save with an assessment open does
// not read the home list again (it is not on screen, and each read was
// one more frame for every answer); going home reads it, with the answer
// counted, and a save that lands on the home screen reads it too.
func TestAnswerDoesNotReadTheHomeList(t *testing.T) {
	var c *listCounter
	h := newHarnessWith(t, 120, 40, func(db *store.DB) Store { c = &listCounter{DB: db}; return c }, nil)
	h.newAssessment("Lab")
	h.selectServices("ec2")
	h.run(h.m.goTo(place{screen: screenQuestions}))
	before := c.lists
	h.press("1")
	if !strings.Contains(h.view(), "saved") {
		t.Fatalf("the answer was not saved:\n%s", h.view())
	}
	if c.lists != before {
		t.Errorf("answering read the home list %d time(s) with the assessment open", c.lists-before)
	}
	h.goHome()
	if c.lists == before || !strings.Contains(h.view(), "Lab") {
		t.Fatalf("going home did not read the list:\n%s", h.view())
	}
	if s := h.m.summaries; len(s) != 1 || s[0].Answered != 1 {
		t.Errorf("the home list after answering: %+v, want Lab with 1 answer", s)
	}
}
