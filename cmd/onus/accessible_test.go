package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/onus-gxp/onus/model"
)

// runOnusWith runs onus in-process with stdin and an environment.
func runOnusWith(t *testing.T, stdin string, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = run(e, args)
	return code, out.String(), errb.String()
}

// --accessible, or ACCESSIBLE set to anything but a false value, runs the
// wizard as line prompts, which work on a pipe: through the global options
// alone and through the command tree (a single-dash option), the same.
// Without it, a pipe still gets the no-terminal message, which now names
// accessible mode; TERM=dumb switches it on only on a terminal.
func TestAccessibleModeOnAPipe(t *testing.T) {
	input := "\nPiped\n\n9\nq\n" // create, name it, scope done, back to the list, quit
	dir := t.TempDir()
	for i, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--accessible", "--db", "DB"}},
		{map[string]string{"ACCESSIBLE": "1"}, []string{"--db", "DB"}},
		{map[string]string{"ACCESSIBLE": "yes"}, []string{"-db", "DB"}},
		{map[string]string{"ACCESSIBLE": "true"}, []string{"-db", "DB", "-accessible"}},
	} {
		db := filepath.Join(dir, fmt.Sprintf("%d.db", i))
		for j, a := range tc.args {
			tc.args[j] = strings.ReplaceAll(a, "DB", db)
		}
		code, out, errs := runOnusWith(t, input, tc.env, tc.args...)
		if code != exitOK || errs != "" || strings.Contains(out, "\x1b") ||
			!strings.HasPrefix(out, "Onus, accessible mode. Every answer is saved as you give it, in "+db+", recorded as ") ||
			!strings.Contains(out, "Name (required): Piped\nSaved: created Piped.\n") ||
			!strings.HasSuffix(out, "Choose 1 to 3: q\nGoodbye. Everything is saved in "+db+".\n") {
			t.Errorf("%v %q: exit %d, stderr %q, stdout:\n%s", tc.env, tc.args, code, errs, out)
		}
		if code, list, _ := runOnus(t, nil, "--db", db, "list"); code != exitOK || !strings.Contains(list, "Piped") {
			t.Errorf("%v %q: not created: %s", tc.env, tc.args, list)
		}
	}
	db := filepath.Join(dir, "o.db")
	for _, env := range []map[string]string{nil, {"ACCESSIBLE": "0"}, {"ACCESSIBLE": "false"}, {"TERM": "dumb"}} {
		code, out, errs := runOnusWith(t, input, env, "--db", db)
		if code != exitUsage || out != "" || !strings.Contains(errs, "the wizard needs a terminal") || !strings.Contains(errs, "onus --accessible") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", env, code, out, errs)
		}
	}
}

// The real binary on a pipe: SIGINT while it waits for a line exits 130,
// SIGTERM 143, at once, and what was given before is in the file.
func TestAccessibleModeSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := onusBinary(t)
	for i, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		db := filepath.Join(t.TempDir(), "o.db")
		cmd := exec.Command(bin, "--accessible", "--db", db)
		cmd.Env = []string{"HOME=" + t.TempDir(), "ONUS_USER=e2e"}
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var out, errb syncBuffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		io.WriteString(stdin, fmt.Sprintf("\nSignalled %d\n", i))
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), "Choose 1 to 13, or enter for 13: ") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		start := time.Now()
		cmd.Process.Signal(sig)
		cmd.Wait()
		stdin.Close()
		want := map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143}[sig]
		if code := cmd.ProcessState.ExitCode(); code != want || time.Since(start) > 2*time.Second ||
			!strings.Contains(out.String(), "\nInterrupted. Everything is saved in "+db+".\n") {
			t.Errorf("%v: exit %d after %v, want %d\nstdout: %s\nstderr: %s", sig, code, time.Since(start), want, out.String(), errb.String())
		}
		code, list, _ := runOnus(t, nil, "--db", db, "list")
		if code != exitOK || !strings.Contains(list, fmt.Sprintf("Signalled %d", i)) {
			t.Errorf("%v: lost the assessment: %s", sig, list)
		}
	}
}

// On a terminal whose TERM is dumb, which has no cursor addressing to
// draw the wizard with, onus starts accessible mode; ctrl+d ends it.
func TestAccessibleModeOnADumbTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := onusBinary(t)
	dir := t.TempDir()
	done := filepath.Join(dir, "exit")
	s := newTmux(t, 100, 30, fmt.Sprintf("env -i HOME=%s ONUS_USER=e2e TERM=dumb %s --db %s; echo $? > %s; sleep 60", dir, bin, filepath.Join(dir, "o.db"), done))
	s.waitFor("Choose 1 to 2, or enter for 1:")
	if !strings.Contains(s.capture(), "Onus, accessible mode.") {
		t.Fatalf("not accessible mode:\n%s", s.capture())
	}
	s.keys("C-d")
	waitFile(t, done)
	if code := strings.TrimSpace(readFile(t, done)); code != "0" || !strings.Contains(s.capture(), "End of input. Everything is saved in") {
		t.Errorf("ctrl+d: exit %s\n%s", code, s.capture())
	}
}

