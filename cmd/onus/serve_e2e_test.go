package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// TestServeTwoOpenSSHClients: onus serve with two real OpenSSH clients in
// tmux. An answer one participant gives appears on the other's screen,
// attributed to the first participant's printed name, and is in the trail
// as theirs; SIGTERM then ends both sessions and the server exits 0.
func TestServeTwoOpenSSHClients(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	for _, tool := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (.ci/run installs openssh-client)", tool)
		}
	}
	bin := buildOnus(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "onus.db")
	out, err := exec.Command(bin, "--db", db, "--as", "setup", "new", "--name", "Workshop LIMS", "--services", "ec2,s3").Output()
	if err != nil {
		t.Fatalf("onus new: %v", err)
	}
	id := strings.TrimSpace(string(out))

	var people strings.Builder
	people.WriteString("# the workshop\n")
	for _, p := range []struct{ role, key, name string }{{"facilitator", "alice", "Alice Smith"}, {"participant", "bob", "Bob Jones"}} {
		key := filepath.Join(dir, p.key)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", p.key, "-f", key).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v %s", err, out)
		}
		pub, err := os.ReadFile(key + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(pub))
		fmt.Fprintf(&people, "%s %s %s %s\n", p.role, f[0], f[1], p.name)
	}
	participants := filepath.Join(dir, "people.txt")
	if err := os.WriteFile(participants, []byte(people.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	srv := exec.Command(bin, "--db", db, "serve", "--participants", participants, "--listen", "127.0.0.1:0")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() { srv.Process.Kill() })
	lines := bufio.NewScanner(stdout)
	var port, fingerprint string
	for port == "" && lines.Scan() {
		l := lines.Text()
		if f := strings.Fields(l); len(f) >= 3 && f[1] == "host" && f[2] == "key" {
			fingerprint = f[3]
		}
		if _, rest, ok := strings.Cut(l, "participants connect with: ssh -p "); ok {
			port, _, _ = strings.Cut(rest, " ")
		}
	}
	if port == "" || !strings.HasPrefix(fingerprint, "SHA256:") {
		t.Fatalf("onus serve printed no port or no host key fingerprint (port %q, fingerprint %q)", port, fingerprint)
	}
	go func() {
		for lines.Scan() {
		}
		exited <- srv.Wait()
	}()
	if _, err := os.Stat(db + ".host_ed25519"); err != nil {
		t.Errorf("no host key beside the database: %v", err)
	}

	ssh := func(key, done string) string {
		return fmt.Sprintf("env TERM=xterm-256color ssh -tt -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o IdentityAgent=none -o LogLevel=ERROR -i %s -p %s workshop@127.0.0.1; echo $? > %s; sleep 60",
			filepath.Join(dir, key), port, filepath.Join(dir, done))
	}
	alice := newTmux(t, 120, 40, ssh("alice", "alice.exit"))
	// A second session on the same tmux server (newTmux gives each test one).
	bob := &tmuxSession{t: t, name: alice.name + "-bob"}
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", bob.name, "-x", "120", "-y", "40", ssh("bob", "bob.exit")).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", bob.name).Run() })

	for _, s := range []*tmuxSession{alice, bob} {
		s.waitFor("Workshop LIMS")
		s.keys("Enter")
		s.waitFor("GOV-01 · Quality system covers cloud use")
	}
	alice.keys("2")
	bob.waitFor("partial  by Alice Smith")
	bob.waitFor("changed by Alice Smith")

	// A headless command meanwhile runs through the server; the wizard
	// is refused as for any file in use (exit 3), saying by what.
	list := exec.Command(bin, "--db", db, "list")
	msg, err := list.CombinedOutput()
	if code := list.ProcessState.ExitCode(); code != 0 || !strings.Contains(string(msg), "Workshop LIMS") {
		t.Errorf("onus list while served: exit %d (%v), %s; want 0 and the list, through the server", code, err, msg)
	}
	wizard := exec.Command(bin, "--db", db, "--accessible")
	msg, err = wizard.CombinedOutput()
	if code := wizard.ProcessState.ExitCode(); code != 3 || !strings.Contains(string(msg), "served by onus serve") {
		t.Errorf("onus --accessible while served: exit %d (%v), %s; want 3 and who serves it", code, err, msg)
	}

	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("onus serve after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("onus serve did not stop on SIGTERM")
	}
	for _, done := range []string{"alice.exit", "bob.exit"} {
		waitFile(t, filepath.Join(dir, done))
		if code := strings.TrimSpace(readFile(t, filepath.Join(dir, done))); code != "0" {
			t.Errorf("%s: ssh exited %s, want 0 (the session ended cleanly)", done, code)
		}
	}

	if _, err := os.Stat(db + ".serving"); !os.IsNotExist(err) {
		t.Errorf("the server's note is left behind: %v", err)
	}
	out, err = exec.Command(bin, "--db", db, "show", id, "--json").Output()
	if err != nil {
		t.Fatalf("onus show after the workshop: %v", err)
	}
	var a model.Assessment
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatal(err)
	}
	if ans := a.Answers["GOV-01"]; ans.Status != model.StatusPartial || ans.UpdatedBy != "Alice Smith" {
		t.Errorf("GOV-01 in the file: %s by %q, want partial by Alice Smith", ans.Status, ans.UpdatedBy)
	}
}
