package main

import (
	"strings"
	"testing"
	"time"
)

// TestWizardPanicContained makes the real wizard panic, through the
// ONUS_TEST_PANIC hook (tui.Config.TestPanic; the key "!" panics), in each
// place its code runs: Update, a command (every store call is one), a
// command inside a batch, and View. Each time the terminal must be restored,
// the message must say what happened, that the saved answers are intact and
// where they are, onus must exit 1, and the answers given before must read
// back from a file that verifies.
func TestWizardPanicContained(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	for _, tc := range []struct {
		where string
		says  string // the panic's own words, printed with its stack
	}{
		{"update", "test panic in Update"},
		{"cmd", "test panic in a command (ONUS_TEST_PANIC=cmd)"},
		{"batch", "test panic in a command (ONUS_TEST_PANIC=batch)"},
		{"view", "test panic in View"}, // caught by Bubble Tea itself
	} {
		t.Run(tc.where, func(t *testing.T) {
			w := startWizardPaneOf(t, onusTestHooksBinary(t), "", "ONUS_TEST_PANIC="+tc.where)
			w.answerTwo("Panic in " + tc.where)
			start := time.Now()
			w.text("!")
			if code := w.exitCode(); code != exitError {
				t.Errorf("exit status %d after a panic in %s, want %d\n%s", code, tc.where, exitError, w.joined())
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("onus took %v to exit after the panic", took)
			}
			w.checkTerminalRestored()
			screen := w.joined()
			for _, want := range []string{
				tc.says,
				"onus: the wizard stopped on an internal error (a bug in onus)",
				"The details are above; please report them.",
				"Your saved answers are intact: every change the wizard showed as saved is in",
				"  " + w.db + "\n",
				"the file checks clean now (1 assessment, every audit trail verified)",
				"Start onus again to carry on.",
			} {
				if !strings.Contains(screen, want) {
					t.Errorf("the terminal does not show %q:\n%s", want, screen)
				}
			}
			if tc.where != "view" && !strings.Contains(screen, "goroutine ") {
				t.Errorf("no stack trace for the bug report:\n%s", screen)
			}
			checkTwoAnswers(t, w.dir, w.db)
			if t.Failed() || testing.Verbose() {
				t.Logf("the terminal after the panic:\n%s", strings.TrimSpace(screen))
			}
		})
	}
}

// The first list is read in a goroutine Onus starts itself, before Bubble
// Tea runs: a panic there stops the wizard the same way, with the list's
// own stack, and the answers saved in an earlier session intact.
func TestWizardPanicInFirstList(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	first := startWizardPane(t, "", "")
	first.answerTwo("Panic in the first list")
	first.keys("q")
	if code := first.exitCode(); code != 0 {
		t.Fatalf("quitting the first session: exit %d\n%s", code, first.joined())
	}
	w := startWizardPaneOf(t, onusTestHooksBinary(t), first.dir, "ONUS_TEST_PANIC=list")
	if code := w.exitCode(); code != exitError {
		t.Fatalf("exit status %d after a panic in the first list, want %d\n%s", code, exitError, w.joined())
	}
	w.checkTerminalRestored()
	screen := w.joined()
	for _, want := range []string{
		"test panic in the first list (ONUS_TEST_PANIC=list)",
		"onus: the wizard stopped on an internal error (a bug in onus)",
		"Your saved answers are intact",
		"goroutine ",
		"store_cmds.go", // the list's stack, not the command's that carried it
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal does not show %q:\n%s", want, screen)
		}
	}
	checkTwoAnswers(t, w.dir, w.db)
}
