package tui

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// evidenceWorkshop is the workshop with a register: a configuration
// specification linked to the first three questions, an access SOP past
// its review date linked to the first, a third party's penetration test,
// SOC 2 on file but superseded (stale at testNow), ISO 27001 current; the
// questions show the first control again.
func (h *harness) evidenceWorkshop() {
	h.t.Helper()
	h.workshop()
	id := h.m.a.ID
	order := slices.Clone(h.m.questions.order)
	must := func(_ model.Assessment, err error) {
		h.t.Helper()
		if err != nil {
			h.t.Fatal(err)
		}
	}
	db := h.db
	must(db.AddEntry(id, model.EvidenceEntry{Title: "Configuration specification", DocumentID: "CS-12", Version: "2.1", Date: "2026-09-01",
		Location: "DMS/QA/CS-12", Owner: model.SupplierCustomer, Kind: model.DocSpecification}))
	must(db.AddEntry(id, model.EvidenceEntry{Title: "Access management SOP", DocumentID: "SOP-7", Version: "3", Owner: model.SupplierCustomer,
		Kind: model.DocProcedure, ValidUntil: "2026-06-30"}))
	must(db.AddEntry(id, model.EvidenceEntry{Title: "Penetration test report", DocumentID: "PT-2026-1", Owner: model.SupplierThirdParty,
		Kind: model.DocReport, PeriodStart: "2026-08-01", PeriodEnd: "2026-08-31"}))
	must(db.Answer(id, model.Answer{Control: order[0], Status: model.StatusImplemented}, ""))
	must(db.Link(id, "E1", order[:3], "§4.2"))
	must(db.Link(id, "E2", order[:1], ""))
	must(db.SetSupplierRecord(id, model.SupplierRecord{Source: "soc2", Obtained: "2025-11-20", PeriodStart: "2025-04-01", PeriodEnd: "2025-09-30",
		Version: "2025 H1", Reviewer: "QA", ReviewedOn: "2025-11-21", Status: model.SupplierAccepted}))
	must(db.SetSupplierRecord(id, model.SupplierRecord{Source: "iso27001", Obtained: "2026-10-01", PeriodStart: "2025-11-01", PeriodEnd: "2028-10-31",
		Surveillance: "2026-09-15", Reviewer: "QA", ReviewedOn: "2026-10-02", Status: model.SupplierAccepted}))
	h.goHome()
	h.press("enter") // open it again
	if h.m.screen != screenQuestions || h.m.questions.current() != order[0] {
		h.t.Fatalf("not back on %s:\n%s", order[0], h.view())
	}
}

// On a question: its evidence chain, the documents linked with their
// notes and currency, and what AWS supplies for it from the Supplier step
// with review status and currency, stale ones flagged; optional reports
// apart. e links from the register, filtered as typed.
func TestQuestionShowsItsEvidenceChain(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.evidenceWorkshop()
	ctrl := h.m.questions.current()
	v := h.view()
	for _, want := range []string{"Evidence: 2 linked", "E1 Configuration specification CS-12 v2.1 · §4.2 · current",
		"E2 Access management SOP SOP-7 v3 · ⚠ STALE: due for review"} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q on %s:\n%s", want, ctrl, v)
		}
	}
	// A control whose AWS part expects SOC 2 shows the stale report without
	// a link, and is marked ⚠ in the list.
	var aws string
	for _, c := range h.m.questions.order {
		if slices.Contains(h.m.review.Resolutions[c].AWSEvidence, "soc2") {
			aws = c
			break
		}
	}
	if !h.m.questions.seekControl(h.m, aws) {
		t.Fatalf("no question on %s", aws)
	}
	v = h.view()
	if !strings.Contains(v, "AWS supplies:") || !strings.Contains(v, "aws:soc2 AWS SOC 2 Type 2 report 2025 H1 · accepted · ⚠ STALE: superseded") {
		t.Errorf("%s does not show the stale SOC 2 report from the Supplier step:\n%s", aws, v)
	}
	if !strings.Contains(v, "⚠"+aws+" ") {
		t.Errorf("%s is not marked ⚠ in the list:\n%s", aws, v)
	}
	// e: the register's list, filtered by what is typed; enter links.
	h.press("e")
	if _, ok := h.m.dialog().(*pickerDialog); !ok {
		t.Fatalf("e on a control without links opens no list:\n%s", h.view())
	}
	h.typeText("pen test")
	if v := h.view(); !strings.Contains(v, "E3 Penetration test report") || strings.Contains(v, "E1 Configuration") {
		t.Fatalf("the filter keeps the wrong entries:\n%s", v)
	}
	h.press("down", "enter")
	a, _ := h.db.Get(h.m.a.ID)
	if l := a.Answer(aws).Links; len(l) != 1 || l[0].Entry != "E3" {
		t.Fatalf("%s links %+v, want E3", aws, l)
	}
	// enter on the link: its note.
	h.press("enter")
	h.typeText("§2 findings")
	h.press("enter")
	if a, _ = h.db.Get(h.m.a.ID); a.Answer(aws).Links[0].Note != "§2 findings" {
		t.Fatalf("note %+v", a.Answer(aws).Links)
	}
}

