package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// The scope screen records the open-system test, internet-facing, the
// data categories and one edition per regulation, each saved at once.
func TestScopeEditionsOpenInternetAndData(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.newAssessment("LIMS")
	flat := func() string { return strings.Join(strings.Fields(h.view()), " ") }
	h.press("j", "j", "j", "j") // frameworks
	if !strings.Contains(flat(), "Which regulations, in which edition, the controls must answer to; none ticked means") {
		t.Fatalf("no frameworks help:\n%s", h.view())
	}
	h.press("right", "space") // annex11, the edition in force
	h.press("space")          // its next edition: the July 2025 draft
	a, _ := h.db.Get(h.m.a.ID)
	if !slices.Equal(a.Scope.Frameworks, []string{"annex11-2025d"}) {
		t.Fatalf("frameworks %v, want the draft alone", a.Scope.Frameworks)
	}
	if !strings.Contains(h.view(), "[x] annex11-2025d") {
		t.Errorf("the row does not name the edition:\n%s", h.view())
	}
	h.press("space") // the last edition: unticked
	h.press("left", "space")
	a, _ = h.db.Get(h.m.a.ID)
	if !slices.Equal(a.Scope.Frameworks, []string{"21cfr11"}) {
		t.Fatalf("frameworks %v", a.Scope.Frameworks)
	}
	h.press("j", "j") // open system
	if v := flat(); !strings.Contains(v, "(21 CFR 11.3(b)(9)); brings 11.30. A cloud system") || !strings.Contains(v, "closed, even if internet-facing") {
		t.Errorf("no open-system definition:\n%s", v)
	}
	h.press("j", "space") // internet-facing
	if !strings.Contains(flat(), "It does not make the system open.") {
		t.Errorf("no internet-facing help:\n%s", h.view())
	}
	h.press("j", "j", "right", "space") // data categories: personal
	a, _ = h.db.Get(h.m.a.ID)
	if !a.Scope.InternetFacing || a.Scope.OpenSystem || !slices.Equal(a.Scope.DataCategories, []model.DataCategory{model.DataPersonal}) {
		t.Fatalf("scope %+v", a.Scope)
	}
	for _, f := range []scopeField{fFrameworks, fOpenSystem, fInternetFacing, fDataCategories} {
		h.m.scope.field = f
		checkFits(t, h.m.View().Content, 80, 24)
	}
}

// The record inventory is a step after Scope while Part 11 is in effect:
// n adds an entry in a form, enter edits (a new data class renames it),
// d then y removes it, and each is an entry in the audit trail.
func TestRecordInventoryStep(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.newAssessment("LIMS")
	h.press("tab")
	if h.m.screen != screenRecords {
		t.Fatalf("tab from the scope went to screen %d", h.m.screen)
	}
	h.press("n")
	h.typeText("Batch record")
	h.press("tab")
	h.typeText("21 CFR 211.188")
	h.press("tab", "left") // a Part 11 record
	h.press("enter")
	if _, open := h.m.dialog().(*recordDialog); !open || !strings.Contains(h.view(), "NOT SAVED") {
		t.Fatalf("a Part 11 record without retention, system and inspection was not refused:\n%s", h.view())
	}
	h.press("tab")
	h.typeText("1 year after expiry")
	h.press("tab")
	h.typeText("MES")
	h.press("tab")
	h.typeText("read-only role")
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	want := model.RecordEntry{DataClass: "Batch record", PredicateRule: "21 CFR 211.188", Part11: true, Retention: "1 year after expiry",
		SystemOfRecord: "MES", Inspection: "read-only role"}
	if !slices.Equal(a.Records, []model.RecordEntry{want}) {
		t.Fatalf("records %+v", a.Records)
	}
	if !strings.Contains(h.view(), "Batch record: Part 11 record under 21 CFR 211.188") {
		t.Errorf("the entry's detail is not shown:\n%s", h.view())
	}
	// enter edits; a new name renames the entry.
	h.press("enter", "ctrl+u")
	h.typeText("Batch production record")
	h.press("enter")
	a, _ = h.db.Get(h.m.a.ID)
	if len(a.Records) != 1 || a.Records[0].DataClass != "Batch production record" || a.Records[0].Inspection != "read-only role" {
		t.Fatalf("after the rename: %+v", a.Records)
	}
	// d asks; n keeps, y removes.
	h.press("d")
	if _, ok := h.m.dialog().(*confirmDialog); !ok {
		t.Fatalf("d removed without asking:\n%s", h.view())
	}
	h.press("n")
	h.press("d", "y")
	a, _ = h.db.Get(h.m.a.ID)
	if len(a.Records) != 0 {
		t.Fatalf("y kept it: %+v", a.Records)
	}
	trail, _ := h.db.History(a.ID)
	var targets []string
	for _, e := range trail {
		if e.Action == model.ActRecord {
			targets = append(targets, e.Target)
		}
	}
	if want := []string{"records/Batch record", "records/Batch record", "records/Batch production record", "records/Batch production record"}; !slices.Equal(targets, want) {
		t.Errorf("record entries in the trail: %v, want %v", targets, want)
	}
	// ctrl+z takes the removal back.
	h.press("ctrl+z")
	if a, _ = h.db.Get(a.ID); len(a.Records) != 1 {
		t.Errorf("undo did not bring the entry back: %+v", a.Records)
	}

	// Without Part 11 the step goes, unless there is an inventory.
	h.tabTo("Scope")
	h.press("g", "j", "j", "j", "j", "right", "space") // annex11 alone
	if slices.ContainsFunc(h.m.steps(), func(s step) bool { return s.id == screenRecords }) != true {
		t.Error("the step went although the assessment has an inventory")
	}
	h.tabTo("Records")
	if !strings.Contains(h.view(), "not in this assessment's scope") {
		t.Errorf("the inventory does not say Part 11 is out of scope:\n%s", h.view())
	}
	h.press("d", "y")
	h.tabTo("Scope")
	if slices.ContainsFunc(h.m.steps(), func(s step) bool { return s.id == screenRecords }) || strings.Contains(h.view(), "Records") {
		t.Errorf("an Annex 11 assessment without an inventory has the step:\n%s", h.view())
	}
}

