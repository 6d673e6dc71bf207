package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/model"
)

// runOnusAsked runs onus in-process as runOnus does, answering each
// passphrase prompt with the next of answers, and says how many were asked.
func runOnusAsked(t *testing.T, env map[string]string, answers []string, args ...string) (code int, stdout, stderr string, asked int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
		ReadPassphrase: func(string) ([]byte, error) {
			if asked >= len(answers) {
				return nil, errors.New("asked once too often")
			}
			asked++
			return []byte(answers[asked-1]), nil
		},
		scryptWorkFactor: 10, // age's default takes seconds on a loaded machine
	}
	code = run(e, args)
	return code, out.String(), errb.String(), asked
}

// cryptSetup is an assessment in a database, and age and SSH keys.
type cryptSetup struct {
	env                      map[string]string
	dir, db, id              string
	ageRecipient, ageKeyFile string
	sshPublic, sshKeyFile    string
}

func newCryptSetup(t *testing.T) cryptSetup {
	t.Helper()
	dir := t.TempDir()
	s := cryptSetup{env: map[string]string{"HOME": dir, "ONUS_USER": "tester"}, dir: dir, db: filepath.Join(dir, "onus.db")}
	code, out, errs := runOnus(t, s.env, "--db", s.db, "new", "--name", "LIMS on AWS", "--services", "ec2,s3")
	if code != 0 {
		t.Fatalf("new: %s", errs)
	}
	s.id = strings.TrimSpace(out)
	s.ageRecipient, s.ageKeyFile = writeAgeKey(t, dir, "age.key")
	s.sshPublic, s.sshKeyFile = writeSSHKey(t, dir, "id_ed25519")
	return s
}

func writeAgeKey(t *testing.T, dir, name string) (recipient, keyFile string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	keyFile = filepath.Join(dir, name)
	if err := os.WriteFile(keyFile, []byte("# public key: "+id.Recipient().String()+"\n"+id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return id.Recipient().String(), keyFile
}

func writeSSHKey(t *testing.T, dir, name string) (publicLine, keyFile string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, _ := ssh.NewPublicKey(pub)
	block, err := ssh.MarshalPrivateKey(priv, "jane@laptop")
	if err != nil {
		t.Fatal(err)
	}
	keyFile = filepath.Join(dir, name)
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " jane@laptop", keyFile
}

// importInto imports file into a fresh database and returns the result and
// that database's path.
func (s cryptSetup) importInto(t *testing.T, answers []string, file string, flags ...string) (code int, stderr, db string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "other.db")
	code, _, stderr, _ = runOnusAsked(t, s.env, answers, append([]string{"--db", db, "import", file}, flags...)...)
	return code, stderr, db
}

func (s cryptSetup) plainBundle(t *testing.T) []byte {
	t.Helper()
	_, out, _ := runOnus(t, s.env, "--db", s.db, "export", s.id, "--format", "json")
	return []byte(out)
}

// Encrypted to an age recipient and an SSH key at once, the bundle opens
// with either key file, and imports as the plain bundle does.
func TestEncryptedBundleToKeys(t *testing.T) {
	s := newCryptSetup(t)
	file := filepath.Join(s.dir, "lims.json.age")
	if code, _, errs, _ := runOnusAsked(t, s.env, nil, "--db", s.db, "export", s.id, "--format", "json",
		"--encrypt-to", s.ageRecipient, "--encrypt-to", s.sshPublic, "-o", file); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	data, _ := os.ReadFile(file)
	if !bytes.HasPrefix(data, []byte("age-encryption.org/v1\n")) || bytes.Contains(data, []byte("LIMS")) {
		t.Fatalf("not an age file, or the name shows in it:\n%.200s", data)
	}
	for _, keyFile := range []string{s.ageKeyFile, s.sshKeyFile} {
		code, errs, db := s.importInto(t, nil, file, "--identity", keyFile)
		if code != 0 {
			t.Fatalf("import --identity %s: %s", filepath.Base(keyFile), errs)
		}
		// The import adds an entry of its own after the original trail.
		var orig, imported model.Bundle
		_, again, _ := runOnus(t, s.env, "--db", db, "export", s.id, "--format", "json")
		if json.Unmarshal(s.plainBundle(t), &orig) != nil || json.Unmarshal([]byte(again), &imported) != nil ||
			imported.Assessment.Name != "LIMS on AWS" || len(imported.Trail) <= len(orig.Trail) ||
			model.Head(imported.Trail[:len(orig.Trail)]) != model.Head(orig.Trail) {
			t.Errorf("--identity %s: the imported assessment is not the original:\n%s", filepath.Base(keyFile), again)
		}
	}
}

// The wrong key, a damaged file, no key for an encrypted file, a key for a
// plain one: a clear error, and not even the database is created.
func TestEncryptedBundleRefused(t *testing.T) {
	s := newCryptSetup(t)
	file := filepath.Join(s.dir, "lims.json.age")
	if code, _, errs, _ := runOnusAsked(t, s.env, nil, "--db", s.db, "export", s.id, "--encrypt-to", s.ageRecipient, "-o", file); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	data, _ := os.ReadFile(file)
	damaged := filepath.Join(s.dir, "damaged.age")
	d := bytes.Clone(data)
	d[len(d)-20] ^= 0x40
	os.WriteFile(damaged, d, 0o600)
	cut := filepath.Join(s.dir, "cut.age")
	os.WriteFile(cut, data[:len(data)-100], 0o600)
	plain := filepath.Join(s.dir, "plain.json")
	os.WriteFile(plain, s.plainBundle(t), 0o600)
	_, otherKey := writeAgeKey(t, s.dir, "other.key")

	for _, c := range []struct {
		name, file string
		flags      []string
		answers    []string
		want       string
	}{
		{"another age key", file, []string{"--identity", otherKey}, nil, "not encrypted to the key given"},
		{"an SSH key it is not for", file, []string{"--identity", s.sshKeyFile}, nil, "not encrypted to the key given"},
		{"a passphrase for a file for keys", file, []string{"--passphrase"}, []string{"guess"}, "wrong passphrase"},
		{"a byte changed", damaged, []string{"--identity", s.ageKeyFile}, nil, "damaged or incomplete encrypted file"},
		{"cut short", cut, []string{"--identity", s.ageKeyFile}, nil, "damaged or incomplete encrypted file"},
		{"no key", file, nil, nil, "an encrypted bundle (age): pass --identity KEYFILE or --passphrase"},
		{"a key for a plain bundle", plain, []string{"--identity", s.ageKeyFile}, nil, "not an encrypted bundle"},
		{"not a key file", file, []string{"--identity", plain}, nil, "neither an age identity file nor an OpenSSH private key"},
	} {
		code, errs, db := s.importInto(t, c.answers, c.file, c.flags...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d, %q; want an error with %q", c.name, code, errs, c.want)
		}
		if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: the database was created (%v)", c.name, err)
		}
	}
}

