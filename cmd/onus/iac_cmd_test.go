package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/iac"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func fixture(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "iac", "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// README's example of onus new --from, run in the fixture's directory:
// what it prints, and the audit entry that records the files.
func TestNewFromIaCREADMEExample(t *testing.T) {
	env, cat := embeddedEnv(t)
	example := readmeBlock(t, `$ onus new --name "Batch record review" --from template.yaml`)
	t.Chdir(fixture(t, "sam"))
	example.run(t, env)

	list := decodeJSON[[]model.Summary](t, mustOut(t, env, "list", "--json"))
	if len(list) != 1 {
		t.Fatalf("list: %+v", list)
	}
	a := decodeJSON[model.Assessment](t, mustOut(t, env, "show", list[0].ID, "--json"))
	res, err := iac.Scan(cat, "template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.ServiceIDs(), res.Services(cat); !slices.Equal(got, want) || len(want) != 12 {
		t.Errorf("selected %v, the scan found %v", got, want)
	}
	trail := historyOf(t, env, a.ID)
	last := trail[len(trail)-1]
	if last.Action != model.ActServices || last.Reason != res.Reason() {
		t.Fatalf("the selection's entry: %s %q, want the reason %q", last.Action, last.Reason, res.Reason())
	}
	for _, f := range res.Files {
		if !strings.Contains(last.Reason, f.Path+" (sha256 "+f.SHA256+")") {
			t.Errorf("the audit entry does not name %s with its SHA-256: %q", f.Path, last.Reason)
		}
	}
}

func TestServicesFromIaC(t *testing.T) {
	env, cat := embeddedEnv(t)
	a := newAssessment(t, env, "--name", "Hybrid", "--services", "ec2")
	tf := fixture(t, "tf")
	res, err := iac.Scan(cat, tf)
	if err != nil {
		t.Fatal(err)
	}
	found := res.Services(cat)
	if !slices.Contains(found, "ec2") || len(found) < 3 {
		t.Fatalf("the fixture's services: %v", found)
	}
	before := len(historyOf(t, env, a.ID))

	// A dry run prints what it would do on standard output and changes nothing.
	out, errs := mustOnus(t, env, "services", a.ID, "--from", tf, "--dry-run")
	if errs != "" || !strings.HasPrefix(out, res.Text(cat)) || !strings.Contains(out, "\nSelected already: ec2\n") ||
		!strings.Contains(out, "\nWould select "+strconv.Itoa(len(found)-1)+": ") {
		t.Errorf("dry run: stdout\n%s\nstderr %q", out, errs)
	}
	if n := len(historyOf(t, env, a.ID)); n != before {
		t.Fatalf("a dry run recorded %d entries", n-before)
	}

	// For real: the report on standard error, the selection on standard output.
	out, errs = mustOnus(t, env, "services", a.ID, "--from", tf)
	if !strings.HasPrefix(errs, res.Text(cat)) || !strings.Contains(errs, "\nSelected "+strconv.Itoa(len(found)-1)+": ") {
		t.Errorf("services --from: stderr\n%s", errs)
	}
	for _, id := range found {
		if !strings.Contains(out, "\n"+id+" ") && !strings.HasPrefix(out, id+" ") {
			t.Errorf("the selection printed lacks %s:\n%s", id, out)
		}
	}
	trail := historyOf(t, env, a.ID)
	if len(trail) != before+1 || trail[len(trail)-1].Reason != res.Reason() {
		t.Fatalf("want one entry recording the files: %+v", trail[before:])
	}
	// Again: nothing new, nothing recorded.
	_, errs = mustOnus(t, env, "services", a.ID, "--from", tf)
	if !strings.Contains(errs, "Nothing to select: the "+strconv.Itoa(len(found))+" services found are selected already.") {
		t.Errorf("second scan: %s", errs)
	}
	if n := len(historyOf(t, env, a.ID)); n != before+1 {
		t.Errorf("a scan that selects nothing recorded %d entries", n-before-1)
	}
}

