package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// onus compact: the database rewritten without the space bbolt keeps
// after purges (store.Compact).

func newCompactCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "compact",
		Short: "rewrite the database file without its unused space",
		Long: `Rewrite the database file without the space bbolt keeps once it is no longer
used (after purges, say: the file never shrinks by itself). The copy is made
beside the file, synced, checked (bbolt's check, and every audit chain and the
store's log ending where they ended), and then renamed over the file; a kill
at any moment leaves the old file or the new one whole. Prints both sizes.

The file must not be open elsewhere (exit 3: close the wizard or onus serve
first); a damaged file, or one whose records fail their check, is never
compacted (exit 4).`,
		Example: "onus compact --db lims.db",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			path, err := env.dbPath()
			if err != nil {
				return err
			}
			before, after, err := store.Compact(path, store.Options{Actor: env.actor(), Progress: cat.Progress,
				Catalog: func() *model.Catalog { return cat }})
			if err != nil {
				return servedBy(path, err)
			}
			fmt.Fprintf(env.Stderr, "compacted %s: %s → %s\n", path, byteSize(before), byteSize(after))
			return nil
		},
	}
}

// byteSize says n bytes in the largest unit that keeps it at least 1.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, prefix := float64(n)/unit, "KMGT"
	for i := 0; ; i++ {
		if v < unit || i == len(prefix)-1 {
			return fmt.Sprintf("%.1f %ciB (%d bytes)", v, prefix[i], n)
		}
		v /= unit
	}
}
