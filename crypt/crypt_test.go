package crypt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"
)

var bundle = []byte(`{"assessment":{"name":"LIMS"},"trail":[]}` + "\n")

func ageKey(t *testing.T) (recipient string, identityFile []byte) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id.Recipient().String(), []byte("# created: today\n# public key: " + id.Recipient().String() + "\n" + id.String() + "\n")
}

// sshKey is an ed25519 key as ssh-keygen writes it: the public key line and
// the OpenSSH private key file.
func sshKey(t *testing.T) (publicLine string, privateFile []byte) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "jane@laptop")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " jane@laptop", pem.EncodeToMemory(block)
}

func encryptTo(t *testing.T, recipients ...string) []byte {
	t.Helper()
	var rs []Recipient
	for _, s := range recipients {
		r, err := ParseRecipient(s)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	data, err := Encrypt(bundle, rs...)
	if err != nil {
		t.Fatal(err)
	}
	if !IsEncrypted(data) || bytes.Contains(data, []byte("LIMS")) {
		t.Fatalf("not an age file, or the text shows: %q", data)
	}
	return data
}

func decryptWith(t *testing.T, data, keyFile []byte, askPass func() ([]byte, error)) ([]byte, error) {
	t.Helper()
	ids, err := ParseIdentities(keyFile, askPass)
	if err != nil {
		t.Fatal(err)
	}
	return Decrypt(data, 1<<20, ids...)
}

func noPass() ([]byte, error) { return nil, errors.New("asked for a passphrase") }

// Encrypted to an age recipient and an SSH key at once: each key file
// alone opens it, and another key does not.
func TestRecipientsAndKeyFiles(t *testing.T) {
	ageRecipient, ageIdentity := ageKey(t)
	sshPublic, sshPrivate := sshKey(t)
	data := encryptTo(t, ageRecipient, sshPublic)
	for name, keyFile := range map[string][]byte{"age identity": ageIdentity, "OpenSSH key": sshPrivate} {
		plain, err := decryptWith(t, data, keyFile, noPass)
		if err != nil || !bytes.Equal(plain, bundle) {
			t.Errorf("%s: %q %v", name, plain, err)
		}
	}
	_, otherAge := ageKey(t)
	_, otherSSH := sshKey(t)
	for name, keyFile := range map[string][]byte{"another age identity": otherAge, "another SSH key": otherSSH} {
		if plain, err := decryptWith(t, data, keyFile, noPass); !errors.Is(err, ErrWrongKey) || plain != nil {
			t.Errorf("%s: %q %v, want ErrWrongKey", name, plain, err)
		}
	}
}

// An SSH key protected by a passphrase asks for it, once; a wrong one is
// said to be so, not taken for a key the file is not encrypted to.
func TestEncryptedSSHKey(t *testing.T) {
	// Written by ssh-keygen -a 1 (one KDF round: the default 16 take
	// seconds on a loaded machine, each time the key is opened).
	sshPublic, err := os.ReadFile("testdata/id_ed25519_passphrase.pub")
	if err != nil {
		t.Fatal(err)
	}
	sshPrivate, err := os.ReadFile("testdata/id_ed25519_passphrase")
	if err != nil {
		t.Fatal(err)
	}
	data := encryptTo(t, string(sshPublic))
	asked := 0
	plain, err := decryptWith(t, data, sshPrivate, func() ([]byte, error) { asked++; return []byte("correct horse"), nil })
	if err != nil || !bytes.Equal(plain, bundle) || asked != 1 {
		t.Fatalf("%q %v, asked %d times", plain, err, asked)
	}
	_, err = ParseIdentities(sshPrivate, func() ([]byte, error) { return []byte("wrong"), nil })
	if !errors.Is(err, ErrKeyPassphrase) {
		t.Fatalf("wrong passphrase for the key: %v", err)
	}
}

func TestPassphrase(t *testing.T) {
	r, err := PassphraseRecipient([]byte("tiger lily 42"), 10)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Encrypt(bundle, r)
	if err != nil {
		t.Fatal(err)
	}
	for pass, want := range map[string]error{"tiger lily 42": nil, "tiger lily 43": ErrWrongKey} {
		id, err := PassphraseIdentity([]byte(pass))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := Decrypt(data, 1<<20, id)
		if !errors.Is(err, want) || (want == nil && !bytes.Equal(plain, bundle)) {
			t.Errorf("passphrase %q: %q %v, want %v", pass, plain, err, want)
		}
	}
	if _, err := PassphraseRecipient(nil, 10); err == nil {
		t.Error("an empty passphrase was taken")
	}
	// A file encrypted to a key is not opened by a passphrase.
	ageRecipient, _ := ageKey(t)
	id, _ := PassphraseIdentity([]byte("tiger lily 42"))
	if _, err := Decrypt(encryptTo(t, ageRecipient), 1<<20, id); !errors.Is(err, ErrWrongKey) {
		t.Errorf("passphrase on a file for a key: %v", err)
	}
}

// Cut short, altered in the header or the payload, or not age at all:
// ErrDamaged, and no plaintext.
func TestDamaged(t *testing.T) {
	ageRecipient, ageIdentity := ageKey(t)
	data := encryptTo(t, ageRecipient)
	flip := func(i int) []byte { d := bytes.Clone(data); d[i] ^= 1; return d }
	for name, d := range map[string][]byte{
		"cut short":        data[:len(data)-5],
		"header only":      data[:bytes.Index(data, []byte("\n---"))+4],
		"a payload byte":   flip(len(data) - 3),
		"the header's mac": flip(bytes.Index(data, []byte("\n---")) + 6),
		"not age":          []byte("age-encryption.org/v1\nnonsense\n"),
	} {
		plain, err := decryptWith(t, d, ageIdentity, noPass)
		if !errors.Is(err, ErrDamaged) || plain != nil {
			t.Errorf("%s: %q %v, want ErrDamaged", name, plain, err)
		}
	}
}

// An armored file (age -a) opens too; a plaintext over the limit does not.
func TestArmorAndLimit(t *testing.T) {
	ageRecipient, ageIdentity := ageKey(t)
	var buf bytes.Buffer
	a := armor.NewWriter(&buf)
	a.Write(encryptTo(t, ageRecipient))
	a.Close()
	if !IsEncrypted(buf.Bytes()) {
		t.Fatal("an armored file is not recognised")
	}
	if plain, err := decryptWith(t, buf.Bytes(), ageIdentity, noPass); err != nil || !bytes.Equal(plain, bundle) {
		t.Fatalf("armored: %q %v", plain, err)
	}
	ids, _ := ParseIdentities(ageIdentity, noPass)
	if _, err := Decrypt(encryptTo(t, ageRecipient), int64(len(bundle)-1), ids...); err == nil {
		t.Fatal("a plaintext over the limit was returned")
	}
	if IsEncrypted(bundle) {
		t.Fatal("a JSON bundle taken for an age file")
	}
}

func TestParseRecipientRefuses(t *testing.T) {
	_, identity := ageKey(t)
	secret := strings.TrimSpace(string(identity[bytes.Index(identity, []byte("AGE-SECRET")):]))
	for _, s := range []string{"", "jane@example.com", "age1notarecipient", "ssh-ed25519 AAAAnotakey", "ssh-dss AAAAB3NzaC1kc3M= old", secret} {
		if _, err := ParseRecipient(s); err == nil {
			t.Errorf("%q taken as a recipient", s)
		}
	}
	if _, err := ParseIdentities([]byte("not a key\n"), noPass); err == nil {
		t.Error("a file without a key taken as identities")
	}
}
