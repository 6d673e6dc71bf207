package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/onus-gxp/onus/iac"
	"github.com/onus-gxp/onus/model"
)

// The SAM fixture of package iac, by a path relative to this package,
// as a user types one relative to where onus started.
const samTemplate = "../iac/testdata/sam/template.yaml"

// onServices opens an assessment on the services step with s3 selected.
func (h *harness) onServices() {
	h.newAssessment("Batch record review")
	h.tabTo("Services")
	h.selectServices("s3")
}

func (h *harness) scanIaC(paths string) {
	h.press("i")
	h.typeText(paths)
	h.press("enter")
}

// Goldens of the IaC action at the wizard's sizes: the prompt, what was
// found (and scrolled), a file that cannot be read, and the help.
func TestGoldenIaC(t *testing.T) {
	states := []struct {
		name string
		do   func(h *harness)
	}{
		{"prompt", func(h *harness) { h.onServices(); h.press("i"); h.typeText(samTemplate) }},
		{"found", func(h *harness) { h.onServices(); h.scanIaC(samTemplate) }},
		{"found-scrolled", func(h *harness) { h.onServices(); h.scanIaC(samTemplate); h.press("pgdown") }},
		{"not-read", func(h *harness) { h.onServices(); h.scanIaC("../iac/testdata/sam/missing.yaml") }},
		{"help-found", func(h *harness) { h.onServices(); h.scanIaC(samTemplate); h.press("?") }},
	}
	for _, s := range states {
		h := newHarness(t, 100, 30)
		s.do(h)
		h.m.status = ""
		for _, size := range goldenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", s.name, size[0], size[1]), func(t *testing.T) {
				h.send(resize(size[0], size[1]))
				checkFits(t, h.m.View().Content, size[0], size[1])
				golden.RequireEqual(t, []byte(h.masked()))
			})
		}
	}
}

