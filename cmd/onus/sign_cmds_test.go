package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
	bolt "go.etcd.io/bbolt"
)

// needOpenSSH skips when the OpenSSH client tools are missing (.ci/run
// installs them).
func needOpenSSH(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ssh-agent", "ssh-add", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install openssh-client)", tool)
		}
	}
}

func sh(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// signingSetup makes a key held by a real ssh-agent, a passphrase-protected
// key file, and an allowed-signers file in onus's config directory that
// lists both for "Jane Smith"; env is what onus runs with.
func signingSetup(t *testing.T) (env map[string]string, keyFile string) {
	t.Helper()
	needOpenSSH(t)
	dir, err := os.MkdirTemp("", "onus-sign") // short: a socket path is limited to about 100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "agent.sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { agent.Process.Kill(); agent.Wait() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ssh-agent did not start")
		}
	}
	inAgent, keyFile := filepath.Join(dir, "id_agent"), filepath.Join(dir, "id_file")
	sh(t, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "jane@laptop", "-f", inAgent)
	sh(t, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "correct horse", "-C", "jane@file", "-f", keyFile)
	sh(t, []string{"SSH_AUTH_SOCK=" + sock}, "ssh-add", "-q", inAgent)
	config := filepath.Join(dir, "config")
	if err := os.MkdirAll(filepath.Join(config, "onus"), 0o700); err != nil {
		t.Fatal(err)
	}
	var allowed bytes.Buffer
	for _, k := range []string{inAgent, keyFile} {
		pub, err := os.ReadFile(k + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		allowed.WriteString(`"Jane Smith" namespaces="onus" ` + string(pub))
	}
	if err := os.WriteFile(filepath.Join(config, "onus", "allowed_signers"), allowed.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"ONUS_DB": filepath.Join(dir, "onus.db"), "ONUS_USER": "Jane Smith", "SSH_AUTH_SOCK": sock,
		"HOME": dir, "XDG_CONFIG_HOME": config, "NO_COLOR": "1"}, keyFile
}

// The command line end to end, with a real ssh-agent: signing with open
// high-risk gaps needs an acknowledgement; a signed assessment is final and
// read-only; verify reports the signer, the key and that nothing changed
// since; the exported signature verifies with ssh-keygen -Y verify alone;
// milestones, reopening (which supersedes) and diff; show gives the head
// hash and the signature's state.
func TestSignCommandsEndToEnd(t *testing.T) {
	env, _ := signingSetup(t)
	code, out, stderr := runOnus(t, env, "new", "--name", "LIMS", "--services", "ec2")
	if code != 0 {
		t.Fatalf("new: %d %s", code, stderr)
	}
	id := strings.TrimSpace(out)
	if code, _, stderr = runOnus(t, env, "answer", id, "GOV-01", "--status", "implemented"); code != 0 {
		t.Fatalf("answer: %s", stderr)
	}
	if code, _, stderr = runOnus(t, env, "sign", id, "--meaning", "approved", "--agent"); code == 0 || !strings.Contains(stderr, "--acknowledge") {
		t.Fatalf("signed with high-risk gaps open: %d %s", code, stderr)
	}
	if code, _, stderr = runOnus(t, env, "sign", id, "--meaning", "approved", "--agent", "--role", "QA", "--acknowledge", "CAPA-7 closes them by March"); code != 0 {
		t.Fatalf("sign: %d %s", code, stderr)
	}
	if code, _, stderr = runOnus(t, env, "answer", id, "GOV-02", "--status", "planned"); code == 0 || !strings.Contains(stderr, "onus reopen "+id) {
		t.Fatalf("a change to a final assessment: %d %s", code, stderr)
	}
	code, out, stderr = runOnus(t, env, "verify", id)
	if code != 0 || !strings.Contains(out, "signature 1 verified: Jane Smith, key SHA256:") || !strings.Contains(out, "unchanged since") {
		t.Fatalf("verify: %d\n%s%s", code, out, stderr)
	}
	dir := t.TempDir()
	if code, _, stderr = runOnus(t, env, "signatures", id, "--out", dir); code != 0 {
		t.Fatalf("signatures: %s", stderr)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "1.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	check := exec.Command("ssh-keygen", "-Y", "verify", "-f", filepath.Join(env["XDG_CONFIG_HOME"], "onus", "allowed_signers"),
		"-I", "Jane Smith", "-n", "onus", "-s", filepath.Join(dir, "1.manifest.sig"))
	check.Stdin = bytes.NewReader(manifest)
	if out, err := check.CombinedOutput(); err != nil || !strings.Contains(string(out), `Good "onus" signature for Jane Smith`) {
		t.Fatalf("ssh-keygen -Y verify: %v %s", err, out)
	}

	if code, _, stderr = runOnus(t, env, "reopen", id); code == 0 {
		t.Fatal("reopened without a reason")
	}
	if code, _, stderr = runOnus(t, env, "reopen", id, "--reason", "CAPA-9"); code != 0 {
		t.Fatalf("reopen: %s", stderr)
	}
	if code, _, stderr = runOnus(t, env, "answer", id, "GOV-02", "--status", "planned"); code != 0 {
		t.Fatalf("answer after reopening: %s", stderr)
	}
	if code, _, stderr = runOnus(t, env, "milestone", id, "v2"); code != 0 {
		t.Fatalf("milestone: %s", stderr)
	}
	code, out, _ = runOnus(t, env, "verify", id)
	if code != 0 || !strings.Contains(out, "signature 1 superseded") || !strings.Contains(out, "the record changed after signing") {
		t.Fatalf("verify after reopening:\n%s", out)
	}
	code, out, stderr = runOnus(t, env, "diff", id+"@final-1", id+"@v2", "--json")
	var d model.Diff
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || len(d.Answers) != 1 || d.Answers[0].Control != "GOV-02" {
		t.Fatalf("diff: %d %s %s", code, out, stderr)
	}
	if code, out, _ = runOnus(t, env, "diff", id+"@final-1", id, "--md"); code != 0 || !strings.Contains(out, "## Changes from") {
		t.Fatalf("diff --md:\n%s", out)
	}
	code, out, _ = runOnus(t, env, "show", id)
	if code != 0 || !strings.Contains(out, "audit trail: ") || !strings.Contains(out, "signature: superseded, key SHA256:") {
		t.Fatalf("show:\n%s", out)
	}
	code, out, _ = runOnus(t, env, "export", id, "--format", "csv")
	if code != 0 || !strings.Contains(out, "signature: superseded, key SHA256:") {
		t.Fatalf("csv export lacks the signature's state:\n%.600s", out)
	}
}

