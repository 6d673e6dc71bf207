//go:build linux

package main

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// TestWizardDiskFull fills the disk under the running wizard (prlimit sets
// its file-size limit to the two meta pages, so every commit fails with
// EFBIG as on a full disk; Go ignores SIGXFSZ, so onus is not killed): the
// answer must stay on screen marked NOT SAVED with the reason, and once
// there is room again the next key must save it to the same file.
func TestWizardDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	w := startWizardPane(t, "", "")
	w.answerTwo("Disk full")
	limit := func(fsize string) {
		t.Helper()
		if out, err := exec.Command("prlimit", "--pid", fmt.Sprint(w.pid()), "--fsize="+fsize).CombinedOutput(); err != nil {
			t.Fatalf("prlimit --fsize=%s: %v %s", fsize, err, out)
		}
	}
	limit("8192:unlimited")

	w.keys("j", "2")
	w.waitFor("NOT SAVED (1 kept, tried again on your next key)")
	w.waitFor("Status: ◐ partial  NOT SAVED")
	if screen := w.joined(); !strings.Contains(screen, "file too large") || !strings.Contains(screen, "Questions 2/") {
		t.Fatalf("the reason, or the count of saved answers, is wrong:\n%s", screen)
	}
	w.keys("j") // still full: tried again, kept again
	w.waitFor("NOT SAVED (1 kept")
	w.keys("k")
	w.waitFor("Status: ◐ partial  NOT SAVED")

	limit("unlimited:unlimited")
	w.keys("j") // any key tries again
	w.waitFor("Questions 3/")
	w.waitFor("✔ saved")
	if screen := w.capture(); strings.Contains(screen, "NOT SAVED") {
		t.Fatalf("still NOT SAVED once there is room:\n%s", screen)
	}
	w.keys("q")
	if code := w.exitCode(); code != 0 {
		t.Fatalf("exit status %d\n%s", code, w.joined())
	}
	w.checkTerminalRestored()

	answers := savedAnswers(t, w.dir, w.db) // verifies the file too
	partial := 0
	for _, a := range answers {
		if a.Status == model.StatusPartial {
			partial++
		}
	}
	if len(answers) != 3 || partial != 1 {
		t.Errorf("answers in the file: %+v, want the two from before and the partial one", answers)
	}
}
