package sign_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/sign"
)

// needOpenSSH skips a test when the OpenSSH client tools are missing
// (.ci/run installs them).
func needOpenSSH(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (the OpenSSH client tools: apt-get install openssh-client); this test signs with real keys and checks with ssh-keygen -Y verify", tool)
		}
	}
}

func run(t *testing.T, env []string, stdin []byte, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// startAgent runs a real ssh-agent on a socket of its own, stopped when
// the test ends.
func startAgent(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "onus-agent") // short: socket paths are limited to about 100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "agent.sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		agent.Process.Kill()
		agent.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(sock); err == nil {
			return sock
		}
		if time.Now().After(deadline) {
			t.Fatal("ssh-agent did not create its socket within 10 s")
		}
	}
}

// sshKeygenVerify checks an exported signature the way an inspector
// would, with OpenSSH alone.
func sshKeygenVerify(t *testing.T, allowed, principal, sigFile string, message []byte) (string, error) {
	t.Helper()
	cmd := exec.Command("ssh-keygen", "-Y", "verify", "-f", allowed, "-I", principal, "-n", sign.Namespace, "-s", sigFile)
	cmd.Stdin = bytes.NewReader(message)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// The acceptance test: keys made by ssh-keygen, held by a real ssh-agent,
// sign through Onus; the exported files verify with ssh-keygen -Y verify
// and the allowed-signers file, without Onus; Onus's own check agrees.
func TestOpenSSHAgentSignatureVerifiesWithSSHKeygen(t *testing.T) {
	needOpenSSH(t, "ssh-agent", "ssh-add", "ssh-keygen")
	sock := startAgent(t)
	env := []string{"SSH_AUTH_SOCK=" + sock}
	dir := t.TempDir()
	var allowedLines strings.Builder
	signers := map[string]string{"ed25519": "Jane Smith", "ecdsa": "ecdsa@example.com", "rsa": "Rosa Ng"}
	for _, typ := range []string{"ed25519", "ecdsa", "rsa"} {
		path := filepath.Join(dir, "id_"+typ)
		run(t, nil, nil, "ssh-keygen", "-q", "-t", typ, "-N", "", "-C", typ+"@laptop", "-f", path)
		run(t, env, nil, "ssh-add", "-q", path)
		pub, err := os.ReadFile(path + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		allowedLines.WriteString(`"` + signers[typ] + `" namespaces="onus" ` + string(pub))
	}
	allowedPath := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(allowedPath, []byte(allowedLines.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	ag, err := sign.OpenAgent(sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ag.Close()
	keys, err := ag.Keys()
	if err != nil || len(keys) != 3 {
		t.Fatalf("agent keys: %v %v", keys, err)
	}
	if _, err := ag.Key(nil); err == nil || !strings.Contains(err.Error(), "holds 3 keys") {
		t.Errorf("choosing among 3 keys without naming one: %v", err)
	}

	f := newFixture(t)
	order := []string{"ed25519", "ecdsa", "rsa"}
	for _, typ := range order {
		pub, err := sign.ReadPublicKey(filepath.Join(dir, "id_"+typ+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		k, err := ag.Key(pub)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(k.String(), typ+"@laptop") || !strings.Contains(k.String(), "ssh-agent") {
			t.Errorf("key description %q", k)
		}
		f.sign(t, k, signers[typ], "approved")
	}

	out := filepath.Join(dir, "export")
	if _, err := sign.WriteFiles(out, f.trail(t)); err != nil {
		t.Fatal(err)
	}
	for i, typ := range order {
		n := filepath.Join(out, string(rune('1'+i))+".manifest")
		manifest, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := sshKeygenVerify(t, allowedPath, signers[typ], n+".sig", manifest)
		if err != nil || !strings.Contains(msg, `Good "onus" signature for `+signers[typ]) {
			t.Errorf("ssh-keygen -Y verify of the %s signature: %v\n%s", typ, err, msg)
		}
		// Another principal, or one changed byte, fails.
		if msg, err := sshKeygenVerify(t, allowedPath, "Mallory", n+".sig", manifest); err == nil {
			t.Errorf("%s signature verified for another signer:\n%s", typ, msg)
		}
		tampered := bytes.Replace(manifest, []byte("meaning: approved"), []byte("meaning: rejected"), 1)
		if msg, err := sshKeygenVerify(t, allowedPath, signers[typ], n+".sig", tampered); err == nil {
			t.Errorf("a changed %s manifest verified:\n%s", typ, msg)
		}
		// ssh-keygen finds the same signer Onus names.
		found := run(t, nil, nil, "ssh-keygen", "-Y", "find-principals", "-f", allowedPath, "-s", n+".sig")
		if strings.TrimSpace(found) != signers[typ] {
			t.Errorf("find-principals: %q, want %q", found, signers[typ])
		}
	}

	allowed, err := sign.ReadAllowedSigners(allowedPath)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sign.Verify(f.trail(t), allowed)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if !r.Valid() {
			t.Errorf("onus verify of signature %d: %+v", r.N, r)
		}
	}
}

// A key file protected by a passphrase: read without it (its public half
// shows in a chooser), refused with a wrong one, signs with the right one,
// and the signature verifies with ssh-keygen.
func TestKeyFileWithPassphrase(t *testing.T) {
	needOpenSSH(t, "ssh-keygen")
	dir := t.TempDir()
	path := filepath.Join(dir, "id_ed25519")
	run(t, nil, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "correct horse", "-C", "jane@laptop", "-f", path)

	kf, err := sign.ReadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := sign.ReadPublicKey(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if !kf.Encrypted || kf.Public == nil || ssh.FingerprintSHA256(kf.Public) != ssh.FingerprintSHA256(pub) ||
		!strings.Contains(kf.String(), "passphrase protected") || !strings.Contains(kf.String(), "jane@laptop") {
		t.Fatalf("key file: %+v %s", kf, kf)
	}
	if _, err := kf.Unlock(nil); err == nil {
		t.Error("unlocked without the passphrase")
	}
	if _, err := kf.Unlock([]byte("wrong")); !errors.Is(err, sign.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	k, err := kf.Unlock([]byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if k.Fingerprint() != ssh.FingerprintSHA256(pub) {
		t.Fatalf("unlocked key %s, want %s", k.Fingerprint(), ssh.FingerprintSHA256(pub))
	}
	found, err := sign.FindKeyFiles(dir)
	if err != nil || len(found) != 1 || found[0].Path != path {
		t.Errorf("key files in %s: %v %v", dir, found, err)
	}

	f := newFixture(t)
	f.sign(t, k, "Jane Smith", "approved")
	out := filepath.Join(dir, "export")
	if _, err := sign.WriteFiles(out, f.trail(t)); err != nil {
		t.Fatal(err)
	}
	allowedPath := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(allowedPath, append([]byte(`"Jane Smith" `), ssh.MarshalAuthorizedKey(pub)...), 0o600); err != nil {
		t.Fatal(err)
	}
	manifest, _ := os.ReadFile(filepath.Join(out, "1.manifest"))
	if msg, err := sshKeygenVerify(t, allowedPath, "Jane Smith", filepath.Join(out, "1.manifest.sig"), manifest); err != nil {
		t.Errorf("ssh-keygen -Y verify: %v\n%s", err, msg)
	}
}

// The wizard's key chooser: the agent's keys (SSH_AUTH_SOCK) and the key
// files in ~/.ssh, each unlocked only when chosen; a passphrase-protected
// file says so and refuses a wrong passphrase.
func TestCandidates(t *testing.T) {
	needOpenSSH(t, "ssh-agent", "ssh-add", "ssh-keygen")
	sock := startAgent(t)
	home := t.TempDir()
	dotSSH := filepath.Join(home, ".ssh")
	if err := os.Mkdir(dotSSH, 0o700); err != nil {
		t.Fatal(err)
	}
	inAgent := filepath.Join(t.TempDir(), "id_agent")
	run(t, nil, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "agent@laptop", "-f", inAgent)
	run(t, []string{"SSH_AUTH_SOCK=" + sock}, nil, "ssh-add", "-q", inAgent)
	run(t, nil, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret passphrase", "-C", "file@laptop", "-f", filepath.Join(dotSSH, "id_ed25519"))
	if err := os.WriteFile(filepath.Join(dotSSH, "known_hosts"), []byte("host ssh-ed25519 AAAA\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SSH_AUTH_SOCK": sock, "HOME": home}
	cs, err := sign.Candidates(func(k string) string { return env[k] })
	if err != nil || len(cs) != 2 {
		t.Fatalf("candidates: %v, %d: %+v", err, len(cs), cs)
	}
	agentC, fileC := cs[0], cs[1]
	if !strings.Contains(agentC.Label, "agent@laptop") || agentC.Passphrase || agentC.Fingerprint == "" {
		t.Errorf("agent key: %+v", agentC)
	}
	if !strings.Contains(fileC.Label, "passphrase protected") || !fileC.Passphrase || fileC.Fingerprint == "" {
		t.Errorf("key file: %+v", fileC)
	}
	key, err := agentC.Unlock(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := key.Sign([]byte("manifest")); err != nil || key.Fingerprint() != agentC.Fingerprint {
		t.Errorf("signing through the agent: %v", err)
	}
	if err := key.Close(); err != nil {
		t.Error(err)
	}
	if _, err := fileC.Unlock([]byte("wrong")); !errors.Is(err, sign.ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	key, err = fileC.Unlock([]byte("s3cret passphrase"))
	if err != nil || key.Fingerprint() != fileC.Fingerprint {
		t.Fatalf("the right passphrase: %v", err)
	}
	key.Close()

	// No agent and no ~/.ssh: nothing to choose, and no error.
	if cs, err := sign.Candidates(func(string) string { return "" }); err != nil || len(cs) != 0 {
		t.Errorf("nothing: %v %+v", err, cs)
	}
}
