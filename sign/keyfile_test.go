package sign_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/sign"
)

// The key-file path without OpenSSH installed: an OpenSSH-format key
// encrypted with a passphrase, written by x/crypto as ssh-keygen would.
func TestKeyFileUnlocksAndSigns(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "jane@laptop", []byte("s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	kf, err := sign.ReadKeyFile(path)
	if err != nil || !kf.Encrypted || kf.Public == nil {
		t.Fatalf("read: %+v %v", kf, err)
	}
	if _, err := kf.Unlock([]byte("guess")); !errors.Is(err, sign.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	k, err := kf.Unlock([]byte("s3cret"))
	if err != nil || k.Fingerprint() != ssh.FingerprintSHA256(kf.Public) {
		t.Fatalf("unlock: %v", err)
	}
	if found, err := sign.FindKeyFiles(dir); err != nil || len(found) != 1 {
		t.Errorf("key files: %v %v", found, err)
	}
	if _, err := sign.ReadKeyFile(filepath.Join(dir, "notes.txt")); err == nil {
		t.Error("a text file read as a key")
	}

	f := newFixture(t)
	f.sign(t, k, "Jane Smith", "approved")
	rs, err := sign.Verify(f.trail(t), allowedFor(t, map[string]*sign.Key{"Jane Smith": k}))
	if err != nil || len(rs) != 1 || !rs[0].Valid() {
		t.Errorf("verify: %+v %v", rs, err)
	}
}