// The mistakes: a file that does not parse names its line, a scan that
// finds nothing creates nothing, --dry-run needs --from, and a dry run of
// onus new needs no name and makes no database.
func TestFromIaCErrors(t *testing.T) {
	env, _ := embeddedEnv(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badJSON := write("bad.json", "{\n \"Resources\": {\n  \"A\": {\"Type\": \"AWS::S3::Bucket\",}\n }\n}\n")
	badTF := write("main.tf", "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n\nresource \"aws_instance\" \"b\" {\n")
	nothing := write("nothing.tf", "resource \"aws_lambda_permission\" \"p\" {}\ndata \"aws_ami\" \"base\" {}\n")

	failsOnus(t, env, exitError, []string{"bad.json: line 3: "}, "new", "--name", "x", "--from", badJSON)
	failsOnus(t, env, exitError, []string{"main.tf: line 4: "}, "new", "--name", "x", "--from", badTF)
	errs := failsOnus(t, env, exitError, []string{"no catalog service found", "nothing selected"}, "new", "--name", "x", "--from", nothing)
	if !strings.Contains(errs, "aws_lambda_permission ×1") || !strings.Contains(errs, "aws_ami ×1") {
		t.Errorf("a scan that found nothing does not say what it read:\n%s", errs)
	}
	failsOnus(t, env, exitError, []string{"missing.yaml: no such file"}, "new", "--name", "x", "--from", filepath.Join(dir, "missing.yaml"))
	if _, err := os.Stat(env["ONUS_DB"]); err == nil {
		t.Fatal("a failed scan created the database")
	}
	failsOnus(t, env, exitUsage, []string{"--dry-run goes with --from"}, "new", "--name", "x", "--dry-run")
	failsOnus(t, env, exitUsage, []string{"new needs --name"}, "new", "--from", nothing)

	out, _ := mustOnus(t, env, "new", "--from", fixture(t, "plan/plan.json"), "--dry-run")
	if !strings.Contains(out, "terraform-plan") || !strings.Contains(out, "Would select ") {
		t.Errorf("new --dry-run:\n%s", out)
	}
	if _, err := os.Stat(env["ONUS_DB"]); err == nil {
		t.Fatal("new --dry-run created the database")
	}

	a := newAssessment(t, env, "--name", "LIMS")
	failsOnus(t, env, exitError, []string{"no catalog service found"}, "services", a.ID, "--from", nothing)
	failsOnus(t, env, exitUsage, []string{"--dry-run shows what --from would select"}, "services", a.ID, "--from", nothing, "--add", "s3", "--dry-run")
	if n := len(historyOf(t, env, a.ID)); n != 1 {
		t.Errorf("failed scans recorded %d entries", n-1)
	}
}

// fakeSigner signs without cryptography: enough for the store to make an
// assessment final (package sign tests real keys).
type fakeSigner struct{}

func (fakeSigner) Fingerprint() string { return "SHA256:fake" }
func (fakeSigner) Sign([]byte) ([]byte, error) {
	return []byte("-----BEGIN SSH SIGNATURE-----\nZmFrZQ==\n-----END SSH SIGNATURE-----\n"), nil
}

// A final assessment is read-only: --from is refused before anything is
// printed or recorded, with the way to reopen it; a dry run still shows
// what the files would select.
func TestServicesFromIaCFinal(t *testing.T) {
	env, cat := embeddedEnv(t)
	a := newAssessment(t, env, "--name", "Signed", "--services", "ec2")
	db, err := store.Open(env["ONUS_DB"], store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Sign(a.ID, store.SignRequest{Meaning: "approved", Acknowledgement: "CAPA-1"}, cat, fakeSigner{}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := len(historyOf(t, env, a.ID))
	tf := fixture(t, "tf")

	code, out, errs := runOnus(t, env, "services", a.ID, "--from", tf)
	if code != exitError || out != "" || !strings.Contains(errs, "is final and read-only") || !strings.Contains(errs, "onus reopen "+a.ID) ||
		strings.Contains(errs, "Read ") {
		t.Errorf("services --from on a final assessment: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	out, _ = mustOnus(t, env, "services", a.ID, "--from", tf, "--dry-run")
	if !strings.Contains(out, "Would select ") {
		t.Errorf("a dry run on a final assessment:\n%s", out)
	}
	if got := decodeJSON[model.Assessment](t, mustOut(t, env, "show", a.ID, "--json")); !slices.Equal(got.ServiceIDs(), []string{"ec2"}) {
		t.Errorf("the final assessment's services changed: %v", got.ServiceIDs())
	}
	if n := len(historyOf(t, env, a.ID)); n != before {
		t.Errorf("%d entries recorded on a final assessment", n-before)
	}
}
