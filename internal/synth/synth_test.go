package synth_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

func TestScaledCatalogValidates(t *testing.T) {
	base, err := model.ParseCatalog([]byte(minimal), "minimal")
	if err != nil {
		t.Fatal(err)
	}
	big := synth.Scale(base, 10)
	if len(big.Services) != 10*len(base.Services) || len(big.Controls) != 10*len(base.Controls) {
		t.Fatalf("%d services, %d controls", len(big.Services), len(big.Controls))
	}
	b, err := json.Marshal(big)
	if err != nil {
		t.Fatal(err)
	}
	back, err := model.ParseCatalog(b, "synthetic")
	if err != nil {
		t.Fatalf("synthetic catalog does not load: %v", err)
	}
	if _, ok := back.Service("ec2-x9"); !ok {
		t.Error("copy 9 of ec2 missing")
	}
}

const minimal = `schema: 1
version: "t"
name: t
layers:
  - {id: data, name: Data, owners: {infrastructure: customer, container: customer, abstracted: customer}}
frameworks: [{id: 21cfr11, name: Part 11, clauses: [{id: "11.10(e)", title: Audit trails}]}]
domains: [{id: records, name: Records}]
evidence: []
services:
  - {id: ec2, name: Amazon EC2, category: compute, model: infrastructure, resources: {cloudformation: [AWS::EC2::Instance], terraform: [aws_instance]}}
controls:
  - {id: R-1, domain: records, title: T, question: "Q?", refs: [{framework: 21cfr11, clause: "11.10(e)"}], layers: [data], criticality: high, applies_when: {services_any: [ec2]}}
`

func TestAssessmentsHaveValidTrails(t *testing.T) {
	cat, err := model.ParseCatalog([]byte(minimal), "minimal")
	if err != nil {
		t.Fatal(err)
	}
	bundles, err := synth.Assessments(cat, 3, 5, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(bundles) != 3 {
		t.Fatalf("%d bundles, want 3", len(bundles))
	}
	seen := map[string]bool{}
	for _, b := range bundles {
		if err := b.Verify(); err != nil {
			t.Errorf("%s: %v", b.Assessment.ID, err)
		}
		if seen[b.Assessment.ID] {
			t.Errorf("duplicate id %s", b.Assessment.ID)
		}
		seen[b.Assessment.ID] = true
		applicable := len(cat.Applicable(b.Assessment.Scope, b.Assessment.Services))
		if want := min(5, applicable); len(b.Assessment.Answers) != want || want == 0 {
			t.Errorf("%s: %d answers, want %d (of %d applicable)", b.Assessment.ID, len(b.Assessment.Answers), want, applicable)
		}
	}
}
