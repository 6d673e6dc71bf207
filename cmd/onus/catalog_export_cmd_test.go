package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/report"
)

// onus catalog export writes the report package's documents, by default
// under the names the documents link each other by, so that a profile
// written beside its catalog finds it.
func TestCatalogExportOSCAL(t *testing.T) {
	env, cat := embeddedEnv(t)
	dir := t.TempDir()
	t.Chdir(dir)

	_, errs := mustOnus(t, env, "catalog", "export", "--format", "oscal-catalog")
	catFile := report.CatalogFileName(cat)
	want, err := report.OSCALCatalog(cat)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(catFile); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s: %v, the same bytes as OSCALCatalog: %v", catFile, err, bytes.Equal(got, want))
	}
	if !strings.HasPrefix(errs, "wrote "+catFile+" (") {
		t.Errorf("stderr %q", errs)
	}

	// The file is there: replaced only with --force.
	failsOnus(t, env, exitError, []string{"add --force to replace it"}, "catalog", "export", "--format", "oscal-catalog")
	mustOnus(t, env, "catalog", "export", "--format", "oscal-catalog", "--force")

	mustOnus(t, env, "catalog", "export", "--format", "oscal-profile", "--framework", "21cfr11")
	profFile := report.ProfileFileName(cat, "21cfr11")
	prof, err := os.ReadFile(profFile)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := report.OSCALProfile(cat, "21cfr11"); !bytes.Equal(prof, want) {
		t.Error("the profile is not OSCALProfile's")
	}
	// The profile's import resolves to the catalog file beside it.
	var doc struct {
		Profile struct {
			BackMatter struct {
				Resources []struct {
					Rlinks []struct{ Href string } `json:"rlinks"`
				} `json:"resources"`
			} `json:"back-matter"`
		} `json:"profile"`
	}
	if err := json.Unmarshal(prof, &doc); err != nil {
		t.Fatal(err)
	}
	linked := false
	for _, r := range doc.Profile.BackMatter.Resources {
		for _, l := range r.Rlinks {
			if _, err := os.Stat(filepath.Join(dir, l.Href)); err == nil && l.Href == catFile {
				linked = true
			}
		}
	}
	if !linked {
		t.Errorf("the profile links to no catalog file beside it: %+v", doc.Profile.BackMatter)
	}

	// -o names another file; to the same bytes.
	other := filepath.Join(dir, "out", "annex11.json")
	os.Mkdir(filepath.Dir(other), 0o700)
	mustOnus(t, env, "catalog", "export", "--format", "oscal-profile", "--framework", "annex11", "-o", other)
	if got, _ := os.ReadFile(other); !json.Valid(got) || !bytes.Contains(got, []byte(`"profile"`)) {
		t.Error("-o did not get the profile")
	}

	failsOnus(t, env, exitUsage, []string{"catalog export needs --format oscal-catalog or oscal-profile"}, "catalog", "export")
	failsOnus(t, env, exitUsage, []string{`unknown catalog format "oscal-ar"`}, "catalog", "export", "--format", "oscal-ar")
	failsOnus(t, env, exitUsage, []string{"--format oscal-profile needs --framework"}, "catalog", "export", "--format", "oscal-profile")
	failsOnus(t, env, exitUsage, []string{"--framework selects a profile"}, "catalog", "export", "--format", "oscal-catalog", "--framework", "21cfr11")
	failsOnus(t, env, exitError, []string{`unknown framework "nope" (profiles: 21cfr11, annex11`}, "catalog", "export", "--format", "oscal-profile", "--framework", "nope")

	// Completion offers the catalog's formats and the editions a profile can be made of.
	if got, _ := complete(t, env, "catalog", "export", "--format", ""); len(got) != 2 || !strings.HasPrefix(got[0], "oscal-catalog\t") {
		t.Errorf("--format completes %q", got)
	}
	got, _ := complete(t, env, "catalog", "export", "--format", "oscal-profile", "--framework", "")
	if want := report.ProfileFrameworks(cat); len(got) != len(want) || !strings.HasPrefix(got[0], want[0]+"\t") {
		t.Errorf("--framework completes %q, want %v", got, want)
	}
	if got, _ := complete(t, env, "catalog", ""); !strings.Contains(strings.Join(got, "\n"), "export\t") {
		t.Errorf("catalog completes %q", got)
	}
}
