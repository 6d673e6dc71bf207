package tui

import (
	"os"
	"path/filepath"
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
