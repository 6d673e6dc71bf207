package main

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// exportCatalog is a small catalog with controls, so the export tests do
// not depend on the embedded catalog.
const exportCatalog = `schema: 1
version: "export-test"
name: Export test catalog
layers:
  - {id: data, name: Customer data, owners: {infrastructure: customer, container: customer, abstracted: customer}}
  - {id: os, name: Operating system, owners: {infrastructure: customer, container: aws, abstracted: aws}}
  - {id: global, name: Global infrastructure, owners: {infrastructure: aws, container: aws, abstracted: aws}}
frameworks:
  - id: 21cfr11
    name: 21 CFR Part 11
    clauses:
      - {id: "11.10(e)", title: Audit trails}
domains:
  - {id: records, name: Records}
evidence:
  - {id: soc2, name: SOC 2 Type 2, supplier: aws, kind: artifact-report, valid_months: 12}
  - {id: oq, name: Operational qualification, supplier: customer, kind: lifecycle}
services:
  - {id: ec2, name: Amazon EC2, category: compute, model: infrastructure}
  - {id: s3, name: Amazon S3, category: storage, model: abstracted}
controls:
  - id: REC-01
    domain: records
    title: Audit trail
    question: Is every change to a record captured in a secure audit trail?
    refs: [{framework: 21cfr11, clause: "11.10(e)"}]
    layers: [data, os]
    criticality: high
    aws_evidence: [soc2]
    customer_evidence: [oq]
  - id: REC-02
    domain: records
    title: Physical security
    question: Are the data centres secured?
    refs: [{framework: 21cfr11, clause: "11.10(e)"}]
    layers: [global]
    criticality: medium
    aws_evidence: [soc2]
`

// exportSetup creates a database with one answered assessment and
// returns the environment to reach it and the assessment's id.
func exportSetup(t *testing.T) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	cat := filepath.Join(dir, "catalog.yaml")
	if err := os.WriteFile(cat, []byte(exportCatalog), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ONUS_DB": filepath.Join(dir, "onus.db"), "ONUS_CATALOG": cat, "ONUS_USER": "tester"}
	code, out, errs := runOnus(t, env, "new", "--name", "LIMS <prod>", "--org", "Acme", "--services", "ec2,s3")
	if code != 0 {
		t.Fatalf("new: exit %d: %s", code, errs)
	}
	id := strings.TrimSpace(out)
	code, _, errs = runOnus(t, env, "answer", id, "REC-01", "--status", "implemented",
		"--evidence", "OQ report|OQ-042|2.0|2025-10-01|DMS/val|customer", "--note", "=cmd|' /C calc'!A0")
	if code != 0 {
		t.Fatalf("answer: exit %d: %s", code, errs)
	}
	return env, id
}

func TestExportFormats(t *testing.T) {
	env, id := exportSetup(t)
	dir := t.TempDir()
	for _, c := range []struct{ format, want string }{
		{"md", "# Shared-responsibility assessment: LIMS &lt;prod&gt;"},
		{"html", "<!DOCTYPE html>"},
		{"csv", "\uFEFFControl,Title,"},
		{"json", `"format": "onus-bundle"`},
		{"oscal-ar", `"assessment-results"`},
		{"oscal-cd", `"component-definition"`},
		{"oscal-ssp", `"system-security-plan"`},
		{"oscal-ap", `"assessment-plan"`},
	} {
		file := filepath.Join(dir, "r."+c.format)
		code, _, errs := runOnus(t, env, "export", id, "--format", c.format, "-o", file)
		if code != 0 {
			t.Fatalf("export --format %s: exit %d: %s", c.format, code, errs)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), c.want) {
			t.Errorf("export --format %s: %q not in the file", c.format, c.want)
		}
		// To standard output, and again: the same bytes.
		code, out, _ := runOnus(t, env, "export", id, "--format", c.format)
		if code != 0 || out != string(data) {
			t.Errorf("export --format %s to stdout: exit %d, same bytes as the file: %v", c.format, code, out == string(data))
		}
		if strings.HasPrefix(c.format, "oscal") || c.format == "json" {
			if !json.Valid(data) {
				t.Errorf("export --format %s is not JSON", c.format)
			}
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "r.csv"))
	if !bytes.Contains(csv, []byte("REC-01,")) {
		t.Error("the CSV export lacks the answered control")
	}
}