// The Evidence screen: each piece of evidence with its currency and the
// controls it supports; editing an entry reaches every control citing it;
// / filters; removing one that is linked says where first.
func TestEvidenceScreen(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.evidenceWorkshop()
	order := h.m.questions.order
	h.press("r")
	if h.m.screen != screenEvidence {
		t.Fatalf("r is not the register:\n%s", h.view())
	}
	v := h.view()
	for _, want := range []string{"Evidence register", "E1", "E2", "E3", "aws:soc2", "aws:iso27001", "Supports 3: " + order[0] + " (§4.2)"} {
		if !strings.Contains(v, want) {
			t.Errorf("the register lacks %q:\n%s", want, v)
		}
	}
	// Edit E1's version: every control citing it shows the new one.
	h.press("enter")
	if _, ok := h.m.dialog().(*entryDialog); !ok {
		t.Fatalf("enter opens no form:\n%s", h.view())
	}
	h.press("down", "down", "ctrl+u")
	h.typeText("3.0")
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if e, _ := a.Entry("E1"); e.Version != "3.0" {
		t.Fatalf("E1 is %+v", e)
	}
	for _, c := range order[:3] {
		if !h.m.questions.seekControl(h.m, c) {
			t.Fatal(c)
		}
		h.m.screen = screenQuestions
		if !strings.Contains(h.view(), "E1 Configuration specification CS-12 v3.0") {
			t.Errorf("%s does not cite E1 as edited:\n%s", c, h.view())
		}
	}
	h.m.screen = screenEvidence
	// / filters by anything shown, the controls included.
	h.press("/")
	h.typeText("stale")
	h.press("enter")
	if its := h.m.evidence.items(h.m); len(its) != 2 || its[0].ID != "E2" || its[1].ID != "aws:soc2" {
		t.Fatalf("the filter stale keeps %d", len(its))
	}
	h.press("esc")
	// A new entry from the register.
	h.press("n")
	h.typeText("Risk assessment")
	h.press("enter")
	if a, _ = h.db.Get(h.m.a.ID); len(a.Register) != 4 || a.Register[3].ID != "E4" {
		t.Fatalf("register %+v", a.Register)
	}
	if it, _ := h.m.evidence.selected(h.m); it.ID != "E4" || !strings.Contains(h.view(), "Gap: supports no applicable control") {
		t.Errorf("the new entry is not highlighted with its gap:\n%s", h.view())
	}
}

// The Supplier step says which reports this scope needs; space adds an
// optional one or dismisses a needed one, with a reason that is recorded,
// and the review follows.
func TestReportNeedsOnTheSupplierStep(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.workshop()
	h.press("shift+tab", "shift+tab", "/")
	h.typeText("pci")
	h.press("enter")
	v := h.view()
	if !strings.Contains(v, "optional") || !strings.Contains(v, "Optional: needed only with payment card data") {
		t.Fatalf("PCI DSS is not optional for a LIMS without card data:\n%s", v)
	}
	h.press("space")
	if _, ok := h.m.dialog().(*lineDialog); !ok {
		t.Fatalf("space asks for no reason:\n%s", h.view())
	}
	h.press("enter") // no reason: refused
	if !strings.Contains(h.view(), "NOT SAVED") {
		t.Fatalf("an addition without a reason was taken:\n%s", h.view())
	}
	h.typeText("the web shop takes cards")
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if len(a.Reports) != 1 || !a.Reports[0].Relevant || a.Reports[0].Reason != "the web shop takes cards" {
		t.Fatalf("reports %+v", a.Reports)
	}
	if !strings.Contains(h.view(), "Added by you: the web shop takes cards") {
		t.Errorf("the choice is not shown:\n%s", h.view())
	}
	// space again: back to the catalog's rule.
	h.press("space")
	if a, _ = h.db.Get(h.m.a.ID); len(a.Reports) != 0 {
		t.Fatalf("reports %+v after going back to the rule", a.Reports)
	}
	tr, _ := h.db.History(a.ID)
	if tr[len(tr)-2].Action != model.ActReport || tr[len(tr)-1].Action != model.ActReport {
		t.Errorf("the choices are not in the trail")
	}
}

