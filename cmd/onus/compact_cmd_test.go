package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// onus compact shrinks a file emptied of most of its assessments, says
// both sizes, and leaves every record verifying; it refuses a file that
// does not exist (exit 1), one held open elsewhere (exit 3) and a damaged
// one (exit 4).
func TestCLICompact(t *testing.T) {
	env, _ := storeEnv(t)
	path := env["ONUS_DB"]
	failsOnus(t, env, exitError, []string{"does not exist yet"}, "compact")

	db, err := store.Open(path, store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 8 {
		a, err := db.Create(model.Assessment{Name: fmt.Sprintf("Assessment %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		var answers []model.Answer
		for j := range 150 {
			answers = append(answers, model.Answer{Control: fmt.Sprintf("C-%03d", j), Status: model.StatusImplemented, Notes: strings.Repeat("reviewed; ", 20)})
		}
		if _, err := db.Answers(a.ID, answers, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	for _, id := range ids[1:] {
		if err := db.Purge(id); err != nil {
			t.Fatal(err)
		}
	}
	// Held open: refused, the file untouched.
	failsOnus(t, env, exitInUse, []string{"in use by another onus"}, "compact")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	full := fileSize(t, path)
	_, errs := mustOnus(t, env, "compact")
	after := fileSize(t, path)
	if after > full/2 {
		t.Errorf("compact took a file with 1 of its 8 assessments left from %d to %d bytes", full, after)
	}
	if !strings.Contains(errs, fmt.Sprintf("(%d bytes) → ", full)) || !strings.Contains(errs, fmt.Sprintf("(%d bytes)\n", after)) {
		t.Errorf("compact said %q, want both sizes (%d and %d bytes)", errs, full, after)
	}
	out, _ := mustOnus(t, env, "verify")
	if !strings.Contains(out, "1 assessment checked, 0 failed") {
		t.Errorf("verify after compact:\n%s", out)
	}

	if err := os.Truncate(path, after/2); err != nil {
		t.Fatal(err)
	}
	failsOnus(t, env, exitDamaged, []string{"damaged"}, "compact")
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}
