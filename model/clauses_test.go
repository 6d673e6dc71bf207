package model_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Tests for the clause findings of the November 2026 catalog review
// (../shared/reference/catalog-review-2026-11.md); each names its finding.

func control(t *testing.T, cat *model.Catalog, id string) model.Control {
	t.Helper()
	c, ok := cat.Control(id)
	if !ok {
		t.Fatalf("no control %s", id)
	}
	return c
}

func cites(c model.Control, fw, clause string) bool {
	return slices.Contains(c.Refs, model.Ref{Framework: fw, Clause: clause})
}

func applies(cat *model.Catalog, scope model.Scope, sels []model.SelectedService, id string) bool {
	return slices.ContainsFunc(cat.Applicable(scope, sels), func(c model.Control) bool { return c.ID == id })
}

// C1: an open system is one whose access the people responsible for the
// records do not control (21 CFR 11.3(b)(9)), not one reachable from the
// internet; internet exposure brings SEC-09 and nothing of 11.30.
func TestOpenSystemIsTheRegulatoryTest(t *testing.T) {
	cat := defaultCatalog(t)
	sels := model.Select("ec2", "s3")
	closedOnline := model.Scope{Impact: model.ImpactDirect, InternetFacing: true}
	open := model.Scope{Impact: model.ImpactDirect, OpenSystem: true}

	if !applies(cat, closedOnline, sels, "SEC-09") {
		t.Error("an internet-facing system gets no protection of public endpoints (SEC-09)")
	}
	if applies(cat, open, sels, "SEC-09") {
		t.Error("SEC-09 applies because the system is open, not because it is internet-facing")
	}
	for _, c := range cat.Applicable(closedOnline, sels) {
		if cites(c, "21cfr11", "11.30") {
			t.Errorf("%s (11.30) applies to a closed system only because it is internet-facing", c.ID)
		}
	}
	if !applies(cat, open, sels, "SEC-08") || applies(cat, closedOnline, sels, "SEC-08") {
		t.Error("SEC-08 must apply exactly when the system is open")
	}
	sec08 := control(t, cat, "SEC-08")
	if strings.Contains(sec08.Question, "networks you do not control") || !strings.Contains(sec08.Question, "not controlled by the people responsible") {
		t.Errorf("SEC-08 does not ask the 11.3(b)(9) question: %q", sec08.Question)
	}
	if !strings.Contains(sec08.Guidance, "11.3(b)(9)") || !strings.Contains(sec08.Guidance, "closed") {
		t.Errorf("SEC-08's guidance does not explain closed versus open: %q", sec08.Guidance)
	}
	if cites(control(t, cat, "SEC-09"), "21cfr11", "11.30") {
		t.Error("SEC-09 (WAF, rate limits) cites 11.30 (m7)")
	}
}
