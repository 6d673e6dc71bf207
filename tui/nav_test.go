package tui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/model"
)

// esc goes back where the user came from, to the same row: a gap opened
// from the review comes back to the review at that gap; export from the
// review stays in the assessment.
func TestBackIsBack(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	h.press("tab", "j", "j", "j")
	gap := h.m.reviewS.gaps(h.m)[3]
	h.press("enter")
	if h.m.screen != screenQuestions || h.m.questions.current() != gap.Control {
		t.Fatalf("enter on %s: screen %d at %s", gap.Control, h.m.screen, h.m.questions.current())
	}
	h.press("1", "esc")
	if h.m.screen != screenReview || h.m.reviewS.cursor != 3 {
		t.Fatalf("esc after a gap: screen %d, row %d; want the review at row 3", h.m.screen, h.m.reviewS.cursor)
	}
	// A jump is a move like any other.
	h.press(":")
	h.typeText("GOV-04")
	h.press("enter")
	if h.m.screen != screenQuestions || h.m.questions.current() != "GOV-04" {
		t.Fatalf("jump to GOV-04: screen %d at %s", h.m.screen, h.m.questions.current())
	}
	h.press("j", "j", "v", "esc")
	if h.m.screen != screenQuestions || h.m.questions.current() != "GOV-06" {
		t.Fatalf("esc from the stacks: screen %d at %s", h.m.screen, h.m.questions.current())
	}
	h.press("esc")
	if h.m.screen != screenReview {
		t.Fatalf("esc after the jump: screen %d", h.m.screen)
	}
}

// / filters every list: the questions by id, title, question text,
// clause, owner and status; the review's gaps; the trail; the supplier's
// reports. Typing in a filter never acts: "/encrypt" adds no evidence,
// "/xyz" on the review does not export.
func TestFindAnywhere(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.workshop()
	h.press("/")
	h.typeText("encrypt")
	h.press("enter")
	for _, id := range h.m.questions.vis {
		if !strings.Contains(h.m.questions.searchText(h.m, id), "encrypt") {
			t.Fatalf("%s kept by the filter", id)
		}
	}
	if len(h.m.questions.vis) == 0 || h.m.dialog() != nil || len(h.m.cur.Answer(h.m.questions.current()).Links) != 0 {
		t.Fatalf("filter encrypt: %v\n%s", h.m.questions.vis, h.view())
	}
	for query, want := range map[string]string{"GOV-04": "GOV-04", "11.10(e)": "AT-01", "inventory": "GOV-04", "shared": "", "unanswered customer": "GOV-01"} {
		h.press("esc", "/")
		h.typeText(query)
		h.press("enter")
		if len(h.m.questions.vis) == 0 || want != "" && !slices.Contains(h.m.questions.vis, want) {
			t.Errorf("filter %q keeps %v, not %s", query, h.m.questions.vis, want)
		}
	}
	h.press("esc")
	if len(h.m.questions.vis) != len(h.m.questions.order) {
		t.Fatal("esc did not clear the filter")
	}
	h.press("tab", "/")
	h.typeText("xyz")
	if h.m.screen != screenReview || h.m.dialog() != nil || h.m.a == nil {
		t.Fatalf("/xyz on the review: screen %d, dialog %T", h.m.screen, h.m.dialog())
	}
	h.press("ctrl+u")
	h.typeText("AC-0")
	h.press("enter")
	for _, g := range h.m.reviewS.gaps(h.m) {
		if !strings.HasPrefix(g.Control, "AC-0") {
			t.Fatalf("gap filter AC-0 kept %+v", g)
		}
	}
	h.press("esc", "t", "/")
	h.typeText("create")
	h.press("enter")
	if vis := h.m.trail.visible(); len(vis) == 0 || len(vis) == len(h.m.trail.entries) {
		t.Fatalf("trail filter kept %d of %d", len(vis), len(h.m.trail.entries))
	}
	h.press("esc", "esc", "shift+tab", "shift+tab", "shift+tab", "/")
	h.typeText("27018")
	h.press("enter")
	if srcs := h.m.supplier.sources(h.m); len(srcs) != 1 || srcs[0].ID != "iso27018" {
		t.Fatalf("supplier filter 27018: %+v", srcs)
	}
}