// Every report names the Onus that made it: its version and commit, as
// onus version prints them, never "version unknown".
func TestExportNamesTheOnusThatMadeIt(t *testing.T) {
	env, id := exportSetup(t)
	made := reportVersion()
	for format, want := range map[string]string{
		"md":       "| Made with | Onus " + made + " |",
		"html":     "Onus " + html.EscapeString(made),
		"oscal-ar": `"value": "` + made + `"`,
	} {
		_, out, errs := runOnus(t, env, "export", id, "--format", format)
		if !strings.Contains(out, want) || strings.Contains(out, "version unknown") {
			t.Errorf("export --format %s does not say %q (%s)", format, want, errs)
		}
	}
}

func TestExportHTMLFile(t *testing.T) {
	env, id := exportSetup(t)
	file := filepath.Join(t.TempDir(), "r.html")
	code, _, errs := runOnus(t, env, "export", id, "--format", "html", "-o", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "wrote "+file) {
		t.Errorf("stderr %q does not say where the report went", errs)
	}
	data, _ := os.ReadFile(file)
	if !bytes.Contains(data, []byte("LIMS &lt;prod&gt;")) || bytes.Contains(data, []byte("<prod>")) {
		t.Error("the HTML report does not escape the assessment's name")
	}
}

func TestExportUnknownFormat(t *testing.T) {
	env, id := exportSetup(t)
	code, out, errs := runOnus(t, env, "export", id, "--format", "pdf")
	if code != exitUsage {
		t.Errorf("exit %d, want %d (usage)", code, exitUsage)
	}
	if out != "" || !strings.Contains(errs, `unknown format "pdf" (use md, html, csv, json, oscal-ar, oscal-cd, oscal-ssp, oscal-ap, prep-md, prep-html, prep-xlsx)`) {
		t.Errorf("stdout %q, stderr %q: want the formats listed", out, errs)
	}
}

// --as-of exports the assessment as it stood then, rebuilt from the trail:
// the answer of that moment, the trail up to it, and a report dated then.
func TestExportAsOf(t *testing.T) {
	env, _ := storeEnv(t)
	a := newAssessment(t, env, "--name", "LIMS", "--services", "ec2")
	mustOnus(t, env, "answer", a.ID, "REC-01", "--status", "planned")
	mustOnus(t, env, "answer", a.ID, "REC-01", "--status", "implemented")
	trail := historyOf(t, env, a.ID)
	then := trail[len(trail)-2] // the answer "planned"
	at := then.Time.Format(time.RFC3339Nano)

	out, _ := mustOnus(t, env, "export", a.ID, "--format", "json", "--as-of", at)
	b, err := model.DecodeBundle([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Trail) != len(trail)-1 || model.Head(b.Trail) != then.Hash || b.Assessment.Answer("REC-01").Status != model.StatusPlanned {
		t.Fatalf("as of %s: %d entries, head %s, REC-01 %s", at, len(b.Trail), model.Head(b.Trail), b.Assessment.Answer("REC-01").Status)
	}
	md, _ := mustOnus(t, env, "export", a.ID, "--format", "md", "--as-of", at)
	now, _ := mustOnus(t, env, "export", a.ID, "--format", "md")
	if md == now || !strings.Contains(md, "Onus report as of "+then.Time.UTC().Format("2006-01-02 15:04")+" UTC") {
		t.Fatalf("the report as of then is the report of now, or not dated then:\n%s", md)
	}
	failsOnus(t, env, exitError, []string{"did not exist yet"}, "export", a.ID, "--as-of", "2000-01-01")
	failsOnus(t, env, exitUsage, []string{"neither a date"}, "export", a.ID, "--as-of", "last tuesday")
}
