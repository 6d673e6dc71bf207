package prep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/prep/preptest"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/store"
)

type fixture struct {
	cat  *model.Catalog
	db   *store.DB
	id   string
	pack []byte // the prep pack as onus wrote it
}

// newFixture makes an assessment with two answers, and its prep pack.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "Fran (facilitator)", Catalog: func() *model.Catalog { return cat },
		Now: func() time.Time { now = now.Add(time.Second); return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a, err := db.Create(model.Assessment{Name: "LIMS", Organisation: "Acme", Services: []model.SelectedService{{ID: "ec2"}, {ID: "rds"}, {ID: "s3"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ans := range []model.Answer{{Control: "GOV-01", Status: model.StatusImplemented}, {Control: "GOV-02", Status: model.StatusPartial}} {
		if _, err := db.Answer(a.ID, ans, ""); err != nil {
			t.Fatal(err)
		}
	}
	b, err := db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	pack, err := report.PrepXLSX(report.Input{Catalog: cat, Assessment: b.Assessment, Trail: b.Trail})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{cat: cat, db: db, id: a.ID, pack: pack}
}

func (fx *fixture) read(t *testing.T, data []byte) *Plan {
	t.Helper()
	b, err := fx.db.Export(fx.id)
	if err != nil {
		t.Fatal(err)
	}
	return Read(data, "filled.xlsx", fx.cat, b)
}

// meta and filled build packs as a respondent's spreadsheet would.
var (
	meta   = preptest.Meta
	filled = preptest.Filled
)

// The pack as written: the questions that apply, answer columns with a
// status list, the header frozen, and a hidden sheet naming the
// assessment, the catalog and the trail entry it was made from.
func TestPackAsWritten(t *testing.T) {
	fx := newFixture(t)
	f, err := excelize.OpenReader(bytes.NewReader(fx.pack))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetSheetVisible(report.PrepMetaSheet); v {
		t.Error("the onus sheet is visible")
	}
	b, _ := fx.db.Export(fx.id)
	want := map[string]string{report.PrepMetaFormat: report.PrepFormat, report.PrepMetaAssessment: fx.id,
		report.PrepMetaCatalog: fx.cat.Version, report.PrepMetaHead: model.Head(b.Trail), report.PrepMetaSeq: "3"}
	for _, r := range meta(t, fx.pack) {
		if w, ok := want[r[0]]; ok && r[1] != w {
			t.Errorf("%s = %q, want %q", r[0], r[1], w)
		}
		delete(want, r[0])
	}
	if len(want) > 0 {
		t.Errorf("the hidden sheet lacks %v", want)
	}
	rows, _ := f.GetRows(report.PrepSheet)
	applicable := fx.cat.Applicable(b.Assessment.Scope, b.Assessment.Services)
	if len(rows) != len(applicable)+1 {
		t.Errorf("%d rows for %d applicable controls", len(rows), len(applicable))
	}
	status := slices.Index(rows[0], report.PrepColStatus)
	for _, r := range rows[1:] {
		if r[0] == "GOV-01" && r[status] != "implemented" {
			t.Errorf("GOV-01's status column %q: the answer held is filled in", r[status])
		}
	}
	p, err := f.GetPanes(report.PrepSheet)
	if err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes %+v %v", p, err)
	}
	dv, err := f.GetDataValidations(report.PrepSheet)
	if err != nil || len(dv) != 1 || dv[0].Type != "list" || !strings.HasPrefix(dv[0].Sqref, "K2:K") ||
		dv[0].Formula1 != `"implemented,partial,planned,not-implemented,not-applicable"` {
		t.Errorf("validations %v %v", dv, err)
	}
	// Grouped by owner: every customer row before every shared one.
	owner := slices.Index(rows[0], "Owner")
	last := ""
	for _, r := range rows[1:] {
		if r[owner] == model.Customer.Label() && last == model.Shared.Label() {
			t.Fatalf("a customer row after a shared one")
		}
		last = r[owner]
	}
}

// A pack filled in another program, with a spreadsheet user's quirks
// (extra spaces, lower-case and label statuses, a deleted column, added
// rows), reads back: a preview of the changes, the conflict with an
// answer given since the pack was made left for a decision, and each
// accepted row recorded by the respondent with the file's SHA-256.
func TestRoundTripFilledElsewhere(t *testing.T) {
	fx := newFixture(t)
	// After the pack went out, someone answered GOV-01 and GOV-02 in the
	// wizard.
	for _, ans := range []model.Answer{{Control: "GOV-01", Status: model.StatusPlanned}, {Control: "GOV-02", Status: model.StatusPlanned}} {
		if _, err := fx.db.As("Sam (system owner)").Answer(fx.id, ans, ""); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := fx.db.History(fx.id)
	// The Why, Your part and other columns deleted; headers with spaces.
	rows := [][]string{
		{"Control", "Title", " Question", "  Status ", "Justification", "Evidence", "Notes  "},
		{"GOV-01", "Quality system", "…", "implemented"}, // as the pack gave it: not the respondent's change
		{"  gov-03 ", "", "", " Implemented ", "", "QMS manual | QM-001 | 3 | 2026-01-10 | DMS/QM-001\nTraining SOP", "  reviewed in the workshop  "},
		{"GOV-02", "", "", "not implemented"},       // conflicts with Sam's answer
		{"", "", "Ask Sam about the backup window"}, // a row the respondent added
		{"GOV-04", "", "", "Not Applicable", "  no staff are trained on this system "},
		{},
		{"GOV-05", "", "", "PARTIAL", "", "", "second pass"}, // added after a blank row
	}
	data := filled(t, meta(t, fx.pack), rows)
	plan := fx.read(t, data)
	if len(plan.Problems) > 0 {
		t.Fatalf("problems: %v", plan.Problems)
	}
	sum := sha256.Sum256(data)
	if plan.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("sha256 %s", plan.SHA256)
	}
	if plan.Unchanged != 1 || len(plan.Changes) != 4 || len(plan.Conflicts()) != 1 {
		t.Fatalf("unchanged %d, changes %+v", plan.Unchanged, plan.Changes)
	}
	c := plan.Conflicts()[0]
	if c.New.Control != "GOV-02" || c.Row != 4 || c.ChangedBy != "Sam (system owner)" || c.Old.Status != model.StatusPlanned || c.New.Status != model.StatusNotImplemented {
		t.Errorf("conflict %+v", c)
	}
	got := map[string]model.Answer{}
	for _, a := range plan.Accepted(nil) {
		got[a.Control] = a
	}
	g3 := got["GOV-03"]
	if g3.Status != model.StatusImplemented || g3.Notes != "reviewed in the workshop" || len(g3.Evidence) != 2 ||
		g3.Evidence[0] != (model.EvidenceRef{Title: "QMS manual", DocumentID: "QM-001", Version: "3", Date: "2026-01-10", Location: "DMS/QM-001", Supplier: model.SupplierCustomer}) ||
		g3.Evidence[1].Title != "Training SOP" {
		t.Errorf("GOV-03 %+v", g3)
	}
	if g4 := got["GOV-04"]; g4.Status != model.StatusNotApplicable || g4.Justification != "no staff are trained on this system" {
		t.Errorf("GOV-04 %+v", g4)
	}
	if _, ok := got["GOV-02"]; ok || got["GOV-05"].Status != model.StatusPartial {
		t.Errorf("accepted %v", got)
	}

	if _, _, err := Apply(fx.db, plan, "Quinn (QA lead)", nil); err != nil {
		t.Fatal(err)
	}
	after, _ := fx.db.History(fx.id)
	added := after[len(before):]
	answers := 0
	for _, e := range added { // the answers, and GOV-03's evidence filed in the register
		if e.Actor != "Quinn (QA lead)" {
			t.Errorf("entry %+v", e)
		}
		if e.Action == model.ActAnswer {
			answers++
			if !strings.Contains(e.Reason, "filled.xlsx") || !strings.Contains(e.Reason, plan.SHA256) {
				t.Errorf("entry %+v", e)
			}
		}
	}
	if answers != 3 {
		t.Fatalf("%d answers recorded, want 3", answers)
	}
	a, _ := fx.db.Get(fx.id)
	if refs := a.EvidenceRefs("GOV-03"); len(refs) != 2 || refs[0].DocumentID != "QM-001" {
		t.Errorf("GOV-03's evidence %+v", refs)
	}
	if a.Answer("GOV-01").Status != model.StatusPlanned || a.Answer("GOV-02").Status != model.StatusPlanned || a.Answer("GOV-03").UpdatedBy != "Quinn (QA lead)" {
		t.Errorf("GOV-02 %+v GOV-03 %+v", a.Answer("GOV-02"), a.Answer("GOV-03"))
	}

	// The conflict decided for the file: read again, take GOV-02.
	plan = fx.read(t, data)
	if len(plan.Changes) != 1 || !plan.Changes[0].Conflict {
		t.Fatalf("second read %+v", plan.Changes)
	}
	if _, _, err := Apply(fx.db, plan, "Quinn (QA lead)", []string{"GOV-02"}); err != nil {
		t.Fatal(err)
	}
	if a, _ := fx.db.Get(fx.id); a.Answer("GOV-02").Status != model.StatusNotImplemented {
		t.Errorf("GOV-02 %+v", a.Answer("GOV-02"))
	}
}

// A file with errors writes nothing, and names each error by sheet, row
// and column.
func TestErrorsNamedNothingWritten(t *testing.T) {
	fx := newFixture(t)
	rows := [][]string{
		{"Control", "Status", "Justification", "Evidence"},
		{"GOV-03", "implemnted"},
		{"GOV-04", "not-applicable"},
		{"NOPE-99", "implemented"},
		{"GOV-05", "partial", "", "Plan|P-1|1|10/01/2026"},
		{"", "partial"},
		{"GOV-06", "partial"}, // fine, but the file has errors
		{"GOV-06", "planned"},
	}
	plan := fx.read(t, filled(t, meta(t, fx.pack), rows))
	want := []string{
		`sheet Questions, row 2, column B (Status): "implemnted" is not a status`,
		`sheet Questions, row 3, column C (Justification): not-applicable needs a justification`,
		`sheet Questions, row 4, column A (Control): "NOPE-99" is not a control`,
		`sheet Questions, row 5, column D (Evidence): evidence "Plan": date "10/01/2026" is not YYYY-MM-DD`,
		`sheet Questions, row 6, column A (Control): an answer with no control`,
		`sheet Questions, row 8, column A (Control): GOV-06 is answered twice (also row 7)`,
	}
	if len(plan.Problems) != len(want) {
		t.Fatalf("problems %v", plan.Problems)
	}
	for i, w := range want {
		if got := plan.Problems[i].String(); !strings.HasPrefix(got, w) {
			t.Errorf("problem %d: %q, want %q", i, got, w)
		}
	}
	before, _ := fx.db.History(fx.id)
	if _, _, err := Apply(fx.db, plan, "Quinn", nil); err == nil {
		t.Error("a file with errors was applied")
	}
	if after, _ := fx.db.History(fx.id); len(after) != len(before) {
		t.Error("something was written")
	}

	// A deleted Status column, a pack of another assessment, a trail
	// point the assessment does not hold.
	noStatus := fx.read(t, filled(t, meta(t, fx.pack), [][]string{{"Control", "Notes"}, {"GOV-03", "x"}}))
	if len(noStatus.Problems) != 1 || !strings.Contains(noStatus.Problems[0].String(), `sheet Questions, row 1: the header has no "Status" column`) {
		t.Errorf("no status column: %v", noStatus.Problems)
	}
	for key, bad := range map[string]string{report.PrepMetaAssessment: "06aaaaaaaaaaaaaa", report.PrepMetaHead: strings.Repeat("0", 64)} {
		m := meta(t, fx.pack)
		for _, r := range m {
			if r[0] == key {
				r[1] = bad
			}
		}
		p := fx.read(t, filled(t, m, rows[:2]))
		if len(p.Problems) != 1 || p.Problems[0].Sheet != report.PrepMetaSheet || p.Problems[0].Column != "B" {
			t.Errorf("%s changed: %v", key, p.Problems)
		}
	}
}
