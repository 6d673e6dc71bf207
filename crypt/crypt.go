// Package crypt encrypts and decrypts bundles for removable media with age
// (filippo.io/age, https://age-encryption.org/v1): to age X25519 recipients
// or SSH public keys, or with a passphrase (scrypt). A file is decrypted in
// full and authenticated before any of it is returned, so a damaged file or
// the wrong key gives an error and nothing else.
package crypt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"
)

// Recipient is whom a file is encrypted to; Identity what decrypts it.
type (
	Recipient = age.Recipient
	Identity  = age.Identity
)

// ErrWrongKey: none of the identities or passphrases given opens the file.
var ErrWrongKey = errors.New("not encrypted to the key or passphrase given")

// ErrKeyPassphrase: the passphrase given for an SSH key file is not its own.
var ErrKeyPassphrase = errors.New("wrong passphrase for the key file")

// ErrDamaged: the file is not a whole age file, or fails authentication.
var ErrDamaged = errors.New("damaged or incomplete encrypted file")

const (
	header      = "age-encryption.org/v1\n"
	armorHeader = "-----BEGIN AGE ENCRYPTED FILE-----"
)

// IsEncrypted reports whether data starts as an age file does, binary or
// armored.
func IsEncrypted(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	return bytes.HasPrefix(data, []byte(header)) || bytes.HasPrefix(data, []byte(armorHeader))
}

// ParseRecipient reads one recipient: an age recipient (age1..., or a
// post-quantum age1pq1...) or an SSH public key as a line of an
// authorized_keys or .pub file (ssh-ed25519 or ssh-rsa, comment optional).
func ParseRecipient(s string) (Recipient, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "age1"):
		rs, err := age.ParseRecipients(strings.NewReader(s))
		if err != nil || len(rs) != 1 {
			return nil, fmt.Errorf("%q is not an age recipient (age1...): %v", s, err)
		}
		return rs[0], nil
	case strings.HasPrefix(s, "ssh-"):
		r, err := agessh.ParseRecipient(s)
		if err != nil {
			return nil, fmt.Errorf("not an SSH public key age can encrypt to (ssh-ed25519 or ssh-rsa): %v", err)
		}
		return r, nil
	case strings.HasPrefix(s, "AGE-SECRET-KEY-"):
		return nil, errors.New("that is a secret key: encrypt to its recipient (age-keygen -y KEYFILE prints it)")
	}
	return nil, fmt.Errorf("%q is neither an age recipient (age1...) nor an SSH public key (ssh-ed25519 AAAA..., ssh-rsa AAAA...)", s)
}

// PassphraseRecipient encrypts with a passphrase (age's scrypt), at a work
// factor of 2^workFactor; 0 is age's default, 2^18, which takes about a
// second and 256 MiB to derive the key, on encrypting and on decrypting
// alike. Tests lower it.
func PassphraseRecipient(pass []byte, workFactor int) (Recipient, error) {
	if len(pass) == 0 {
		return nil, errors.New("an empty passphrase")
	}
	r, err := age.NewScryptRecipient(string(pass))
	if err == nil && workFactor != 0 {
		r.SetWorkFactor(workFactor)
	}
	return r, err
}

// PassphraseIdentity decrypts a file encrypted with a passphrase.
func PassphraseIdentity(pass []byte) (Identity, error) {
	if len(pass) == 0 {
		return nil, errors.New("an empty passphrase")
	}
	return age.NewScryptIdentity(string(pass))
}

// ParseIdentities reads a key file: an age identity file (AGE-SECRET-KEY-1
// lines, # comments) or an OpenSSH private key (ed25519 or RSA). For an SSH
// key protected by a passphrase, askPass is called once; a wrong one is
// ErrKeyPassphrase.
func ParseIdentities(data []byte, askPass func() ([]byte, error)) ([]Identity, error) {
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		ids, err := age.ParseIdentities(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("neither an age identity file nor an OpenSSH private key: %v", err)
		}
		return ids, nil
	}
	key, err := ssh.ParseRawPrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		pass, perr := askPass()
		if perr != nil {
			return nil, perr
		}
		key, err = ssh.ParseRawPrivateKeyWithPassphrase(data, pass)
		clear(pass)
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, ErrKeyPassphrase
		}
	}
	if err != nil {
		return nil, fmt.Errorf("not an OpenSSH private key: %v", err)
	}
	var id Identity
	switch k := key.(type) {
	case *ed25519.PrivateKey:
		id, err = agessh.NewEd25519Identity(*k)
	case ed25519.PrivateKey:
		id, err = agessh.NewEd25519Identity(k)
	case *rsa.PrivateKey:
		id, err = agessh.NewRSAIdentity(k)
	default:
		err = fmt.Errorf("an SSH key of type %T, where age takes ed25519 or RSA", key)
	}
	if err != nil {
		return nil, err
	}
	return []Identity{id}, nil
}

// Encrypt returns data encrypted to the recipients (binary age format). A
// passphrase recipient must be the only one.
func Encrypt(data []byte, recipients ...Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := EncryptTo(&buf, recipients...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// EncryptTo returns a writer that encrypts what is written to it to the
// recipients, into dst, as Encrypt does: a bundle is encrypted as it is
// written, never held whole. Close writes the last chunk; the file is not
// whole before it.
func EncryptTo(dst io.Writer, recipients ...Recipient) (io.WriteCloser, error) {
	return age.Encrypt(dst, recipients...)
}

// Decrypt returns the plaintext of an age file (binary or armored), at most
// limit bytes of it, once all of it has been authenticated. A key or
// passphrase that does not open it is ErrWrongKey; a file cut short,
// altered or not age at all is ErrDamaged.
func Decrypt(data []byte, limit int64, ids ...Identity) ([]byte, error) {
	var src io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte(armorHeader)) {
		src = armor.NewReader(bytes.NewReader(bytes.TrimLeft(data, " \t\r\n")))
	}
	r, err := age.Decrypt(src, ids...)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		return nil, ErrWrongKey
	case err != nil: // the header cannot be read, or fails its MAC
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if int64(len(plain)) > limit {
		return nil, fmt.Errorf("more than %d bytes once decrypted", limit)
	}
	return plain, nil
}