// An assessment from before the register (imported from an earlier
// onus's bundle) shows its free-text evidence as register entries,
// identical references once; the first change to an answer files it, and
// the wizard goes on with the same ids.
func TestFreeTextShowsAsRegister(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.workshop()
	id, ctrl := h.m.a.ID, h.m.questions.current()
	b, err := h.db.Export(id)
	if err != nil {
		t.Fatal(err)
	}
	last := b.Trail[len(b.Trail)-1]
	oq := model.EvidenceRef{Title: "OQ report", DocumentID: "OQ-042", Supplier: model.SupplierCustomer}
	sop := model.EvidenceRef{Title: "Access SOP", DocumentID: "SOP-7", Supplier: model.SupplierCustomer}
	ans := model.Answer{Control: ctrl, Status: model.StatusImplemented, Evidence: []model.EvidenceRef{oq, sop, oq},
		UpdatedAt: last.Time.Add(time.Second), UpdatedBy: "old"}
	e := model.AuditEntry{Assessment: id, Seq: last.Seq + 1, Time: ans.UpdatedAt, Actor: "old", Action: model.ActAnswer,
		Target: "answer/" + ctrl, Format: model.EntryFormat, PrevHash: last.Hash}
	if e.New, err = json.Marshal(ans); err != nil {
		t.Fatal(err)
	}
	e.Hash = e.ComputeHash()
	b.Trail = append(b.Trail, e)
	if b.Assessment, err = model.Replay(b.Trail); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Purge(id); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.Import(b); err != nil {
		t.Fatal(err)
	}
	h.goHome()
	h.press("enter")
	h.m.questions.seekControl(h.m, ctrl)
	if v := h.view(); !strings.Contains(v, "E1 OQ report OQ-042") || !strings.Contains(v, "E2 Access SOP SOP-7") || strings.Contains(v, "E3") {
		t.Fatalf("the free text does not show as E1 and E2:\n%s", v)
	}
	h.press("2") // the first change files the free text, then answers
	a, _ := h.db.Get(id)
	if a.HasFreeText() || len(a.Register) != 2 || a.Register[0].Title != "OQ report" || a.Answer(ctrl).Status != model.StatusPartial {
		t.Fatalf("after the change: %+v %+v", a.Register, a.Answer(ctrl))
	}
	tr, _ := h.db.History(id)
	if tr[len(tr)-2].Action != model.ActFile || tr[len(tr)-1].Action != model.ActAnswer {
		t.Errorf("the trail ends %s, %s", tr[len(tr)-2].Action, tr[len(tr)-1].Action)
	}
	if r := h.db.Verify(id); r.Err != "" {
		t.Errorf("verify: %s", r.Err)
	}
}

// A draft of the evidence form from before the register opens as a new
// entry of the register for its control.
func TestOldEvidenceDraftOpensAsEntry(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	ctrl := h.m.questions.current()
	id := h.m.a.ID
	h.press("q")
	if err := h.db.SetWizardState(id, store.WizardState{Step: "Questions", At: ctrl,
		Draft: &store.Draft{Form: formEvidenceRef, Target: ctrl + "#-1", Fields: []string{"IQ protocol", "IQ-7", "2", "", "DMS", "third-party"}}}); err != nil {
		t.Fatal(err)
	}
	next := h.reopen(100, 30)
	next.press("enter")
	d, ok := next.m.dialog().(*entryDialog)
	if !ok || d.inputs[enTitle].text() != "IQ protocol" || d.owner != model.SupplierThirdParty || d.control != ctrl {
		t.Fatalf("the old draft did not open as an entry: %T\n%s", next.m.dialog(), next.view())
	}
	next.press("enter")
	a, _ := next.db.Get(id)
	if l := a.Answer(ctrl).Links; len(l) != 1 || a.Register[0].Title != "IQ protocol" {
		t.Fatalf("saved as %+v %+v", a.Register, l)
	}
}

