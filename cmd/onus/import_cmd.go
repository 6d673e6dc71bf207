package main

import (
	"fmt"

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
			data, err := readCapped(path, model.MaxBundleBytes)
			if err != nil {
				return err
			}
			b, err := model.DecodeBundle(data)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
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