// A key file's passphrase is asked for, never taken from an argument; a
// wrong one signs nothing.
func TestSignWithKeyFile(t *testing.T) {
	env, keyFile := signingSetup(t)
	_, out, _ := runOnus(t, env, "new", "--name", "LIMS")
	id := strings.TrimSpace(out)
	signWith := func(pass string) (int, string) {
		var stdout, stderr bytes.Buffer
		asked := ""
		e := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] },
			ReadPassphrase: func(prompt string) ([]byte, error) { asked = prompt; return []byte(pass), nil }}
		code := run(e, []string{"sign", id, "--meaning", "approved", "--key", keyFile, "--acknowledge", "CAPA-7"})
		if !strings.Contains(asked, "passphrase for "+keyFile) {
			t.Errorf("no passphrase asked for: %q", asked)
		}
		return code, stderr.String()
	}
	if code, stderr := signWith("wrong"); code == 0 || !strings.Contains(stderr, "wrong passphrase") {
		t.Fatalf("a wrong passphrase: %d %s", code, stderr)
	}
	if code, stderr := signWith("correct horse"); code != 0 {
		t.Fatalf("sign: %s", stderr)
	}
	if code, _, stderr := runOnus(t, env, "sign", id, "--meaning", "x", "--key", keyFile, "--agent"); code != 2 {
		t.Fatalf("--key and --agent together: %d %s", code, stderr)
	}
}

// A refused import creates nothing, not even an empty database.
func TestRefusedImportCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ONUS_DB": filepath.Join(dir, "src.db"), "ONUS_USER": "ana"}
	_, out, _ := runOnus(t, env, "new", "--name", "LIMS", "--services", "ec2")
	id := strings.TrimSpace(out)
	_, bundle, _ := runOnus(t, env, "export", id, "--format", "json")
	var b model.Bundle
	if err := json.Unmarshal([]byte(bundle), &b); err != nil {
		t.Fatal(err)
	}
	// An unknown service, with every hash made to agree.
	var a model.Assessment
	json.Unmarshal(b.Trail[0].New, &a)
	a.Services = model.Select("no-such-service")
	b.Trail[0].New, _ = json.Marshal(a)
	b.Trail[0].Hash = b.Trail[0].ComputeHash()
	b.Assessment.Services = a.Services
	b = model.NewBundle(b.Assessment, b.Trail[:1])
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "forged.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	dst := map[string]string{"ONUS_DB": filepath.Join(dir, "new", "onus.db"), "ONUS_USER": "ana"}
	code, _, stderr := runOnus(t, dst, "import", path)
	if code == 0 || !strings.Contains(stderr, "no-such-service") {
		t.Fatalf("import of an unknown service: %d %s", code, stderr)
	}
	if _, err := os.Stat(dst["ONUS_DB"]); !os.IsNotExist(err) {
		t.Fatalf("a refused import created the database: %v", err)
	}
}

// doctor and verify report a broken store log (the chained record of
// purges, imports and salvages): verify exits 4 after the assessments.
func TestBrokenStoreLogIsReported(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ONUS_DB": filepath.Join(dir, "onus.db"), "ONUS_USER": "ana", "NO_COLOR": "1"}
	_, out, _ := runOnus(t, env, "new", "--name", "LIMS")
	id := strings.TrimSpace(out)
	if code, _, stderr := runOnus(t, env, "purge", id, "--yes"); code != 0 {
		t.Fatalf("purge: %s", stderr)
	}
	b, err := bolt.Open(env["ONUS_DB"], 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		log := tx.Bucket([]byte("log"))
		k, v := log.Cursor().First()
		return log.Put(k, bytes.Replace(append([]byte(nil), v...), []byte(`"purge"`), []byte(`"prune"`), 1))
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runOnus(t, env, "verify")
	if code != 4 || !strings.Contains(stderr, "the store's log") {
		t.Errorf("verify of a broken log: %d\n%s%s", code, out, stderr)
	}
	_, out, _ = runOnus(t, env, "doctor")
	if !regexp.MustCompile(`FAIL\s+log`).MatchString(out) {
		t.Errorf("doctor of a broken log:\n%s", out)
	}
}
