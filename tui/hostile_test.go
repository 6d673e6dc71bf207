package tui

import (
	"os"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// sgr is the only escape sequence a view may hold: Select Graphic
// Rendition, the colours and styles the wizard draws with.
var sgr = regexp.MustCompile(`^\x1b\[[0-9;:]*m`)

// checkOnlySGR fails when a view holds any escape sequence other than SGR
// (OSC title, hyperlink or clipboard, DCS, CSI clear screen, ...), a
// carriage return, BEL, a C1 control or a bidi control.
func checkOnlySGR(t *testing.T, where, v string) {
	t.Helper()
	for i, r := range v {
		bidi := (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
		switch {
		case r == 0x1b:
			if !sgr.MatchString(v[i:]) {
				t.Fatalf("%s: escape sequence other than SGR at byte %d: %q", where, i, v[i:min(i+30, len(v))])
			}
		case r == '\r' || r == 0x07 || bidi:
			t.Fatalf("%s: control %U at byte %d: %q", where, r, i, v[max(i-30, 0):min(i+30, len(v))])
		}
	}
}

// Hostile text stored by another tool (an imported bundle) is shown safe
// in the editors too, and kept as it is unless edited.
func TestHostileStoredTextInEditors(t *testing.T) {
	const evil = "before\x1b]0;pwned\x07\x1b[2J\u202Eevil\u202C\rafter"
	h := newHarness(t, 100, 30)
	h.workshop()
	ctrl := h.m.questions.current()
	ans := model.Answer{Control: ctrl, Status: model.StatusPartial, Notes: evil,
		Evidence: []model.EvidenceRef{{Title: evil, Supplier: model.SupplierCustomer}}}
	if _, err := h.db.Answer(h.m.a.ID, ans, ""); err != nil {
		t.Fatal(err)
	}
	h.goHome()
	h.press("enter")
	for _, keys := range [][2][]string{{{"o"}, {"enter"}}, {{"r", "enter"}, {"enter", "esc"}}} {
		h.press(keys[0]...)
		if h.m.dialog() == nil {
			t.Fatalf("%v opened nothing:\n%s", keys[0], h.view())
		}
		checkOnlySGR(t, "editing stored hostile text", h.m.View().Content)
		h.press(keys[1]...) // save unchanged, close
	}
	a, _ := h.db.Get(h.m.a.ID)
	if got := a.Answer(ctrl); got.Notes != evil || a.Register[0].Title != evil {
		t.Fatalf("saving unchanged fields changed them: %q %q", got.Notes, a.Register[0].Title)
	}
}

// A hostile catalog, and hostile text typed in, never reach the terminal
// as anything but visible placeholders.
func TestHostileCatalogView(t *testing.T) {
	raw, err := os.ReadFile("../testdata/hostile/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := model.ParseCatalog(raw, "hostile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const evil = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1bP+q\x1b\\\r\u202E\u009b"
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		w, ht := size[0], size[1]
		h := newHarnessWith(t, w, ht, nil, cat)
		look := func(where string) {
			t.Helper()
			v := h.m.View().Content
			checkOnlySGR(t, where, v)
			checkFits(t, v, w, ht)
		}
		look("home")
		h.newAssessment("LIMS " + evil)
		look("scope")
		h.tabTo("Services")
		if h.m.screen != screenServices {
			t.Fatalf("screen %d, want services", h.m.screen)
		}
		look("services")
		h.selectServices("ec2", "s3")
		look("services with a selection")
		h.press("tab")
		if h.m.screen != screenQuestions {
			t.Fatalf("screen %d, want questions", h.m.screen)
		}
		look("questions")
		if !strings.Contains(h.view(), "pwned") {
			t.Fatalf("the hostile question is not on screen (the test would prove nothing):\n%s", h.view())
		}
		h.press("o")
		h.typeText("note " + evil)
		look("typing a note")
		h.send(tea.PasteMsg{Content: "pasted " + evil})
		look("pasting into a note")
		h.press("enter")
		look("note saved")
		h.press("L")
		look("layers drill-down")
		h.press("esc", "j")
		look("second question")
		h.press("pgdown", "pgdown")
		look("scrolled")
		h.press("tab")
		look("review")
		h.press("esc", "?")
		look("help")
		h.press("esc", "t")
		look("trail")
		h.press("esc", "v")
		look("stacks")
		h.press("esc", "esc", "esc")
		look("home again")
	}
}