// A passphrase is asked for twice on export (a typing mistake writes
// nothing), once on import; ONUS_PASSPHRASE, for scripts, asks nothing.
func TestEncryptedBundlePassphrase(t *testing.T) {
	s := newCryptSetup(t)
	file := filepath.Join(s.dir, "lims.json.age")
	export := []string{"--db", s.db, "export", s.id, "--passphrase", "-o", file}
	if code, _, errs, _ := runOnusAsked(t, s.env, []string{"tiger lily", "tiger lilly"}, export...); code == 0 || !strings.Contains(errs, "the two passphrases differ") {
		t.Fatalf("mistyped: exit %d %s", code, errs)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was written after a mistyped passphrase: %v", err)
	}
	if code, _, errs, asked := runOnusAsked(t, s.env, []string{"tiger lily", "tiger lily"}, export...); code != 0 || asked != 2 {
		t.Fatalf("export: exit %d, asked %d times: %s", code, asked, errs)
	}
	if code, errs, _ := s.importInto(t, []string{"tiger lilly"}, file, "--passphrase"); code == 0 || !strings.Contains(errs, "wrong passphrase; nothing imported") {
		t.Errorf("wrong passphrase: exit %d %s", code, errs)
	}
	if code, errs, _ := s.importInto(t, []string{"tiger lily"}, file, "--passphrase"); code != 0 {
		t.Errorf("import --passphrase: %s", errs)
	}

	s.env[passphraseEnv] = "from a script"
	if code, _, errs, asked := runOnusAsked(t, s.env, nil, append(export, "--force")...); code != 0 || asked != 0 {
		t.Fatalf("export with %s: exit %d, asked %d: %s", passphraseEnv, code, asked, errs)
	}
	if code, errs, _ := s.importInto(t, nil, file, "--passphrase"); code != 0 {
		t.Errorf("import with %s: %s", passphraseEnv, errs)
	}
	// An age identity file does not open a passphrase's file.
	if code, errs, _ := s.importInto(t, nil, file, "--identity", s.ageKeyFile); code == 0 || !strings.Contains(errs, "not encrypted to the key given") {
		t.Errorf("a key for a passphrase's file: exit %d %s", code, errs)
	}
}

func TestEncryptedBundleUsage(t *testing.T) {
	s := newCryptSetup(t)
	out := filepath.Join(s.dir, "x")
	for _, args := range [][]string{
		{"--format", "md", "--encrypt-to", s.ageRecipient},
		{"--encrypt-to", s.ageRecipient, "--passphrase"},
		{"--encrypt-to", "jane@example.com"},
		{"--encrypt-to", "AGE-SECRET-KEY-1QQQ"},
	} {
		code, _, errs, _ := runOnusAsked(t, s.env, []string{"p", "p"}, append([]string{"--db", s.db, "export", s.id, "-o", out}, args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d %s, want %d", args, code, errs, exitUsage)
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused export wrote a file: %v", err)
	}
}