// A report recorded as stale on the Supplier step flags every control
// relying on it in the wizard's review: one gap per control, opened on
// its question, besides the report's own; a control answered not
// applicable relies on nothing.
func TestStaleReportFlagsEveryControlInTheReview(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.evidenceWorkshop()
	var relying []string
	for _, c := range h.m.review.Applicable {
		if slices.Contains(h.m.review.Resolutions[c.ID].AWSEvidence, "soc2") {
			relying = append(relying, c.ID)
		}
	}
	if len(relying) < 10 {
		t.Fatalf("only %v rely on SOC 2", relying)
	}
	// One of them answered not applicable.
	na := relying[len(relying)-1]
	if _, err := h.db.Answer(h.m.a.ID, model.Answer{Control: na, Status: model.StatusNotApplicable, Justification: "no such records"}, ""); err != nil {
		t.Fatal(err)
	}
	h.press("esc", "esc", "esc", "esc", "enter", "tab", "/")
	h.typeText("relies on stale")
	h.press("enter")
	if h.m.screen != screenReview {
		t.Fatalf("not on the review:\n%s", h.view())
	}
	flagged := map[string]bool{}
	for _, g := range h.m.reviewS.gaps(h.m) {
		if g.Kind == model.GapStaleEvidence && strings.Contains(g.Detail, "aws:soc2") {
			flagged[g.Control] = true
		}
	}
	for _, c := range relying[:len(relying)-1] {
		if !flagged[c] {
			t.Errorf("%s relies on the stale SOC 2 report and the review does not flag it", c)
		}
	}
	if flagged[na] {
		t.Errorf("%s is not applicable and still flagged", na)
	}
	if v := h.view(); !strings.Contains(v, "relies on stale") {
		t.Errorf("the review does not show the gaps:\n%s", v)
	}
	h.press("enter") // opens the first one's question
	if h.m.screen != screenQuestions || !flagged[h.m.questions.current()] && h.m.questions.current() != "GOV-01" {
		t.Errorf("enter on the gap went to %v %s", h.m.screen, h.m.questions.current())
	}
}

// The jump palette finds a piece of evidence by its id, title or document
// number and opens the register on it.
func TestJumpToEvidence(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.evidenceWorkshop()
	h.press(":")
	h.typeText("PT-2026")
	h.press("enter")
	if it, _ := h.m.evidence.selected(h.m); h.m.screen != screenEvidence || it.ID != "E3" {
		t.Fatalf("the jump went to %v %s:\n%s", h.m.screen, it.ID, h.view())
	}
	h.press("esc")
	if h.m.screen != screenQuestions {
		t.Errorf("esc did not come back from the jump")
	}
}

// A final assessment's register is read-only as the rest of it is: the
// keys that would add, edit, remove, link, unlink or change a report's
// relevance say how to reopen instead, and nothing is written.
func TestFinalRegisterIsReadOnly(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.evidenceWorkshop()
	id := h.m.a.ID
	h.press("1", "tab")
	if h.m.screen != screenReview {
		t.Fatalf("not on the review:\n%s", h.view())
	}
	h.signWith("approved", "CAPA-7", 0)
	before, _ := h.db.History(id)
	refused := func(what string) {
		t.Helper()
		if !strings.Contains(h.m.flash, "FINAL, read-only") || h.m.dialog() != nil {
			t.Errorf("%s on a final assessment: flash %q, dialog %T", what, h.m.flash, h.m.dialog())
		}
		h.m.flash = ""
		h.m.closeDialog()
	}
	h.press("r")
	if h.m.screen != screenEvidence {
		t.Fatalf("r is not the register:\n%s", h.view())
	}
	if v := h.view(); strings.Contains(v, "new entry") || strings.Contains(v, "remove…") {
		t.Errorf("the register's footer offers edits on a final assessment:\n%s", v)
	}
	for _, k := range []string{"n", "enter", "d"} {
		h.press(k)
		refused("register " + k)
	}
	if !h.m.questions.seekControl(h.m, h.m.questions.order[0]) {
		t.Fatal("no first control")
	}
	h.m.screen = screenQuestions
	h.press("e")
	refused("e on a question")
	h.m.questions.mode = qEvidenceList // as if opened before it became final
	for _, k := range []string{"n", "enter", "d"} {
		h.press(k)
		refused("evidence list " + k)
	}
	h.m.questions.mode = qBrowse
	if cmd := h.m.toggleNeed("pci-dss"); cmd != nil || h.m.dialog() != nil {
		t.Error("a report's relevance changes on a final assessment")
	}
	if after, _ := h.db.History(id); len(after) != len(before) {
		t.Errorf("%d entries written to a final assessment: %s", len(after)-len(before), after[len(after)-1].Action)
	}
}

