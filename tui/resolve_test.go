package tui

import (
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// deliver runs a command's messages through the harness, except those
// hold keeps back, which it returns.
func (h *harness) deliver(cmd tea.Cmd, hold func(tea.Msg) bool) []tea.Msg {
	if cmd == nil {
		return nil
	}
	var held []tea.Msg
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			held = append(held, h.deliver(c, hold)...)
		}
	default:
		if hold(msg) {
			return []tea.Msg{msg}
		}
		if isOurs(msg) {
			next, cmd := h.m.Update(msg)
			h.m = next.(*Model)
			held = append(held, h.deliver(cmd, hold)...)
		}
	}
	return held
}

// Selecting a service changes which controls apply; the wizard works that
// out in a command, never in Update, and the screens show the last review
// until the new one comes. A resolution for an assessment no longer open
// is dropped.
func TestResolutionWorkedOutOffTheEventLoop(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("s3")
	cat := h.m.catalog()
	before := len(h.m.review.Applicable)
	if !h.m.resolved.Holds(cat, h.m.cur.Scope, h.m.cur.Services) {
		t.Fatal("not resolved for the services shown")
	}

	h.press("/", "ctrl+u")
	h.typeText("ec2")
	h.press("enter")
	next, cmd := h.m.Update(keyMsg("space"))
	h.m = next.(*Model)
	if got := h.m.cur.ServiceIDs(); len(got) != 2 {
		t.Fatalf("ec2 not selected on screen: %v", got)
	}
	if h.m.resolved.Holds(cat, h.m.cur.Scope, h.m.cur.Services) || len(h.m.review.Applicable) != before {
		t.Fatal("Update resolved the new selection itself")
	}
	held := h.deliver(cmd, func(msg tea.Msg) bool { _, ok := msg.(resolvedMsg); return ok })
	if len(held) != 1 {
		t.Fatalf("%d resolutions asked for, want 1", len(held))
	}
	if len(h.m.review.Applicable) != before {
		t.Fatal("the review changed before its resolution came")
	}
	h.send(held[0])
	if !h.m.resolved.Holds(cat, h.m.cur.Scope, h.m.cur.Services) || len(h.m.review.Applicable) <= before {
		t.Fatalf("after the resolution came: %d controls apply, were %d", len(h.m.review.Applicable), before)
	}

	// One for another assessment is dropped.
	stale := held[0].(resolvedMsg)
	stale.aid = "someone-else"
	was := h.m.resolved
	h.send(stale)
	if h.m.resolved != was {
		t.Fatal("took the resolution of another assessment")
	}
}

// Opening an assessment takes the review the opening command made, off
// the event loop, rather than making it again in Update; it is the review
// Update would have made.
func TestOpenTakesTheReviewOfItsCommand(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("s3", "ec2")
	id := h.m.a.ID
	h.press("esc", "esc", "esc", "esc")
	if h.m.a != nil {
		t.Fatal("still open")
	}

	msg, ok := h.m.open(id)().(openedMsg)
	if !ok || msg.err != nil || msg.review.Solution != msg.resolved.Solution {
		t.Fatalf("the open command made no review: %+v", msg.err)
	}
	want := h.m.catalog().ReviewResolved(msg.resolved, &msg.a, h.m.now)
	if !reflect.DeepEqual(msg.review, want) {
		t.Fatal("the command's review differs from the one Update would make")
	}
	msg.review.Answered = 4242 // marks the command's review
	h.send(msg)
	if h.m.a == nil || h.m.review.Answered != 4242 {
		t.Fatalf("Update made the review again (answered %d)", h.m.review.Answered)
	}
	h.run(h.m.goTo(place{screen: screenQuestions}))
	h.press("1") // an answer on top: the review changed per answer
	if h.m.review.Answered != 4243 {
		t.Fatalf("the answer was not taken per answer (answered %d)", h.m.review.Answered)
	}
	h.m.refresh() // any other change: a review of its own
	if h.m.review.Answered != 1 {
		t.Fatal("the opened review outlived a refresh")
	}
}
