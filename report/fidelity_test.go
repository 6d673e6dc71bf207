package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// What a QA lead expects beside the matrix is in every human-readable
// report: the scope's open-system, internet-facing and data answers, each
// service's GAMP 5 category (and who chose it, why), the record inventory,
// coverage per ALCOA+ attribute, and the automated checks per control or
// "procedural".
func TestReportsCarryTheQALeadsView(t *testing.T) {
	in := fixtureInput(t)
	f := gather(in)
	md := render(t, "md", in)
	html := render(t, "html", in)
	csvRows := csvCells(t, in)

	for _, want := range []string{
		"| Open system (21 CFR 11.3(b)(9)) | no |", "| Internet-facing | yes |", "| Data categories | personal data |",
		"| Amazon EC2 | infrastructure | compute | 10 | Category 4: configured product — changed by this assessment: The EDMS runs on an image we build and configure to our document workflow. |",
		"| Amazon RDS | container | database | 8 | Category 1: infrastructure software — the catalog's default |",
		"| Controlled SOPs and batch documentation | 21 CFR 211.100, 211.186 | yes | 1 year after the expiry of the last batch | EDMS (Amazon RDS and S3) |",
		"| REC-01 Secure, time-stamped audit trail | cloudtrail-enabled, multi-region-cloudtrail-enabled | CloudTrail.1 | cloudtrail\\_multi\\_region\\_enabled |",
		"Procedural, evidenced by documents, tests and records only: SUP-01, VAL-02, OPS-02.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("md lacks %q", want)
		}
	}
	for _, c := range f.alcoa {
		row := fmt.Sprintf("| %s | %d | %d | %d |", c.Attribute.Label(), len(c.Controls), c.Answered, c.Implemented)
		if !strings.Contains(md, row) {
			t.Errorf("md lacks the ALCOA+ row %q", row)
		}
		cell := fmt.Sprintf(`<tr><th scope="row">%s</th><td class="num">%d</td><td class="num">%d</td><td class="num">%d</td>`,
			c.Attribute.Label(), len(c.Controls), c.Answered, c.Implemented)
		if !strings.Contains(html, cell) {
			t.Errorf("html lacks the ALCOA+ row %q", cell)
		}
	}
	for _, want := range []string{
		"Category 4: configured product — changed by this assessment", "<h2>Record inventory (21 CFR Part 11)</h2>",
		"read-only inspector role; PDF export with audit trail on request", "<h2>Data integrity (ALCOA+)</h2>",
		"<td>cloudtrail-enabled, multi-region-cloudtrail-enabled</td><td>CloudTrail.1</td><td>cloudtrail_multi_region_enabled</td>",
		"<strong>Procedural</strong>, evidenced by documents, tests and records only: SUP-01, VAL-02, OPS-02.",
		"<tr><th scope=\"row\">Internet-facing</th><td>yes</td></tr>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	col := func(name string) int { return slices.Index(csvHeader, name) }
	for id, want := range map[string][2]string{
		"REC-01": {"Attributable, Contemporaneous, Original", "AWS Config: cloudtrail-enabled, multi-region-cloudtrail-enabled; Security Hub: CloudTrail.1; Prowler: cloudtrail_multi_region_enabled"},
		"SUP-01": {"Consistent", "procedural"},
		"VAL-01": {"", ""},
	} {
		if got := [2]string{csvRows[id][col("ALCOA+")], csvRows[id][col("Automated evidence")]}; got != want {
			t.Errorf("csv %s: ALCOA+ and automated evidence %q, want %q", id, got, want)
		}
	}

	// A Part 11 assessment without an inventory says so in its scope.
	in.Assessment.Records = nil
	md = render(t, "md", in)
	if !strings.Contains(md, "| Record inventory | "+noRecordsText+" |") || strings.Contains(md, "## Record inventory") {
		t.Error("md: a Part 11 assessment without an inventory does not say so")
	}
	in.Assessment.Scope.Frameworks = []string{"annex11"}
	if md = render(t, "md", in); strings.Contains(md, "Record inventory") {
		t.Error("md: a record inventory line for an assessment without Part 11")
	}
}

func render(t *testing.T, format string, in Input) string {
	t.Helper()
	out, err := Render(format, in)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The trail says in words what a record entry and a move to another
// catalog changed.
func TestTrailWordsForRecordsAndCatalogMoves(t *testing.T) {
	raw := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	rec := model.RecordEntry{DataClass: "Batch record", PredicateRule: "21 CFR 211.188", Part11: true, Retention: "1 year", SystemOfRecord: "MES"}
	for _, c := range []struct {
		e    model.AuditEntry
		want string
	}{
		{model.AuditEntry{Action: model.ActRecord, New: raw(rec)}, "→ Part 11 record under 21 CFR 211.188; kept 1 year in MES"},
		{model.AuditEntry{Action: model.ActRecord, Old: raw(rec), New: raw(nil)}, "removed"},
		{model.AuditEntry{Action: model.ActCatalog, Old: raw(model.CatalogRef{Version: "2026.11.0"}),
			New: raw(model.CatalogMove{Catalog: model.CatalogRef{Version: "2026.12.0"}, Dropped: []string{"XX-01"}})},
			"catalog 2026.11.0 → 2026.12.0; answers dropped: XX-01"},
		{model.AuditEntry{Action: model.ActScope, New: raw(model.Scope{Impact: model.ImpactDirect, InternetFacing: true,
			DataCategories: []model.DataCategory{model.DataHealth}})},
			"→ direct impact; the editions in force; multi-tenant no; open system no; internet-facing yes; e-signatures no; data: health data"},
	} {
		if got := changeOf(c.e); got != c.want {
			t.Errorf("%s: %q, want %q", c.e.Action, got, c.want)
		}
	}
}
