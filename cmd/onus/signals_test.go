package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// wizardPane runs the real binary in a tmux pane, inside a shell that
// records onus's pid before it starts, and after it exits its exit status
// and the terminal's settings (stty -a), so a test can see the state onus
// left the terminal in.
type wizardPane struct {
	*tmuxSession
	t                                *testing.T
	bin, dir, db                     string
	pidFile, exitFile, before, after string
	extraEnv                         string
	pidCache                         int
}

// startWizardPane starts onus on a fresh database in dir (a temporary
// directory when dir is ""); env is extra VAR=value words for env(1).
func startWizardPane(t *testing.T, dir, env string) *wizardPane {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	if dir == "" {
		dir = t.TempDir()
	}
	w := &wizardPane{t: t, bin: onusBinary(t), dir: dir, db: filepath.Join(dir, "onus.db"), extraEnv: env,
		pidFile: filepath.Join(dir, "pid"), exitFile: filepath.Join(dir, "exit"),
		before: filepath.Join(dir, "stty.before"), after: filepath.Join(dir, "stty.after")}
	for _, f := range []string{w.pidFile, w.exitFile, w.before, w.after} {
		os.Remove(f)
	}
	// The inner sh writes its own pid and then becomes onus (exec), so the
	// pid is onus's. The outer shell stays, to report on the terminal.
	inner := fmt.Sprintf("echo $$ > %s; exec env HOME=%s ONUS_USER=e2e TERM=xterm-256color %s %s --db %s",
		w.pidFile, dir, env, w.bin, w.db)
	command := fmt.Sprintf("stty -a > %s; sh -c '%s'; echo $? > %s; stty -a > %s; sleep 60",
		w.before, inner, w.exitFile, w.after)
	w.tmuxSession = newTmux(t, 120, 40, command)
	return w
}

// joined is the pane's text, scrollback included, with wrapped lines
// joined, so a long message reads as printed.
func (w *wizardPane) joined() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-J", "-S", "-", "-t", w.name).Output()
	return string(out)
}

// pid is onus's process id.
func (w *wizardPane) pid() int {
	w.t.Helper()
	if w.pidCache == 0 {
		waitFile(w.t, w.pidFile)
		n, err := strconv.Atoi(strings.TrimSpace(readFile(w.t, w.pidFile)))
		if err != nil {
			w.t.Fatal(err)
		}
		w.pidCache = n
	}
	return w.pidCache
}

// signal sends sig to onus.
func (w *wizardPane) signal(sig syscall.Signal) {
	w.t.Helper()
	if err := syscall.Kill(w.pid(), sig); err != nil {
		w.t.Fatalf("kill -%v %d: %v", sig, w.pid(), err)
	}
}

// exitCode waits for onus to exit and returns its exit status as the
// shell saw it.
func (w *wizardPane) exitCode() int {
	w.t.Helper()
	waitFile(w.t, w.exitFile)
	code, err := strconv.Atoi(strings.TrimSpace(readFile(w.t, w.exitFile)))
	if err != nil {
		w.t.Fatal(err)
	}
	return code
}

// answerTwo creates an assessment through the wizard and answers its first
// two questions (implemented, then not implemented), waiting until the
// question count shows each one saved (it counts saved answers only).
func (w *wizardPane) answerTwo(name string) {
	w.t.Helper()
	w.waitFor("No assessments yet")
	w.keys("n")
	w.text(name)
	w.keys("Enter")
	w.waitFor("what is assessed")
	w.keys("Tab")
	w.waitFor("Record inventory")
	w.keys("Tab")
	w.waitFor("Supplier assessment of AWS")
	w.keys("Tab")
	w.waitFor("0 selected")
	w.keys("/")
	w.text("s3")
	w.keys("Enter")
	w.waitFor("▸[ ] s3")
	w.keys("Space")
	w.waitFor("1 selected")
	w.keys("Tab")
	w.waitFor("Questions 0/")
	w.keys("1")
	w.waitFor("Questions 1/")
	w.keys("j", "4")
	w.waitFor("Questions 2/")
	w.waitFor("✔ saved")
}

// sttyFlags reads an stty -a listing into its set of words.
func sttyFlags(t *testing.T, path string) map[string]bool {
	t.Helper()
	words := map[string]bool{}
	for _, f := range strings.FieldsFunc(readFile(t, path), func(r rune) bool { return r == ' ' || r == ';' || r == '\n' }) {
		words[f] = true
	}
	return words
}

