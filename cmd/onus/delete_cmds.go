package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// delete, restore and purge: an assessment's end, its undoing, and the
// end that cannot be undone.

func newDeleteCmd(env *Env) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:               "delete ID",
		Short:             "delete an assessment (recorded, restorable)",
		Example:           `onus delete 01jd3k5x7m2q8r4t --reason "superseded"`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "delete ID [--reason TEXT]")
			if err != nil {
				return err
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
				if _, err := db.Delete(id, reason); err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "deleted %s (restore with: onus restore %s)\n", id, id)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, recorded in the audit trail")
	completeFlag(cmd, "reason", cobra.NoFileCompletions)
	return cmd
}

func newRestoreCmd(env *Env) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:               "restore ID",
		Short:             "restore a deleted assessment",
		Example:           "onus restore 01jd3k5x7m2q8r4t",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(deletedIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "restore ID")
			if err != nil {
				return err
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
				_, err := db.Restore(id, reason)
				return err
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, recorded in the audit trail")
	completeFlag(cmd, "reason", cobra.NoFileCompletions)
	return cmd
}

func newPurgeCmd(env *Env) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:               "purge ID --yes",
		Short:             "remove an assessment and its trail for good",
		Example:           "onus purge 01jd3k5x7m2q8r4t --yes",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "purge ID --yes")
			if err != nil {
				return err
			}
			if !yes {
				return usagef("purge removes the assessment and its audit trail for good; add --yes to confirm (or use onus delete, which can be undone)")
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
				return db.Purge(id)
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm: the assessment and its audit trail are removed for good")
	return cmd
}
