package tui

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"

	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/model"
)

// screenStates reaches each screen in the states that change its keys.
var screenStates = []struct {
	name string
	do   func(h *harness)
}{
	{"home empty", func(h *harness) {}},
	{"home", func(h *harness) { h.newAssessment("LIMS"); h.press("esc") }},
	{"scope", func(h *harness) { h.newAssessment("LIMS") }},
	{"scope choice", func(h *harness) { h.newAssessment("LIMS"); h.press("j", "j", "j") }},
	{"scope frameworks", func(h *harness) { h.newAssessment("LIMS"); h.press("j", "j", "j", "j") }},
	{"records", func(h *harness) { h.newAssessment("LIMS"); h.tabTo("Records") }},
	{"supplier", func(h *harness) { h.newAssessment("LIMS"); h.tabTo("Supplier") }},
	{"services", func(h *harness) { h.newAssessment("LIMS"); h.tabTo("Services") }},
	{"questions", func(h *harness) { h.workshop() }},
	{"evidence list", func(h *harness) { h.workshop(); h.press("e", "enter"); h.typeText("IQ"); h.press("enter") }},
	{"evidence register", func(h *harness) { h.workshop(); h.press("e", "enter"); h.typeText("IQ"); h.press("enter", "esc", "r") }},
	{"layers", func(h *harness) { h.workshop(); h.press("L") }},
	{"review", func(h *harness) { h.workshop(); h.press("tab") }},
	{"stacks", func(h *harness) { h.workshop(); h.press("v") }},
	{"trail", func(h *harness) { h.workshop(); h.press("t") }},
	{"actions", func(h *harness) { h.workshop(); h.press("A") }},
	{"actions listed", func(h *harness) {
		h.workshop()
		h.press("a")
		h.raise("Send the SOP", "Quinn", "2026-12-01")
		h.press("A")
	}},
}

// A key means one thing on every screen: no two of a screen's actions
// take the same key, no screen takes a key that works everywhere (esc
// aside: a screen closes its own filter or mode with it first), and a key
// that acts on two screens acts through the same binding (x is export
// wherever it works, d delete, n new).
func TestKeysHaveOneMeaning(t *testing.T) {
	meaning := map[string]string{} // key → the binding's keys, as first seen
	for _, s := range screenStates {
		h := newHarness(t, 100, 30)
		s.do(h)
		if h.m.dialog() != nil || h.m.typing() {
			t.Fatalf("%s: a dialog or a field is open", s.name)
		}
		global := map[string]bool{}
		for _, a := range h.m.globalActions() {
			for _, k := range a.key.Keys() {
				global[k] = true
			}
		}
		seen := map[string]bool{}
		for _, a := range h.m.active().actions(h.m) {
			if a.do == nil {
				continue
			}
			keys := strings.Join(a.key.Keys(), ",")
			for _, k := range a.key.Keys() {
				if seen[k] {
					t.Errorf("%s: %q is taken by two actions", s.name, k)
				}
				seen[k] = true
				if global[k] && k != "esc" {
					t.Errorf("%s: %q works everywhere, and the screen takes it for %q", s.name, k, a.key.Help().Desc)
				}
				if was, ok := meaning[k]; ok && was != keys {
					t.Errorf("%s: %q is bound as [%s] here and [%s] elsewhere", s.name, k, keys, was)
				}
				meaning[k] = keys
			}
		}
	}
}

// The help is per screen and built from the same actions as the footer:
// it lists every key the footer shows, the keys of that screen and not
// those of another, with the descriptions in one column.
// moreKeys is the footer's count of the keys that did not fit ("+3").
var moreKeys = regexp.MustCompile(`^\+\d+$`)

func TestHelpPerScreenMatchesTheFooter(t *testing.T) {
	for _, s := range screenStates {
		h := newHarness(t, 200, 50)
		s.do(h)
		footer := h.view()
		footer = footer[strings.LastIndex(footer, "\n")+1:]
		h.press("?")
		help, ok := h.m.dialog().(*helpDialog)
		if !ok {
			t.Fatalf("%s: ? opened no help", s.name)
		}
		lines := help.lines(h.m, 190)
		for i := range lines {
			lines[i] = ansi.Strip(lines[i])
		}
		text := strings.Join(lines, "\n")
		for _, item := range strings.Split(footer, " • ") {
			if moreKeys.MatchString(item) {
				continue
			}
			k, desc, _ := strings.Cut(item, " ")
			if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(k) + ` +` + regexp.QuoteMeta(desc) + `$`).MatchString(text) {
				t.Errorf("%s: the footer shows %q, the help does not:\n%s", s.name, item, text)
			}
		}
		// One column for the descriptions.
		col := -1
		entry := regexp.MustCompile(`^(  \S+ +)\S`)
		for _, l := range lines {
			e := entry.FindStringSubmatch(l)
			if e == nil {
				continue
			}
			if i := ansi.StringWidth(e[1]); col < 0 {
				col = i
			} else if i != col {
				t.Errorf("%s: help not aligned:\n%s", s.name, text)
				break
			}
		}
		has := func(k string) bool { return strings.Contains(text, "\n  "+k+" ") }
		switch s.name {
		case "questions":
			if !has("1-4") || !has("o") || has("D") || has("S") {
				t.Errorf("questions help:\n%s", text)
			}
		case "home":
			if !has("D") || !has("n") || has("1-4") || has("tab") {
				t.Errorf("home help:\n%s", text)
			}
		case "review":
			if !has("S") || !has("w") || has("1-4") || !has("x") {
				t.Errorf("review help:\n%s", text)
			}
		}
	}
}

