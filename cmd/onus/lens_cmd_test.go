package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/lens"
	"github.com/onus-gxp/onus/model"
)

// embeddedEnv runs onus on the embedded catalog, whose services list the
// resource types the iac fixtures use, with a database of its own.
func embeddedEnv(t *testing.T) (map[string]string, *model.Catalog) {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"ONUS_DB": filepath.Join(t.TempDir(), "onus.db"), "ONUS_USER": "tester"}, cat
}

func mustOut(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	out, _ := mustOnus(t, env, args...)
	return out
}

const labQuestion = "lens-laboratory-data-integrity-lens.lab_sec_01"

func copyLabLens(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "lens", "testdata", "published-lab-lens.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "lab-lens.json")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// README's lens example, run in a folder holding the fixture as
// lab-lens.json.
func TestLensREADMEExample(t *testing.T) {
	env, _ := embeddedEnv(t)
	example := readmeBlock(t, "$ onus lens import lab-lens.json -o lab.onus-extension.json")
	dir := t.TempDir()
	copyLabLens(t, dir)
	t.Chdir(dir)
	example.run(t, env)
}

// The question set goes out as lenses and comes back as extensions that
// every command merges into the catalog: an assessment made with them
// records the merged catalog, answers the imported questions, and exports
// them; without the extensions its questions are unknown.
func TestLensRoundTripThroughTheCLI(t *testing.T) {
	env, cat := embeddedEnv(t)
	dir := t.TempDir()

	// Out: the default catalog is two lenses, each named as written.
	out, errs := mustOnus(t, env, "lens", "export", "-o", filepath.Join(dir, "gxp-lens.json"))
	lenses, err := lens.Export(cat, lens.Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := lens.FileNames(filepath.Join(dir, "gxp-lens.json"), len(lenses))
	if len(names) != 2 || out != "" {
		t.Fatalf("lens export: %d lenses, stdout %q", len(names), out)
	}
	for i, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := lens.Encode(lenses[i])
		if string(data) != string(want) {
			t.Errorf("%s is not lens.Export's part %d", name, i+1)
		}
		if !strings.Contains(errs, "wrote "+name+" (") {
			t.Errorf("lens export does not name %s:\n%s", name, errs)
		}
	}

	// Back: a lens Onus wrote asks the catalog's own questions.
	own := filepath.Join(dir, "own.onus-extension.json")
	_, errs = mustOnus(t, env, "lens", "import", names[0], "-o", own)
	if !strings.Contains(errs, ": 0 domains, 0 controls, 95 questions the catalog's controls ask") {
		t.Errorf("importing Onus's own lens: %s", errs)
	}
	// Any other lens brings its questions.
	lab := filepath.Join(dir, "lab.onus-extension.json")
	mustOnus(t, env, "lens", "import", copyLabLens(t, dir), "-o", lab)

	exts := []*lens.Extension{readExtension(t, lab), readExtension(t, own)}
	merged, err := lens.Merge(cat, exts...)
	if err != nil {
		t.Fatal(err)
	}
	with := []string{"--extension", lab, "--extension", own}
	a := newAssessment(t, env, append(with, "--name", "LIMS on AWS", "--services", "ec2,s3")...)
	if a.Catalog.Version != merged.Version || a.Catalog.Hash != merged.Hash || !strings.Contains(a.Catalog.Version, "+lens-laboratory-data-integrity-lens.") {
		t.Fatalf("the assessment records catalog %+v, want the merged %s %s", a.Catalog, merged.Version, merged.Hash)
	}

	// Without the extensions its questions are unknown; with them, by the
	// environment as well as the option, they are answered and exported.
	failsOnus(t, env, exitError, []string{"unknown control"}, "answer", a.ID, labQuestion, "--status", "implemented")
	envExt := map[string]string{"ONUS_EXTENSION": lab + string(os.PathListSeparator) + own}
	for k, v := range env {
		envExt[k] = v
	}
	mustOnus(t, envExt, "answer", a.ID, labQuestion, "--status", "implemented", "--evidence", "Service account register|SEC-REG-7")
	md := mustOut(t, envExt, "export", a.ID, "--format", "md")
	if !strings.Contains(md, "lab\\_sec\\_01") || !strings.Contains(md, "Service account register (SEC-REG-7)") ||
		!strings.Contains(md, merged.Version) || strings.Contains(md, "**Warning:**") {
		t.Errorf("the report with the extensions lacks the answer or the merged catalog, or warns:\n%s", md)
	}
	if md := mustOut(t, env, "export", a.ID, "--format", "md"); !strings.Contains(md, "**Warning:** the assessment was made against catalog version "+merged.Version) {
		t.Errorf("the report without the extensions does not warn that the catalog differs")
	}
	ar := mustOut(t, envExt, "export", a.ID, "--format", "oscal-ar")
	if !strings.Contains(ar, `"control-id": "`+labQuestion+`"`) {
		t.Errorf("the OSCAL results lack the answered lens question")
	}
	b := decodeJSON[model.Bundle](t, mustOut(t, envExt, "export", a.ID, "--format", "json"))
	if b.Assessment.Answer(labQuestion).Status != model.StatusImplemented {
		t.Errorf("the bundle lacks the answer: %+v", b.Assessment.Answers)
	}
	// The lens export carries the extension's questions too.
	mustOnus(t, envExt, "lens", "export", "-o", filepath.Join(dir, "extended.json"))
	second, err := os.ReadFile(filepath.Join(dir, "extended-2.json"))
	if err != nil || !strings.Contains(string(second), "lab_sec_01") {
		t.Errorf("the lens export with the extension lacks its questions: %v", err)
	}
}

func readExtension(t *testing.T, path string) *lens.Extension {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := lens.DecodeExtension(data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestLensCommandErrors(t *testing.T) {
	env, _ := embeddedEnv(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	labLens := copyLabLens(t, dir)
	out := filepath.Join(dir, "x.onus-extension.json")

	failsOnus(t, env, exitUsage, []string{"lens needs a subcommand"}, "lens")
	failsOnus(t, env, exitUsage, []string{"lens export needs -o"}, "lens", "export")
	failsOnus(t, env, exitError, []string{`unknown framework "nope"`}, "lens", "export", "--frameworks", "nope", "-o", filepath.Join(dir, "l.json"))
	failsOnus(t, env, exitUsage, []string{"lens import needs -o"}, "lens", "import", labLens)
	failsOnus(t, env, exitUsage, []string{"give QUESTION=CONTROL"}, "lens", "import", labLens, "--map", "lab_sec_01", "-o", out)
	failsOnus(t, env, exitError, []string{"mapped to control NOPE-01, which the catalog does not have"},
		"lens", "import", labLens, "--map", "lab_sec_01=NOPE-01", "-o", out)
	// A malformed lens: every problem, each where it is.
	bad := write("bad-lens.json", `{"schemaVersion": "2021-11-01", "name": "Bad", "pillars": [{"id": "p1", "name": "P", "questions": [{"id": "q", "title": "Q"}]}]}`)
	failsOnus(t, env, exitError, []string{"bad-lens.json: ", "pillars[0] (p1)", "questions[0]"}, "lens", "import", bad, "-o", out)
	failsOnus(t, env, exitError, []string{"not JSON"}, "lens", "import", write("notjson.json", "{"), "-o", out)
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a refused import wrote the extension")
	}
	// A mapped question lands on the catalog's control.
	mustOnus(t, env, "lens", "import", labLens, "--map", "lab_sec_01=AC-01", "-o", out)
	if e := readExtension(t, out); !slices.ContainsFunc(e.Mapped, func(m lens.Mapping) bool { return m.Question == "lab_sec_01" && m.Control == "AC-01" }) {
		t.Errorf("--map did not map: %+v", e.Mapped)
	}
	// An existing file is replaced only with --force, and never the database.
	failsOnus(t, env, exitError, []string{"add --force to replace it"}, "lens", "import", labLens, "-o", out)
	mustOnus(t, env, "lens", "import", labLens, "--map", "lab_sec_01=AC-01", "-o", out, "--force")
	failsOnus(t, env, exitError, []string{"refusing to write"}, "lens", "import", labLens, "-o", env["ONUS_DB"], "--force")

	// --extension: a missing file, one that is not an extension, and one
	// that meets the catalog's ids are refused by every command, named.
	failsOnus(t, env, exitError, []string{"missing.json"}, "--extension", filepath.Join(dir, "missing.json"), "stack", "ec2")
	notExt := write("not-ext.json", `{"format": "something-else", "version": 1}`)
	failsOnus(t, env, exitError, []string{"not-ext.json: not an onus catalog extension"}, "--extension", notExt, "new", "--name", "x")
	e := readExtension(t, out)
	e.Controls[0].ID = "GOV-01"
	clash, _ := json.Marshal(e)
	failsOnus(t, env, exitError, []string{"--extension ", "GOV-01"}, "--extension", write("clash.json", string(clash)), "new", "--name", "x")
	if _, err := os.Stat(env["ONUS_DB"]); err == nil {
		t.Fatal("a refused extension let a command create the database")
	}
}