// checkTerminalRestored checks that onus left the terminal as it found it:
// line editing, echo and signals on (stty), the normal screen, the cursor
// shown and the mouse not captured (tmux's view of the pane).
func (w *wizardPane) checkTerminalRestored() {
	w.t.Helper()
	waitFile(w.t, w.after)
	// stty -a is written in one go; give the shell a moment to finish it.
	time.Sleep(50 * time.Millisecond)
	before, after := sttyFlags(w.t, w.before), sttyFlags(w.t, w.after)
	for _, flag := range []string{"echo", "icanon", "isig", "icrnl", "opost"} {
		if !before[flag] {
			w.t.Fatalf("the pane did not start with %s set:\n%s", flag, readFile(w.t, w.before))
		}
		if !after[flag] || after["-"+flag] {
			w.t.Errorf("after onus exited the terminal has -%s (raw mode left on):\n%s", flag, readFile(w.t, w.after))
		}
	}
	if b, a := readFile(w.t, w.before), readFile(w.t, w.after); b != a {
		w.t.Errorf("stty -a differs after onus exited:\nbefore:\n%s\nafter:\n%s", b, a)
	}
	out, err := exec.Command("tmux", "display-message", "-p", "-t", w.name,
		"#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{keypad_flag}").Output()
	if err != nil {
		w.t.Fatalf("tmux display-message: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != "0 1 0 0" {
		w.t.Errorf("pane state after exit (alternate screen, cursor shown, mouse, keypad) = %q, want \"0 1 0 0\"", got)
	}
}

// savedAnswers reads the database with the headless commands and returns
// the one assessment's answers.
func savedAnswers(t *testing.T, dir, db string) map[string]model.Answer {
	t.Helper()
	r := runBinary(t, dir, "--db", db, "list", "--json")
	var sums []model.Summary
	if err := json.Unmarshal([]byte(r.stdout), &sums); r.code != 0 || err != nil || len(sums) != 1 {
		t.Fatalf("list: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	r = runBinary(t, dir, "--db", db, "show", sums[0].ID, "--json")
	var a model.Assessment
	if err := json.Unmarshal([]byte(r.stdout), &a); r.code != 0 || err != nil {
		t.Fatalf("show: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if r := runBinary(t, dir, "--db", db, "verify"); r.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return a.Answers
}

// checkTwoAnswers checks that both answers answerTwo gave are in the file,
// the last one included.
func checkTwoAnswers(t *testing.T, dir, db string) {
	t.Helper()
	answers := savedAnswers(t, dir, db)
	var impl, notImpl int
	for _, a := range answers {
		switch a.Status {
		case model.StatusImplemented:
			impl++
		case model.StatusNotImplemented:
			notImpl++
		}
	}
	if len(answers) != 2 || impl != 1 || notImpl != 1 {
		t.Errorf("answers in the file: %+v, want one implemented and one not-implemented", answers)
	}
}

// TestWizardSignals stops the wizard with each signal that can reach it
// from outside: it must quit the way q does (the terminal restored, every
// given answer in the file) and exit 128+signal. Bubble Tea handles SIGINT
// and SIGTERM itself, but not SIGHUP, whose default action kills the
// process in raw mode.
func TestWizardSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
		code int
		says string
	}{
		{"SIGTERM", syscall.SIGTERM, 143, "stopped by SIGTERM"},
		{"SIGINT", syscall.SIGINT, 130, "interrupted"},
		{"SIGHUP", syscall.SIGHUP, 129, "stopped by SIGHUP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := startWizardPane(t, "", "")
			w.answerTwo("Signal " + tc.name)
			start := time.Now()
			w.signal(tc.sig)
			if code := w.exitCode(); code != tc.code {
				t.Errorf("exit status %d after %v, want %d\n%s", code, tc.sig, tc.code, w.capture())
			}
			// The quit is clean, not the kill that follows after 2s.
			if took := time.Since(start); took > 1500*time.Millisecond {
				t.Errorf("onus took %v to exit after %s", took, tc.name)
			} else {
				t.Logf("exited %v after %s", took.Round(time.Millisecond), tc.name)
			}
			w.checkTerminalRestored()
			if screen := w.joined(); !strings.Contains(screen, tc.says) {
				t.Errorf("the terminal does not say %q:\n%s", tc.says, screen)
			} else if tc.sig != syscall.SIGINT && !strings.Contains(screen, w.db) {
				t.Errorf("the message does not name the database %s:\n%s", w.db, screen)
			}
			checkTwoAnswers(t, w.dir, w.db)
			t.Logf("after %s:\n%s", tc.name, strings.TrimSpace(w.joined()))
		})
	}
}

// TestWizardPaneClosed closes the terminal under the wizard (tmux kills the
// pane, the kernel hangs up the terminal and sends SIGHUP): onus must go
// away promptly, releasing the file, with every given answer in it.
func TestWizardPaneClosed(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	w := startWizardPane(t, "", "")
	w.answerTwo("Pane closed")
	pid := w.pid()
	if out, err := exec.Command("tmux", "kill-session", "-t", w.name).CombinedOutput(); err != nil {
		t.Fatalf("tmux kill-session: %v %s", err, out)
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("onus (pid %d) still runs 5s after its terminal was closed", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// It quit rather than died: closing the file wrote the session's
	// backup (SIGHUP's default action ran no deferred code).
	if backups, _ := filepath.Glob(w.db + ".backups/onus-*.db"); len(backups) != 1 {
		t.Errorf("backups after the pane was closed: %v, want the one written on closing", backups)
	}
	checkTwoAnswers(t, w.dir, w.db) // and list would exit 3 were the file still held
}

// alive reports whether a process runs (a zombie, exited but not yet
// reaped by whoever inherited it, does not count).
func alive(pid int) bool {
	if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// pid (comm) state ...: the state follows the last ')'.
		s := string(data)
		if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
			return s[i+2] != 'Z' && s[i+2] != 'X'
		}
	}
	return syscall.Kill(pid, 0) == nil
}
