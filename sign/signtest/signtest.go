// Package signtest holds the fixed signing keys the wizard's and
// accessible mode's tests sign with, so their goldens show the same
// fingerprints. Only tests import it.
package signtest

import (
	"crypto/ed25519"
	"fmt"

	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/sign"
)

// Passphrase unlocks the second key.
const Passphrase = "correct horse"

// Signers are two fixed Ed25519 keys: one as an agent would hold it, one
// in a key file with a passphrase.
var Signers = func() [2]ssh.Signer {
	var out [2]ssh.Signer
	for i := range out {
		seed := make([]byte, ed25519.SeedSize)
		seed[0] = byte(i + 1)
		s, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed))
		if err != nil {
			panic(err)
		}
		out[i] = s
	}
	return out
}()

// Keys are the keys a test offers the signer: the agent's, and the key
// file's, which Passphrase unlocks.
func Keys() ([]sign.Candidate, error) {
	agentKey, fileKey := Signers[0], Signers[1]
	return []sign.Candidate{
		{Label: "ssh-ed25519 " + ssh.FingerprintSHA256(agentKey.PublicKey()) + " tester@laptop (ssh-agent)",
			Fingerprint: ssh.FingerprintSHA256(agentKey.PublicKey()),
			Unlock:      func([]byte) (*sign.Key, error) { return sign.NewKey(agentKey, "tester@laptop", "ssh-agent"), nil }},
		{Label: "ssh-ed25519 " + ssh.FingerprintSHA256(fileKey.PublicKey()) + " (~/.ssh/id_ed25519), passphrase protected",
			Fingerprint: ssh.FingerprintSHA256(fileKey.PublicKey()), Passphrase: true,
			Unlock: func(p []byte) (*sign.Key, error) {
				if string(p) != Passphrase {
					return nil, fmt.Errorf("~/.ssh/id_ed25519: %w", sign.ErrWrongPassphrase)
				}
				return sign.NewKey(fileKey, "", "~/.ssh/id_ed25519"), nil
			}},
	}, nil
}
