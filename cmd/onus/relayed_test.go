package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/relay"
)

// workshopDir is a temporary directory whose path is short enough for
// the server's socket beside a database in it.
func workshopDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "onus-relay")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// runIn runs the real binary in dir with exactly env.
func runIn(t *testing.T, dir string, env []string, args ...string) binResult {
	t.Helper()
	bin := onusBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := binResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		t.Fatalf("onus %q hung; stderr: %s", args, r.stderr)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return r
}

// server is a running onus serve, the real binary.
type server struct {
	cmd    *exec.Cmd
	port   string
	banner string // its first line
	exited chan error
}

// startServe starts onus serve on db and waits until it says headless
// commands run through it.
func startServe(t *testing.T, dir string, env []string, db, participants string) *server {
	t.Helper()
	return startServeBin(t, onusBinary(t), dir, env, db, participants)
}

func startServeBin(t *testing.T, bin, dir string, env []string, db, participants string) *server {
	t.Helper()
	cmd := exec.Command(bin, "--db", db, "serve", "--participants", participants, "--listen", "127.0.0.1:0")
	cmd.Dir, cmd.Env, cmd.Stderr = dir, env, os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, exited: make(chan error, 1)}
	t.Cleanup(func() { cmd.Process.Kill(); <-s.exited })
	lines := bufio.NewScanner(stdout)
	relaying := false
	for !relaying && lines.Scan() {
		l := lines.Text()
		if s.banner == "" {
			s.banner = l
		}
		if _, rest, ok := strings.Cut(l, "participants connect with: ssh -p "); ok {
			s.port, _, _ = strings.Cut(rest, " ")
		}
		relaying = strings.HasPrefix(l, "headless commands on this database run through it ("+relay.SocketPath(db))
	}
	go func() {
		for lines.Scan() {
		}
		s.exited <- cmd.Wait()
	}()
	if !relaying || s.port == "" {
		t.Fatalf("onus serve did not say it relays headless commands (port %q)", s.port)
	}
	return s
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		s.exited <- err // for the cleanup
		if err != nil {
			t.Fatalf("onus serve after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("onus serve did not stop on SIGTERM")
	}
}

// sshWizard is a participant's wizard over SSH (x/crypto/ssh, a terminal).
type sshWizard struct {
	in  io.WriteCloser
	mu  sync.Mutex
	out bytes.Buffer
}

func (w *sshWizard) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.Write(p)
}

func (w *sshWizard) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		w.mu.Lock()
		ok := strings.Contains(w.out.String(), text)
		w.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the wizard over SSH never showed %q", text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func dialWizard(t *testing.T, port string, key gossh.Signer) *sshWizard {
	t.Helper()
	conn, err := gossh.Dial("tcp", "127.0.0.1:"+port, &gossh.ClientConfig{User: "workshop",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(key)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	w := &sshWizard{}
	sess.Stdout, sess.Stderr = w, w
	if w.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return w
}

// writeFacilitator writes a participants file naming one facilitator
// with a new key, and returns it and the key.
func writeFacilitator(t *testing.T, dir string) (string, gossh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	participants := filepath.Join(dir, "people.txt")
	line := "facilitator " + strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key.PublicKey()))) + " Ann Lead\n"
	if err := os.WriteFile(participants, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return participants, key
}

