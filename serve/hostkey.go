package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// HostKeyPath is where the server's key is kept: beside the database, so
// that the fingerprint participants checked stays the same from one
// workshop to the next on that file.
func HostKeyPath(dbPath string) string { return dbPath + ".host_ed25519" }

// LoadHostKey reads the host key at path, creating it (ed25519, mode
// 0600, never overwritten) when there is none. created says which.
func LoadHostKey(path string) (signer gossh.Signer, created bool, err error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		raw, err = newHostKey(path)
		created = err == nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("host key %s is readable by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	signer, err = gossh.ParsePrivateKey(raw)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, created, nil
}

func newHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "onus serve host key")
	if err != nil {
		return nil, err
	}
	raw := pem.EncodeToMemory(block)
	// O_EXCL: two servers started at once do not overwrite each other's.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return raw, f.Close()
}

// Fingerprint is the SHA-256 fingerprint of the host key, as ssh shows it
// on first connection: participants compare the two.
func Fingerprint(k gossh.Signer) string { return gossh.FingerprintSHA256(k.PublicKey()) }

// MarkerPath is the note a running server leaves beside the database,
// so that a command refused because the file is in use can say by what.
func MarkerPath(dbPath string) string { return dbPath + ".serving" }

// Serving reads the note of a server running on dbPath ("" when none).
func Serving(dbPath string) string {
	b, err := os.ReadFile(MarkerPath(dbPath))
	if err != nil || len(b) > 1024 {
		return ""
	}
	return strings.TrimSpace(string(b))
}
