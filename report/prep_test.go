package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/internal/xlsx"
	"github.com/onus-gxp/onus/model"
)

// The prep pack lists every applicable control once, under its owner, the
// role expected to answer it and its domain, with why and the evidence
// expected; the same in Markdown, HTML and the spreadsheet.
func TestPrepPackGroups(t *testing.T) {
	in := workshopInput(t)
	in.Assessment.Name = "LIMS <script>alert(1)</script> \x1b[31m"
	f := gather(in)
	md, err := PrepMarkdown(in)
	if err != nil {
		t.Fatal(err)
	}
	page, err := PrepHTML(in)
	if err != nil {
		t.Fatal(err)
	}
	book, err := PrepXLSX(in)
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	for _, r := range f.rows {
		if n := strings.Count(text, "**"+r.Ctrl.ID+" "); n != 1 {
			t.Errorf("%s listed %d times in Markdown", r.Ctrl.ID, n)
		}
		if !strings.Contains(string(page), "<dt>"+r.Ctrl.ID+" ") {
			t.Errorf("%s missing from the HTML", r.Ctrl.ID)
		}
	}
	// Owners in order, each with its roles and domains under it.
	cust, shared, inh := strings.Index(text, "## Customer: yours"), strings.Index(text, "## Shared:"), strings.Index(text, "## Inherited from AWS")
	if cust < 0 || shared < cust || (inh >= 0 && inh < shared) {
		t.Errorf("owner sections at %d, %d, %d", cust, shared, inh)
	}
	if !strings.Contains(text, "### Quality (QA lead)") || !strings.Contains(text, "#### Governance and quality system") || !strings.Contains(text, "*Evidence expected:*") {
		t.Errorf("no role, domain or evidence headings:\n%.2000s", text)
	}
	for _, out := range []string{text, string(page)} {
		if strings.Contains(out, "<script>") || strings.Contains(out, "\x1b") {
			t.Error("untrusted text reached the pack unescaped")
		}
	}
	wb, err := xlsx.Read(book)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := wb.Sheet(PrepSheet)
	if len(q.Rows) != len(f.rows)+1 || q.Cell(0, 0) != PrepColControl {
		t.Errorf("%d spreadsheet rows for %d controls", len(q.Rows), len(f.rows))
	}
	if m, ok := wb.Sheet(PrepMetaSheet); !ok || !m.Hidden || m.Cell(3, 1) != in.Catalog.Version || m.Cell(5, 1) != model.Head(in.Trail) {
		t.Errorf("meta sheet %+v", m)
	}
	if AnswerRole("nonsense") == "" || AnswerRole("access") != "IT security" {
		t.Error("roles")
	}
}

// The pack cleans a control's text on its own copy: the catalog, shared by
// every screen and export of the session, keeps its text as loaded.
func TestPrepPackLeavesTheCatalogAlone(t *testing.T) {
	in := workshopInput(t)
	f := gather(in)
	i := slices.IndexFunc(in.Catalog.Controls, func(c model.Control) bool { return c.ID == f.rows[0].Ctrl.ID })
	in.Catalog.Controls[i].Title = "Audit trail \x1b[31mred"
	for name, export := range map[string]func(Input) ([]byte, error){"html": PrepHTML, "xlsx": PrepXLSX} {
		if _, err := export(in); err != nil {
			t.Fatal(err)
		}
		if got := in.Catalog.Controls[i].Title; got != "Audit trail \x1b[31mred" {
			t.Errorf("the %s pack changed the catalog's control title to %q", name, got)
		}
	}
}
