package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// onus action add|list|done: the follow-ups of an assessment, headless.
func newActionCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "action add|list|done",
		Short: "raise, list and close an assessment's action items",
		Example: `onus action add 01jd3k5x7m2q8r4t GOV-01 --text "Send the QMS manual" --owner "Quinn (QA)" --due 2026-12-01
onus action add 01jd3k5x7m2q8r4t --text "Book the follow-up workshop" --owner Fran --due 2026-11-30
onus action list 01jd3k5x7m2q8r4t --json
onus action done 01jd3k5x7m2q8r4t A1`,
	}
	cmd.AddCommand(newActionAddCmd(env), newActionListCmd(env), newActionDoneCmd(env))
	return cmd
}

func newActionAddCmd(env *Env) *cobra.Command {
	var text, owner, due, reason string
	cmd := &cobra.Command{
		Use:   "add ID [CONTROL_ID]", // --text, --owner and --due are required: the options say so
		Short: "raise an action item on a control, or on the assessment as a whole",
		Example: `onus action add 01jd3k5x7m2q8r4t GOV-01 --text "Send the QMS manual" --owner "Quinn (QA)" --due 2026-12-01
onus action add 01jd3k5x7m2q8r4t --text "Book the follow-up workshop" --owner Fran --due 2026-11-30`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs), env.controlIDs),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) < 1 || len(pos) > 2 {
				return usagef("usage: onus action add ID [CONTROL_ID] --text TEXT --owner NAME --due YYYY-MM-DD")
			}
			it := model.ActionItem{Text: text, Owner: owner, Due: due}
			if len(pos) == 2 {
				it.Control = pos[1]
			}
			if _, err := time.Parse(time.DateOnly, due); err != nil {
				return usagef("--due %q is not a date (YYYY-MM-DD)", due)
			}
			return env.withStore(false, func(cat *model.Catalog, db *store.DB) error {
				if it.Control != "" {
					if _, ok := cat.Control(it.Control); !ok {
						return fmt.Errorf("unknown control %q", it.Control)
					}
				}
				a, err := db.RaiseAction(pos[0], it, reason)
				if err != nil {
					return err
				}
				raised := a.Actions[len(a.Actions)-1]
				fmt.Fprintln(env.Stdout, raised.ID)
				fmt.Fprintf(env.Stderr, "raised %s: %s (owner %s, due %s)\n", raised.ID, safetext.Line(safetext.Truncate(raised.Text, 60)), safetext.Line(raised.Owner), raised.Due)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&text, "text", "", "what is to be done (required)")
	f.StringVar(&owner, "owner", "", "who does it (required)")
	f.StringVar(&due, "due", "", "by when, YYYY-MM-DD (required)")
	f.StringVar(&reason, "reason", "", "reason recorded in the audit trail")
	for _, free := range []string{"text", "owner", "due", "reason"} {
		completeFlag(cmd, free, cobra.NoFileCompletions)
	}
	return cmd
}

func newActionListCmd(env *Env) *cobra.Command {
	var asJSON, byOwner bool
	cmd := &cobra.Command{
		Use:               "list ID",
		Short:             "list an assessment's action items: open first, by due date",
		Example:           "onus action list 01jd3k5x7m2q8r4t --by-owner",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "action list ID [--json] [--by-owner]")
			if err != nil {
				return err
			}
			return env.withReader(func(db *store.DB) error {
				a, err := db.Get(id)
				if err != nil {
					return err
				}
				items := model.ActionsByDue(a.Actions)
				if byOwner {
					items = model.ActionsByOwner(a.Actions)
				}
				if asJSON {
					if items == nil {
						items = []model.ActionItem{}
					}
					return printJSON(env.Stdout, items)
				}
				if len(items) == 0 {
					fmt.Fprintln(env.Stderr, "no action items")
					return nil
				}
				tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSTATUS\tDUE\tOWNER\tCONTROL\tTEXT")
				for _, it := range items {
					control := it.Control
					if control == "" {
						control = "(assessment)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Status, it.Due, safetext.Line(it.Owner), safetext.Line(control),
						safetext.Line(safetext.Truncate(it.Text, 70)))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&byOwner, "by-owner", false, "group by owner instead of by due date")
	return cmd
}

func newActionDoneCmd(env *Env) *cobra.Command {
	var reason string
	var reopen bool
	cmd := &cobra.Command{
		Use:               "done ID ACTION_ID",
		Short:             "close an action item (--reopen opens it again)",
		Example:           "onus action done 01jd3k5x7m2q8r4t A1 --reason \"manual received, v3\"",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) != 2 {
				return usagef("usage: onus action done ID ACTION_ID [--reopen]")
			}
			to := model.ActionDone
			if reopen {
				to = model.ActionOpen
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
				a, err := db.Get(pos[0])
				if err != nil {
					return err
				}
				it, ok := a.Action(pos[1])
				if !ok {
					return fmt.Errorf("assessment %s has no action %s (onus action list %s)", pos[0], strings.ToUpper(safetext.Line(pos[1])), pos[0])
				}
				if it.Status == to {
					fmt.Fprintf(env.Stderr, "%s is already %s\n", it.ID, to)
					return nil
				}
				it.Status = to
				if _, err := db.UpdateAction(pos[0], it, reason); err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "%s %s\n", it.ID, to)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "reason recorded in the audit trail")
	cmd.Flags().BoolVar(&reopen, "reopen", false, "open a closed item again")
	completeFlag(cmd, "reason", cobra.NoFileCompletions)
	return cmd
}
