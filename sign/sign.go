// Package sign makes and checks Onus's electronic signatures: SSH
// signatures (the SSHSIG format of ssh-keygen -Y sign, namespace "onus")
// over a sign-off's manifest (model.Manifest), made with the signer's key
// through ssh-agent or from an OpenSSH private key file, and checked
// against an allowed-signers file as ssh-keygen -Y verify checks them.
package sign

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"

	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"
)

// Namespace is the SSHSIG namespace of every Onus signature: a signature
// made for anything else (git commits, files) never verifies as one.
const Namespace = "onus"

// hash is the message hash ssh-keygen uses by default.
const hash = sshsig.HashSHA512

// Key is a private key ready to sign: held by ssh-agent, or read from a
// key file and unlocked. It satisfies store.Signer.
type Key struct {
	signer  ssh.Signer
	comment string
	source  string    // "ssh-agent" or the key file's path
	closer  io.Closer // the agent connection an agent's key signs through
}

// PublicKey is the key's public half.
func (k *Key) PublicKey() ssh.PublicKey { return k.signer.PublicKey() }

// Fingerprint is the key's SHA-256 fingerprint, as ssh-keygen -l prints it.
func (k *Key) Fingerprint() string { return ssh.FingerprintSHA256(k.signer.PublicKey()) }

// String describes the key for a chooser: type, fingerprint, comment and
// where it is.
func (k *Key) String() string { return describe(k.signer.PublicKey(), k.comment, k.source) }

func describe(pub ssh.PublicKey, comment, source string) string {
	s := fmt.Sprintf("%s %s", pub.Type(), ssh.FingerprintSHA256(pub))
	if comment != "" {
		s += " " + comment
	}
	return s + " (" + source + ")"
}

// Sign returns the armored SSH signature of message, as ssh-keygen -Y sign
// -n onus writes it. It checks the signature before returning it, so a key
// or agent that signs wrongly is caught before anything is recorded.
func (k *Key) Sign(message []byte) ([]byte, error) {
	sig, err := sshsig.Sign(bytes.NewReader(message), k.signer, hash, Namespace)
	if err != nil {
		return nil, err
	}
	if err := sshsig.Verify(bytes.NewReader(message), sig, k.signer.PublicKey(), sig.HashAlgorithm, Namespace); err != nil {
		return nil, fmt.Errorf("the signature %s made does not verify: %w", k, err)
	}
	return sshsig.Armor(sig), nil
}

// NewKey wraps a signer, for keys held elsewhere (a test, a hardware token
// behind another interface).
func NewKey(s ssh.Signer, comment, source string) *Key {
	return &Key{signer: s, comment: comment, source: source}
}

// DefaultAllowedSigners is where onus verify looks for the organisation's
// allowed-signers file: $XDG_CONFIG_HOME/onus/allowed_signers, else
// ~/.config/onus/allowed_signers.
func DefaultAllowedSigners(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "onus", "allowed_signers")
	}
	return filepath.Join(getenv("HOME"), ".config", "onus", "allowed_signers")
}
