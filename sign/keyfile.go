package sign

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"
)

// maxKeyFile bounds what is read as a private key file.
const maxKeyFile = 64 << 10

// ErrWrongPassphrase says a key file's passphrase did not unlock it.
var ErrWrongPassphrase = errors.New("wrong passphrase")

// KeyFile is a private key file, read but not yet unlocked: its public
// half is known (from the file itself, or from FILE.pub next to it), so a
// chooser can show it before asking for the passphrase.
type KeyFile struct {
	Path      string
	Public    ssh.PublicKey // nil if neither the file nor FILE.pub gives it
	Comment   string
	Encrypted bool // Unlock needs the passphrase
	pem       []byte
}

// ReadKeyFile reads an OpenSSH (or PEM) private key file.
func ReadKeyFile(path string) (*KeyFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxKeyFile || !bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		return nil, fmt.Errorf("%s is not a private key file", path)
	}
	kf := &KeyFile{Path: path, pem: data}
	s, err := ssh.ParsePrivateKey(data)
	var missing *ssh.PassphraseMissingError
	switch {
	case err == nil:
		kf.Public = s.PublicKey()
	case errors.As(err, &missing):
		kf.Encrypted, kf.Public = true, missing.PublicKey
	default:
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if raw, err := os.ReadFile(path + ".pub"); err == nil {
		if pub, comment, _, _, err := ssh.ParseAuthorizedKey(raw); err == nil &&
			(kf.Public == nil || bytes.Equal(pub.Marshal(), kf.Public.Marshal())) {
			kf.Public, kf.Comment = pub, comment
		}
	}
	return kf, nil
}

// String describes the file for a chooser.
func (kf *KeyFile) String() string {
	if kf.Public == nil {
		return kf.Path + " (public key unknown until unlocked)"
	}
	s := describe(kf.Public, kf.Comment, kf.Path)
	if kf.Encrypted {
		s += ", passphrase protected"
	}
	return s
}

// Unlock returns the key, decrypting it with passphrase when the file is
// encrypted (ErrWrongPassphrase when that fails). The passphrase is not
// kept.
func (kf *KeyFile) Unlock(passphrase []byte) (*Key, error) {
	var s ssh.Signer
	var err error
	if kf.Encrypted {
		if len(passphrase) == 0 {
			return nil, fmt.Errorf("%s is passphrase protected: give its passphrase", kf.Path)
		}
		s, err = ssh.ParsePrivateKeyWithPassphrase(kf.pem, passphrase)
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, fmt.Errorf("%s: %w", kf.Path, ErrWrongPassphrase)
		}
	} else {
		s, err = ssh.ParsePrivateKey(kf.pem)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kf.Path, err)
	}
	if kf.Public != nil && !bytes.Equal(s.PublicKey().Marshal(), kf.Public.Marshal()) {
		return nil, fmt.Errorf("%s does not hold the key %s.pub names", kf.Path, kf.Path)
	}
	return &Key{signer: s, comment: kf.Comment, source: kf.Path}, nil
}

// FindKeyFiles lists the private key files in dir (the signer's ~/.ssh),
// for a chooser; files that are not private keys are skipped.
func FindKeyFiles(dir string) ([]*KeyFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*KeyFile
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasSuffix(name, ".pub") || slices.Contains([]string{"known_hosts", "authorized_keys", "config"}, name) {
			continue
		}
		if kf, err := ReadKeyFile(filepath.Join(dir, name)); err == nil {
			out = append(out, kf)
		}
	}
	return out, nil
}
