package tui

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Exports go to a folder under the user's documents, not the current
// directory.
func TestDefaultExportDir(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	if got := DefaultExportDir(env(map[string]string{"HOME": "/home/ann"})); got != "/home/ann/Documents/Onus" {
		t.Errorf("with HOME: %s", got)
	}
	if got := DefaultExportDir(env(map[string]string{"HOME": "/home/ann", "XDG_DOCUMENTS_DIR": "/home/ann/Dokumente"})); got != "/home/ann/Dokumente/Onus" {
		t.Errorf("with XDG_DOCUMENTS_DIR: %s", got)
	}
}

// A missing folder is offered, not an error: n goes back to the form with
// what was typed, y creates it and writes. A file that exists is replaced
// only on a y. The dialog ends with the full path.
func TestExportFolderAndOverwrite(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	h.press("x", "tab", "ctrl+u")
	dir := filepath.Join(h.dir, "reports", "2026")
	h.typeText(dir)
	h.press("enter")
	if _, ok := h.m.dialog().(*confirmDialog); !ok || !strings.Contains(h.view(), "does not exist") {
		t.Fatalf("a missing folder is not offered:\n%s", h.view())
	}
	h.press("n")
	d, ok := h.m.dialog().(*exportDialog)
	if !ok || d.folder.text() != dir || len(h.writes) != 0 {
		t.Fatalf("n lost the typed folder or wrote: %T %d", h.m.dialog(), len(h.writes))
	}
	h.press("enter", "y")
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		t.Fatalf("the folder was not created: %v", err)
	}
	path := filepath.Join(dir, "lims-on-aws-"+h.m.a.ID+".json")
	if _, ok := h.writes[path]; !ok || !strings.Contains(h.view(), path) {
		t.Fatalf("not written to %s, or the path not shown:\n%s", path, h.view())
	}
	// Again, to a file that exists now.
	if err := os.WriteFile(path, []byte("earlier export"), 0o600); err != nil {
		t.Fatal(err)
	}
	delete(h.writes, path)
	h.press("enter", "x", "tab", "ctrl+u")
	h.typeText(dir)
	h.press("enter")
	if _, ok := h.m.dialog().(*confirmDialog); !ok || !strings.Contains(h.view(), "exists") {
		t.Fatalf("overwriting does not ask:\n%s", h.view())
	}
	h.press("n")
	if len(h.writes) != 0 {
		t.Fatal("n overwrote the file")
	}
	h.press("enter", "y")
	if _, ok := h.writes[path]; !ok {
		t.Fatal("y did not replace the file")
	}
}

// A relative path typed in the wizard starts in the folder onus was
// started in (Config.Dir), whatever the process's working directory is
// by then: under onus serve, a relayed command runs in its caller's.
func TestRelativePathsStartWhereOnusStarted(t *testing.T) {
	h := newHarness(t, 100, 30)
	started := filepath.Join(h.dir, "started")
	h.m.cfg.Dir = started
	if err := os.CopyFS(started, os.DirFS(filepath.Dir(samTemplate))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	h.workshop()

	h.press("x", "tab", "ctrl+u")
	h.typeText("reports")
	h.press("enter", "y")
	want := filepath.Join(started, "reports", "lims-on-aws-"+h.m.a.ID+".json")
	if _, ok := h.writes[want]; !ok {
		t.Fatalf("the export went to %v, want %s", slices.Collect(maps.Keys(h.writes)), want)
	}
	h.press("enter")

	var read string
	h.m.cfg.ReadPack = func(path string) ([]byte, error) { read = path; return nil, errors.New("not a pack") }
	h.importPack("filled.xlsx", "Quinn")
	if want := filepath.Join(started, "filled.xlsx"); read != want {
		t.Errorf("the pack read from %q, want %q", read, want)
	}
	h.press("esc", "esc")

	// Infrastructure as code: read from there, named as typed.
	h.tabTo("Services")
	h.scanIaC("template.yaml")
	if d, ok := h.m.dialog().(*iacFoundDialog); !ok || !strings.Contains(h.view(), "template.yaml (cloudformation") || len(d.add) == 0 {
		t.Errorf("the template in the folder onus started in was not read: %s\n%s", h.m.flash, h.view())
	}
}
