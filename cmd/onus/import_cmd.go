package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newImportCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "import FILE",
		Short:   "import a bundle after checking its audit chain",
		Example: "onus import lims.json",
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
			if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > model.MaxBundleBytes {
				f.Close()
				return fmt.Errorf("%s: larger than the %d MiB limit", path, model.MaxBundleBytes>>20)
			}
			b, err := model.ReadBundle(f)
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
}