// TestInterruptedRelayedCommandStops: ctrl+c on a headless command that
// runs through onus serve stops it there too. The caller exits 130,
// saying it was interrupted, and nothing more of the command reaches its
// output once it has exited; the server goes on serving. Its output is
// slowed (ONUS_TEST_SLOW_OUTPUT) so that the export is still running
// when the signal comes.
func TestInterruptedRelayedCommandStops(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := onusTestHooksBinary(t)
	dir := workshopDir(t)
	db := filepath.Join(dir, "onus.db")
	env := []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	created := runIn(t, dir, env, "--db", db, "new", "--name", "Workshop LIMS", "--services", "ec2,s3")
	if created.code != 0 {
		t.Fatalf("onus new: %d %s", created.code, created.stderr)
	}
	id := strings.TrimSpace(created.stdout)
	full := runIn(t, dir, env, "--db", db, "export", id, "--format", "md")
	participants, _ := writeFacilitator(t, dir)
	srv := startServeBin(t, bin, dir, env, db, participants)
	if !strings.Contains(srv.banner, " for 1 person (") {
		t.Errorf("onus serve's first line: %q, want it for 1 person", srv.banner)
	}

	out, err := os.Create(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "--db", db, "export", id, "--format", "md")
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, append(env, "ONUS_TEST_SLOW_OUTPUT=20ms"), out, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if info, err := out.Stat(); err == nil && info.Size() > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the relayed export wrote nothing in 20 s; stderr: %s", stderr.String())
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the interrupted command did not exit")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupt || stderr.String() != "onus: interrupted\n" {
		t.Errorf("interrupted: exit %d, stderr %q; want 130 and onus: interrupted", code, stderr.String())
	}
	info, err := out.Stat()
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // fifteen more lines, were the export still writing
	later, err := out.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if later.Size() != info.Size() {
		t.Errorf("%d bytes of the export reached its output after the caller exited", later.Size()-info.Size())
	}
	if info.Size() >= int64(len(full.stdout)) {
		t.Errorf("the export ran to its end (%d bytes): the interrupt was not tested", info.Size())
	}
	if r := runIn(t, dir, env, "--db", db, "list"); r.code != 0 || !strings.Contains(r.stdout, "Workshop LIMS") {
		t.Errorf("a command after the interrupt: exit %d, %s", r.code, r.stderr)
	}
}

