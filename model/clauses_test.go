package model_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Tests for the clause findings of the November 2026 catalog review
// (../shared/reference/catalog-review-2026-11.md); each names its finding.

func controlByID(t testing.TB, cat *model.Catalog, id string) model.Control {
	t.Helper()
	c, ok := cat.Control(id)
	if !ok {
		t.Fatalf("no control %s", id)
	}
	return c
}

func citesClause(c model.Control, fw, clause string) bool {
	return slices.Contains(c.Refs, model.Ref{Framework: fw, Clause: clause})
}

func appliesIn(cat *model.Catalog, scope model.Scope, sels []model.SelectedService, id string) bool {
	return slices.ContainsFunc(cat.Applicable(scope, sels), func(c *model.Control) bool { return c.ID == id })
}

// C1: an open system is one whose access the people responsible for the
// records do not control (21 CFR 11.3(b)(9)), not one reachable from the
// internet; internet exposure brings SEC-09 and nothing of 11.30.
func TestOpenSystemIsTheRegulatoryTest(t *testing.T) { checkC1OpenSystem(t, defaultCatalog(t)) }

func checkC1OpenSystem(t testing.TB, cat *model.Catalog) {
	sels := model.Select("ec2", "s3")
	closedOnline := model.Scope{Impact: model.ImpactDirect, InternetFacing: true}
	open := model.Scope{Impact: model.ImpactDirect, OpenSystem: true}

	if !appliesIn(cat, closedOnline, sels, "SEC-09") {
		t.Error("an internet-facing system gets no protection of public endpoints (SEC-09)")
	}
	if appliesIn(cat, open, sels, "SEC-09") {
		t.Error("SEC-09 applies because the system is open, not because it is internet-facing")
	}
	for _, c := range cat.Applicable(closedOnline, sels) {
		if citesClause(*c, "21cfr11", "11.30") {
			t.Errorf("%s (11.30) applies to a closed system only because it is internet-facing", c.ID)
		}
	}
	if !appliesIn(cat, open, sels, "SEC-08") || appliesIn(cat, closedOnline, sels, "SEC-08") {
		t.Error("SEC-08 must apply exactly when the system is open")
	}
	sec08 := controlByID(t, cat, "SEC-08")
	if strings.Contains(sec08.Question, "networks you do not control") || !strings.Contains(sec08.Question, "not controlled by the people responsible") {
		t.Errorf("SEC-08 does not ask the 11.3(b)(9) question: %q", sec08.Question)
	}
	if !strings.Contains(sec08.Guidance, "11.3(b)(9)") || !strings.Contains(sec08.Guidance, "closed") {
		t.Errorf("SEC-08's guidance does not explain closed versus open: %q", sec08.Guidance)
	}
	if citesClause(controlByID(t, cat, "SEC-09"), "21cfr11", "11.30") {
		t.Error("SEC-09 (WAF, rate limits) cites 11.30 (m7)")
	}
}

// M2, E7, m15: 11.200 and 11.300 as separate, correctly worded items, and
// the sub-paragraphs auditors cite as clause ids of their own.
func TestSignatureAndSubparagraphClauses(t *testing.T) {
	cat := defaultCatalog(t)
	part11 := model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}, ESignatures: true}
	sels := model.Select("lambda", "dynamodb")

	var es04 model.Control
	for _, c := range cat.Applicable(part11, sels) {
		if citesClause(*c, "21cfr11", "11.200(a)(1)(i)") {
			es04 = *c
		}
	}
	if es04.ID != "ES-04" || !strings.Contains(es04.Question, "only executable by, and designed to be used only by") {
		t.Errorf("choosing Part 11 does not ask 11.200(a)(1)(i) as written: %s %q", es04.ID, es04.Question)
	}
	if !strings.Contains(es04.Guidance, "never the user ID alone") {
		t.Errorf("ES-04's guidance lets a user ID alone pass later signings: %q", es04.Guidance)
	}

	// Each 11.300 paragraph is its own item: five distinct controls.
	owners := map[string]bool{}
	for _, p := range []string{"a", "b", "c", "d", "e"} {
		clause := "11.300(" + p + ")"
		var by []string
		for _, c := range cat.Controls {
			if citesClause(c, "21cfr11", clause) {
				by = append(by, c.ID)
			}
		}
		if len(by) != 1 {
			t.Errorf("%s is cited by %v, want exactly one item", clause, by)
			continue
		}
		owners[by[0]] = true
	}
	if len(owners) != 5 {
		t.Errorf("11.300(a)-(e) are folded into %d controls, want 5", len(owners))
	}
	for _, clause := range []string{"11.200(a)(1)(ii)", "11.200(a)(2)", "11.200(a)(3)", "11.200(b)"} {
		if !slices.ContainsFunc(cat.Applicable(part11, sels), func(c *model.Control) bool { return citesClause(*c, "21cfr11", clause) }) {
			t.Errorf("no applicable control asks %s", clause)
		}
	}
	es07 := controlByID(t, cat, "ES-07")
	if !strings.Contains(es07.Question, "two or more people") || !strings.Contains(es07.Question, "administrator") {
		t.Errorf("ES-07 does not ask 11.200(a)(3) collaboration: %q", es07.Question)
	}
	es11 := controlByID(t, cat, "ES-11")
	if !strings.Contains(es11.Question, "immediately and urgently") {
		t.Errorf("ES-11 drops 11.300(d)'s immediate and urgent reporting: %q", es11.Question)
	}
	if !strings.Contains(controlByID(t, cat, "ES-12").Question, "when first issued and periodically") {
		t.Error("ES-12 drops 11.300(e)'s initial and periodic testing")
	}

	// Parent ids that aggregated sub-paragraphs are gone; the sub-ids exist.
	fw := func(id string) model.Framework { f, _ := cat.Framework(id); return f }
	has := func(f model.Framework, id string) bool {
		return slices.ContainsFunc(f.Clauses, func(c model.Clause) bool { return c.ID == id })
	}
	for _, gone := range []string{"11.200", "11.300", "11.10(k)"} {
		if has(fw("21cfr11"), gone) {
			t.Errorf("21cfr11 still lists the aggregate %s", gone)
		}
	}
	for _, id := range []string{"11.10(k)(1)", "11.10(k)(2)"} {
		if !has(fw("21cfr11"), id) {
			t.Errorf("21cfr11 lacks %s", id)
		}
	}
	for _, id := range []string{"3.1", "3.2", "3.3", "3.4", "8.1", "8.2", "14(a)", "14(b)", "14(c)"} {
		if !has(fw("annex11"), id) {
			t.Errorf("annex11 lacks %s", id)
		}
	}
	for _, gone := range []string{"3", "8", "14"} {
		if has(fw("annex11"), gone) {
			t.Errorf("annex11 still lists the aggregate %s", gone)
		}
	}
}

