package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// onus export --format prep-xlsx, a filled pack back with import-answers:
// the preview, --dry-run writing nothing, the answers recorded by --as
// with the file's SHA-256, and a file with an error importing nothing.
func TestImportAnswersCommand(t *testing.T) {
	env, _ := storeEnv(t)
	out, _ := mustOnus(t, env, "new", "--name", "LIMS", "--services", "ec2,rds")
	id := strings.TrimSpace(out)
	dir := t.TempDir()
	pack := filepath.Join(dir, "lims.prep.xlsx")
	mustOnus(t, env, "export", id, "--format", "prep-xlsx", "-o", pack)

	// Filled in a spreadsheet program: the first control's Status (column K).
	f, err := excelize.OpenFile(pack)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Questions")
	row, ctrl := 2, rows[1][0]
	filled := filepath.Join(dir, "filled.xlsx")
	set := func(cell, v string) {
		t.Helper()
		if err := f.SetCellStr("Questions", cell, v); err != nil {
			t.Fatal(err)
		}
		if err := f.SaveAs(filled); err != nil {
			t.Fatal(err)
		}
	}
	set("K"+strconv.Itoa(row), " Implemented ")

	out, _ = mustOnus(t, env, "import-answers", id, filled, "--dry-run")
	if !strings.Contains(out, "1 answers to record, 0 in conflict") || !strings.Contains(out, ctrl+": unanswered -> implemented") {
		t.Fatalf("preview:\n%s", out)
	}
	if hist, _ := mustOnus(t, env, "history", id); strings.Contains(hist, "answer/"+ctrl) {
		t.Fatal("--dry-run wrote the answer")
	}
	mustOnus(t, env, "import-answers", id, filled, "--as", "Quinn Doe (QA lead)")
	hist, _ := mustOnus(t, env, "history", id, "--json")
	if !strings.Contains(hist, `"actor": "Quinn Doe (QA lead)"`) || !strings.Contains(hist, "imported from filled.xlsx (sha256 ") {
		t.Fatalf("history:\n%s", hist)
	}

	set("K"+strconv.Itoa(row+1), "maybe")
	code, out, errs := runOnus(t, env, "import-answers", id, filled)
	if code != exitError || !strings.Contains(out, "sheet Questions, row "+strconv.Itoa(row+1)+", column K (Status): \"maybe\" is not a status") || !strings.Contains(errs, "nothing was imported") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
}
