package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fields promised for `onus catalog dump --json`.
type dumped struct {
	Version string `json:"version"`
	Layers  []struct {
		ID, Name string
	} `json:"layers"`
	Services []struct {
		ID, Name, Model string
	} `json:"services"`
	Controls []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Refs  []struct {
			Framework string `json:"framework"`
			Clause    string `json:"clause"`
		} `json:"refs"`
	} `json:"controls"`
}

func TestCatalogDumpJSON(t *testing.T) {
	code, out, errOut := runOnus(t, nil, "catalog", "dump", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d dumped
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Version == "" || len(d.Layers) == 0 || len(d.Services) < 60 || len(d.Controls) < 50 {
		t.Fatalf("dump: version %q, %d layers, %d services, %d controls", d.Version, len(d.Layers), len(d.Services), len(d.Controls))
	}
	models := map[string]bool{}
	for _, s := range d.Services {
		models[s.Model] = true
	}
	for _, m := range []string{"infrastructure", "container", "abstracted"} {
		if !models[m] {
			t.Errorf("no %s service in the dump", m)
		}
	}
	clauses := map[string]bool{}
	for _, c := range d.Controls {
		for _, r := range c.Refs {
			clauses[r.Framework+" "+r.Clause] = true
		}
	}
	for _, want := range []string{"21cfr11 11.10(e)", "21cfr11 11.300(a)", "annex11 9", "annex11 4.2"} {
		if !clauses[want] {
			t.Errorf("dump cites no %s", want)
		}
	}

	// The dump is itself a valid catalog and loads as one.
	path := filepath.Join(t.TempDir(), "dump.json")
	if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	code, vout, verr := runOnus(t, nil, "catalog", "validate", path)
	if code != 0 || !strings.Contains(vout, "valid catalog") {
		t.Fatalf("validate dump: exit %d\n%s%s", code, vout, verr)
	}
	code, out2, _ := runOnus(t, nil, "--catalog", path, "catalog", "dump", "--json")
	if code != 0 || out2 != out {
		t.Fatal("dumping the loaded dump does not give the same catalog")
	}
}

func TestCatalogValidateReportsEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	src, err := os.ReadFile("../../model/testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "layers: [data, os]", "layers: [data, kernel]", 1)
	bad = strings.Replace(bad, "model: abstracted}", "model: serverless}", 1)
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runOnus(t, nil, "catalog", "validate", path)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"2 problems", path + ":line 26: service \"s3\": unknown model", path + ":line 33: control \"REC-01\": unknown layer \"kernel\""} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	if code, _, errOut := runOnus(t, nil, "catalgo"); code != 2 || !strings.Contains(errOut, `did you mean "catalog"`) {
		t.Errorf("unknown command: exit %d, %s", code, errOut)
	}
	if code, _, _ := runOnus(t, nil, "catalog"); code != 2 {
		t.Errorf("catalog without subcommand: exit %d", code)
	}
	if code, out, _ := runOnus(t, nil, "--help"); code != 0 || !strings.Contains(out, "COMMANDS") || !strings.Contains(out, "catalog ACTION") {
		t.Errorf("--help: exit %d", code)
	}
}

// The synthetic catalog ten times the default, for load tests, is made by
// the dump and works through --catalog like any other.
func TestScaledCatalogLoadsThroughCatalogFlag(t *testing.T) {
	code, out, errOut := runOnus(t, nil, "catalog", "dump", "--json", "--scale", "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	_, base, _ := runOnus(t, nil, "catalog", "dump", "--json")
	var d1, d10 dumped
	if err := json.Unmarshal([]byte(base), &d1); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &d10); err != nil {
		t.Fatal(err)
	}
	if len(d10.Services) != 10*len(d1.Services) || len(d10.Controls) != 10*len(d1.Controls) {
		t.Fatalf("--scale 10: %d services and %d controls from %d and %d", len(d10.Services), len(d10.Controls), len(d1.Services), len(d1.Controls))
	}
	env := map[string]string{"ONUS_DB": filepath.Join(dir, "onus.db"), "ONUS_USER": "tester"}
	code, _, errOut = runOnus(t, env, "--catalog", big, "new", "--name", "Load test", "--services", "ec2,ec2-x9,s3-x3")
	if code != 0 {
		t.Fatalf("new on the scaled catalog: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runOnus(t, nil, "catalog", "dump", "--json", "--scale", "0"); code != exitUsage || !strings.Contains(errOut, "--scale") {
		t.Errorf("--scale 0: exit %d: %s", code, errOut)
	}
}
