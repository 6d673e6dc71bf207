package main

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// flat joins text's words with single spaces, lower case: help as fang
// wraps and capitalises it, compared with the words it was written in.
func flat(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// onus new takes the whole scope: open system as 21 CFR 11.3(b)(9) has
// it, internet-facing, data categories, one edition per regulation; onus
// scope prints it with the editions by name and changes only what it is
// given, recorded with its reason.
func TestCLIScope(t *testing.T) {
	env, _ := embeddedEnv(t)
	a := newAssessment(t, env, "--name", "Portal", "--services", "apigateway,lambda", "--framework", "21cfr11,annex11-2025d",
		"--open-system", "--internet-facing", "--data", "health,personal")
	want := model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11", "annex11-2025d"}, OpenSystem: true, InternetFacing: true,
		DataCategories: []model.DataCategory{model.DataHealth, model.DataPersonal}}
	if !sameJSON(a.Scope, want) {
		t.Fatalf("new recorded the scope %s", indentJSON(a.Scope))
	}
	failsOnus(t, env, exitError, []string{"editions of the same framework; choose one"}, "new", "--name", "x", "--framework", "annex11,annex11-2025d")
	failsOnus(t, env, exitUsage, []string{"unknown data category"}, "new", "--name", "x", "--data", "genetic")

	out, _ := mustOnus(t, env, "scope", a.ID)
	for _, w := range []string{"EU GMP Annex 11 (Computerised Systems) (draft for consultation, July 2025)", "internet-facing:  yes", "health data, personal data"} {
		if !strings.Contains(out, w) {
			t.Errorf("scope lacks %q:\n%s", w, out)
		}
	}
	before := len(historyOf(t, env, a.ID))
	mustOnus(t, env, "scope", a.ID, "--json")
	if len(historyOf(t, env, a.ID)) != before {
		t.Fatal("printing the scope recorded something")
	}
	out, _ = mustOnus(t, env, "scope", a.ID, "--open-system=false", "--framework", "", "--data", "personal", "--reason", "our IdP controls access")
	if !strings.Contains(out, "(none chosen: each one's edition in force)") {
		t.Errorf("scope after the change:\n%s", out)
	}
	got := decodeJSON[model.Assessment](t, mustOut(t, env, "show", a.ID, "--json"))
	want.OpenSystem, want.Frameworks, want.DataCategories = false, nil, []model.DataCategory{model.DataPersonal}
	if !sameJSON(got.Scope, want) {
		t.Errorf("scope stored as %s", indentJSON(got.Scope))
	}
	trail := historyOf(t, env, a.ID)
	if e := trail[len(trail)-1]; e.Action != model.ActScope || e.Reason != "our IdP controls access" {
		t.Errorf("the change's entry: %+v", e)
	}
	failsOnus(t, env, exitError, []string{`unknown framework "part11"`}, "scope", a.ID, "--framework", "part11")

	// show names the editions, not the ids.
	if out := mustOut(t, env, "show", a.ID); !strings.Contains(out, "frameworks: 21 CFR Part 11 (current") || strings.Contains(out, "frameworks: all") {
		t.Errorf("show:\n%s", out)
	}
}

// onus help new says what an open system and an internet-facing one are,
// in the words of the clauses' author.
func TestHelpNewOpenAndInternetFacing(t *testing.T) {
	out := flat(mustOut(t, nil, "help", "new"))
	for _, w := range []string{helpOpenSystem, helpInternetFacing} {
		if !strings.Contains(out, flat(w)) {
			t.Errorf("onus help new lacks %q:\n%s", w, out)
		}
	}
}