// Text fields never take ? or q from a screen: on Scope they open the
// help and quit, and the name stays as it was; the footer shows the help
// key on every screen, and f1 inside a field.
func TestScopeKeysAreNotText(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS on AWS")
	if !strings.Contains(h.view(), "? help") {
		t.Fatalf("no help key on the scope's footer:\n%s", h.view())
	}
	h.press("?")
	if _, ok := h.m.dialog().(*helpDialog); !ok {
		t.Fatalf("? on the scope opened no help:\n%s", h.view())
	}
	h.press("esc", "q")
	if !h.quit {
		t.Fatal("q on the scope did not quit")
	}
	if a, _ := h.db.Get(h.m.a.ID); a.Name != "LIMS on AWS" {
		t.Fatalf("the name became %q", a.Name)
	}
	// In a field, ? and q are text; f1 is help.
	h = newHarness(t, 100, 30)
	h.newAssessment("LIMS on AWS")
	h.press("enter")
	h.typeText("?q")
	if !strings.Contains(h.view(), "f1 help") {
		t.Fatalf("no f1 help on the footer while editing:\n%s", h.view())
	}
	h.press("f1")
	if _, ok := h.m.dialog().(*helpDialog); !ok {
		t.Fatal("f1 opened no help inside a field")
	}
	h.press("esc", "enter")
	if a, _ := h.db.Get(h.m.a.ID); a.Name != "LIMS on AWS?q" {
		t.Fatalf("typed into the field explicitly: %q", a.Name)
	}
	for _, s := range screenStates {
		h := newHarness(t, 80, 24)
		s.do(h)
		if v := h.view(); !strings.Contains(v[strings.LastIndex(v, "\n"):], "? help") {
			t.Errorf("%s: no help key on the footer:\n%s", s.name, v)
		}
	}
}

// Destructive keys ask first: removing evidence from the register (d,
// then y, saying which controls cite it) and deleting an assessment;
// unlinking (d in a question's evidence list) keeps the entry and is
// undone with ctrl+z; x never removes anything.
func TestDestructiveKeysConfirm(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	ctrl := h.m.questions.current()
	h.press("e", "enter")
	h.typeText("IQ report")
	h.press("enter") // saved and linked; the evidence list is open
	h.press("x")
	if _, ok := h.m.dialog().(*exportDialog); !ok {
		t.Fatalf("x in the evidence list is not export:\n%s", h.view())
	}
	h.press("esc", "d")
	if a, _ := h.db.Get(h.m.a.ID); len(a.Answer(ctrl).Links) != 0 || len(a.Register) != 1 {
		t.Fatalf("d in the evidence list did not unlink, or removed the entry: %+v %+v", a.Answer(ctrl), a.Register)
	}
	h.press("ctrl+z")
	if a, _ := h.db.Get(h.m.a.ID); len(a.Answer(ctrl).Links) != 1 {
		t.Fatal("ctrl+z did not link it again")
	}
	h.press("esc", "r", "d")
	c, ok := h.m.dialog().(*confirmDialog)
	if !ok || !strings.Contains(c.question, ctrl+" links to it") {
		t.Fatalf("d on the register removed without asking, or did not say where it is linked:\n%s", h.view())
	}
	h.press("n")
	if a, _ := h.db.Get(h.m.a.ID); len(a.Register) != 1 {
		t.Fatal("n removed it")
	}
	h.press("d", "y")
	if a, _ := h.db.Get(h.m.a.ID); len(a.Register) != 0 || len(a.Answer(ctrl).Links) != 0 {
		t.Fatalf("y kept it: %+v %+v", a.Register, a.Answer(ctrl))
	}
	if slices.Contains(h.m.keys.Delete.Keys(), "x") || !slices.Equal(h.m.keys.Export.Keys(), []string{"x"}) {
		t.Fatal("x must be export only")
	}
	_ = model.StatusImplemented
}

// The footer counts the keys it leaves out, after the last that fits,
// and leaves no mark when all fit.
func TestFooterCountsTheKeysLeftOut(t *testing.T) {
	h := newHarness(t, 80, 24)
	head := []key.Binding{
		key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "first")),
		key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "second")),
		key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "remove…")),
		key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "fourth")),
		key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "fifth")),
	}
	tail := []key.Binding{key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help"))}
	for _, c := range []struct {
		w    int
		want string
	}{
		{80, "a first • b second • c remove… • d fourth • e fifth • ? help"},
		{48, "a first • b second • c remove… • +2 • ? help"},
		{36, "a first • b second • +3 • ? help"},
	} {
		if got := ansi.Strip(h.m.shortHelp(head, tail, c.w)); got != c.want || ansi.StringWidth(got) > c.w {
			t.Errorf("at %d cells: %q, want %q", c.w, got, c.want)
		}
	}
}
