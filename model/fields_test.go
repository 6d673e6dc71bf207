package model_test

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Catalog validation of the fields the review added: framework editions,
// evidence freshness, ALCOA+ attributes and automated checks. Each case
// edits the minimal catalog and expects one problem, on the line to fix.
func TestCatalogFieldValidation(t *testing.T) {
	base := strings.Replace(string(readTestdata(t, "minimal.yaml")), "    name: 21 CFR Part 11\n", "    name: 21 CFR Part 11\n    edition: current\n", 1)
	const draft = `
  - id: 21cfr11-next
    family: 21cfr11
    name: 21 CFR Part 11
    edition: "proposed"
    draft: true
    clauses:
      - {id: "11.10(e)", title: Audit trails}
domains:`
	withFramework := func(fw string) string { return strings.Replace(base, "\ndomains:", fw, 1) }
	withControl := func(extra string) string { return base + extra }
	withEvidence := func(extra string) string {
		return strings.Replace(base, "  - {id: oq, name: Operational qualification, supplier: customer, kind: lifecycle}",
			"  - {id: oq, name: Operational qualification, supplier: customer, kind: lifecycle}\n"+extra, 1)
	}
	cases := []struct {
		name, src, want string
		line            int
	}{
		{"draft edition beside the one in force", withFramework(draft), "", 0},
		{"two editions in force", withFramework(strings.Replace(draft, "    draft: true\n", "", 1)),
			`frameworks "21cfr11" and "21cfr11-next" are both in force for "21cfr11"; mark all but one as draft`, 20},
		{"same edition twice", withFramework(strings.Replace(draft, `edition: "proposed"`, `edition: current`, 1)),
			`frameworks "21cfr11" and "21cfr11-next" are both edition "current" of "21cfr11"`, 23},
		{"edition missing in a shared family", withFramework(strings.Replace(draft, "    edition: \"proposed\"\n", "", 1)),
			`framework "21cfr11-next" shares family "21cfr11" with "21cfr11"; each edition must name itself`, 20},
		{"unknown ALCOA+ attribute", withControl("    alcoa: [attributable, timely]\n"),
			`control "REC-01": unknown ALCOA+ attribute "timely" (use attributable, legible, contemporaneous, original, accurate, complete, consistent, enduring or available)`, 38},
		{"ALCOA+ attribute twice", withControl("    alcoa: [original, original]\n"), `control "REC-01" names ALCOA+ attribute "original" twice`, 38},
		{"Config rule in Security Hub shape", withControl("    checks:\n      config: [CloudTrail.1]\n"),
			`control "REC-01": "CloudTrail.1" is not a config check identifier (like cloudtrail-enabled)`, 39},
		{"Security Hub control without number", withControl("    checks:\n      securityhub: [CloudTrail]\n"),
			`control "REC-01": "CloudTrail" is not a securityhub check identifier (like CloudTrail.1)`, 39},
		{"Prowler check with spaces", withControl("    checks:\n      prowler: [iam root mfa]\n"),
			`control "REC-01": "iam root mfa" is not a prowler check identifier (like cloudtrail_multi_region_enabled)`, 39},
		{"check twice", withControl("    checks:\n      prowler: [iam_root_mfa_enabled, iam_root_mfa_enabled]\n"),
			`control "REC-01" names prowler check "iam_root_mfa_enabled" twice`, 39},
		{"procedural and checked", withControl("    procedural: true\n    checks:\n      config: [cloudtrail-enabled]\n"),
			`control "REC-01" is marked procedural but names 1 automated checks`, 38},
		{"unknown freshness", withEvidence("  - {id: col, name: Letter, supplier: aws, kind: artifact-report, freshness: monthly}"),
			`evidence "col": unknown freshness "monthly" (use age, next-report or certificate)`, 25},
		{"report series without cadence", withEvidence("  - {id: soc, name: SOC, supplier: aws, kind: artifact-report, freshness: next-report, publish_days: 45}"),
			`evidence "soc": freshness next-report needs cadence_months, how often a new report is published`, 25},
		{"report series with valid_months", withEvidence("  - {id: soc, name: SOC, supplier: aws, kind: artifact-report, freshness: next-report, cadence_months: 6, valid_months: 12}"),
			`evidence "soc": freshness next-report is set by cadence_months and publish_days, not valid_months`, 25},
		{"cadence without a report series", withEvidence("  - {id: iso, name: ISO, supplier: aws, kind: artifact-report, freshness: certificate, cadence_months: 6}"),
			`evidence "iso": cadence_months and publish_days need freshness next-report`, 25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := model.ParseCatalog([]byte(tc.src), "edited.yaml")
			if tc.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			ce, ok := err.(*model.CatalogError)
			if !ok || len(ce.Problems) != 1 {
				t.Fatalf("want one problem, got %v", err)
			}
			if p := ce.Problems[0]; p.Msg != tc.want || p.Line != tc.line {
				t.Errorf("got  line %d: %s\nwant line %d: %s", p.Line, p.Msg, tc.line, tc.want)
			}
		})
	}
}
