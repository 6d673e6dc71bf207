package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
)

// TestWizardCatalogFile: the wizard reads a --catalog file beside its
// first screen. A valid one opens an assessment as the embedded catalog
// does; an invalid one stops the wizard with the same problems and exit
// status as any command that reads it, and nothing is written, even with
// keys pressed at once.
func TestWizardCatalogFile(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := buildOnus(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "onus.db")
	var cat map[string]any
	if err := json.Unmarshal(assets.Catalog(), &cat); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, assets.Catalog(), 0o600)
	cat["controls"].([]any)[3].(map[string]any)["layers"] = []string{"nosuch"}
	bad := filepath.Join(dir, "bad.json")
	data, _ := json.Marshal(cat)
	os.WriteFile(bad, data, 0o600)

	env := map[string]string{"ONUS_DB": db, "ONUS_CATALOG": good}
	if code, out, errs := runOnus(t, env, "new", "--name", "LIMS", "--services", "ec2,s3"); code != 0 {
		t.Fatalf("new: %d %s %s", code, out, errs)
	}
	env["ONUS_CATALOG"] = bad
	wantCode, _, wantErr := runOnus(t, env, "stack", "ec2") // any command that reads the catalog
	if wantCode == 0 || !strings.Contains(wantErr, `unknown layer "nosuch"`) {
		t.Fatalf("stack on the bad catalog: exit %d, %s", wantCode, wantErr)
	}

	t.Run("valid", func(t *testing.T) {
		done := filepath.Join(dir, "exit-good")
		s := newTmux(t, 120, 40, fmt.Sprintf("env TERM=xterm-256color %s --db %s --catalog %s; echo $? > %s; sleep 60", bin, db, good, done))
		s.waitFor("LIMS")
		s.keys("Enter")
		s.waitFor("every answer is saved as you give it")
		s.keys("q")
		waitFile(t, done)
	})
	t.Run("invalid", func(t *testing.T) {
		done, errFile := filepath.Join(dir, "exit-bad"), filepath.Join(dir, "stderr")
		s := newTmux(t, 120, 40, fmt.Sprintf("env TERM=xterm-256color %s --db %s --catalog %s 2>%s; echo $? > %s; sleep 60", bin, db, bad, errFile, done))
		s.keys("n")
		s.text("Written?")
		s.keys("Enter")
		waitFile(t, done)
		if code := strings.TrimSpace(readFile(t, done)); code != fmt.Sprint(wantCode) {
			t.Fatalf("exit %s, want %d", code, wantCode)
		}
		if got := readFile(t, errFile); got != wantErr {
			t.Fatalf("stderr:\n%s\nwant:\n%s", got, wantErr)
		}
		env["ONUS_CATALOG"] = good
		if _, out, _ := runOnus(t, env, "list"); strings.Contains(out, "Written?") {
			t.Fatalf("written with an invalid catalog:\n%s", out)
		}
	})
}
