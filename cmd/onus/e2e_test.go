package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// buildOnus builds the real binary once per test run.
func buildOnus(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "onus")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// tmuxSession runs a command in a detached tmux session of a fixed size.
type tmuxSession struct {
	t    *testing.T
	name string
}

func newTmux(t *testing.T, w, h int, command string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	// A tmux server of this test's own: a shared one exits when its last
	// session is killed, and a session started meanwhile, by the next test
	// or another test process, fails ("server exited unexpectedly").
	t.Setenv("TMUX_TMPDIR", t.TempDir())
	s := &tmuxSession{t: t, name: fmt.Sprintf("onus-e2e-%d", time.Now().UnixNano())}
	out, err := exec.Command("tmux", "new-session", "-d", "-s", s.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), command).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", s.name).Run() })
	return s
}

func (s *tmuxSession) capture() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	return string(out)
}

// waitFor polls the screen until it shows want, failing after 10 seconds.
func (s *tmuxSession) waitFor(want string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(s.capture(), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %q:\n%s", want, s.capture())
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		if out, err := exec.Command("tmux", "send-keys", "-t", s.name, k).CombinedOutput(); err != nil {
			s.t.Fatalf("send-keys %q: %v %s", k, err, out)
		}
	}
}

// text types literally (no key-name lookup).
func (s *tmuxSession) text(t string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", "send-keys", "-t", s.name, "-l", t).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys -l: %v %s", err, out)
	}
}

// TestWizardEndToEnd drives the real binary in tmux: create an assessment,
// select EC2, RDS and S3, answer three questions (one with evidence, one
// not applicable with its justification), quit, start again and find it all.
func TestWizardEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := buildOnus(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "onus.db")
	done := filepath.Join(dir, "exit")
	command := fmt.Sprintf("env ONUS_USER=e2e TERM=xterm-256color %s --db %s; echo $? > %s; sleep 60", bin, db, done)
	s := newTmux(t, 120, 40, command)

	s.waitFor("No assessments yet")
	s.keys("n")
	s.text("Clinical data lake")
	s.keys("Enter")
	s.waitFor("what is assessed")
	s.keys("Tab")
	s.waitFor("Record inventory")
	s.keys("Tab")
	s.waitFor("Supplier assessment of AWS")
	s.keys("Tab")
	s.waitFor("0 selected")
	for i, id := range []string{"ec2", "rds", "s3"} {
		s.keys("/", "C-u")
		s.text(id)
		s.keys("Enter")
		s.waitFor("▸[ ] " + id)
		s.keys("Space")
		s.waitFor(fmt.Sprintf("%d selected", i+1))
	}
	s.keys("Tab")
	s.waitFor("Questions 0/")
	s.keys("1")
	s.waitFor("Questions 1/")
	s.keys("e")
	s.waitFor("Link evidence to")
	s.keys("Enter")
	s.waitFor("New evidence entry")
	s.text("IQ report")
	s.keys("Down")
	s.text("IQ-007")
	s.keys("Enter")
	s.waitFor("▸ E1 IQ report IQ-007")
	s.keys("Escape")
	// Wait for the escape to land, or the next key would read as alt+key.
	s.waitFor("• E1 IQ report IQ-007")
	s.keys("j", "5")
	s.waitFor("Not applicable: why?")
	s.text("Covered by the corporate QRM SOP")
	s.keys("Enter")
	s.waitFor("Questions 2/")
	s.keys("j", "4")
	s.waitFor("Questions 3/")
	s.keys("q")
	waitFile(t, done)
	if code := strings.TrimSpace(readFile(t, done)); code != "0" {
		t.Fatalf("first run exited %s", code)
	}

	// Start again: it is all there.
	os.Remove(done)
	s2 := newTmux(t, 120, 40, command)
	s2.waitFor("Clinical data lake")
	s2.waitFor("3/")
	s2.keys("q")
	waitFile(t, done)

	out, err := exec.Command(bin, "--db", db, "list", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var sums []model.Summary
	if err := json.Unmarshal(out, &sums); err != nil || len(sums) != 1 {
		t.Fatalf("list: %v %s", err, out)
	}
	out, err = exec.Command(bin, "--db", db, "show", sums[0].ID, "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var a model.Assessment
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.ServiceIDs(), ","); got != "ec2,rds,s3" {
		t.Errorf("services %s", got)
	}
	var withEvidence, na, notImpl int
	for _, ans := range a.Answers {
		switch {
		case ans.Status == model.StatusImplemented && len(ans.Links) == 1 && len(a.Register) == 1 && a.Register[0].DocumentID == "IQ-007":
			withEvidence++
		case ans.Status == model.StatusNotApplicable && ans.Justification == "Covered by the corporate QRM SOP":
			na++
		case ans.Status == model.StatusNotImplemented:
			notImpl++
		}
		if ans.UpdatedBy != "e2e" {
			t.Errorf("answer %s attributed to %q", ans.Control, ans.UpdatedBy)
		}
	}
	if len(a.Answers) != 3 || withEvidence != 1 || na != 1 || notImpl != 1 {
		t.Fatalf("answers after restart: %+v", a.Answers)
	}
	if out, err := exec.Command(bin, "--db", db, "verify").CombinedOutput(); err != nil {
		t.Fatalf("verify: %v\n%s", err, out)
	}
}

// TestWizardNeedsTerminal: without a TTY the wizard explains and exits 2 at once.
func TestWizardNeedsTerminal(t *testing.T) {
	bin := buildOnus(t)
	cmd := exec.Command(bin, "--db", filepath.Join(t.TempDir(), "o.db"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2\n%s", err, out)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
	for _, want := range []string{"needs a terminal", "onus list --json", "onus answer"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("message lacks %q:\n%s", want, out)
		}
	}
}

// TestWizardCtrlCExits130 runs the wizard and presses ctrl+c.
func TestWizardCtrlCExits130(t *testing.T) {
	bin := buildOnus(t)
	dir := t.TempDir()
	done := filepath.Join(dir, "exit")
	s := newTmux(t, 100, 30, fmt.Sprintf("%s --db %s; echo $? > %s; sleep 60", bin, filepath.Join(dir, "o.db"), done))
	s.waitFor("No assessments yet")
	s.keys("C-c")
	waitFile(t, done)
	if code := strings.TrimSpace(readFile(t, done)); code != "130" {
		t.Fatalf("ctrl+c exited %s, want 130", code)
	}
}

func waitFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", path)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
