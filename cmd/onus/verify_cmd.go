package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/store"
)

func newVerifyCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:               "verify [ID]",
		Short:             "check the file's structure and every audit chain",
		Example:           "onus verify",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) > 1 {
				return usagef("usage: onus verify [ID]")
			}
			return env.withReader(func(db *store.DB) error {
				var results []store.VerifyResult
				if len(pos) == 1 {
					results = []store.VerifyResult{db.Verify(pos[0])}
				} else {
					var err error
					if results, err = db.VerifyAll(); err != nil {
						return err
					}
				}
				bad := 0
				for _, r := range results {
					if r.Err != "" {
						bad++
					}
				}
				if asJSON {
					if results == nil {
						results = []store.VerifyResult{}
					}
					if err := printJSON(env.Stdout, results); err != nil {
						return err
					}
				} else {
					for _, r := range results {
						if r.Err != "" {
							fmt.Fprintf(env.Stdout, "FAIL  %s  %s: %s\n", r.ID, safetext.Line(r.Name), r.Err)
						} else {
							fmt.Fprintf(env.Stdout, "ok    %s  %s: %d entries, head %s\n", r.ID, safetext.Line(r.Name), r.Entries, r.Head)
						}
					}
					fmt.Fprintf(env.Stdout, "%s: structure ok; %d assessments checked, %d failed\n", db.Path(), len(results), bad)
				}
				if bad > 0 {
					return errors.New("integrity check failed")
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