// m1-m13: the mis-citations and wordings the review names, fixed.
func TestMiscitationsFixed(t *testing.T) {
	cat := defaultCatalog(t)
	for _, tc := range []struct {
		finding, control, fw, clause string
		want                         bool
	}{
		{"m1", "GOV-05", "21cfr11", "11.10(i)", false},
		{"m2", "GOV-01", "21cfr11", "11.10(a)", false},
		{"m2", "SUP-01", "21cfr11", "11.10(a)", false},
		{"m2", "SUP-03", "21cfr11", "11.10(a)", false},
		{"m3", "AC-02", "annex11", "12.2", false},
		{"m3", "AC-02", "annex11", "12.1", true},
		{"m4", "AC-03", "annex11", "12.3", false},
		{"m4", "AC-04", "annex11", "12.3", true},
		{"m5", "CHG-03", "annex11", "4.2", false},
		{"m6", "ENC-04", "21cfr11", "11.10(c)", false},
		{"m6", "ENC-04", "21cfr11", "11.10(d)", true},
		{"m7", "SEC-09", "21cfr11", "11.30", false},
		{"m8", "ES-04", "annex11", "14(a)", false},
		{"m8", "ES-05", "annex11", "14(a)", false},
		{"m10", "REC-05", "annex11", "8.2", true},
		{"m15", "SUP-05", "annex11", "3.1", true},
		{"m15", "SUP-01", "annex11", "3.2", true},
		{"m15", "SUP-04", "annex11", "3.3", true},
		{"m15", "SUP-06", "annex11", "3.4", true},
		{"m15", "ES-01", "annex11", "14(c)", true},
		{"m15", "ES-02", "annex11", "14(b)", true},
		{"m15", "REC-11", "21cfr11", "11.10(k)(1)", true},
	} {
		if got := citesClause(controlByID(t, cat, tc.control), tc.fw, tc.clause); got != tc.want {
			t.Errorf("%s: %s cites %s %s = %v, want %v", tc.finding, tc.control, tc.fw, tc.clause, got, tc.want)
		}
	}
	for _, tc := range []struct{ finding, control, field, want string }{
		{"m9", "AT-03", "title", "Infrastructure audit trail"},
		{"m9", "AT-03", "guidance", "does not replace it"},
		{"m10", "REC-05", "question", "supporting batch release"},
		{"m11", "REC-12", "question", "electronic signature"},
		{"m12", "ES-01", "guidance", "same controls as the record"},
		{"m13", "ES-02", "question", "handwritten signatures executed to electronic records"},
		{"m14", "ES-03", "guidance", "additional certification or testimony"},
		{"m14", "GOV-02", "guidance", "replaces a manual operation"},
	} {
		c := controlByID(t, cat, tc.control)
		text := map[string]string{"title": c.Title, "question": c.Question, "guidance": c.Guidance}[tc.field]
		if !strings.Contains(text, tc.want) {
			t.Errorf("%s: %s %s lacks %q: %q", tc.finding, tc.control, tc.field, tc.want, text)
		}
	}
}

// M3, M4: Annex 11 §4.3's system description and §4.7's assessment of test
// tools and environments are asked, not only the inventory and the tests.
func TestAnnex11SystemDescriptionAndTestTools(t *testing.T) {
	cat := defaultCatalog(t)
	scope := model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"annex11"}}
	asks := func(clause string, words ...string) bool {
		return slices.ContainsFunc(cat.Applicable(scope, model.Select("ec2")), func(c *model.Control) bool {
			if !citesClause(*c, "annex11", clause) {
				return false
			}
			for _, w := range words {
				if !strings.Contains(c.Question, w) {
					return false
				}
			}
			return true
		})
	}
	if !asks("4.3", "description", "data flows", "interfaces", "security measures") {
		t.Error("no applicable control asks for §4.3's system description")
	}
	if !asks("4.7", "test tools", "test environments", "adequate") {
		t.Error("no applicable control asks for §4.7's assessment of test tools and environments")
	}
}
