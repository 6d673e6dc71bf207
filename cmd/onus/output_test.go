package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExportOutputFile: -o never replaces a file silently, never writes
// over the database or into its backups, never follows a symlink, and
// gives a shared report the user's umask rather than 0600.
func TestExportOutputFile(t *testing.T) {
	env, id := exportSetup(t)
	dir := t.TempDir()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)

	report := filepath.Join(dir, "r.md")
	if code, _, errs := runOnus(t, env, "export", id, "--format", "md", "-o", report); code != 0 {
		t.Fatalf("first export: exit %d: %s", code, errs)
	}
	if info, err := os.Stat(report); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("report mode %v (%v), want 0644 from the umask", info.Mode().Perm(), err)
	}

	if err := os.WriteFile(report, []byte("the user's own notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runOnus(t, env, "export", id, "--format", "md", "-o", report)
	if code != exitError || !strings.Contains(errs, "--force") {
		t.Errorf("export over an existing file: exit %d, stderr %q; want exit %d naming --force", code, errs, exitError)
	}
	if data, _ := os.ReadFile(report); string(data) != "the user's own notes" {
		t.Error("an existing file was replaced without --force")
	}
	if code, _, errs := runOnus(t, env, "export", id, "--format", "md", "-o", report, "--force"); code != 0 {
		t.Fatalf("export --force: exit %d: %s", code, errs)
	}
	if data, _ := os.ReadFile(report); !bytes.Contains(data, []byte("REC-01")) {
		t.Error("--force did not replace the file with the report")
	}

	db := env["ONUS_DB"]
	before, _ := os.ReadFile(db)
	for _, target := range []string{db, filepath.Join(db+".backups", "r.md")} {
		os.MkdirAll(db+".backups", 0o700)
		code, _, errs := runOnus(t, env, "export", id, "--format", "md", "-o", target, "--force")
		if code == 0 || !strings.Contains(errs, "refusing to write") {
			t.Errorf("-o %s: exit %d, stderr %q; want a refusal", target, code, errs)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("the database changed after exports aimed at it")
	}

	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep"), 0o600)
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	runOnus(t, env, "export", id, "--format", "md", "-o", link, "--force")
	if data, _ := os.ReadFile(victim); string(data) != "keep" {
		t.Error("an export through a symlink wrote into its target")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".onus-tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

// -o - is standard output for export, as for most tools, and no file named
// "-" is made; the commands that only write files refuse it as a usage
// error instead of writing one.
func TestOutputDash(t *testing.T) {
	env, id := exportSetup(t)
	t.Chdir(t.TempDir())
	code, out, errs := runOnus(t, env, "export", id, "--format", "md", "-o", "-")
	if code != 0 || !strings.Contains(out, "REC-01") || strings.Contains(errs, "wrote") {
		t.Errorf("export -o -: exit %d, %d bytes out, stderr %q; want the report on standard output", code, len(out), errs)
	}
	code, _, errs = runOnus(t, env, "lens", "export", "-o", "-")
	if code != exitUsage || !strings.Contains(errs, "name a file") {
		t.Errorf("lens export -o -: exit %d, stderr %q; want a usage error", code, errs)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Error(`a file named "-" was written`)
	}
}
