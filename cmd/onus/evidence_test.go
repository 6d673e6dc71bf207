package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// onus evidence add prints the new entry's id; link and unlink record a
// change per control; list shows each entry with its currency and the
// controls it supports, or JSON; mistakes are usage errors or name what
// is wrong. onus answer --evidence files its text in the register, an
// identical entry reused.
func TestCLIEvidence(t *testing.T) {
	env, _ := storeEnv(t)
	id := newAssessment(t, env, "--name", "LIMS", "--services", "ec2,s3").ID

	out, errs := mustOnus(t, env, "evidence", "add", id, "--title", "Configuration specification", "--doc", "CS-12", "--version", "2.1",
		"--date", "2026-09-01", "--location", "DMS/QA/CS-12", "--kind", "specification")
	if out != "E1\n" || !strings.Contains(errs, "saved: E1") {
		t.Fatalf("add printed %q, %q", out, errs)
	}
	out, _ = mustOnus(t, env, "evidence", "add", id, "--title", "AWS SOC 2 Type 2", "--owner", "aws", "--kind", "report",
		"--period", "2025-10-01..2026-03-31", "--location", "AWS Artifact", "--valid-until", "2026-01-01")
	if out != "E2\n" {
		t.Fatalf("the second add printed %q", out)
	}
	failsOnus(t, env, exitUsage, []string{"needs a title"}, "evidence", "add", id)
	failsOnus(t, env, exitUsage, []string{"unknown owner"}, "evidence", "add", id, "--title", "x", "--owner", "vendor")
	failsOnus(t, env, exitUsage, []string{"unknown kind"}, "evidence", "add", id, "--title", "x", "--kind", "memo")
	failsOnus(t, env, exitUsage, []string{"--period is FROM..TO"}, "evidence", "add", id, "--title", "x", "--period", "2025-10-01")
	failsOnus(t, env, exitUsage, []string{"ends (2025-01-01) before it starts"}, "evidence", "add", id, "--title", "x", "--period", "2026-01-01..2025-01-01")
	failsOnus(t, env, exitError, []string{`no assessment "nope"`}, "evidence", "add", "nope", "--title", "x")

	mustOnus(t, env, "evidence", "link", id, "E1", "REC-01", "REC-02", "--note", "§4.2")
	mustOnus(t, env, "evidence", "link", id, "E2", "REC-01")
	failsOnus(t, env, exitError, []string{`no evidence entry "E9"`}, "evidence", "link", id, "E9", "REC-01")
	failsOnus(t, env, exitError, []string{`unknown control "REC-1"`, "REC-01"}, "evidence", "link", id, "E1", "REC-1")
	failsOnus(t, env, exitUsage, []string{"usage: onus evidence link ID ENTRY CONTROL..."}, "evidence", "link", id, "E1")
	mustOnus(t, env, "evidence", "unlink", id, "E1", "REC-02")
	failsOnus(t, env, exitError, []string{"REC-02 does not link to E1"}, "evidence", "unlink", id, "E1", "REC-02")
	failsOnus(t, env, exitUsage, []string{"add, list, link or unlink"}, "evidence")
	failsOnus(t, env, exitUsage, []string{`unknown evidence subcommand "lst"`, `"list"`}, "evidence", "lst", id)

	// answer --evidence: the same text as E1 is E1; new text a new entry.
	mustOnus(t, env, "answer", id, "ACC-01", "--status", "implemented",
		"--evidence", "Configuration specification|CS-12|2.1|2026-09-01|DMS/QA/CS-12|customer", "--evidence", "Access SOP|SOP-7")

	out, _ = mustOnus(t, env, "evidence", "list", id, "--json")
	reg := decodeJSON[[]model.EvidenceItem](t, out)
	var ids []string
	supports := map[string][]string{}
	for _, it := range reg {
		ids = append(ids, it.ID)
		for _, s := range it.Supports {
			supports[it.ID] = append(supports[it.ID], s.Control)
		}
	}
	if !slices.Equal(ids, []string{"E1", "E2", "E3"}) || !slices.Equal(supports["E1"], []string{"REC-01", "ACC-01"}) ||
		!slices.Equal(supports["E2"], []string{"REC-01"}) || !slices.Equal(supports["E3"], []string{"ACC-01"}) {
		t.Fatalf("register %v, supports %v", ids, supports)
	}
	if e2 := reg[1]; !e2.Stale || e2.PeriodStart != "2025-10-01" || e2.Owner != model.SupplierAWS {
		t.Errorf("E2 %+v: want a stale AWS report for its period", e2)
	}
	out, _ = mustOnus(t, env, "evidence", "list", id)
	for _, want := range []string{"ID  ", "E1  customer  specification  Configuration specification  current", "STALE: due for review", "REC-01,ACC-01"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	var actions []string
	for _, e := range historyOf(t, env, id)[1:] {
		actions = append(actions, e.Action+" "+e.Target)
	}
	want := []string{"evidence-entry evidence/E1", "evidence-entry evidence/E2", "evidence-links links/REC-01", "evidence-links links/REC-02",
		"evidence-links links/REC-01", "evidence-links links/REC-02", "answer answer/ACC-01", "evidence-entry evidence/E3", "evidence-links links/ACC-01"}
	if !slices.Equal(actions, want) {
		t.Errorf("history:\n%q\nwant\n%q", actions, want)
	}
	if out, _ := mustOnus(t, env, "verify", id); !strings.Contains(out, "ok") {
		t.Errorf("verify: %s", out)
	}
}

// onus new --data and --programmes record the scope facts that decide
// which AWS reports an assessment needs; unknown ones are refused.
func TestCLINewReportNeeds(t *testing.T) {
	env, _ := storeEnv(t)
	a := newAssessment(t, env, "--name", "Shop", "--data", "payment-card,personal")
	if !slices.Equal(a.Scope.DataCategories, []model.DataCategory{model.DataPaymentCard, model.DataPersonal}) {
		t.Errorf("scope %+v", a.Scope)
	}
	failsOnus(t, env, exitUsage, []string{`unknown data category "cards"`}, "new", "--name", "X", "--data", "cards")
	failsOnus(t, env, exitError, []string{`unknown programme "fedramp"`}, "new", "--name", "X", "--programmes", "fedramp")
	// The embedded catalog names the programmes.
	env["ONUS_CATALOG"] = ""
	out, _ := mustOnus(t, env, "new", "--name", "Federal", "--programmes", "us-federal", "--json")
	if a := decodeJSON[model.Assessment](t, out); !slices.Equal(a.Scope.Programmes, []string{"us-federal"}) {
		t.Errorf("scope %+v", a.Scope)
	}
}

// onus diff covers the register: the entries added or changed, each
// answer's links with the entries' titles, the reports' relevance.
func TestCLIDiffShowsTheRegister(t *testing.T) {
	env, _ := storeEnv(t)
	id := newAssessment(t, env, "--name", "LIMS", "--services", "ec2,s3").ID
	mustOnus(t, env, "evidence", "add", id, "--title", "Configuration specification", "--doc", "CS-12", "--version", "2.0")
	mustOnus(t, env, "milestone", id, "m1")
	mustOnus(t, env, "evidence", "add", id, "--title", "OQ report", "--doc", "OQ-042")
	mustOnus(t, env, "evidence", "link", id, "E2", "REC-01", "--note", "§5")
	out, _ := mustOnus(t, env, "diff", id+"@m1", id, "--json")
	d := decodeJSON[model.Diff](t, out)
	if len(d.Register) != 1 || d.Register[0].Entry != "E2" || d.Register[0].Change != model.Added {
		t.Errorf("register changes %+v", d.Register)
	}
	if len(d.Answers) != 1 || d.Answers[0].Control != "REC-01" || len(d.Answers[0].LinksAdded) != 1 ||
		d.Answers[0].LinksAdded[0] != (model.LinkChange{EvidenceLink: model.EvidenceLink{Entry: "E2", Note: "§5"}, Title: "OQ report"}) {
		t.Errorf("answer changes %+v", d.Answers)
	}
	out, _ = mustOnus(t, env, "diff", id+"@m1", id, "--md")
	for _, want := range []string{"### Evidence register", "| E2 | added | title | — | OQ report |", "| evidence | — | E2 OQ report, §5 |"} {
		if !strings.Contains(out, want) {
			t.Errorf("the annex lacks %q:\n%s", want, out)
		}
	}
}

// The README's evidence register session runs as written.
func TestREADMEEvidenceExample(t *testing.T) {
	env, _ := embeddedEnv(t)
	readmeBlock(t, `$ onus new --name "LIMS on AWS" --org "Grüne Pharma AG" --system LIMS --services ec2,rds,s3`).run(t, env)
}
