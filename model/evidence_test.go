package model_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

func dateOf(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func evidenceByID(t *testing.T, cat *model.Catalog, id string) model.EvidenceSource {
	t.Helper()
	src, ok := cat.EvidenceSource(id)
	if !ok {
		t.Fatalf("no evidence source %s", id)
	}
	return src
}

// M23: AWS publishes SOC reports twice a year, in May and November, so a
// report is stale once the next one is due, not twelve months after its
// period; the period is the one printed on the report.
func TestSOCReportsGoStaleWhenTheNextIsDue(t *testing.T) {
	cat := defaultCatalog(t)
	for _, id := range []string{"soc1", "soc2", "soc3"} {
		src := evidenceByID(t, cat, id)
		sixMonths := model.SupplierRecord{Source: id, Obtained: "2025-11-20", PeriodStart: "2025-04-01", PeriodEnd: "2025-09-30", Status: model.SupplierAccepted}
		if stale, why := model.SupplierStale(src, sixMonths, dateOf("2026-05-01")); stale {
			t.Errorf("%s ending 30 September is stale on 1 May, before the next report is out: %s", id, why)
		}
		stale, why := model.SupplierStale(src, sixMonths, dateOf("2026-05-31"))
		if !stale || !strings.Contains(why, "2026-05-15") {
			t.Errorf("%s ending 30 September is still current at the end of the next May (%v, %q); want stale from mid-May", id, stale, why)
		}
		// A twelve-month period as printed (recent SOC 3s) changes nothing:
		// the next report is still due six months after this one's end.
		twelve := sixMonths
		twelve.PeriodStart = "2024-10-01"
		if s12, _ := model.SupplierStale(src, twelve, dateOf("2026-05-31")); !s12 {
			t.Errorf("%s with a twelve-month period escapes the rule", id)
		}
		// The March report is superseded by mid-November.
		march := model.SupplierRecord{Source: id, PeriodStart: "2025-10-01", PeriodEnd: "2026-03-31", Status: model.SupplierAccepted}
		if s, _ := model.SupplierStale(src, march, dateOf("2026-11-10")); s {
			t.Errorf("%s ending 31 March is stale before mid-November", id)
		}
		if s, why := model.SupplierStale(src, march, dateOf("2026-11-20")); !s || !strings.Contains(why, "2026-11-14") {
			t.Errorf("%s ending 31 March: stale %v (%q) on 20 November", id, s, why)
		}
		noPeriod := model.SupplierRecord{Source: id, Obtained: "2026-05-20", Status: model.SupplierReviewed}
		if s, why := model.SupplierStale(src, noPeriod, dateOf("2026-06-01")); !s || !strings.Contains(why, "as printed on the report") {
			t.Errorf("%s without its period: %v %q; the period must be recorded", id, s, why)
		}
	}
}

// M23: the Continued Operations Letter is a source with a short validity.
func TestContinuedOperationsLetter(t *testing.T) {
	cat := defaultCatalog(t)
	col := evidenceByID(t, cat, "soc-col")
	if col.Supplier != model.SupplierAWS || !strings.Contains(col.Description, "instead of a bridge or gap letter") {
		t.Errorf("soc-col: %+v", col)
	}
	letter := model.SupplierRecord{Source: "soc-col", PeriodEnd: "2026-01-15", Status: model.SupplierAccepted}
	if s, _ := model.SupplierStale(col, letter, dateOf("2026-04-10")); s {
		t.Error("a letter of 15 January is stale in April")
	}
	if s, _ := model.SupplierStale(col, letter, dateOf("2026-04-20")); !s {
		t.Error("a letter of 15 January is still current three months on")
	}
	if !slices.Contains(controlByID(t, cat, "SUP-02").AWSEvidence, "soc-col") {
		t.Error("SUP-02 does not list the Continued Operations Letter")
	}
}

// m29: ISO certificates by expiry and surveillance audit, not "period end
// plus twelve months".
func TestCertificatesByExpiryAndSurveillance(t *testing.T) {
	cat := defaultCatalog(t)
	for _, id := range []string{"iso9001", "iso27001", "iso27017", "iso27018", "iso27701", "iso22301"} {
		src := evidenceByID(t, cat, id)
		cert := model.SupplierRecord{Source: id, PeriodStart: "2024-11-01", PeriodEnd: "2027-10-31", Surveillance: "2025-10-20", Status: model.SupplierAccepted}
		if s, why := model.SupplierStale(src, cert, dateOf("2026-03-01")); s {
			t.Errorf("%s valid to 2027 with a recent surveillance audit is stale: %s", id, why)
		}
		if s, why := model.SupplierStale(src, cert, dateOf("2026-11-01")); !s || !strings.Contains(why, "surveillance") {
			t.Errorf("%s: surveillance audit a year overdue not flagged (%v %q)", id, s, why)
		}
		cert.Surveillance = "2027-09-01"
		if s, why := model.SupplierStale(src, cert, dateOf("2027-11-02")); !s || !strings.Contains(why, "expired") {
			t.Errorf("%s past its expiry: %v %q", id, s, why)
		}
	}
	fips := evidenceByID(t, cat, "fips140")
	cert := model.SupplierRecord{Source: "fips140", PeriodEnd: "2029-06-30", Status: model.SupplierAccepted}
	if s, _ := model.SupplierStale(fips, cert, dateOf("2028-01-01")); s {
		t.Error("a FIPS 140 certificate before its sunset date is stale")
	}
	if s, _ := model.SupplierStale(fips, cert, dateOf("2029-07-01")); !s {
		t.Error("a FIPS 140 certificate after its sunset date is current")
	}
}

// m28, m30, m31: SOC 2 covers privacy, SOC 3 is public, the missing sources
// exist and the weak AWS-evidence choices are replaced.
func TestEvidenceSourcesAndChoices(t *testing.T) {
	cat := defaultCatalog(t)
	if !strings.Contains(evidenceByID(t, cat, "soc2").Description, "privacy") {
		t.Error("SOC 2's description omits privacy (m28)")
	}
	if k := evidenceByID(t, cat, "soc3").Kind; k != model.KindPublicReport {
		t.Errorf("SOC 3 is a %s, want a public report (m28)", k)
	}
	for _, id := range []string{"fips140", "aws-services-in-scope", "aws-gdpr-dpa"} {
		if src := evidenceByID(t, cat, id); src.Supplier != model.SupplierAWS {
			t.Errorf("%s is supplied by %s (m31)", id, src.Supplier)
		}
	}
	for _, tc := range []struct {
		control, source string
		want            bool
	}{
		{"LC-05", "soc1", false}, {"LC-12", "soc1", false}, {"LC-12", "gxp-whitepaper", false},
		{"ENC-02", "fedramp", false}, {"ENC-02", "fips140", true},
		{"SUP-02", "aws-services-in-scope", true}, {"SUP-05", "aws-gdpr-dpa", true},
	} {
		if got := slices.Contains(controlByID(t, cat, tc.control).AWSEvidence, tc.source); got != tc.want {
			t.Errorf("%s lists %s as AWS evidence: %v, want %v", tc.control, tc.source, got, tc.want)
		}
	}
	for _, src := range cat.AWSSources() {
		if src.ValidMonths > 0 || src.CadenceMonths > 0 || src.Freshness != "" {
			if src.FreshnessRule() == "" {
				t.Errorf("%s goes stale but says nothing about how", src.ID)
			}
		}
	}
}
