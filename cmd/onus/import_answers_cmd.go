package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/prep"
	"github.com/onus-gxp/onus/store"
)

// onus import-answers: a filled prep pack back into the assessment.
func newImportAnswersCmd(env *Env) *cobra.Command {
	var dryRun bool
	var take []string
	cmd := &cobra.Command{
		Use: "import-answers ID FILE.xlsx",
		Long: `Reads a filled workshop prep pack (onus export --format prep-xlsx) back into
the assessment. It prints what would change; answers given since the pack was
made are conflicts, left as they are unless --take names them. A file with any
error (each named by sheet, row and column) imports nothing. Each answer is
recorded by --as NAME, the respondent, with the file's name and SHA-256.`,
		Short: "read a filled prep pack's answers back, after a preview",
		Example: `onus export 01jd3k5x7m2q8r4t --format prep-xlsx -o lims.prep.xlsx
onus import-answers 01jd3k5x7m2q8r4t lims.prep.xlsx --as "Quinn Doe (QA lead)" --dry-run
onus import-answers 01jd3k5x7m2q8r4t lims.prep.xlsx --as "Quinn Doe (QA lead)" --take GOV-01`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) != 2 {
				return usagef("usage: onus import-answers ID FILE.xlsx [--as NAME] [--dry-run] [--take CONTROL]...")
			}
			id, path := pos[0], pos[1]
			data, err := prep.ReadFile(path)
			if err != nil {
				return err
			}
			return env.withStore(dryRun, func(cat *model.Catalog, db *store.DB) error {
				b, err := db.Export(id)
				if err != nil {
					return err
				}
				plan := prep.Read(data, filepath.Base(path), cat, b)
				printPlan(env.Stdout, plan, take)
				if len(plan.Problems) > 0 {
					return fmt.Errorf("%s: %s; nothing was imported", path, plural.Count(len(plan.Problems), "problem", "problems"))
				}
				if dryRun {
					fmt.Fprintln(env.Stderr, "dry run: nothing was imported")
					return nil
				}
				// The respondent is the global --as: the name every change
				// of this run is recorded by.
				_, answers, err := prep.Apply(db, plan, "", take)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "imported %s from %s by %s (sha256 %s)\n", plural.Count(len(answers), "answer", "answers"), path, safetext.Line(db.Actor()), plan.SHA256)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&dryRun, "dry-run", false, "show what would change and write nothing")
	fl.StringSliceVar(&take, "take", nil, "take the file's answer for a control in conflict (repeatable)")
	return cmd
}

// printPlan prints the preview: problems, changes, conflicts.
func printPlan(w io.Writer, p *prep.Plan, take []string) {
	line := func(format string, args ...any) { fmt.Fprintln(w, safetext.Line(fmt.Sprintf(format, args...))) }
	line("%s (sha256 %s): a prep pack of %s made at trail entry %d", p.File, p.SHA256, p.Assessment, p.PackSeq)
	for _, s := range p.Warnings {
		line("warning: %s", s)
	}
	for _, pr := range p.Problems {
		line("error: %s", pr)
	}
	if len(p.Problems) > 0 {
		return
	}
	line("%s", p.Summary(take))
	for _, c := range p.Changes {
		switch {
		case !c.Conflict:
			line("  row %d %s: %s -> %s", c.Row, c.New.Control, prep.AnswerText(c.Old), prep.AnswerText(c.New))
		default:
			verdict := "left as it is (--take " + c.New.Control + " takes the file's)"
			for _, t := range take {
				if t == c.New.Control {
					verdict = "taken from the file"
				}
			}
			line("  conflict row %d %s: changed by %s at %s since the pack was made", c.Row, c.New.Control, c.ChangedBy, c.ChangedAt.UTC().Format("2006-01-02 15:04"))
			line("    now:  %s", prep.AnswerText(c.Old))
			line("    file: %s", prep.AnswerText(c.New))
			line("    %s", verdict)
		}
	}
}
