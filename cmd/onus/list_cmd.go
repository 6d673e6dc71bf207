package main

import (
	"bytes"
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
			out, empty, err := env.checkedList(all, func(sums []model.Summary) ([]byte, error) {
				if asJSON {
					if sums == nil {
						sums = []model.Summary{}
					}
					return model.EncodeJSON(sums)
				}
				return listTable(sums)
			})
			if err != nil {
				return err
			}
			if empty && !asJSON {
				fmt.Fprintln(env.Stderr, "no assessments yet: create one with onus new --name NAME, or run onus")
				return nil
			}
			_, err = env.Stdout.Write(out)
			return err
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include deleted assessments")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// checkedList reads the summaries and formats them while the rest of the
// file is checked on another core (store.Options.BackgroundCheck: the
// pages the list reads are checked before Open returns), and returns the
// output only once the whole file has passed, so that a file damaged
// anywhere still prints nothing and exits 4, as when the whole check came
// first. No file yet: nothing to list.
func (env *Env) checkedList(all bool, format func([]model.Summary) ([]byte, error)) (out []byte, empty bool, err error) {
	db, err := env.openHeadless(store.Options{ReadOnly: true, BackgroundCheck: true})
	if errors.Is(err, store.ErrNoDatabase) {
		out, err = format(nil)
		return out, true, err
	}
	if err != nil {
		return nil, false, err
	}
	checked := make(chan error, 1)
	go func() { checked <- db.Checked() }()
	sums, err := db.List(all)
	if err == nil {
		out, err = format(sums)
	}
	if cerr := <-checked; cerr != nil {
		var de *store.DamagedError
		if errors.As(cerr, &de) {
			de.Late = false // nothing was shown: the file was not opened, as far as the user can tell
		}
		err = cerr
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return out, len(sums) == 0, err
}

// listTable is the list as a table for people.
func listTable(sums []model.Summary) ([]byte, error) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSYSTEM\tSTATUS\tPROGRESS\tUPDATED")
	for _, s := range sums {
		status := string(s.Workflow)
		if s.Deleted {
			status += " (deleted)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\n", s.ID, safetext.Line(s.Name), safetext.Line(s.System), status,
			s.Answered, s.Applicable, s.UpdatedAt.Local().Format("2006-01-02 15:04"))
	}
	err := tw.Flush()
	return buf.Bytes(), err
}