// What the files use is shown first and selected only on y, in one
// change whose audit entry names every file read and its SHA-256; n
// selects nothing, and undo takes the selection back.
func TestIaCSelectsOnlyOnYes(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.onServices()
	cat := h.m.catalog()
	res, err := iac.Scan(cat, samTemplate)
	if err != nil {
		t.Fatal(err)
	}
	found := res.Services(cat)
	trail := func() int { e, _ := h.db.History(h.m.a.ID); return len(e) }
	before := trail()

	h.scanIaC(samTemplate)
	d, ok := h.m.dialog().(*iacFoundDialog)
	if !ok {
		t.Fatalf("no dialog of what was found:\n%s", h.view())
	}
	if want := slices.DeleteFunc(slices.Clone(found), func(id string) bool { return id == "s3" }); !slices.Equal(d.add, want) || !slices.Equal(d.had, []string{"s3"}) {
		t.Fatalf("to add %v, had %v; want %v and [s3]", d.add, d.had, want)
	}
	// Every resource found, with why, and what was not used, as the command line prints it.
	text := strings.Join(d.text, "\n") + "\n"
	if text != res.Text(cat) {
		t.Errorf("the dialog's text is not the scan's:\n%s", text)
	}
	if trail() != before {
		t.Fatal("the scan changed the assessment before the y")
	}
	h.press("n")
	if h.m.dialog() != nil || trail() != before || len(h.m.cur.Services) != 1 {
		t.Fatalf("n selected something: %v", h.m.cur.ServiceIDs())
	}

	h.scanIaC(samTemplate)
	h.press("y")
	a, err := h.db.Get(h.m.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range found {
		if !slices.Contains(a.ServiceIDs(), id) {
			t.Errorf("%s was found and not selected", id)
		}
	}
	e, _ := h.db.History(h.m.a.ID)
	if len(e) != before+1 || e[len(e)-1].Reason != res.Reason() || e[len(e)-1].Target != "services" {
		t.Fatalf("want one services entry with the files' names and SHA-256: %+v", e[before:])
	}
	if !strings.Contains(h.view(), "added 11 services found in template.yaml, network.yaml") {
		t.Errorf("the status line does not say what was added:\n%s", h.view())
	}

	// Found again: nothing to select, nothing recorded.
	h.scanIaC(samTemplate)
	if !strings.Contains(h.view(), "Nothing to select: the 12 services found are selected already") {
		t.Errorf("a second scan:\n%s", h.view())
	}
	h.press("y", "enter")
	if h.m.dialog() != nil || trail() != before+1 {
		t.Fatalf("a scan with nothing new recorded %d entries", trail()-before-1)
	}

	h.press("ctrl+z")
	if a, _ := h.db.Get(h.m.a.ID); !slices.Equal(a.ServiceIDs(), []string{"s3"}) {
		t.Errorf("undo left %v", a.ServiceIDs())
	}
}

// A file that cannot be read is said on the status line, with its line,
// and the paths stay to correct; several paths separated by commas are
// read together.
func TestIaCErrorsAndSeveralPaths(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.onServices()
	h.scanIaC("../iac/testdata/tf/main.tf, ../iac/testdata/nested/missing.yaml")
	if _, ok := h.m.dialog().(*iacPathDialog); !ok || !strings.Contains(h.view(), "NOT READ: ../iac/testdata/nested/missing.yaml: no such file") {
		t.Fatalf("a missing file:\n%s", h.view())
	}
	h.press("ctrl+u")
	h.typeText("../iac/testdata/tf/main.tf, ../iac/testdata/plan/plan.json")
	h.press("enter")
	d, ok := h.m.dialog().(*iacFoundDialog)
	if !ok || len(d.res.Files) != 2 {
		t.Fatalf("two paths:\n%s", h.view())
	}
	h.press("esc")

	h.scanIaC("")
	if !strings.Contains(h.view(), "NOT READ: give a file or a folder") {
		t.Errorf("no path:\n%s", h.view())
	}
	h.press("esc")
	if h.m.dialog() != nil {
		t.Fatal("esc did not close the prompt")
	}
}

// The help of the services screen lists i, from the same actions as the
// footer.
func TestIaCKeyInHelp(t *testing.T) {
	h := newHarness(t, 200, 50)
	h.onServices()
	if v := h.view(); !strings.Contains(v[strings.LastIndex(v, "\n"):], "i from IaC files…") {
		t.Errorf("the footer lacks i:\n%s", v)
	}
	h.press("?")
	help, ok := h.m.dialog().(*helpDialog)
	if !ok {
		t.Fatal("no help")
	}
	if !strings.Contains(strings.Join(help.lines(h.m, 190), "\n"), "from IaC files…") {
		t.Error("the services help lacks i")
	}
}

// A final assessment is read-only: i opens nothing and says how to
// reopen, and neither the footer nor the list's hint offers it.
func TestIaCRefusedWhenFinal(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.reviewed()
	h.signWith("approved", "CAPA-1 closes them", 0)
	if a, _ := h.db.Get(h.m.a.ID); a.Workflow != model.WorkflowFinal {
		t.Fatalf("not final: %s", a.Workflow)
	}
	h.press("shift+tab", "shift+tab")
	if h.m.screen != screenServices {
		t.Fatalf("not on the services screen:\n%s", h.view())
	}
	before, _ := h.db.History(h.m.a.ID)
	h.press("i")
	if h.m.dialog() != nil || !strings.Contains(h.m.flash, "FINAL, read-only") {
		t.Fatalf("i on a final assessment: flash %q\n%s", h.m.flash, h.view())
	}
	if v := h.view(); strings.Contains(v, "from IaC") {
		t.Errorf("a final assessment's services screen offers i:\n%s", v)
	}
	if after, _ := h.db.History(h.m.a.ID); len(after) != len(before) {
		t.Errorf("%d entries recorded", len(after)-len(before))
	}
}