// g/G, home/end and pgup/pgdn move every list.
func TestListsMoveAlike(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	h.press("G")
	if h.m.questions.cursor != len(h.m.questions.vis)-1 {
		t.Fatalf("G on the questions: %d", h.m.questions.cursor)
	}
	h.press("home")
	if h.m.questions.cursor != 0 {
		t.Fatalf("home on the questions: %d", h.m.questions.cursor)
	}
	h.press("pgdown")
	if h.m.questions.cursor == 0 {
		t.Fatal("pgdn on the questions did not move")
	}
	h.press("tab", "end")
	if n := len(h.m.reviewS.gaps(h.m)); h.m.reviewS.cursor != n-1 {
		t.Fatalf("end on the review: %d of %d", h.m.reviewS.cursor, n)
	}
	h.press("g")
	if h.m.reviewS.cursor != 0 {
		t.Fatal("g on the review")
	}
	h.press("shift+tab", "shift+tab", "G")
	if h.m.services.cursor != len(h.m.services.order)-1 {
		t.Fatalf("G on the services: %d", h.m.services.cursor)
	}
}

// The jump palette finds controls by their question text, services and
// steps.
func TestJumpPalette(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	for query, check := range map[string]func() bool{
		"system inventory": func() bool { return h.m.screen == screenQuestions && h.m.questions.current() == "GOV-04" },
		"service lambda":   func() bool { return h.m.screen == screenServices && h.m.services.place(h.m) == "lambda" },
		"step review":      func() bool { return h.m.screen == screenReview },
		"report 27017":     func() bool { return h.m.screen == screenSupplier && h.m.supplier.place(h.m) == "iso27017" },
	} {
		h.press(":")
		h.typeText(query)
		h.press("enter")
		if !check() {
			t.Errorf("jump %q: screen %d\n%s", query, h.m.screen, h.view())
		}
	}
	h.press("ctrl+k")
	if _, ok := h.m.dialog().(*paletteDialog); !ok {
		t.Fatal("ctrl+k opened no palette")
	}
}

// The mouse: a click selects a row, a second click on it acts, a click on
// a step of the breadcrumb goes there, the wheel scrolls the pane under
// it; m turns the capture off, and on.
func TestMouse(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.workshop()
	click := func(x, y int) { h.send(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft}) }
	row := func(text string) int {
		for i, l := range strings.Split(h.view(), "\n") {
			if strings.Contains(l, text) {
				return i
			}
		}
		t.Fatalf("%q not on screen:\n%s", text, h.view())
		return 0
	}
	click(5, row("GOV-04 System inventory"))
	if h.m.questions.current() != "GOV-04" {
		t.Fatalf("click on GOV-04 selected %s", h.m.questions.current())
	}
	before := h.m.questions.scroll
	h.send(tea.MouseWheelMsg{X: 60, Y: 10, Button: tea.MouseWheelDown})
	if h.m.questions.scroll <= before {
		t.Fatal("the wheel over the detail did not scroll it")
	}
	h.send(tea.MouseWheelMsg{X: 5, Y: 10, Button: tea.MouseWheelDown})
	if h.m.questions.current() == "GOV-04" {
		t.Fatal("the wheel over the list did not move it")
	}
	header := strings.Split(h.view(), "\n")[0]
	click(ansi.StringWidth(header[:strings.Index(header, "Review")])+1, 0)
	if h.m.screen != screenReview {
		t.Fatalf("click on Review in the breadcrumb: screen %d\n%q", h.m.screen, header)
	}
	h.press("m")
	if h.m.mouse || h.m.View().MouseMode != tea.MouseModeNone {
		t.Fatal("m did not turn the mouse off")
	}
	h.press("m")
	if !h.m.mouse || h.m.View().MouseMode != tea.MouseModeCellMotion {
		t.Fatal("m did not turn the mouse on")
	}
	_ = model.StatusImplemented
}
