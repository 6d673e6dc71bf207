package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newAnswerCmd(env *Env) *cobra.Command {
	var (
		status, note, just, reason string
		evidence                   []string
	)
	cmd := &cobra.Command{
		Use:   "answer ID CONTROL_ID",
		Short: "answer one control: its status, evidence and notes",
		Example: `onus answer 01jd3k5x7m2q8r4t AT-01 --status implemented \
  --evidence "OQ report|OQ-042|2.0|2026-10-01|DMS/val/OQ-042|customer"`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs), env.controlIDs),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) != 2 {
				return usagef("usage: onus answer ID CONTROL_ID --status S [--evidence TEXT]... [--note TEXT]")
			}
			st := model.Status(status)
			if status == "unanswered" {
				st = model.StatusUnanswered
			} else if !st.Valid() {
				return usagef("--status must be implemented, partial, planned, not-implemented, not-applicable or unanswered")
			}
			ans := model.Answer{Control: pos[1], Status: st, Notes: note, Justification: just}
			if st == model.StatusNotApplicable && ans.Justification == "" {
				ans.Justification = reason
			}
			for _, e := range evidence {
				ref, err := parseEvidence(e)
				if err != nil {
					return err
				}
				ans.Evidence = append(ans.Evidence, ref)
			}
			return env.withStore(false, func(cat *model.Catalog, db *store.DB) error {
				if _, ok := cat.Control(ans.Control); !ok {
					ids := make([]string, len(cat.Controls))
					for i, c := range cat.Controls {
						ids[i] = c.ID
					}
					if near := model.Closest(ans.Control, ids, 3); len(near) > 0 {
						return fmt.Errorf("unknown control %q (did you mean %s?)", ans.Control, strings.Join(near, ", "))
					}
					return fmt.Errorf("unknown control %q", ans.Control)
				}
				if _, err := db.Answer(pos[0], ans, reason); err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "saved: %s %s\n", ans.Control, st.Label())
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "implemented, partial, planned, not-implemented, not-applicable or unanswered")
	f.StringArrayVar(&evidence, "evidence", nil, "evidence reference, repeatable: title or title|doc-id|version|date|location|supplier (supplier aws, customer or third-party; default customer)")
	f.StringVar(&note, "note", "", "notes")
	f.StringVar(&just, "justification", "", "why the control does not apply (required for not-applicable)")
	f.StringVar(&reason, "reason", "", "reason for the change, recorded in the audit trail")
	statuses := []string{}
	for _, s := range model.Statuses {
		statuses = append(statuses, string(s))
	}
	completeFlag(cmd, "status", fixed(append(statuses, "unanswered")...))
	for _, free := range []string{"evidence", "note", "justification", "reason"} {
		completeFlag(cmd, free, cobra.NoFileCompletions)
	}
	return cmd
}

// parseEvidence reads "title" or "title|doc-id|version|date|location|supplier".
func parseEvidence(s string) (model.EvidenceRef, error) {
	ref, err := model.ParseEvidenceRef(s)
	if err != nil {
		return ref, usagef("--%v", err)
	}
	return ref, nil
}
