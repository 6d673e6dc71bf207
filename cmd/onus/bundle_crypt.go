package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/onus-gxp/onus/crypt"
	"github.com/onus-gxp/onus/model"
)

// A bundle for removable media is encrypted with age (package crypt): to
// recipients (--encrypt-to, age or SSH public keys) or with a passphrase
// (--passphrase). The passphrase is ONUS_PASSPHRASE when set, for scripts;
// else it is asked for on the terminal without echo, twice when
// encrypting. It is never an argument, which other users could read in
// the process list.
type bundleCrypt struct {
	to         []string // export: --encrypt-to
	identities []string // import: --identity
	passphrase bool     // --passphrase
}

func (c bundleCrypt) on() bool { return len(c.to) > 0 || len(c.identities) > 0 || c.passphrase }

// passphraseEnv is the variable a script sets the passphrase in.
const passphraseEnv = "ONUS_PASSPHRASE"

// bundlePassphrase is ONUS_PASSPHRASE, else asked for on the terminal
// (twice, to catch a typing mistake, when confirm).
func (env *Env) bundlePassphrase(confirm bool) ([]byte, error) {
	if p := env.Getenv(passphraseEnv); p != "" {
		return []byte(p), nil
	}
	pass, err := env.promptHidden("passphrase for the bundle: ")
	if errors.Is(err, errNoTerminal) {
		return nil, fmt.Errorf("--passphrase: %v to ask for it on; a script sets %s", err, passphraseEnv)
	}
	if err != nil {
		return nil, err
	}
	if len(pass) == 0 {
		return nil, errors.New("--passphrase: the passphrase is empty")
	}
	if confirm {
		again, err := env.promptHidden("the same passphrase again: ")
		defer clear(again)
		if err != nil || !bytes.Equal(pass, again) {
			clear(pass)
			return nil, errors.New("--passphrase: the two passphrases differ; nothing written")
		}
	}
	return pass, nil
}

// bundleRecipients are whom an exported bundle is encrypted to, as c
// says (the passphrase asked for now, when it is one).
func (env *Env) bundleRecipients(c bundleCrypt) ([]crypt.Recipient, error) {
	var recipients []crypt.Recipient
	for _, s := range c.to {
		r, err := crypt.ParseRecipient(s)
		if err != nil {
			return nil, usagef("--encrypt-to: %v", err)
		}
		recipients = append(recipients, r)
	}
	if c.passphrase {
		pass, err := env.bundlePassphrase(true)
		if err != nil {
			return nil, err
		}
		r, err := crypt.PassphraseRecipient(pass, env.scryptWorkFactor)
		clear(pass)
		if err != nil {
			return nil, err
		}
		recipients = append(recipients, r)
	}
	return recipients, nil
}

// decryptBundle returns the bundle in an imported file's data: the data
// itself when the file is not encrypted and c asks for no key, else the
// plaintext once all of it has been authenticated. The wrong key, a wrong
// passphrase or a damaged file is an error that says which, and nothing
// is imported.
func (env *Env) decryptBundle(c bundleCrypt, path string, data []byte) ([]byte, error) {
	encrypted := crypt.IsEncrypted(data)
	switch {
	case !encrypted && !c.on():
		return data, nil
	case !encrypted:
		return nil, fmt.Errorf("%s: not an encrypted bundle; import it without --identity or --passphrase", path)
	case !c.on():
		return nil, fmt.Errorf("%s: an encrypted bundle (age): pass --identity KEYFILE or --passphrase", path)
	}
	var ids []crypt.Identity
	for _, keyFile := range c.identities {
		key, err := readCapped(keyFile, 1<<20)
		if err != nil {
			return nil, err
		}
		some, err := crypt.ParseIdentities(key, func() ([]byte, error) {
			return env.promptHidden("passphrase for " + keyFile + ": ")
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", keyFile, err)
		}
		ids = append(ids, some...)
	}
	if c.passphrase {
		pass, err := env.bundlePassphrase(false)
		if err != nil {
			return nil, err
		}
		id, err := crypt.PassphraseIdentity(pass)
		clear(pass)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	plain, err := crypt.Decrypt(data, model.MaxBundleBytes, ids...)
	switch {
	case errors.Is(err, crypt.ErrWrongKey) && c.passphrase && len(c.identities) == 0:
		return nil, fmt.Errorf("%s: wrong passphrase; nothing imported", path)
	case errors.Is(err, crypt.ErrWrongKey):
		return nil, fmt.Errorf("%s: not encrypted to the key given (%v); nothing imported", path, keyNames(c))
	case err != nil:
		return nil, fmt.Errorf("%s: %w; nothing imported", path, err)
	}
	return plain, nil
}

func keyNames(c bundleCrypt) string {
	names := append([]string(nil), c.identities...)
	if c.passphrase {
		names = append(names, "the passphrase")
	}
	return fmt.Sprint(names)
}

// errNoTerminal: there is no terminal to ask a passphrase on.
var errNoTerminal = errors.New("no terminal")

// promptHidden asks on the terminal, without echo (env.ReadPassphrase in
// tests).
func (env *Env) promptHidden(prompt string) ([]byte, error) {
	if env.ReadPassphrase != nil {
		return env.ReadPassphrase(prompt)
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoTerminal, err)
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	pass, err := term.ReadPassword(tty.Fd())
	fmt.Fprintln(tty)
	return pass, err
}
