package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// storeCatalog is a small catalog for the store commands' tests: two
// frameworks, four services, three controls.
const storeCatalog = `schema: 1
version: "store-test-7"
name: Store test catalog
layers:
  - {id: data, name: Customer data, owners: {infrastructure: customer, container: customer, abstracted: customer}}
  - {id: os, name: Operating system, owners: {infrastructure: customer, container: aws, abstracted: aws}}
  - {id: global, name: Global infrastructure, owners: {infrastructure: aws, container: aws, abstracted: aws}}
frameworks:
  - id: 21cfr11
    name: 21 CFR Part 11
    clauses:
      - {id: "11.10(e)", title: Audit trails}
  - id: annex11
    name: EU GMP Annex 11
    clauses:
      - {id: "12", title: Security}
domains:
  - {id: records, name: Records}
evidence:
  - {id: soc2, name: SOC 2 Type 2, supplier: aws, kind: artifact-report, valid_months: 12}
  - {id: oq, name: Operational qualification, supplier: customer, kind: lifecycle}
services:
  - {id: ec2, name: Amazon EC2, category: compute, model: infrastructure}
  - {id: s3, name: Amazon S3, category: storage, model: abstracted}
  - {id: rds, name: Amazon RDS, category: database, model: container}
  - {id: lambda, name: AWS Lambda, category: compute, model: abstracted}
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
  - id: ACC-01
    domain: records
    title: Access control
    question: Is access limited to authorised people?
    refs: [{framework: annex11, clause: "12"}]
    layers: [data]
    criticality: high
    customer_evidence: [oq]
`

// storeEnv writes the catalog and returns an environment with a fresh
// database, and the parsed catalog.
func storeEnv(t *testing.T) (map[string]string, *model.Catalog) {
	t.Helper()
	dir := t.TempDir()
	catPath := filepath.Join(dir, "catalog.yaml")
	if err := os.WriteFile(catPath, []byte(storeCatalog), 0o600); err != nil {
		t.Fatal(err)
	}
	cat, err := model.ParseCatalog([]byte(storeCatalog), catPath)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"ONUS_DB": filepath.Join(dir, "data", "onus.db"), "ONUS_CATALOG": catPath, "ONUS_USER": "tester"}, cat
}

// mustOnus runs onus and fails unless it exits 0.
func mustOnus(t *testing.T, env map[string]string, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errs := runOnus(t, env, args...)
	if code != 0 {
		t.Fatalf("onus %q: exit %d\nstdout: %s\nstderr: %s", args, code, out, errs)
	}
	return out, errs
}

// failsOnus runs onus and checks its exit code and that stderr mentions every
// one of wants.
func failsOnus(t *testing.T, env map[string]string, code int, wants []string, args ...string) string {
	t.Helper()
	got, out, errs := runOnus(t, env, args...)
	if got != code {
		t.Errorf("onus %q: exit %d, want %d\nstdout: %s\nstderr: %s", args, got, code, out, errs)
	}
	for _, w := range wants {
		if !strings.Contains(errs, w) {
			t.Errorf("onus %q: stderr %q does not mention %q", args, errs, w)
		}
	}
	return errs
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not the JSON expected: %v\n%s", err, s)
	}
	return v
}

func newAssessment(t *testing.T, env map[string]string, args ...string) model.Assessment {
	t.Helper()
	out, _ := mustOnus(t, env, append([]string{"new", "--json"}, args...)...)
	return decodeJSON[model.Assessment](t, out)
}

func historyOf(t *testing.T, env map[string]string, id string) []model.AuditEntry {
	t.Helper()
	out, _ := mustOnus(t, env, "history", id, "--json")
	return decodeJSON[[]model.AuditEntry](t, out)
}

