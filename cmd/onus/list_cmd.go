package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newListCmd(env *Env) *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:               "list",
		Short:             "list assessments (--all includes deleted ones)",
		Example:           "onus list --json",
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			var sums []model.Summary
			err := env.withReader(func(db *store.DB) error {
				var err error
				sums, err = db.List(all)
				return err
			})
			if err != nil && !errors.Is(err, store.ErrNoDatabase) { // no file yet: nothing to list
				return err
			}
			if asJSON {
				if sums == nil {
					sums = []model.Summary{}
				}
				return printJSON(env.Stdout, sums)
			}
			if len(sums) == 0 {
				fmt.Fprintln(env.Stderr, "no assessments yet: create one with onus new --name NAME, or run onus")
				return nil
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tSYSTEM\tSTATUS\tPROGRESS\tUPDATED")
			for _, s := range sums {
				status := string(s.Workflow)
				if s.Deleted {
					status += " (deleted)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\n", s.ID, safetext.Line(s.Name), safetext.Line(s.System), status,
					s.Answered, s.Applicable, s.UpdatedAt.Local().Format("2006-01-02 15:04"))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include deleted assessments")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