// onus matrix prints exactly what the matrix goldens hold for the same
// selection and scope: one renderer for both, so what a reviewer diffs is
// what a user prints.
func TestCLIMatrixIsWhatTheGoldensHold(t *testing.T) {
	env, _ := embeddedEnv(t)
	scope := []string{"--multi-tenant", "--open-system", "--internet-facing", "--esignatures", "--data", "health,personal"}
	for golden, args := range map[string][]string{
		"ec2-rds-s3":  {"ec2", "rds", "s3"},
		"eks-fargate": {"eks", "--override", "eks/os=aws:Every task runs on AWS Fargate, so AWS runs and patches the operating system."},
		"appstream":   {"appstream"},
	} {
		want, err := os.ReadFile(filepath.Join("..", "..", "report", "testdata", "matrix", golden+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if got := mustOut(t, env, append(append([]string{"matrix"}, args...), scope...)...); got != string(want) {
			t.Errorf("onus matrix %s differs from %s.golden:\n%s", strings.Join(args, " "), golden, got)
		}
	}
	if _, err := os.Stat(env["ONUS_DB"]); err == nil {
		t.Error("onus matrix made a database")
	}

	out := mustOut(t, env, "matrix", "quicksight", "--gamp", "quicksight=5:custom visuals", "--framework", "21cfr11", "--json")
	doc := decodeJSON[struct {
		Editions []string `json:"editions"`
		Services []struct {
			GAMP int  `json:"gamp_category"`
			Own  bool `json:"gamp_by_assessment"`
		} `json:"services"`
		Controls []struct {
			ID, Owner string
		} `json:"controls"`
	}](t, out)
	if !slices.Equal(doc.Editions, []string{"21cfr11"}) || doc.Services[0].GAMP != 5 || !doc.Services[0].Own || len(doc.Controls) == 0 {
		t.Errorf("matrix --json: %+v", doc)
	}
	csvOut := mustOut(t, env, "matrix", "quicksight", "--gamp", "quicksight=5:custom visuals", "--framework", "21cfr11", "--csv")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut, "\uFEFF"))).ReadAll()
	if err != nil || len(recs) != len(doc.Controls)+1 || recs[0][0] != "Control" || recs[1][0] != doc.Controls[0].ID {
		t.Errorf("matrix --csv: %v, %d records for %d controls", err, len(recs), len(doc.Controls))
	}
	for _, bad := range [][]string{{"matrix"}, {"matrix", "s4"}, {"matrix", "s3", "--json", "--csv"}, {"matrix", "s3", "--override", "s3/os"},
		{"matrix", "s3", "--override", "ec2/os=aws:x"}, {"matrix", "s3", "--gamp", "s3=2:firmware"}, {"matrix", "s3", "--framework", "annex11,annex11-2025d"}} {
		if code, _, _ := runOnus(t, env, bad...); code == exitOK {
			t.Errorf("onus %q succeeded", bad)
		}
	}
}

// onus records prints and changes the Part 11 record inventory: --set
// adds or changes an entry (the options given), --rename renames it,
// --remove removes it, each an entry in the trail.
func TestCLIRecords(t *testing.T) {
	env, _ := embeddedEnv(t)
	id := newAssessment(t, env, "--name", "LIMS").ID
	if out := mustOut(t, env, "records", id); !strings.Contains(out, "no record inventory yet") {
		t.Errorf("records of a new assessment:\n%s", out)
	}
	failsOnus(t, env, exitError, []string{"needs the predicate rule"}, "records", id, "--set", "Batch record", "--part11",
		"--retention", "1 year", "--system", "MES", "--inspection", "read-only role")
	mustOnus(t, env, "records", id, "--set", "Batch record", "--part11", "--rule", "21 CFR 211.188",
		"--retention", "1 year", "--system", "MES", "--inspection", "read-only role")
	out := mustOut(t, env, "records", id, "--set", "Batch record", "--rename", "Batch production record", "--hybrid")
	if !strings.Contains(out, "Batch production record") || !strings.Contains(out, "21 CFR 211.188") {
		t.Errorf("after the rename:\n%s", out)
	}
	recs := decodeJSON[[]model.RecordEntry](t, mustOut(t, env, "records", id, "--json"))
	want := model.RecordEntry{DataClass: "Batch production record", PredicateRule: "21 CFR 211.188", Part11: true, Retention: "1 year",
		SystemOfRecord: "MES", Inspection: "read-only role", Hybrid: true}
	if !slices.Equal(recs, []model.RecordEntry{want}) {
		t.Errorf("records --json: %+v", recs)
	}
	failsOnus(t, env, exitUsage, []string{"--set CLASS"}, "records", id, "--retention", "2 years")
	mustOnus(t, env, "records", id, "--remove", "Batch production record")
	failsOnus(t, env, exitError, []string{"no record entry"}, "records", id, "--remove", "Batch production record")
	var targets []string
	for _, e := range historyOf(t, env, id) {
		if e.Action == model.ActRecord {
			targets = append(targets, e.Target)
		}
	}
	if len(targets) != 4 {
		t.Errorf("record entries in the trail: %v", targets)
	}
}