// syncBuffer is a bytes.Buffer a test reads while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A file whose damage the quick check at open does not see (a pointer in
// an audit trail's page): accessible mode, as the wizard, finds it before
// anything is opened, reads it out, writes nothing and exits 4.
func TestAccessibleModeDamagedFileExits4(t *testing.T) {
	db := filepath.Join(t.TempDir(), "onus.db")
	code, out, errs := runOnus(t, nil, "--db", db, "new", "--name", "Damaged later", "--services", "ec2,s3")
	if code != exitOK {
		t.Fatalf("new: %d %s", code, errs)
	}
	id := strings.TrimSpace(out)
	for i, c := range []string{"GOV-01", "GOV-02", "GOV-03", "GOV-04", "GOV-05", "GOV-06", "SUP-01", "SUP-02"} {
		if code, _, errs := runOnus(t, nil, "--db", db, "answer", id, c, "--status", "planned", "--note", strings.Repeat(fmt.Sprint(i), 900)); code != exitOK {
			t.Fatalf("answer %s: %d %s", c, code, errs)
		}
	}
	damageTrailPage(t, db, id)
	before := fileSHA256(t, db)
	code, out, errs = runOnusWith(t, "1\n4\n1\n", nil, "--accessible", "--db", db)
	if code != exitDamaged || !strings.Contains(errs, db+" is damaged") || strings.Contains(out, "Choose") ||
		!strings.Contains(out, "\nThe database is damaged: "+db+" is damaged (") ||
		!strings.HasSuffix(out, "\nThe session ends here: onus writes nothing to a damaged file.\n") {
		t.Errorf("exit %d\nstderr: %s\nstdout:\n%s", code, errs, out)
	}
	if fileSHA256(t, db) != before {
		t.Error("accessible mode wrote to the damaged file")
	}
}

// Accessible mode signs with the ssh-agent's key the environment names,
// as the wizard does, and its export verifies that signature as onus
// export does: the report says "verified", where the report package
// alone would say nothing was checked.
func TestAccessibleModeSignsWithTheAgentAndExportsVerified(t *testing.T) {
	env, _ := signingSetup(t)
	code, out, errs := runOnus(t, env, "new", "--name", "LIMS", "--services", "ec2")
	if code != exitOK {
		t.Fatalf("new: %d %s", code, errs)
	}
	id := strings.TrimSpace(out)
	report := filepath.Join(env["HOME"], "report.md")
	input := strings.Join([]string{"1", "5", "4", "approved", "", "", "", "", "CAPA-7", "1", "y", "6", "1", report, "7", "8", "q"}, "\n") + "\n"
	code, out, errs = runOnusWith(t, input, env, "--accessible")
	if code != exitOK || !strings.Contains(out, "Saved: signed: approved (final, milestone final-1).") || !strings.Contains(out, "Written: "+report) {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	md, err := os.ReadFile(report)
	if err != nil || !regexp.MustCompile(`verified( \(signer not checked[^)]*\))?: signed by Jane Smith`).Match(md) {
		t.Errorf("the report does not say the signature verified (%v)", err)
	}
	if code, out, _ := runOnus(t, env, "verify", id); code != exitOK || !strings.Contains(out, "signature 1 verified: Jane Smith") {
		t.Errorf("verify: %d\n%s", code, out)
	}
}

// The binary through a real pipe: a scripted session (an assessment
// created, services by id and by name, a question answered, a Markdown
// export) produces the transcript in testdata, with the temporary folder,
// the random id and the export's size made stable.
func TestAccessibleTranscriptThroughAPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	input := strings.Join([]string{"", "Piped LIMS", "", "3", "ec2", "Amazon S3", "", "", "1", "12", "5", "7", "1", "report.md", "8", "9", "q"}, "\n") + "\n"
	cmd := exec.Command(onusBinary(t), "--accessible", "--db", filepath.Join(dir, "onus.db"))
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "ONUS_USER=tester", "PATH=" + os.Getenv("PATH")}
	cmd.Stdin = strings.NewReader(input) // os/exec hands the process the read end of a pipe
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("%v; stderr: %s", err, stderr.String())
	}
	out := strings.ReplaceAll(stdout.String(), dir, "TMP")
	_, list, _ := runOnus(t, nil, "--db", filepath.Join(dir, "onus.db"), "list", "--json")
	for _, a := range decodeJSON[[]model.Summary](t, list) {
		out = strings.ReplaceAll(out, a.ID, "ID")
	}
	out = regexp.MustCompile(`, \d+ bytes, `).ReplaceAllString(out, ", N bytes, ")
	out = regexp.MustCompile(`trail head [0-9a-f]{12}`).ReplaceAllString(out, "trail head HEAD")
	golden.RequireEqual(t, out)
	if md, err := os.ReadFile(filepath.Join(dir, "report.md")); err != nil || !strings.Contains(string(md), "Piped LIMS") {
		t.Errorf("the export: %v", err)
	}
}
