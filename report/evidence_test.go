package report

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/onus-gxp/onus/model"
)

// section cuts a report from the line that starts with start up to the
// line that starts with end (or the end).
func section(t *testing.T, out []byte, start, end string) []byte {
	t.Helper()
	s := string(out)
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("no %q in the report", start)
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		s = s[:j]
	}
	return []byte(s)
}

// The evidence index annex, in Markdown and HTML: each piece of evidence
// once, with its currency and the controls it supports.
func TestEvidenceIndex(t *testing.T) {
	in := fixtureInput(t)
	for _, c := range []struct{ format, start, end string }{
		{"md", "## Annex: evidence index", "\n## "},
		{"html", `<section id="evidence-index">`, "</section>"},
	} {
		t.Run("index."+c.format, func(t *testing.T) {
			out, err := Render(c.format, in)
			if err != nil {
				t.Fatal(err)
			}
			idx := section(t, out, c.start, c.end)
			golden.RequireEqual(t, idx)
			// Every register entry and supplier record is a row, and each
			// names the controls that link it.
			f := gather(in)
			for _, it := range f.review.Register {
				if !strings.Contains(string(idx), it.ID) {
					t.Errorf("%s is not in the index", it.ID)
				}
			}
			for c, ans := range in.Assessment.Answers {
				if !slices.ContainsFunc(f.review.Applicable, func(x *model.Control) bool { return x.ID == c }) {
					continue
				}
				for _, l := range ans.Links {
					row := lineWith(string(idx), l.Entry)
					if !strings.Contains(row, c) {
						t.Errorf("the index row of %s does not name %s: %q", l.Entry, c, row)
					}
				}
			}
		})
	}
}

// lineWith is the first line of s holding id as a cell of its own.
func lineWith(s, id string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "| "+id+" ") || strings.Contains(l, `<td class="id">`+id+`</td>`) {
			return l
		}
	}
	return ""
}

// The CSV evidence matrix cites register ids: each control's row names
// every entry its answer links and every AWS report on file its AWS part
// expects.
func TestCSVCitesRegisterIDs(t *testing.T) {
	in := fixtureInput(t)
	rows := csvCells(t, in)
	col := slices.Index(csvHeader, "Evidence references")
	f := gather(in)
	cited := 0
	for _, r := range f.rows {
		for _, ci := range r.Chain {
			if _, ok := f.review.ItemOf(ci); !ok {
				continue
			}
			cited++
			if !strings.Contains(rows[r.Ctrl.ID][col], ci.ID+" ") {
				t.Errorf("%s: %q does not cite %s", r.Ctrl.ID, rows[r.Ctrl.ID][col], ci.ID)
			}
		}
	}
	if cited < 10 {
		t.Errorf("the fixture cites only %d pieces of evidence", cited)
	}
}

// A report recorded as stale flags every control relying on it in every
// format that carries the review: Markdown and HTML (the control's
// evidence and the gaps), the CSV (the control's row) and OSCAL (a risk
// on the control's finding). The JSON bundle is the exchange format, the
// assessment and its trail, not a review: it carries the stale record, so
// the review of what it holds flags the same controls, wherever it is
// imported. The OSCAL component definition holds no assessment.
func TestStaleReportFlagsEveryRelyingControlInEveryFormat(t *testing.T) {
	in := fixtureInput(t)
	for i, r := range in.Assessment.Supplier {
		if r.Source == "soc2" { // a year older: stale by the report's date
			in.Assessment.Supplier[i].PeriodStart, in.Assessment.Supplier[i].PeriodEnd = "2022-10-01", "2023-09-30"
		}
	}
	f := gather(in)
	var relying []string
	for _, r := range f.rows {
		if slices.Contains(r.Res.AWSEvidence, "soc2") && r.Ans.Status != model.StatusNotApplicable {
			relying = append(relying, r.Ctrl.ID)
		}
	}
	if len(relying) < 5 {
		t.Fatalf("only %v rely on SOC 2", relying)
	}
	render := func(format string) string {
		out, err := Render(format, in)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	md := render("md")
	gaps := section(t, []byte(md), "## Gaps and risks", "\n## ")
	for _, c := range relying {
		if !strings.Contains(lineWith(string(gaps), "medium")+string(gaps), "relies-on-stale-evidence | "+c) {
			t.Errorf("md: no stale-evidence gap for %s", c)
		}
		row := ""
		matrix := section(t, []byte(md), "## Responsibility matrix", "\n## ")
		for _, l := range strings.Split(string(matrix), "\n") {
			if strings.HasPrefix(l, "| "+c+" ") {
				row = l
			}
		}
		if !strings.Contains(row, "aws:soc2") || !strings.Contains(row, "STALE") {
			t.Errorf("md: the matrix row of %s does not show the stale report: %q", c, row)
		}
	}
	html := render("html")
	for _, c := range relying {
		if !strings.Contains(html, "<td>relies-on-stale-evidence</td><td>"+c+" ") {
			t.Errorf("html: no stale-evidence gap for %s", c)
		}
	}
	rows := csvCells(t, in)
	for _, c := range relying {
		if gap := rows[c][slices.Index(csvHeader, "Gap")]; !strings.Contains(gap, "relies on stale evidence: aws:soc2") {
			t.Errorf("csv: %s's gap is %q", c, gap)
		}
	}
	b, err := model.DecodeBundle([]byte(render("json")))
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON []string
	for _, g := range in.Catalog.Review(&b.Assessment, asOf(in)).Gaps {
		if g.Kind == model.GapStaleEvidence && strings.Contains(g.Detail, "aws:soc2") {
			fromJSON = append(fromJSON, g.Control)
		}
	}
	for _, c := range relying {
		if !slices.Contains(fromJSON, c) {
			t.Errorf("json: the review of the bundle does not flag %s", c)
		}
	}
	var ar struct {
		AR struct {
			Results []struct {
				Risks []struct {
					UUID, Title, Description string
					Props                    []oProp
				}
				Findings []struct {
					Target struct {
						TargetID string `json:"target-id"`
					}
					RelatedRisks []struct {
						RiskUUID string `json:"risk-uuid"`
					} `json:"related-risks"`
				}
			}
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal([]byte(render("oscal-ar")), &ar); err != nil {
		t.Fatal(err)
	}
	res := ar.AR.Results[0]
	staleRisk := map[string]string{} // control → its stale-evidence risk
	for _, r := range res.Risks {
		if slices.Contains(r.Props, prop("gap-kind", string(model.GapStaleEvidence))) && strings.Contains(r.Description, "aws:soc2") {
			staleRisk[strings.Fields(strings.TrimPrefix(r.Title, string(model.GapStaleEvidence)+": "))[0]] = r.UUID
		}
	}
	for _, c := range relying {
		u, ok := staleRisk[c]
		if !ok {
			t.Errorf("oscal-ar: no stale-evidence risk for %s", c)
			continue
		}
		for _, fd := range res.Findings { // an answered control's finding points at it
			if strings.TrimSuffix(fd.Target.TargetID, "_smt") == c && !slices.ContainsFunc(fd.RelatedRisks, func(x struct {
				RiskUUID string `json:"risk-uuid"`
			}) bool {
				return x.RiskUUID == u
			}) {
				t.Errorf("oscal-ar: %s's finding does not point at its stale-evidence risk", c)
			}
		}
	}
}
