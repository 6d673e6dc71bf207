package tui

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/prep/preptest"
	"github.com/onus-gxp/onus/report"
)

// packFor writes the open assessment's prep pack, filled with rows by
// another program, to a file, and returns its path.
func (h *harness) packFor(name string, rows [][]string) string {
	h.t.Helper()
	b, err := h.db.Export(h.m.a.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	pack, err := report.PrepXLSX(report.Input{Catalog: h.m.catalog(), Assessment: b.Assessment, Trail: b.Trail})
	if err != nil {
		h.t.Fatal(err)
	}
	path := filepath.Join(h.dir, name)
	if err := os.WriteFile(path, preptest.Filled(h.t, preptest.Meta(h.t, pack), rows), 0o600); err != nil {
		h.t.Fatal(err)
	}
	return path
}

// importPack opens the import form, types the path and the respondent,
// and reads the file.
func (h *harness) importPack(path, respondent string) {
	h.t.Helper()
	h.press("I")
	if _, ok := h.m.dialog().(*importDialog); !ok {
		h.t.Fatalf("I opens no import form:\n%s", h.view())
	}
	h.press("ctrl+u")
	h.typeText(path)
	h.press("tab", "ctrl+u")
	h.typeText(respondent)
	h.press("enter")
}

// The wizard imports a filled prep pack as onus import-answers does: the
// preview of what changes, a conflict with an answer given since the pack
// was made left until taken, then each accepted row recorded by the
// respondent with the file's SHA-256.
func TestImportPackFromTheWizard(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.workshop()
	header := []string{"Control", "Title", "Question", "Status", "Justification", "Evidence", "Notes"}
	path := h.packFor("filled.xlsx", [][]string{header,
		{"GOV-01", "", "", " implemented "},
		{"GOV-02", "", "", "partial", "", "", "second pass"},
		{"GOV-04", "", "", "not applicable", "no staff are trained on this system"},
	})
	// After the pack went out, Sam answered GOV-02 in the workshop.
	sam, err := h.db.As("Sam (system owner)").Answer(h.m.a.ID, model.Answer{Control: "GOV-02", Status: model.StatusPlanned}, "")
	if err != nil {
		t.Fatal(err)
	}
	h.send(Changed{Assessment: sam, By: "Sam (system owner)"})

	h.importPack(path, "Quinn (QA lead)")
	v := h.view()
	for _, want := range []string{"Import filled.xlsx?", "2 answers to record, 1 in conflict, 0 unchanged · by Quinn (QA lead)",
		"[ ] conflict row 3 GOV-02, left as it is: changed by Sam (system owner)", "now:  planned", "file: partial; notes: second pass",
		"row 2 GOV-01: unanswered → implemented", "row 4 GOV-04: unanswered → not-applicable"} {
		if !strings.Contains(v, want) {
			t.Errorf("the preview lacks %q:\n%s", want, v)
		}
	}
	h.press("space") // take the file's GOV-02
	if !strings.Contains(h.view(), "3 answers to record") || !strings.Contains(h.view(), "[x] conflict row 3 GOV-02, the file's taken") {
		t.Errorf("the conflict is not taken:\n%s", h.view())
	}
	h.press("enter")
	if h.m.dialog() != nil {
		t.Fatalf("the form is still open:\n%s", h.view())
	}
	data, _ := os.ReadFile(path)
	sum := sha256.Sum256(data)
	a, err := h.db.Get(h.m.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for ctrl, st := range map[string]model.Status{"GOV-01": model.StatusImplemented, "GOV-02": model.StatusPartial, "GOV-04": model.StatusNotApplicable} {
		if ans := a.Answer(ctrl); ans.Status != st || ans.UpdatedBy != "Quinn (QA lead)" {
			t.Errorf("%s: %s by %q, want %s by the respondent", ctrl, ans.Status, ans.UpdatedBy, st)
		}
	}
	trail, _ := h.db.History(h.m.a.ID)
	last := trail[len(trail)-1]
	if !strings.Contains(last.Reason, "imported from filled.xlsx (sha256 "+hex.EncodeToString(sum[:])+")") || last.Actor != "Quinn (QA lead)" {
		t.Errorf("the trail's last entry: %s by %s, %q", last.Action, last.Actor, last.Reason)
	}
	if !strings.Contains(h.view(), "imported 3 answers from filled.xlsx by Quinn (QA lead)") {
		t.Errorf("the status line does not say so:\n%s", h.view())
	}
}

// A file with any error imports nothing: each error is listed by sheet,
// row and column, and enter refuses.
func TestImportPackWithErrorsWritesNothing(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.workshop()
	path := h.packFor("bad.xlsx", [][]string{{"Control", "Status", "Justification"},
		{"GOV-01", "implemented"},
		{"GOV-02", "maybe"},
		{"GOV-04", "not applicable"},
	})
	before, _ := h.db.History(h.m.a.ID)
	h.importPack(path, "Quinn (QA lead)")
	v := h.view()
	for _, want := range []string{"2 errors: nothing will be imported", "✘ sheet Questions, row 3, column B (Status)", "✘ sheet Questions, row 4"} {
		if !strings.Contains(v, want) {
			t.Errorf("the preview lacks %q:\n%s", want, v)
		}
	}
	h.press("enter")
	if !strings.Contains(h.view(), "NOT IMPORTED: bad.xlsx has 2 errors") {
		t.Errorf("enter does not refuse:\n%s", h.view())
	}
	if after, _ := h.db.History(h.m.a.ID); len(after) != len(before) {
		t.Errorf("%d trail entries written", len(after)-len(before))
	}
	// A path that is not there is said in the form.
	h.press("esc", "ctrl+u")
	h.typeText(filepath.Join(h.dir, "missing.xlsx"))
	h.press("enter")
	if !strings.Contains(h.view(), "✘ open") || !strings.Contains(h.view(), "missing.xlsx") {
		t.Errorf("a missing file is not said:\n%s", h.view())
	}
}
