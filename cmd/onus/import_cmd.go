package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/crypt"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newImportCmd(env *Env) *cobra.Command {
	var dec bundleCrypt
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "import a bundle after checking its audit chain",
		Example: `onus import lims.json
# a bundle encrypted with age, by an age identity or an OpenSSH private key
onus import lims.json.age --identity ~/.ssh/id_ed25519`,
		RunE: func(_ *cobra.Command, pos []string) error {
			path, err := oneID(pos, "import FILE")
			if err != nil {
				return err
			}
			// The bundle is read entry by entry and checked in full (every
			// entry a change onus could have made, with ids the catalog in
			// effect knows) before the database is opened: a refused
			// import creates nothing, not even an empty file.
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			limit := int64(model.MaxBundleBytes)
			if dec.on() {
				limit = maxEncryptedBundleBytes
			}
			if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > limit {
				f.Close()
				return fmt.Errorf("%s: larger than the %d MiB limit", path, model.MaxBundleBytes>>20)
			}
			br := bufio.NewReader(f)
			var src io.Reader = br
			if head, _ := br.Peek(64); dec.on() || crypt.IsEncrypted(head) {
				// An encrypted bundle is decrypted and authenticated in
				// full before a byte of it is read as a bundle.
				data, err := io.ReadAll(io.LimitReader(br, maxEncryptedBundleBytes+1))
				if err == nil {
					data, err = env.decryptBundle(dec, path, data)
				}
				if err != nil {
					f.Close()
					return err
				}
				src = bytes.NewReader(data)
			}
			b, err := model.ReadBundle(src)
			f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			if _, err := b.Check(cat); err != nil {
				return fmt.Errorf("%s: bundle refused: %w", path, err)
			}
			return env.withCatalogStore(false, cat, func(_ *model.Catalog, db *store.DB) error {
				a, err := db.Import(b)
				if err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				fmt.Fprintf(env.Stderr, "imported %s (%d audit entries, head %s)\n", safetext.Line(a.Name), len(b.Trail), shortHash(model.Head(b.Trail)))
				fmt.Fprintln(env.Stdout, a.ID)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&dec.identities, "identity", nil, "decrypt an encrypted bundle with KEYFILE: an age identity file or an OpenSSH private key; repeatable")
	f.BoolVar(&dec.passphrase, "passphrase", false, "decrypt an encrypted bundle with a passphrase, asked for on the terminal (or "+passphraseEnv+")")
	return cmd
}

// maxEncryptedBundleBytes is the largest bundle, encrypted: age adds 16
// bytes to every 64 KiB and a header.
const maxEncryptedBundleBytes = model.MaxBundleBytes + model.MaxBundleBytes/4096 + 64<<10
