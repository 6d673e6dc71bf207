package sign

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh"
)

// Candidate is a key a signer may choose to sign with: one the ssh-agent
// holds, or a private key file in ~/.ssh. Nothing is unlocked until the
// signer picks it.
type Candidate struct {
	Label       string // type, fingerprint, comment and where it is
	Fingerprint string // "" when the file does not tell before it is unlocked
	Passphrase  bool   // Unlock needs the key file's passphrase
	// Unlock returns the key, ready to sign; Close it when done (an
	// agent's key holds the connection to the agent).
	Unlock func(passphrase []byte) (*Key, error)
}

// Candidates lists the keys of the ssh-agent at $SSH_AUTH_SOCK, when it
// is set, then the private key files in ~/.ssh. A source that cannot be
// read is named in the error, beside what the others gave.
func Candidates(getenv func(string) string) ([]Candidate, error) {
	var out []Candidate
	var errs []error
	if socket := getenv("SSH_AUTH_SOCK"); socket != "" {
		found, err := agentCandidates(socket)
		out = append(out, found...)
		errs = append(errs, err)
	}
	if home := getenv("HOME"); home != "" {
		files, err := FindKeyFiles(filepath.Join(home, ".ssh"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		for _, kf := range files {
			c := Candidate{Label: kf.String(), Passphrase: kf.Encrypted, Unlock: kf.Unlock}
			if kf.Public != nil {
				c.Fingerprint = ssh.FingerprintSHA256(kf.Public)
			}
			out = append(out, c)
		}
	}
	return out, errors.Join(errs...)
}

// agentCandidates lists the agent's keys; each Unlock connects again and
// keeps the connection until the key is closed.
func agentCandidates(socket string) ([]Candidate, error) {
	ag, err := OpenAgent(socket)
	if err != nil {
		return nil, err
	}
	defer ag.Close()
	keys, err := ag.Keys()
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, len(keys))
	for i, k := range keys {
		pub := k.PublicKey()
		out[i] = Candidate{Label: k.String(), Fingerprint: k.Fingerprint(), Unlock: func([]byte) (*Key, error) { return AgentKey(socket, pub) }}
	}
	return out, nil
}

// Close releases what the key holds: the connection to the agent that
// holds it. A key read from a file holds nothing.
func (k *Key) Close() error {
	if k == nil || k.closer == nil {
		return nil
	}
	err := k.closer.Close()
	k.closer = nil
	if err != nil {
		return fmt.Errorf("closing the ssh-agent connection: %w", err)
	}
	return nil
}