// onus services --gamp gives a selected service a GAMP 5 category of the
// assessment's own, with its justification, or the catalog's back.
func TestCLIServicesGAMP(t *testing.T) {
	env, _ := embeddedEnv(t)
	id := newAssessment(t, env, "--name", "Dashboards", "--services", "quicksight,s3").ID
	out := mustOut(t, env, "services", id, "--gamp", "quicksight=5", "--justification", "custom visuals")
	if !strings.Contains(out, "GAMP 5 (this assessment)") || !strings.Contains(out, "GAMP 1") {
		t.Errorf("services --gamp:\n%s", out)
	}
	failsOnus(t, env, exitError, []string{"needs a justification"}, "services", id, "--gamp", "s3=4")
	failsOnus(t, env, exitError, []string{"use 1, 3, 4 or 5"}, "services", id, "--gamp", "s3=2", "--justification", "firmware")
	failsOnus(t, env, exitError, []string{"not selected"}, "services", id, "--gamp", "ec2=4", "--justification", "x")
	failsOnus(t, env, exitUsage, []string{"SERVICE=CATEGORY"}, "services", id, "--gamp", "s3")
	failsOnus(t, env, exitUsage, []string{"needs none"}, "services", id, "--gamp", "quicksight=catalog", "--justification", "x")
	failsOnus(t, env, exitUsage, []string{"goes with --gamp"}, "services", id, "--justification", "x")
	a := decodeJSON[model.Assessment](t, mustOut(t, env, "show", id, "--json"))
	if g := a.Services[0].GAMP; g == nil || g.Category != 5 || g.Justification != "custom visuals" {
		t.Errorf("stored %+v", a.Services[0])
	}
	if out := mustOut(t, env, "services", id, "--gamp", "quicksight=catalog"); !strings.Contains(out, "GAMP 4") || strings.Contains(out, "this assessment") {
		t.Errorf("back to the catalog's:\n%s", out)
	}
}

// An assessment made with the catalog before the November review (the
// release at 1c4f9f7): onus show says its catalog is not the one in
// effect; onus catalog migrate --dry-run says what a move changes and
// writes nothing; without it, the move keeps both answers and is the
// trail's last entry; a second move has nothing to do.
func TestCLICatalogMigrate(t *testing.T) {
	env, _ := embeddedEnv(t)
	copyTo(t, filepath.Join("..", "..", "store", "testdata", "release3", "onus.db"), env["ONUS_DB"])
	sums := decodeJSON[[]model.Summary](t, mustOut(t, env, "list", "--json"))
	i := slices.IndexFunc(sums, func(s model.Summary) bool { return s.Name == "LIMS next round" })
	if i < 0 {
		t.Fatalf("no draft in the fixture: %+v", sums)
	}
	id := sums[i].ID
	if out := mustOut(t, env, "show", id); !strings.Contains(out, "catalog: 2026.11.0") || !strings.Contains(out, "not the catalog in effect") {
		t.Errorf("show:\n%s", out)
	}
	before := historyOf(t, env, id)
	out := mustOut(t, env, "catalog", "migrate", id, "--dry-run")
	for _, w := range []string{"made with catalog 2026.11.0", "controls that come to apply", "REC-13", "new in this catalog",
		"controls whose owner changes", "LC-10", "answers kept: 2; dropped: 0"} {
		if !strings.Contains(out, w) {
			t.Errorf("migrate --dry-run lacks %q:\n%s", w, out)
		}
	}
	if len(historyOf(t, env, id)) != len(before) {
		t.Fatal("--dry-run recorded something")
	}
	_, errs := mustOnus(t, env, "catalog", "migrate", id, "--reason", "November review")
	if !strings.Contains(errs, "moved "+id+" to catalog") {
		t.Errorf("migrate stderr %q", errs)
	}
	a := decodeJSON[model.Assessment](t, mustOut(t, env, "show", id, "--json"))
	trail := historyOf(t, env, id)
	if a.Catalog.Version == "2026.11.0" || len(a.Answers) != 2 || trail[len(trail)-1].Action != model.ActCatalog || trail[len(trail)-1].Reason != "November review" {
		t.Errorf("after the move: catalog %+v, %d answers, last entry %+v", a.Catalog, len(a.Answers), trail[len(trail)-1])
	}
	if out := mustOut(t, env, "show", id); strings.Contains(out, "not the catalog in effect") {
		t.Errorf("show after the move:\n%s", out)
	}
	if _, errs := mustOnus(t, env, "catalog", "migrate", id); !strings.Contains(errs, "nothing to move") {
		t.Errorf("a second move: %q", errs)
	}
	mustOnus(t, env, "verify", id)
	failsOnus(t, env, exitUsage, nil, "catalog", "migrate")

	// The fixture's final assessment: --dry-run says what a move would
	// change; the move is refused before any listing, and nothing is
	// recorded.
	i = slices.IndexFunc(sums, func(s model.Summary) bool { return s.Name != "LIMS next round" })
	final := sums[i].ID
	if out := mustOut(t, env, "catalog", "migrate", final, "--dry-run"); !strings.Contains(out, "answers kept: 2") {
		t.Errorf("migrate --dry-run of the final one:\n%s", out)
	}
	before = historyOf(t, env, final)
	code, out, errs := runOnus(t, env, "catalog", "migrate", final)
	if code != exitError || out != "" || !strings.Contains(errs, "final and read-only") || len(historyOf(t, env, final)) != len(before) {
		t.Errorf("migrate of a final assessment: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func copyTo(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