// / on the questions finds the controls by their evidence too: a
// document number keeps the controls that link it, "stale" those resting
// on stale evidence, as the evidence screen's filter finds the pieces.
func TestQuestionsFilterByEvidence(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.evidenceWorkshop()
	order := slices.Clone(h.m.questions.order)
	filter := func(text string) []string {
		t.Helper()
		h.press("/")
		h.typeText(text)
		h.press("enter")
		vis := slices.Clone(h.m.questions.vis)
		h.press("esc")
		return vis
	}
	if got := filter("CS-12"); !slices.Equal(got, order[:3]) {
		t.Errorf("CS-12 keeps %v, want %v", got, order[:3])
	}
	if got := filter("SOP-7"); !slices.Equal(got, order[:1]) {
		t.Errorf("SOP-7 keeps %v, want %v", got, order[:1])
	}
	stale := filter("stale")
	for _, c := range h.m.review.Applicable {
		if slices.Contains(h.m.review.Resolutions[c.ID].AWSEvidence, "soc2") && !slices.Contains(stale, c.ID) {
			t.Errorf("%s rests on the stale SOC 2 report and the filter stale leaves it out", c.ID)
		}
	}
	if !slices.Contains(stale, order[0]) || len(stale) == len(order) {
		t.Errorf("the filter stale keeps %d of %d", len(stale), len(order))
	}
}

// c compares two points with the register's changes: an entry added
// since a milestone shows under "Evidence register".
func TestDiffShowsTheRegister(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.evidenceWorkshop()
	h.press("1", "tab", "M")
	h.typeText("workshop-1")
	h.press("enter", "r", "n")
	h.typeText("Risk assessment")
	h.press("enter", "c")
	if h.m.screen != screenDiff {
		t.Fatalf("c is not the diff:\n%s", h.view())
	}
	if v := h.view(); !strings.Contains(v, "Evidence register") || !strings.Contains(v, "E4 added: title: — → Risk assessment") {
		t.Errorf("the diff does not show the new entry:\n%s", v)
	}
}

// A piece of evidence that supports more controls than the screen has
// lines (an AWS report supports most) names the first of them and counts
// the rest, rather than pushing the register off the screen.
func TestEvidenceDetailCountsWhatItCannotName(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS")
	it := model.EvidenceItem{EvidenceEntry: model.EvidenceEntry{ID: "aws:soc2", Title: "AWS SOC 2 Type 2 report", Owner: model.SupplierAWS}, Source: "soc2"}
	for i := range maxSupportsShown + 30 {
		it.Supports = append(it.Supports, model.Support{Control: fmt.Sprintf("C-%03d", i)})
	}
	text := strings.Join(h.m.evidence.detail(h.m, it, 100), "\n")
	if !strings.Contains(text, fmt.Sprintf("Supports %d:", len(it.Supports))) || !strings.Contains(text, "and 30 more") ||
		strings.Contains(text, fmt.Sprintf("C-%03d", maxSupportsShown)) {
		t.Fatalf("the detail of evidence supporting %d controls:\n%s", len(it.Supports), text)
	}
	if n := len(strings.Split(text, "\n")); n > 12 {
		t.Fatalf("the detail takes %d lines:\n%s", n, text)
	}
}
