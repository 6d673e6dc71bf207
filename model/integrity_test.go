package model_test

import (
	"slices"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// E3: every control names the ALCOA+ attributes it protects, and every
// attribute is protected by some control.
func TestNoControlLacksALCOATags(t *testing.T) {
	cat := defaultCatalog(t)
	used := map[model.Alcoa]bool{}
	for _, c := range cat.Controls {
		if len(c.Alcoa) == 0 {
			t.Errorf("%s names no ALCOA+ attribute", c.ID)
		}
		for _, a := range c.Alcoa {
			used[a] = true
		}
	}
	for _, a := range model.AlcoaAttributes {
		if !used[a] {
			t.Errorf("no control protects %s", a.Label())
		}
	}
	// The review's own examples.
	for id, want := range map[string][]model.Alcoa{
		"AT-01":  {model.AlcoaAttributable, model.AlcoaContemporaneous, model.AlcoaOriginal},
		"REC-03": {model.AlcoaEnduring, model.AlcoaAvailable},
		"OPS-06": {model.AlcoaEnduring, model.AlcoaAvailable},
		"REC-04": {model.AlcoaLegible, model.AlcoaComplete},
		"REC-06": {model.AlcoaAccurate},
	} {
		for _, a := range want {
			if !slices.Contains(controlByID(t, cat, id).Alcoa, a) {
				t.Errorf("%s does not protect %s", id, a.Label())
			}
		}
	}
}

func TestAlcoaCoverage(t *testing.T) {
	cat := defaultCatalog(t)
	a := &model.Assessment{Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("ec2", "rds"),
		Answers: map[string]model.Answer{
			"AT-01":  {Control: "AT-01", Status: model.StatusImplemented},
			"AT-04":  {Control: "AT-04", Status: model.StatusPartial},
			"REC-12": {Control: "REC-12", Status: model.StatusImplemented},
			"ES-01":  {Control: "ES-01", Status: model.StatusImplemented}, // not applicable: no e-signatures
		}}
	cov := cat.AlcoaCoverage(a)
	if len(cov) != len(model.AlcoaAttributes) {
		t.Fatalf("%d attributes covered, want %d", len(cov), len(model.AlcoaAttributes))
	}
	applicable := cat.Applicable(a.Scope, a.Services)
	for i, c := range cov {
		if c.Attribute != model.AlcoaAttributes[i] {
			t.Fatalf("attribute %d is %s, want %s", i, c.Attribute, model.AlcoaAttributes[i])
		}
		var want []string
		for _, ctrl := range applicable {
			if slices.Contains(ctrl.Alcoa, c.Attribute) {
				want = append(want, ctrl.ID)
			}
		}
		if !slices.Equal(c.Controls, want) {
			t.Errorf("%s: controls %v, want %v", c.Attribute, c.Controls, want)
		}
	}
	contemporaneous := cov[slices.Index(model.AlcoaAttributes, model.AlcoaContemporaneous)]
	// AT-01 implemented, AT-04 partial, REC-12 implemented (direct impact);
	// ES-01 is answered but does not apply, so it counts nowhere.
	if contemporaneous.Answered != 3 || contemporaneous.Implemented != 2 {
		t.Errorf("contemporaneous: %d answered, %d implemented; want 3 and 2", contemporaneous.Answered, contemporaneous.Implemented)
	}
	if slices.Contains(contemporaneous.Controls, "ES-01") {
		t.Error("coverage counts a control that does not apply")
	}
}

// E12: each control either names automated checks for its AWS-configuration
// part or is marked procedural, and the review's examples are there.
func TestAutomatedEvidence(t *testing.T) {
	cat := defaultCatalog(t)
	for _, c := range cat.Controls {
		if c.Checks.IsZero() == !c.Procedural {
			t.Errorf("%s: %d automated checks, procedural %v; want one or the other", c.ID, c.Checks.Count(), c.Procedural)
		}
	}
	for _, tc := range []struct {
		control string
		list    func(model.AutomatedChecks) []string
		id      string
	}{
		{"AC-05", func(a model.AutomatedChecks) []string { return a.Prowler }, "iam_root_mfa_enabled"},
		{"AC-05", func(a model.AutomatedChecks) []string { return a.Prowler }, "iam_user_mfa_enabled_console_access"},
		{"AT-03", func(a model.AutomatedChecks) []string { return a.Config }, "cloudtrail-enabled"},
		{"AT-03", func(a model.AutomatedChecks) []string { return a.SecurityHub }, "CloudTrail.1"},
		{"AT-03", func(a model.AutomatedChecks) []string { return a.Prowler }, "cloudtrail_multi_region_enabled"},
		{"AT-03", func(a model.AutomatedChecks) []string { return a.Prowler }, "cloudtrail_log_file_validation_enabled"},
		{"OPS-01", func(a model.AutomatedChecks) []string { return a.Prowler }, "rds_instance_backup_enabled"},
		{"OPS-01", func(a model.AutomatedChecks) []string { return a.Prowler }, "dynamodb_tables_pitr_enabled"},
		{"ENC-05", func(a model.AutomatedChecks) []string { return a.Prowler }, "s3_bucket_secure_transport_policy"},
	} {
		if !slices.Contains(tc.list(controlByID(t, cat, tc.control).Checks), tc.id) {
			t.Errorf("%s does not name %s", tc.control, tc.id)
		}
	}
	// Clauses no check can evidence: the e-signature and governance ones.
	for _, id := range []string{"ES-04", "GOV-01", "SUP-01", "REC-13", "CHG-08"} {
		if !controlByID(t, cat, id).Procedural {
			t.Errorf("%s is not marked procedural", id)
		}
	}
}