func TestCLINewListShow(t *testing.T) {
	env, cat := storeEnv(t)
	// Before anything is saved: an empty list, and no file made for it.
	if out, errs := mustOnus(t, env, "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("list --json without a database: %q %q", out, errs)
	}
	if _, errs := mustOnus(t, env, "list"); !strings.Contains(errs, "no assessments yet") {
		t.Errorf("list without a database: stderr %q", errs)
	}
	if _, err := os.Stat(env["ONUS_DB"]); err == nil {
		t.Error("list created the database file")
	}
	failsOnus(t, env, exitError, []string{"does not exist yet"}, "show", "x")
	a := newAssessment(t, env, "--name", "LIMS on AWS", "--org", "Acme", "--system", "LIMS", "--services", "ec2,s3",
		"--framework", "21cfr11,annex11", "--impact", "indirect", "--multi-tenant", "--open-system", "--esignatures", "--classification", "confidential")
	if a.Catalog.Version != "store-test-7" || a.Catalog.Version != cat.Version || a.Catalog.Hash != cat.Hash || len(cat.Hash) != 64 {
		t.Errorf("catalog recorded as %+v, want version %s hash %s", a.Catalog, cat.Version, cat.Hash)
	}
	wantScope := model.Scope{Impact: model.ImpactIndirect, Frameworks: []string{"21cfr11", "annex11"}, MultiTenant: true,
		OpenSystem: true, ESignatures: true, DataClassification: "confidential"}
	if a.Name != "LIMS on AWS" || a.Organisation != "Acme" || a.System != "LIMS" || !slices.Equal(a.ServiceIDs(), []string{"ec2", "s3"}) ||
		a.CreatedBy != "tester" || a.Workflow != model.WorkflowDraft || !sameJSON(a.Scope, wantScope) {
		t.Errorf("new recorded %s", indentJSON(a))
	}
	out, _ := mustOnus(t, env, "new", "--name", "MES")
	mesID := strings.TrimSpace(out)
	if strings.Count(out, "\n") != 1 || len(mesID) != 16 {
		t.Errorf("new without --json printed %q, want the id alone", out)
	}

	failsOnus(t, env, exitError, []string{`unknown service "s4"`, "s3"}, "new", "--name", "x", "--services", "ec2,s4")
	failsOnus(t, env, exitError, []string{`unknown framework "gamp"`}, "new", "--name", "x", "--framework", "gamp")
	failsOnus(t, env, exitUsage, []string{"--name"}, "new")
	failsOnus(t, env, exitUsage, []string{"--impact"}, "new", "--name", "x", "--impact", "high")

	out, _ = mustOnus(t, env, "list", "--json")
	sums := decodeJSON[[]model.Summary](t, out)
	if len(sums) != 2 {
		t.Fatalf("list --json: %d summaries, want 2 (refused news must not create anything)", len(sums))
	}
	if sums[0].ID != mesID || sums[1].ID != a.ID {
		t.Errorf("list order %s, %s: want the newest first", sums[0].Name, sums[1].Name)
	}
	if s := sums[1]; s.Name != a.Name || s.Services != 2 || s.Applicable != len(cat.Applicable(a.Scope, a.Services)) || s.Applicable == 0 ||
		s.Answered != 0 || s.Catalog != a.Catalog || s.Workflow != model.WorkflowDraft {
		t.Errorf("summary %+v", s)
	}
	out, _ = mustOnus(t, env, "list")
	if !strings.Contains(out, "LIMS on AWS") || !strings.Contains(out, a.ID) || !strings.Contains(out, "PROGRESS") {
		t.Errorf("list:\n%s", out)
	}

	out, _ = mustOnus(t, env, "show", a.ID, "--json")
	if shown := decodeJSON[model.Assessment](t, out); !model.SameAssessment(shown, a) {
		t.Errorf("show --json differs from what new printed:\n%s", out)
	}
	out, _ = mustOnus(t, env, "show", a.ID)
	if !strings.Contains(out, "LIMS on AWS") || !strings.Contains(out, "REC-01") || !strings.Contains(out, "store-test-7") {
		t.Errorf("show:\n%s", out)
	}
	failsOnus(t, env, exitError, []string{`no assessment "nope"`}, "show", "nope")
	failsOnus(t, env, exitUsage, nil, "show")
}