// TestHeadlessCommandsThroughServe: while onus serve holds a database,
// headless commands on it run through the server, the real binary on
// both sides: each read gives what it gives without a server, byte for
// byte, with the same exit code (not found 1, usage 2); a write is
// attributed as without a server (--as, else the OS user) and appears on
// a connected wizard; a relative output path is the caller's; the wizard
// and a second server stay refused (exit 3, naming the server).
func TestHeadlessCommandsThroughServe(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := workshopDir(t)
	db := filepath.Join(dir, "onus.db")
	env := []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	created := runIn(t, dir, env, "--db", db, "--as", "setup", "new", "--name", "Workshop LIMS", "--services", "ec2,s3")
	if created.code != 0 {
		t.Fatalf("onus new: %d %s", created.code, created.stderr)
	}
	id := strings.TrimSpace(created.stdout)
	if r := runIn(t, dir, env, "--db", db, "--as", "setup", "answer", id, "GOV-02", "--status", "planned"); r.code != 0 {
		t.Fatalf("onus answer: %s", r.stderr)
	}

	reads := [][]string{
		{"list", "--json"}, {"list"}, {"show", id, "--json"}, {"show", id}, {"history", id},
		{"export", id}, {"export", id, "--format", "md"}, {"verify"},
		{"show", "nope"},                              // not found: 1
		{"export", id, "--format", "no-such"},         // a usage error found by the command: 2
		{"answer", id, "GOV-01", "--status", "maybe"}, // a usage error
	}
	direct := map[string]binResult{}
	for _, args := range reads {
		direct[strings.Join(args, " ")] = runIn(t, dir, env, append([]string{"--db", db}, args...)...)
	}

	participants, key := writeFacilitator(t, dir)
	srv := startServe(t, dir, env, db, participants)
	for _, path := range []string{filepath.Dir(relay.SocketPath(db)), relay.SocketPath(db)} {
		info, err := os.Lstat(path)
		if err != nil || info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: %v (%v): others may reach it", path, info.Mode(), err)
		}
	}

	for _, args := range reads {
		want := direct[strings.Join(args, " ")]
		got := runIn(t, dir, env, append([]string{"--db", db}, args...)...)
		if got.code != want.code || got.stdout != want.stdout || got.stderr != want.stderr {
			t.Errorf("onus %s through the server: exit %d, stdout %d bytes, stderr %q; without it: exit %d, %d bytes, %q",
				strings.Join(args, " "), got.code, len(got.stdout), got.stderr, want.code, len(want.stdout), want.stderr)
		}
	}
	if c := direct["show nope"].code; c != exitError {
		t.Errorf("show nope: exit %d, want 1", c)
	}
	if c := direct["export "+id+" --format no-such"].code; c != exitUsage {
		t.Errorf("export --format no-such: exit %d, want 2", c)
	}

	wizard := dialWizard(t, srv.port, key)
	wizard.waitFor(t, "Workshop LIMS")
	io.WriteString(wizard.in, "\r")
	wizard.waitFor(t, "GOV-01")
	r := runIn(t, dir, env, "--db", db, "--as", "Carol Relay", "answer", id, "GOV-01", "--status", "partial")
	if r.code != 0 || r.stderr != "saved: GOV-01 partial\n" {
		t.Fatalf("a relayed answer: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	wizard.waitFor(t, "changed by Carol Relay")
	r = runIn(t, dir, env, "--db", db, "action", "add", id, "GOV-01", "--text", "Send the QMS manual", "--owner", "Quinn QA", "--due", "2026-12-15")
	if r.code != 0 {
		t.Fatalf("a relayed action add: exit %d, %s", r.code, r.stderr)
	}

	sub := filepath.Join(dir, "reports")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, sub, env, "--db", db, "export", id, "--format", "md", "-o", "report.md"); r.code != 0 {
		t.Fatalf("a relayed export to a relative path: exit %d, %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(sub, "report.md")); err != nil {
		t.Errorf("the relayed export is not in the caller's directory: %v", err)
	}

	for _, args := range [][]string{{"--accessible"}, {"serve", "--participants", participants, "--listen", "127.0.0.1:0"}} {
		r := runIn(t, dir, env, append([]string{"--db", db}, args...)...)
		if r.code != exitInUse || !strings.Contains(r.stderr, "served by onus serve") {
			t.Errorf("onus %s while served: exit %d, %s; want 3 and who serves it", args[0], r.code, r.stderr)
		}
	}

	srv.stop(t)
	if _, err := os.Stat(filepath.Dir(relay.SocketPath(db))); !os.IsNotExist(err) {
		t.Errorf("the socket is left after the server stopped: %v", err)
	}
	out := runIn(t, dir, env, "--db", db, "show", id, "--json")
	var a model.Assessment
	if err := jsonUnmarshal(out.stdout, &a); err != nil {
		t.Fatal(err)
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	if ans := a.Answers["GOV-01"]; ans.Status != model.StatusPartial || ans.UpdatedBy != "Carol Relay" {
		t.Errorf("GOV-01 in the file: %s by %q, want partial by Carol Relay", ans.Status, ans.UpdatedBy)
	}
	if len(a.Actions) != 1 || a.Actions[0].RaisedBy != me.Username {
		t.Errorf("the relayed action: %+v, want one raised by the OS user %s", a.Actions, me.Username)
	}
	if r := runIn(t, dir, env, "--db", db, "verify", id); r.code != 0 {
		t.Errorf("verify after the workshop: exit %d, %s", r.code, r.stderr)
	}
}

// A server killed with SIGKILL leaves its socket: nothing answers there,
// so commands open the file themselves, and the next server replaces it.
func TestStaleRelaySocketReplaced(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := workshopDir(t)
	db := filepath.Join(dir, "onus.db")
	env := []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "ONUS_USER=tester"}
	if r := runIn(t, dir, env, "--db", db, "new", "--name", "LIMS"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	key, _ := gossh.NewSignerFromKey(priv)
	participants := filepath.Join(dir, "people.txt")
	line := "facilitator " + strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key.PublicKey()))) + " Ann Lead\n"
	if err := os.WriteFile(participants, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, dir, env, db, participants)
	if err := srv.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := <-srv.exited
	srv.exited <- err
	if _, err := os.Lstat(relay.SocketPath(db)); err != nil {
		t.Fatalf("SIGKILL left no socket to test with: %v", err)
	}
	want := runIn(t, dir, env, "--db", db, "list", "--json")
	if want.code != 0 {
		t.Fatalf("list after the server was killed: exit %d, %s", want.code, want.stderr)
	}
	srv = startServe(t, dir, env, db, participants)
	if got := runIn(t, dir, env, "--db", db, "list", "--json"); got.code != 0 || got.stdout != want.stdout {
		t.Errorf("list through the new server: exit %d, %q, want %q", got.code, got.stdout, want.stdout)
	}
	srv.stop(t)
}

func jsonUnmarshal(s string, v any) error {
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("%w: %q", err, s)
	}
	return nil
}
