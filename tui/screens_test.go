package tui

import (
	"bytes"
	"encoding/json"
	"image/color"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func TestHomeCreateOpenFilterDelete(t *testing.T) {
	h := newHarness(t, 100, 30)
	if !strings.Contains(h.view(), "No assessments yet") {
		t.Fatalf("empty home:\n%s", h.view())
	}
	h.newAssessment("LIMS on AWS")
	h.press("esc") // back home
	h.newAssessment("Data lake")
	h.press("esc")
	if got := len(h.m.summaries); got != 2 {
		t.Fatalf("%d assessments listed", got)
	}
	h.press("/")
	h.typeText("lims")
	h.press("enter")
	if vis := h.m.home.visible(h.m); vis.len() != 1 || vis.at(0).Name != "LIMS on AWS" {
		t.Fatalf("filter lims: %+v\n%s", vis, h.view())
	}
	h.press("esc") // clears the filter
	h.press("d")
	if !strings.Contains(h.view(), "Delete") {
		t.Fatal("no delete confirmation")
	}
	h.press("n") // keep it
	if len(h.m.summaries) != 2 {
		t.Fatal("deleted without confirmation")
	}
	h.press("d", "y")
	if len(h.m.summaries) != 1 {
		t.Fatalf("after confirmed delete: %d listed", len(h.m.summaries))
	}
	all, _ := h.db.List(true)
	if len(all) != 2 {
		t.Fatal("delete must be soft: the assessment stays in the file")
	}
	h.press("D")
	if len(h.m.summaries) != 2 || !strings.Contains(h.view(), "(baseline)") {
		t.Fatalf("duplicate:\n%s", h.view())
	}
}

func TestScopeFormSavesAndValidates(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS")
	h.press("down", "enter")
	h.typeText("Acme")
	h.press("enter") // saves the field
	h.press("down", "enter")
	h.typeText("LIMS 7")
	h.press("enter")
	h.press("down", "right")                 // GxP impact: direct → indirect
	h.press("down", "space")                 // frameworks: tick 21cfr11
	h.press("down", "space")                 // multi-tenant
	h.press("down", "down", "down", "space") // e-signatures, after open system and internet-facing
	a, _ := h.db.Get(h.m.a.ID)
	if a.Organisation != "Acme" || a.System != "LIMS 7" || a.Scope.Impact != model.ImpactIndirect ||
		!slices.Equal(a.Scope.Frameworks, []string{"21cfr11"}) || !a.Scope.MultiTenant || !a.Scope.ESignatures {
		t.Fatalf("stored scope: %+v / %+v", a, a.Scope)
	}
	// An empty name is refused, not saved, and the field stays open.
	h.press("g", "enter")
	for range len("LIMS") {
		h.press("backspace")
	}
	h.press("enter")
	if a, _ := h.db.Get(h.m.a.ID); a.Name != "LIMS" || !strings.Contains(h.view(), "NOT SAVED: Name is required") || !h.m.scope.editing {
		t.Fatalf("empty name saved or not reported: %q\n%s", a.Name, h.view())
	}
	// The message goes once the name is typed again; esc then asks
	// before it drops the typing.
	h.typeText("LIMS 2")
	if strings.Contains(h.view(), "NOT SAVED") {
		t.Fatalf("the message stayed after the problem was fixed:\n%s", h.view())
	}
	h.press("esc")
	if _, asking := h.m.dialog().(*confirmDialog); !asking {
		t.Fatalf("esc dropped the typing without asking:\n%s", h.view())
	}
	h.press("n", "enter")
	if a, _ := h.db.Get(h.m.a.ID); a.Name != "LIMS 2" {
		t.Fatalf("name %q", a.Name)
	}
}

func TestSupplierRecordsAndFlagsStale(t *testing.T) {
	h := newHarness(t, 120, 30)
	h.newAssessment("LIMS")
	h.press("tab", "tab")
	if h.m.screen != screenSupplier {
		t.Fatalf("tab from scope, then from records: screen %d", h.m.screen)
	}
	h.press("enter", "down", "down")
	h.typeText("2025-03-31")
	h.press("down", "down", "down", "ctrl+u") // the reviewer defaults to you
	h.typeText("Q. Reviewer")
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if len(a.Supplier) != 1 || a.Supplier[0].Reviewer != "Q. Reviewer" || a.Supplier[0].PeriodEnd != "2025-03-31" {
		t.Fatalf("supplier records: %+v", a.Supplier)
	}
	if !strings.Contains(h.view(), "⚠ STALE: superseded: the next report was due by 2025-11-14") {
		t.Fatalf("a SOC report covering up to March 2025 is stale once the next is due:\n%s", h.view())
	}
	// A bad date is refused and the form keeps what was typed.
	h.press("down", "enter", "ctrl+u")
	h.typeText("yesterday")
	h.press("enter")
	if !strings.Contains(h.view(), "NOT SAVED") || !strings.Contains(h.view(), "yesterday") {
		t.Fatalf("bad date:\n%s", h.view())
	}
}

func TestServicesSelectWithPreview(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	if h.m.screen != screenServices {
		t.Fatalf("screen %d", h.m.screen)
	}
	h.selectServices("ec2", "rds", "s3")
	a, _ := h.db.Get(h.m.a.ID)
	if got := a.ServiceIDs(); !slices.Equal(got, []string{"ec2", "rds", "s3"}) {
		t.Fatalf("selected %v", got)
	}
	if v := h.view(); !strings.Contains(v, "in the cloud") || !strings.Contains(v, "3 selected") {
		t.Fatalf("no stack preview:\n%s", v)
	}
	h.press("/")
	h.typeText("rds")
	h.press("enter", "space") // deselect
	a, _ = h.db.Get(h.m.a.ID)
	if got := a.ServiceIDs(); !slices.Equal(got, []string{"ec2", "s3"}) {
		t.Fatalf("after deselecting rds: %v", got)
	}
}

func TestQuestionsAnswerEvidenceJustification(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("ec2", "s3")
	h.press("tab")
	if h.m.screen != screenQuestions {
		t.Fatalf("screen %d", h.m.screen)
	}
	first := h.m.questions.current()
	h.press("1", "e", "enter") // no evidence yet: the register's list, then a new entry
	h.typeText("OQ report")
	h.press("down")
	h.typeText("OQ-042")
	h.press("enter", "esc")
	h.press("j", "5", "enter") // empty justification: refused
	if !strings.Contains(h.view(), "NOT SAVED") {
		t.Fatalf("n/a without justification:\n%s", h.view())
	}
	h.typeText("covered by the site QRM procedure")
	h.press("enter")
	second := h.m.questions.order[1]
	h.press("j", "4")
	a, _ := h.db.Get(h.m.a.ID)
	if ans, e := a.Answers[first], a.Register; ans.Status != model.StatusImplemented || len(ans.Links) != 1 || len(e) != 1 ||
		ans.Links[0].Entry != e[0].ID || e[0].DocumentID != "OQ-042" || e[0].Owner != model.SupplierCustomer {
		t.Fatalf("%s: %+v, register %+v", first, ans, e)
	}
	if ans := a.Answers[second]; ans.Status != model.StatusNotApplicable || ans.Justification != "covered by the site QRM procedure" {
		t.Fatalf("%s: %+v", second, ans)
	}
	if v := h.view(); !strings.Contains(v, "saved") || !strings.Contains(v, "Questions 3/") {
		t.Fatalf("no saved indicator or progress:\n%s", v)
	}
	// Drill-down to the layers of the current control.
	h.press("L")
	if v := h.view(); !strings.Contains(v, "Layers this control lives on") {
		t.Fatalf("no layers drill-down:\n%s", v)
	}
	h.press("esc", "u")
	if st := h.m.a.Answer(h.m.questions.current()).Status; st != model.StatusUnanswered {
		t.Fatalf("u went to an answered control (%s)", st)
	}
}

func TestSaveFailureKeepsInput(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("s3")
	h.press("tab", "o")
	h.typeText("draft note that must survive")
	h.db.Close() // the next save fails
	h.press("enter")
	v := h.view()
	if !strings.Contains(v, "NOT SAVED") || !strings.Contains(v, "draft note that must survive") {
		t.Fatalf("failed save lost the input:\n%s", v)
	}
}

func TestReviewJumpsToGapAndSignsOff(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("ec2")
	h.press("tab", "tab")
	if h.m.screen != screenReview || !strings.Contains(h.view(), "Gaps (") {
		t.Fatalf("review:\n%s", h.view())
	}
	gap := h.m.reviewS.gaps(h.m)[0]
	h.press("enter")
	if h.m.screen != screenQuestions || h.m.questions.current() != gap.Control {
		t.Fatalf("enter on gap %s went to screen %d, control %s", gap.Control, h.m.screen, h.m.questions.current())
	}
	h.press("tab", "w")
	if a, _ := h.db.Get(h.m.a.ID); a.Workflow != model.WorkflowInReview {
		t.Fatalf("w: workflow %s", a.Workflow)
	}
	h.signWith("reviewed and approved", "CAPA-1 closes them", 0)
	a, _ := h.db.Get(h.m.a.ID)
	if a.Workflow != model.WorkflowFinal || len(a.SignOffs) != 1 || a.SignOffs[0].By != "tester" || !a.SignOffs[0].Signed() {
		t.Fatalf("workflow %s, sign-offs %+v", a.Workflow, a.SignOffs)
	}
}

func TestStacksTrailExportHelpQuit(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("ec2", "rds", "s3")
	h.press("v")
	if v := h.view(); h.m.screen != screenStacks || !strings.Contains(v, "EC2") || !strings.Contains(v, "RDS") {
		t.Fatalf("stacks:\n%s", v)
	}
	h.press("space")
	if !strings.Contains(h.view(), "Solution stack") {
		t.Fatalf("solution toggle:\n%s", h.view())
	}
	h.press("esc", "t")
	if v := h.view(); h.m.screen != screenTrail || !strings.Contains(v, "✔ verified") || !strings.Contains(v, "services") {
		t.Fatalf("trail:\n%s", v)
	}
	h.goHome()
	h.press("x", "enter")
	if len(h.writes) != 1 {
		t.Fatalf("export wrote %d files; view:\n%s", len(h.writes), h.view())
	}
	for path, data := range h.writes {
		b, err := model.DecodeBundle(data)
		if err != nil || b.Verify() != nil || !strings.HasSuffix(path, ".json") {
			t.Fatalf("exported %s: %v", path, err)
		}
	}
	h.press("enter") // closes the export's result
	h.press("?")
	if !strings.Contains(h.view(), "Keys here: Home") {
		t.Fatalf("no full help:\n%s", h.view())
	}
	h.press("x", "q")
	if !h.quit || h.m.Interrupted() {
		t.Fatal("q did not quit")
	}
}

func TestCtrlCInterrupts(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS") // typing in a field: ctrl+c still quits
	h.press("ctrl+c")
	if !h.quit || !h.m.Interrupted() {
		t.Fatal("ctrl+c must quit as interrupted (exit 130)")
	}
}

func TestTooSmall(t *testing.T) {
	h := newHarness(t, 79, 24)
	if v := h.view(); !strings.Contains(v, "terminal too small (need 80x24)") {
		t.Fatalf("79x24:\n%s", v)
	}
	h.send(resize(80, 23))
	if !strings.Contains(h.view(), "terminal too small") {
		t.Fatal("80x23 must be too small")
	}
}

// x on the review screen opens the export dialog over it: the file goes
// to the export folder, its full path is shown, and the wizard stays on
// the review.
func TestExportFromReview(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS on AWS")
	id := h.m.a.ID
	h.press("tab", "tab", "tab", "tab", "tab")
	if h.m.screen != screenReview {
		t.Fatalf("screen %d", h.m.screen)
	}
	h.press("x")
	if _, ok := h.m.dialog().(*exportDialog); !ok || !strings.Contains(h.view(), "lims-on-aws-"+id+".json") {
		t.Fatalf("export dialog:\n%s", h.view())
	}
	h.press("right") // the next format renames the default file
	if !strings.Contains(h.view(), "lims-on-aws-"+id+".md") {
		t.Fatalf("format change:\n%s", h.view())
	}
	h.press("left", "enter")
	want := filepath.Join(h.dir, "lims-on-aws-"+id+".json")
	if _, ok := h.writes[want]; !ok || !strings.Contains(h.view(), "Written to:") {
		t.Fatalf("writes %v\n%s", h.writes, h.view())
	}
	h.press("enter")
	if h.m.screen != screenReview || h.m.dialog() != nil || h.m.a == nil {
		t.Fatalf("after the export: screen %d, dialog %v", h.m.screen, h.m.dialog())
	}
}

func TestTrailNewestFirstWithHashes(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("ec2")
	h.press("t")
	hist, _ := h.db.History(h.m.a.ID)
	head := hist[len(hist)-1]
	v := h.view()
	if h.m.screen != screenTrail || !strings.Contains(v, "✔ verified · head "+head.Hash[:8]) {
		t.Fatalf("trail:\n%s", v)
	}
	rows := strings.Split(v, "\n")
	first := slices.IndexFunc(rows, func(l string) bool { return strings.HasPrefix(l, "▸ ") })
	if first < 0 || !strings.Contains(rows[first], "services") || !strings.Contains(rows[first], head.Hash[:8]) {
		t.Fatalf("newest entry not first:\n%s", v)
	}
	h.press("j")
	if !strings.Contains(h.view(), "#1 create assessment by tester") {
		t.Fatalf("detail of the older entry:\n%s", h.view())
	}
	h.press("esc")
	if h.m.screen != screenServices {
		t.Fatalf("esc from the trail went to %d", h.m.screen)
	}
}

func TestReviewGapOpensSupplier(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Supplier")
	h.press("enter", "down", "down")
	h.typeText("2024-01-31") // a period that ended long ago: stale
	h.press("enter", "tab")
	h.selectServices("s3")
	h.press("tab", "tab")
	gaps := h.m.reviewS.gaps(h.m)
	i := slices.IndexFunc(gaps, func(g model.Gap) bool { return g.Kind == model.GapStaleSupplier })
	if i < 0 {
		t.Fatalf("no stale supplier gap in %+v", gaps)
	}
	for range i {
		h.press("down")
	}
	h.press("enter")
	src := h.m.catalog().AWSSources()[h.m.supplier.cursor]
	if h.m.screen != screenSupplier || src.ID != gaps[i].Source {
		t.Fatalf("enter on the stale gap: screen %d, source %s", h.m.screen, src.ID)
	}
}

func TestBackgroundRebuildsStyles(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.m.cfg.Colour = true
	h.send(tea.BackgroundColorMsg{Color: color.White})
	if h.m.isDark {
		t.Fatal("a white background is light")
	}
	light := h.m.styles.Owner[model.Customer].GetForeground()
	h.send(tea.BackgroundColorMsg{Color: color.Black})
	if !h.m.isDark || h.m.styles.Owner[model.Customer].GetForeground() == light {
		t.Fatal("styles not rebuilt for a dark background")
	}
}

func TestLayersDrillDownPages(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("ec2", "rds", "s3", "lambda", "dynamodb")
	h.press("tab", "L")
	v := h.view()
	if !strings.Contains(v, "Layers this control lives on") || !strings.Contains(v, "services 1–") {
		t.Fatalf("drill-down at 80x24:\n%s", v)
	}
	h.press("right")
	if h.m.questions.layerOf != 1 || !strings.Contains(h.view(), "services 2–") {
		t.Fatalf("paging:\n%s", h.view())
	}
	h.press("esc")
	if h.m.questions.mode != qBrowse || h.m.screen != screenQuestions {
		t.Fatal("esc must close the drill-down")
	}
}

// masked is the view with the random parts of ids and hashes replaced.
var hexRun = regexp.MustCompile(`[0-9a-f]{9,}`)

func (h *harness) masked() string {
	v := h.view()
	for _, s := range h.m.summaries {
		v = strings.ReplaceAll(v, s.ID, strings.Repeat("0", len(s.ID)))
	}
	if h.m.a == nil {
		return v
	}
	hist, _ := h.db.History(h.m.a.ID)
	for _, e := range hist {
		v = strings.ReplaceAll(v, e.Hash, strings.Repeat("#", len(e.Hash)))
		v = strings.ReplaceAll(v, e.Hash[:8], "########")
		v = strings.ReplaceAll(v, e.PrevHash, strings.Repeat("#", len(e.PrevHash)))
	}
	// A hash, whole or cut to the width of the screen ("4f1c…"): the
	// trail's, and the catalog's (which changes with every catalog edit).
	hashes := []string{h.m.catalog().Hash}
	for _, e := range hist {
		hashes = append(hashes, e.Hash)
	}
	v = hexRun.ReplaceAllStringFunc(v, func(run string) string {
		for _, hash := range hashes {
			if strings.Contains(hash, run) {
				return strings.Repeat("#", len(run))
			}
		}
		return run
	})
	// The signatures, which sign those hashes, as the trail's detail shows
	// them inside its JSON, cut into lines as wide as the screen.
	var sigs []string
	for _, so := range h.m.a.SignOffs {
		if j, err := json.Marshal(so.Signature); err == nil && so.Signature != "" {
			sigs = append(sigs, strings.Trim(string(j), `"`))
		}
	}
	v = maskAcrossLines(v, sigs)
	return strings.ReplaceAll(v, h.m.a.ID, strings.Repeat("0", len(h.m.a.ID)))
}

// maskAcrossLines replaces with # every byte of each secret in v, also
// where the screen's lines cut a secret in two.
func maskAcrossLines(v string, secrets []string) string {
	var flat []byte
	var at []int // where each byte of flat is in v
	for i := 0; i < len(v); i++ {
		if v[i] != '\n' {
			flat, at = append(flat, v[i]), append(at, i)
		}
	}
	out := []byte(v)
	for _, secret := range secrets {
		for off := 0; ; {
			k := bytes.Index(flat[off:], []byte(secret))
			if k < 0 {
				break
			}
			for p := off + k; p < off+k+len(secret); p++ {
				out[at[p]] = '#'
			}
			off += k + len(secret)
		}
	}
	return string(out)
}

// Opening an assessment again resumes where the user worked last: esc
// back home through the steps does not move it.
func TestReopenResumesWhereTheUserWas(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("s3")
	h.press("tab", "1", "j", "2", "j", "j")
	at := h.m.questions.current()
	h.goHome()
	if h.m.screen != screenHome || !strings.Contains(h.view(), "2/") {
		t.Fatalf("home:\n%s", h.view())
	}
	h.press("enter")
	if h.m.screen != screenQuestions || h.m.questions.current() != at {
		t.Fatalf("reopened on screen %d at %s, want questions at %s", h.m.screen, h.m.questions.current(), at)
	}
	// Without a kept place (a new file), it opens on the first question
	// not answered.
	h.m.state = stateWriter{}
	if err := h.db.SetWizardState(h.m.a.ID, store.WizardState{}); err != nil {
		t.Fatal(err)
	}
	h.press("esc", "enter")
	if h.m.screen != screenQuestions || h.m.questions.cursor != 2 {
		t.Fatalf("reopened on screen %d at question %d", h.m.screen, h.m.questions.cursor)
	}
}

// An assessment's own override, from the service picker: set with a
// justification, shown on the stack, refused without one, and cleared by
// choosing the catalog's owner again.
func TestServicesOverrideLayer(t *testing.T) {
	h := newHarness(t, 140, 45)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.selectServices("ec2")
	h.press("O")
	if !strings.Contains(h.view(), "Override a layer for this assessment") {
		t.Fatalf("no override form:\n%s", h.view())
	}
	layers := h.m.catalog().Layers
	os := slices.IndexFunc(layers, func(l model.Layer) bool { return l.ID == "os" })
	for range os {
		h.press("right")
	}
	h.press("down", "right", "right") // owner: aws, then shared
	h.press("down", "enter")          // no justification yet
	if !strings.Contains(h.view(), "NOT SAVED: an override needs a justification") {
		t.Fatalf("override without a justification:\n%s", h.view())
	}
	h.typeText("patched under contract MS-12")
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	want := model.ServiceOverride{Layer: "os", Owner: model.OwnerShared, Justification: "patched under contract MS-12"}
	if o := a.Services[0].Overrides; len(o) != 1 || o[0] != want {
		t.Fatalf("stored overrides %+v, want %+v", o, want)
	}
	if v := h.view(); h.m.dialog() != nil || !strings.Contains(v, "Shared‡") || !strings.Contains(v, "patched under contract MS-12") {
		t.Fatalf("after saving, the form is open or the stack does not show the override:\n%s", v)
	}
	// Reopened on the same layer it shows the override; the catalog's
	// owner again clears it.
	h.press("O")
	for range os {
		h.press("right")
	}
	if f, _ := h.m.dialog().(*overrideDialog); f == nil || f.owner != model.OwnerShared || f.why.text() != want.Justification {
		t.Fatalf("the form does not show the stored override: %+v", f)
	}
	h.press("down", "left", "left", "enter") // shared → aws → as the catalog
	a, _ = h.db.Get(h.m.a.ID)
	if len(a.Services[0].Overrides) != 0 || strings.Contains(h.view(), "Shared‡") {
		t.Fatalf("override not cleared: %+v\n%s", a.Services[0].Overrides, h.view())
	}
	// Only a selected service can be overridden.
	h.press("down", "O")
	if h.m.dialog() != nil || !strings.Contains(h.view(), "first (space)") {
		t.Fatalf("override form on a service not selected:\n%s", h.view())
	}
}

// d removes a supplier record after a y, which the trail keeps; n, or d
// on a source with no record, changes nothing.
func TestSupplierRecordRemoved(t *testing.T) {
	h := newHarness(t, 120, 30)
	h.newAssessment("LIMS")
	h.tabTo("Supplier")
	h.press("enter", "enter") // record the first source with its defaults
	if a, _ := h.db.Get(h.m.a.ID); len(a.Supplier) != 1 {
		t.Fatalf("supplier records: %+v", a.Supplier)
	}
	h.press("d")
	if !strings.Contains(h.view(), "Remove the record of") {
		t.Fatalf("no confirmation:\n%s", h.view())
	}
	h.press("n")
	if a, _ := h.db.Get(h.m.a.ID); len(a.Supplier) != 1 {
		t.Fatalf("n removed the record: %+v", a.Supplier)
	}
	h.press("down", "d")
	if strings.Contains(h.view(), "Remove the record of") {
		t.Fatalf("asked to remove a record that is not there:\n%s", h.view())
	}
	h.press("up", "d", "y")
	a, _ := h.db.Get(h.m.a.ID)
	if len(a.Supplier) != 0 {
		t.Fatalf("y kept the record: %+v", a.Supplier)
	}
	trail, _ := h.db.History(a.ID)
	if last := trail[len(trail)-1]; last.Action != model.ActSupplier || string(last.New) != "null" {
		t.Fatalf("the removal is not the last entry of the trail: %+v", last)
	}
	if !strings.Contains(h.view(), "removed the record of") {
		t.Fatalf("no saved message:\n%s", h.view())
	}
}