func TestCLIAnswerServicesHistory(t *testing.T) {
	env, _ := storeEnv(t)
	a := newAssessment(t, env, "--name", "LIMS", "--services", "ec2,s3")
	id := a.ID

	_, errs := mustOnus(t, env, "answer", id, "REC-01", "--status", "implemented",
		"--evidence", "OQ report|OQ-042|2.0|2025-10-01|DMS/val/OQ-042|third-party", "--evidence", "SOC 2 bridge letter",
		"--note", "checked by QA", "--reason", "initial")
	if !strings.Contains(errs, "saved: REC-01 implemented") {
		t.Errorf("answer stderr %q", errs)
	}
	failsOnus(t, env, exitError, []string{"needs a justification"}, "answer", id, "REC-02", "--status", "not-applicable")
	mustOnus(t, env, "answer", id, "REC-02", "--status", "not-applicable", "--justification", "no own hosting")
	failsOnus(t, env, exitError, []string{`unknown control "REC-1"`, "did you mean", "REC-01"}, "answer", id, "REC-1", "--status", "implemented")
	failsOnus(t, env, exitUsage, []string{"--status must be"}, "answer", id, "REC-01", "--status", "done")
	failsOnus(t, env, exitUsage, nil, "answer", id, "--status", "implemented")
	failsOnus(t, env, exitError, []string{`no assessment "nope"`}, "answer", "nope", "REC-01", "--status", "implemented")
	failsOnus(t, env, exitError, []string{"unknown supplier"}, "answer", id, "ACC-01", "--status", "partial", "--evidence", "x|||||martians")
	failsOnus(t, env, exitUsage, []string{"at most 6 fields"}, "answer", id, "ACC-01", "--status", "partial", "--evidence", "x||||||")

	out, _ := mustOnus(t, env, "show", id, "--json")
	got := decodeJSON[model.Assessment](t, out)
	rec := got.Answers["REC-01"]
	// --evidence files its text in the register and links it.
	wantEv := []model.EvidenceEntry{
		{ID: "E1", Title: "OQ report", DocumentID: "OQ-042", Version: "2.0", Date: "2025-10-01", Location: "DMS/val/OQ-042", Owner: model.SupplierThirdParty},
		{ID: "E2", Title: "SOC 2 bridge letter", Owner: model.SupplierCustomer},
	}
	wantLinks := []model.EvidenceLink{{Entry: "E1"}, {Entry: "E2"}}
	if rec.Status != model.StatusImplemented || rec.Notes != "checked by QA" || rec.UpdatedBy != "tester" || !sameJSON(got.Register, wantEv) ||
		!sameJSON(rec.Links, wantLinks) || len(rec.Evidence) != 0 {
		t.Errorf("REC-01 stored as %s with register %s", indentJSON(rec), indentJSON(got.Register))
	}
	if na := got.Answers["REC-02"]; na.Status != model.StatusNotApplicable || na.Justification != "no own hosting" {
		t.Errorf("REC-02 stored as %s", indentJSON(na))
	}
	if _, ok := got.Answers["ACC-01"]; ok || len(got.Answers) != 2 {
		t.Errorf("answers %v: refused answers were stored", got.Answers)
	}

	// Services: add, remove, and an unknown one named with a suggestion.
	out, _ = mustOnus(t, env, "services", id, "--add", "rds,lambda")
	for _, s := range []string{"ec2", "s3", "rds", "lambda", "Amazon RDS"} {
		if !strings.Contains(out, s) {
			t.Errorf("services --add output lacks %q:\n%s", s, out)
		}
	}
	out, _ = mustOnus(t, env, "services", id, "--remove", "ec2")
	if strings.Contains(out, "ec2") || !strings.Contains(out, "lambda") {
		t.Errorf("services --remove ec2:\n%s", out)
	}
	before := len(historyOf(t, env, id))
	failsOnus(t, env, exitError, []string{`unknown service "lamda"`, "lambda"}, "services", id, "--add", "lamda")
	if n := len(historyOf(t, env, id)); n != before {
		t.Errorf("a refused services --add left %d trail entries, want %d", n, before)
	}
	out, _ = mustOnus(t, env, "services", id)
	if strings.Count(out, "\n") != 3 {
		t.Errorf("services with no change:\n%s", out)
	}

	// History: one entry per change, by the actor, chained.
	trail := historyOf(t, env, id)
	var actions []string
	for i, e := range trail {
		actions = append(actions, e.Action+" "+e.Target)
		if e.Actor != "tester" || e.Seq != uint64(i+1) || e.Hash != e.ComputeHash() || (i > 0 && e.PrevHash != trail[i-1].Hash) || e.Time.Location() != time.UTC {
			t.Errorf("entry %d: %+v", i+1, e)
		}
	}
	want := []string{"create assessment", "answer answer/REC-01", "evidence-entry evidence/E1", "evidence-entry evidence/E2", "evidence-links links/REC-01",
		"answer answer/REC-02", "services services", "services services"}
	if !slices.Equal(actions, want) {
		t.Errorf("history: %q, want %q", actions, want)
	}
	if trail[1].Reason != "initial" {
		t.Errorf("reason %q not recorded", trail[1].Reason)
	}
	out, _ = mustOnus(t, env, "history", id)
	if !strings.Contains(out, "SEQ") || !strings.Contains(out, "answer/REC-02") || !strings.Contains(out, trail[4].Hash[:12]) {
		t.Errorf("history:\n%s", out)
	}
	failsOnus(t, env, exitError, []string{`no assessment "nope"`}, "history", "nope")
}

