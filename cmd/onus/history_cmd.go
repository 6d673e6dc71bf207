package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/store"
)

func newHistoryCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:               "history ID",
		Short:             "print an assessment's audit trail",
		Example:           "onus history 01jd3k5x7m2q8r4t",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "history ID [--json]")
			if err != nil {
				return err
			}
			return env.withReader(func(db *store.DB) error {
				trail, err := db.History(id)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(env.Stdout, trail)
				}
				tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "SEQ\tTIME (UTC)\tACTOR\tACTION\tTARGET\tREASON\tHASH")
				for _, e := range trail {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.UTC().Format("2006-01-02 15:04:05"),
						safetext.Line(e.Actor), e.Action, safetext.Line(e.Target), safetext.Line(safetext.Truncate(e.Reason, 60)), shortHash(e.Hash))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