// A selected service's GAMP category is changed with C, needs a
// justification, shows in its stack's heading, and goes back to the
// catalog's.
func TestGAMPCategoryOfAService(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Services")
	h.press("/")
	h.typeText("rds")
	h.press("enter", "C")
	if _, ok := h.m.dialog().(*gampDialog); ok {
		t.Fatal("C opened the form on a service not selected")
	}
	h.press("space", "C")
	if _, ok := h.m.dialog().(*gampDialog); !ok {
		t.Fatalf("C opened no form:\n%s", h.view())
	}
	h.press("right", "right", "right", "enter") // category 4, no justification
	if _, ok := h.m.dialog().(*gampDialog); !ok || !strings.Contains(h.view(), "needs a justification") {
		t.Fatalf("a category without a justification was not refused:\n%s", h.view())
	}
	h.typeText("The engine's parameter groups carry our audit configuration.")
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if g := a.Services[0].GAMP; g == nil || g.Category != model.GAMPConfigured || !strings.HasPrefix(g.Justification, "The engine's") {
		t.Fatalf("GAMP %+v", a.Services[0].GAMP)
	}
	if !strings.Contains(h.view(), "container · GAMP 4‡") {
		t.Errorf("the stack's heading does not carry the category:\n%s", h.view())
	}
	h.press("v")
	if v := h.view(); !strings.Contains(v, "GAMP 4‡") {
		t.Errorf("the stacks do not carry it:\n%s", v)
	}
	h.press("esc", "C", "left", "left", "left", "enter") // back to the catalog's
	if a, _ = h.db.Get(a.ID); a.Services[0].GAMP != nil {
		t.Errorf("not cleared: %+v", a.Services[0].GAMP)
	}
}

// The question says which ALCOA+ attributes its control protects and
// whether automated evidence is available (and which), or that it is
// procedural.
func TestQuestionShowsAlcoaAndAutomatedEvidence(t *testing.T) {
	h := newHarness(t, 200, 50)
	h.workshop()
	cat := testCatalog(t)
	for _, id := range []string{"AT-01", "GOV-01"} {
		c, _ := cat.Control(id)
		if !h.m.questions.seekControl(h.m, id) {
			t.Fatalf("%s does not apply", id)
		}
		v := ansi.Strip(strings.Join(h.m.questions.detail(h.m, 60), " "))
		v = strings.Join(strings.Fields(v), " ")
		var labels []string
		for _, a := range c.Alcoa {
			labels = append(labels, a.Label())
		}
		if !strings.Contains(v, "ALCOA+: "+strings.Join(labels, ", ")) {
			t.Errorf("%s: no ALCOA+ attributes:\n%s", id, h.view())
		}
		switch {
		case c.Procedural:
			if !strings.Contains(v, "Procedural: no automated check evidences it") {
				t.Errorf("%s: not marked procedural:\n%s", id, h.view())
			}
		default:
			if !strings.Contains(v, "Automated evidence available: AWS Config "+c.Checks.Config[0]) {
				t.Errorf("%s: no automated evidence:\n%s", id, h.view())
			}
		}
	}
}