// exportBundle exports an assessment as a JSON bundle file and returns
// its path.
func exportBundle(t *testing.T, env map[string]string, id string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "bundle.json")
	_, errs := mustOnus(t, env, "export", id, "--format", "json", "-o", file)
	if !strings.Contains(errs, "wrote "+file) {
		t.Errorf("export stderr %q", errs)
	}
	return file
}

func TestCLIExportImportVerify(t *testing.T) {
	env, _ := storeEnv(t)
	a := newAssessment(t, env, "--name", "LIMS", "--services", "ec2")
	mustOnus(t, env, "answer", a.ID, "REC-01", "--status", "implemented")
	mustOnus(t, env, "answer", a.ID, "REC-02", "--status", "partial", "--note", "fence pending")
	mustOnus(t, env, "answer", a.ID, "ACC-01", "--status", "planned")
	file := exportBundle(t, env, a.ID)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.DecodeBundle(data)
	if err != nil || b.Verify() != nil || len(b.Trail) != 4 || b.Assessment.ID != a.ID {
		t.Fatalf("exported bundle: %v, %v, %d entries", err, b.Verify(), len(b.Trail))
	}

	out, _ := mustOnus(t, env, "verify")
	if !strings.Contains(out, "1 assessment checked, 0 failed") || !strings.Contains(out, model.Head(b.Trail)) {
		t.Errorf("verify:\n%s", out)
	}
	out, _ = mustOnus(t, env, "verify", a.ID, "--json")
	if vr := decodeJSON[[]map[string]any](t, out); len(vr) != 1 || vr[0]["head"] != model.Head(b.Trail) || vr[0]["error"] != nil {
		t.Errorf("verify --json: %s", out)
	}

	// Into another database: refused when tampered, accepted intact.
	other, _ := storeEnv(t)
	write := func(b model.Bundle) string {
		t.Helper()
		data, err := b.Encode()
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "tampered.json")
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	edited := func() model.Bundle {
		b, err := model.DecodeBundle(data)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	// One entry's New edited (REC-02 partial → implemented).
	tb := edited()
	tb.Trail[2].New = bytes.Replace(tb.Trail[2].New, []byte(`"partial"`), []byte(`"implemented"`), 1)
	failsOnus(t, other, exitError, []string{"bundle refused", "entry 3", "modified"}, "import", write(tb))

	// The same, with the entry's own hash recomputed: the next link breaks.
	tb = edited()
	tb.Trail[2].New = bytes.Replace(tb.Trail[2].New, []byte(`"partial"`), []byte(`"implemented"`), 1)
	tb.Trail[2].Hash = tb.Trail[2].ComputeHash()
	failsOnus(t, other, exitError, []string{"bundle refused", "entry 4"}, "import", write(tb))

	// The snapshot edited, trail intact.
	tb = edited()
	rec := tb.Assessment.Answers["REC-02"]
	rec.Status = model.StatusImplemented
	tb.Assessment.Answers["REC-02"] = rec
	failsOnus(t, other, exitError, []string{"bundle refused", "does not match its audit trail"}, "import", write(tb))

	// An entry dropped from the end, snapshot left: replay differs.
	tb = edited()
	tb.Trail = tb.Trail[:3]
	failsOnus(t, other, exitError, []string{"bundle refused"}, "import", write(tb))

	out, _ = mustOnus(t, other, "list", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("refused imports left assessments behind: %s", out)
	}

	out, errs := mustOnus(t, other, "import", file)
	if strings.TrimSpace(out) != a.ID || !strings.Contains(errs, "imported LIMS (4 audit entries") {
		t.Errorf("import: stdout %q stderr %q", out, errs)
	}
	out, _ = mustOnus(t, other, "show", a.ID, "--json")
	got := decodeJSON[model.Assessment](t, out)
	want := b.Assessment
	want.UpdatedAt = got.UpdatedAt // the import's own entry
	if !model.SameAssessment(got, want) {
		t.Errorf("imported assessment differs:\n%s", out)
	}
	if h := historyOf(t, other, a.ID); len(h) != 5 || h[3].Hash != model.Head(b.Trail) || h[4].Action != model.ActImport {
		t.Errorf("imported trail: %d entries, head %s", len(h), model.Head(h))
	}
	failsOnus(t, other, exitError, []string{"already here", "nothing to import"}, "import", file)
	failsOnus(t, other, exitError, []string{"not a valid onus bundle"}, "import", writeText(t, `{"format":"onus-bundle","version":1,"extra":1}`))

	// A trail tampered with inside the database file: verify says which.
	editTrailEntry(t, env["ONUS_DB"], a.ID, 2, func(e *model.AuditEntry) { e.Actor = "mallory" })
	code, out, errs := runOnus(t, env, "verify")
	if code != exitDamaged || !strings.Contains(out, "FAIL  "+a.ID) || !strings.Contains(out, "entry 2") || !strings.Contains(errs, "integrity check failed") {
		t.Errorf("verify of a tampered file: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	failsOnus(t, env, exitDamaged, []string{"integrity check", "entry 2", "not exported"}, "export", a.ID, "--format", "json")
}

func writeText(t *testing.T, s string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "x.json")
	if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// editTrailEntry changes one stored audit entry with bbolt directly,
// bypassing onus, without fixing its hash.
func editTrailEntry(t *testing.T, path, id string, seq uint64, edit func(*model.AuditEntry)) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		trail := tx.Bucket([]byte("trails")).Bucket([]byte(id))
		var k [8]byte
		k[7] = byte(seq)
		var e model.AuditEntry
		if err := json.Unmarshal(trail.Get(k[:]), &e); err != nil {
			return err
		}
		edit(&e)
		raw, err := json.Marshal(e)
		if err != nil {
			return err
		}
		return trail.Put(k[:], raw)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCLIDeleteRestorePurge(t *testing.T) {
	env, _ := storeEnv(t)
	a := newAssessment(t, env, "--name", "LIMS")
	keep := newAssessment(t, env, "--name", "MES")
	ids := func(args ...string) []string {
		t.Helper()
		out, _ := mustOnus(t, env, append([]string{"list", "--json"}, args...)...)
		var got []string
		for _, s := range decodeJSON[[]model.Summary](t, out) {
			got = append(got, s.ID)
			if s.ID == a.ID && len(args) > 0 && !s.Deleted {
				t.Errorf("list --all shows %s without deleted", s.ID)
			}
		}
		return got
	}

	_, errs := mustOnus(t, env, "delete", a.ID, "--reason", "superseded")
	if !strings.Contains(errs, "onus restore "+a.ID) {
		t.Errorf("delete stderr %q does not say how to restore", errs)
	}
	if got := ids(); !slices.Equal(got, []string{keep.ID}) {
		t.Errorf("list after delete: %v", got)
	}
	if got := ids("--all"); !slices.Contains(got, a.ID) {
		t.Errorf("list --all after delete: %v", got)
	}
	failsOnus(t, env, exitError, []string{"already deleted"}, "delete", a.ID)
	mustOnus(t, env, "restore", a.ID, "--reason", "still needed")
	if got := ids(); len(got) != 2 {
		t.Errorf("list after restore: %v", got)
	}
	failsOnus(t, env, exitError, []string{"is not deleted"}, "restore", a.ID)
	h := historyOf(t, env, a.ID)
	if n := len(h); n != 3 || h[1].Action != model.ActDelete || h[1].Reason != "superseded" || h[2].Action != model.ActRestore || h[2].Reason != "still needed" {
		t.Errorf("trail after delete and restore: %s", indentJSON(h))
	}

	failsOnus(t, env, exitUsage, []string{"--yes"}, "purge", a.ID)
	if got := ids(); len(got) != 2 {
		t.Errorf("purge without --yes removed something: %v", got)
	}
	mustOnus(t, env, "purge", a.ID, "--yes")
	if got := ids("--all"); !slices.Equal(got, []string{keep.ID}) {
		t.Errorf("list --all after purge: %v", got)
	}
	failsOnus(t, env, exitError, []string{"no assessment"}, "show", a.ID)
	failsOnus(t, env, exitError, []string{"no assessment"}, "history", a.ID)
	failsOnus(t, env, exitError, []string{"no assessment"}, "purge", a.ID, "--yes")
	out, _ := mustOnus(t, env, "verify")
	if !strings.Contains(out, "1 assessment checked, 0 failed") {
		t.Errorf("verify after purge:\n%s", out)
	}
}

func TestCLIFilePermissions(t *testing.T) {
	env, _ := storeEnv(t)
	path := filepath.Join(filepath.Dir(env["ONUS_DB"]), "deeper", "onus.db")
	env["ONUS_DB"] = path
	mustOnus(t, env, "new", "--name", "LIMS")
	for _, c := range []struct {
		path string
		mode os.FileMode
	}{
		{path, 0o600},
		{filepath.Dir(path), 0o700},
		{filepath.Dir(filepath.Dir(path)), 0o700},
		{path + ".backups", 0o700},
	} {
		info, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != c.mode {
			t.Errorf("%s: mode %04o, want %04o", c.path, info.Mode().Perm(), c.mode)
		}
	}
	backups, _ := filepath.Glob(path + ".backups/onus-*.db")
	if len(backups) == 0 {
		t.Error("no backup after the first change")
	}
	for _, b := range backups {
		if info, _ := os.Stat(b); info.Mode().Perm() != 0o600 {
			t.Errorf("backup %s: mode %04o", b, info.Mode().Perm())
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.new")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// No warning while private.
	if _, errs := mustOnus(t, env, "list"); strings.Contains(errs, "warning") {
		t.Errorf("warning on a private file: %q", errs)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs := mustOnus(t, env, "list")
	if !strings.Contains(errs, "readable by other users") || !strings.Contains(errs, "chmod 600 "+path) || !strings.Contains(out, "LIMS") {
		t.Errorf("list of a 0644 file: stdout %q stderr %q", out, errs)
	}
}

// The schema 1 fixture of the store package works from the command line:
// read-only commands read it without migrating, the first write migrates.
func TestCLIOnSchema1File(t *testing.T) {
	env, _ := storeEnv(t)
	fixture, err := os.ReadFile(filepath.Join("..", "..", "store", "testdata", "v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(env["ONUS_DB"]), 0o700)
	if err := os.WriteFile(env["ONUS_DB"], fixture, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs := mustOnus(t, env, "list")
	if !strings.Contains(out, "Legacy LIMS") || !strings.Contains(out, "Legacy QMS") || strings.Contains(out, "Legacy MES") {
		t.Errorf("list of a schema 1 file:\n%s%s", out, errs)
	}
	mustOnus(t, env, "verify")
	mustOnus(t, env, "answer", "01jxk3v1lims0001", "ACC-01", "--status", "planned")
	out, _ = mustOnus(t, env, "list", "--all", "--json")
	if sums := decodeJSON[[]model.Summary](t, out); len(sums) != 3 {
		t.Errorf("after migrating: %d summaries", len(sums))
	}
	if b, _ := filepath.Glob(env["ONUS_DB"] + ".backups/onus-*.db"); len(b) == 0 {
		t.Error("migration wrote no backup")
	}
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func indentJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// An assessment's own override moves one layer of one selected service,
// with its justification in the trail and on the stack; clearing it moves
// the layer back. Mistakes are refused with nothing recorded.
func TestCLIOverride(t *testing.T) {
	env, _ := storeEnv(t)
	a := newAssessment(t, env, "--name", "LIMS", "--services", "ec2,s3")
	out, _ := mustOnus(t, env, "override", a.ID, "ec2", "os", "--owner", "shared", "--justification", "patched under contract MS-12")
	for _, want := range []string{"Shared‡", "patched under contract MS-12"} {
		if !strings.Contains(out, want) {
			t.Errorf("override output lacks %q:\n%s", want, out)
		}
	}
	got := decodeJSON[model.Assessment](t, must1(mustOnus(t, env, "show", a.ID, "--json")))
	if o := got.Services[0].Overrides; len(o) != 1 || o[0] != (model.ServiceOverride{Layer: "os", Owner: model.OwnerShared, Justification: "patched under contract MS-12"}) {
		t.Fatalf("stored overrides: %+v", got.Services[0].Overrides)
	}
	entries := len(historyOf(t, env, a.ID))
	failsOnus(t, env, exitError, []string{`unknown layer "oss" (did you mean os?)`}, "override", a.ID, "ec2", "oss", "--owner", "aws", "--justification", "x")
	failsOnus(t, env, exitError, []string{"needs a justification"}, "override", a.ID, "ec2", "data", "--owner", "aws")
	failsOnus(t, env, exitError, []string{`"lambda"`}, "override", a.ID, "lambda", "os", "--owner", "aws", "--justification", "x")
	failsOnus(t, env, exitUsage, []string{"usage: onus override"}, "override", a.ID, "ec2", "os", "--owner", "aws", "--clear")
	failsOnus(t, env, exitUsage, []string{"usage: onus override"}, "override", a.ID, "ec2")
	if n := len(historyOf(t, env, a.ID)); n != entries {
		t.Fatalf("refused overrides reached the trail: %d entries, want %d", n, entries)
	}
	out, _ = mustOnus(t, env, "override", a.ID, "ec2", "os", "--clear")
	if strings.Contains(out, "Shared‡") || !strings.Contains(out, "Operating system       ▓▓ Customer") {
		t.Errorf("the override is still drawn after --clear:\n%s", out)
	}
	failsOnus(t, env, exitError, []string{"nothing to clear"}, "override", a.ID, "ec2", "os", "--clear")
	if n := len(historyOf(t, env, a.ID)); n != entries+1 {
		t.Fatalf("%d entries after clearing, want %d", n, entries+1)
	}
}

func must1(stdout, _ string) string { return stdout }
