//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

// TestExportBundleFailingMidwayLeavesNoFile streams a bundle larger than
// the file-size limit prlimit sets on onus (EFBIG, as on a full disk; Go
// ignores SIGXFSZ): the write fails part-way through the trail, and
// neither the file nor a temporary one is left; with room, the same
// command writes the bundle that reads back, byte for byte, as the
// canonical encoding.
func TestExportBundleFailingMidwayLeavesNoFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds onus")
	}
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	dir := t.TempDir()
	catPath := filepath.Join(dir, "catalog.yaml")
	if err := os.WriteFile(catPath, []byte(exportCatalog), 0o600); err != nil {
		t.Fatal(err)
	}
	cat, err := model.ParseCatalog([]byte(exportCatalog), "catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := synth.Answered(cat, "stream000000001", 2, 2000, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, "in.json")
	if err := os.WriteFile(bundle, data, 0o600); err != nil {
		t.Fatal(err)
	}
	bin := onusBinary(t)
	run := func(prefix []string, args ...string) (string, error) {
		cmd := exec.Command(prefix[0], append(prefix[1:], args...)...)
		cmd.Env = []string{"HOME=" + dir, "ONUS_USER=tester", "ONUS_DB=" + filepath.Join(dir, "onus.db"), "ONUS_CATALOG=" + catPath, "PATH=" + os.Getenv("PATH")}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run([]string{bin}, "import", bundle); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}

	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o700)
	target := filepath.Join(outDir, "b.json")
	limit := len(data) / 4 // well past the first buffered writes, well before the end
	out, err := run([]string{"prlimit", fmt.Sprintf("--fsize=%d", limit), bin}, "export", b.Assessment.ID, "--format", "json", "-o", target)
	if err == nil || !strings.Contains(out, "file too large") {
		t.Fatalf("export past the file-size limit: %v\n%s", err, out)
	}
	if left, _ := os.ReadDir(outDir); len(left) != 0 {
		t.Fatalf("a failed export left %v", left)
	}

	if out, err := run([]string{bin}, "export", b.Assessment.ID, "--format", "json", "-o", target); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	got, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	back, err := model.DecodeBundle(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Trail) != len(b.Trail)+1 { // and the import's own entry
		t.Fatalf("%d entries exported, want %d", len(back.Trail), len(b.Trail)+1)
	}
	if again, _ := back.Encode(); string(again) != string(got) {
		t.Fatal("the streamed bundle is not the canonical encoding of what it holds")
	}
	if err := back.Verify(); err != nil {
		t.Fatal(err)
	}
}