// The supplier form records a certificate's last surveillance audit.
func TestSupplierSurveillanceDate(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.newAssessment("LIMS")
	h.tabTo("Supplier")
	i := slices.IndexFunc(h.m.catalog().AWSSources(), func(s model.EvidenceSource) bool { return s.Freshness == model.FreshCertificate })
	h.m.supplier.cursor = i
	src := h.m.catalog().AWSSources()[i]
	h.press("enter", "down", "down")
	h.typeText("2027-06-30")
	h.press("down")
	h.typeText("2026-06-01")
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if len(a.Supplier) != 1 || a.Supplier[0].Source != src.ID || a.Supplier[0].Surveillance != "2026-06-01" {
		t.Fatalf("supplier records %+v", a.Supplier)
	}
	h.press("enter", "down", "down", "down", "ctrl+u")
	h.typeText("June")
	h.press("enter")
	if _, open := h.m.dialog().(*supplierDialog); !open || !strings.Contains(h.view(), "is not a date") {
		t.Errorf("a surveillance date that is no date was not refused:\n%s", h.view())
	}
}

// An assessment made with the catalog before the November review opens
// with the catalog in effect and says what a move changes for it; n
// leaves it, y moves it with its answers, recorded in the trail.
func TestOpeningAnAssessmentOfAnEarlierCatalog(t *testing.T) {
	src, _ := assets.Earlier("2026.11.0")
	old, err := model.ParseCatalog(src, "2026.11.0")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, 100, 30)
	a, err := h.db.Create(model.Assessment{Name: "LIMS", Catalog: old.Ref(), Services: model.Select("ec2", "rds"),
		Scope: model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}}})
	if err != nil {
		t.Fatal(err)
	}
	h.db.Answer(a.ID, model.Answer{Control: "AT-01", Status: model.StatusImplemented}, "")
	h.run(h.m.loadSummaries())
	h.press("enter")
	v := strings.Join(strings.Fields(h.view()), " ")
	for _, want := range []string{"made with catalog 2026.11.0", "come to apply", "REC-13", "change owner", "1 answer kept, none dropped"} {
		if !strings.Contains(v, want) && !(want == "REC-13" && strings.Contains(v, "more")) {
			t.Errorf("the offer lacks %q:\n%s", want, h.view())
		}
	}
	h.press("n")
	if got, _ := h.db.Get(a.ID); got.Catalog != old.Ref() {
		t.Fatal("n moved it")
	}
	h.goHome()
	h.press("enter", "y")
	got, _ := h.db.Get(a.ID)
	if cur := h.m.catalog(); got.Catalog != cur.Ref() || got.Answer("AT-01").Status != model.StatusImplemented {
		t.Fatalf("after y: catalog %+v, answers %v", got.Catalog, got.Answers)
	}
	trail, _ := h.db.History(a.ID)
	if e := trail[len(trail)-1]; e.Action != model.ActCatalog {
		t.Errorf("the last entry is %s", e.Action)
	}
	// Opened again, it asks nothing.
	h.goHome()
	h.press("enter")
	if h.m.dialog() != nil {
		t.Errorf("asked again after the move:\n%s", h.view())
	}

	// A catalog this onus does not know: what a move drops is said.
	b, _ := h.db.Create(model.Assessment{Name: "Other", Catalog: model.CatalogRef{Version: "2025.1.0", Hash: "unknown"}})
	h.goHome()
	h.m.home.cursor = slices.IndexFunc(h.m.summaries, func(s model.Summary) bool { return s.ID == b.ID })
	h.press("enter")
	if v := h.view(); !strings.Contains(v, "not one this onus knows") {
		t.Errorf("an unknown catalog:\n%s", v)
	}
}
