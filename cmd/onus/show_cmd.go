package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

func newShowCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:               "show ID",
		Short:             "show an assessment with its answers",
		Example:           "onus show 01jd3k5x7m2q8r4t --json",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "show ID [--json]")
			if err != nil {
				return err
			}
			return env.withStore(true, func(cat *model.Catalog, db *store.DB) error {
				a, err := db.Get(id)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(env.Stdout, a)
				}
				if err := printAssessment(env.Stdout, cat, &a); err != nil {
					return err
				}
				return env.printRecordIdentity(db, &a)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printAssessment(w io.Writer, cat *model.Catalog, a *model.Assessment) error {
	l := safetext.Line
	fmt.Fprintf(w, "%s  %s\n", a.ID, l(a.Name))
	fmt.Fprintf(w, "organisation: %s   system: %s   status: %s\n", l(a.Organisation), l(a.System), a.Workflow)
	fmt.Fprintf(w, "GxP impact: %s   multi-tenant: %s   open system: %s   internet-facing: %s   e-signatures: %s\n",
		a.Scope.Impact, yesNo(a.Scope.MultiTenant), yesNo(a.Scope.OpenSystem), yesNo(a.Scope.InternetFacing), yesNo(a.Scope.ESignatures))
	fmt.Fprintf(w, "frameworks: %s\n", l(editionsText(cat, a.Scope)))
	fmt.Fprintf(w, "data categories: %s\n", dataText(a.Scope.DataCategories))
	fmt.Fprintf(w, "services: %s\n", l(orNone(a.ServiceIDs())))
	if n := len(a.Records); n > 0 || cat.InEffect(a.Scope, "21cfr11") {
		fmt.Fprintf(w, "record inventory: %s (onus records %s)\n", plural.Count(n, "data class", "data classes"), a.ID)
	}
	fmt.Fprintf(w, "catalog: %s (%s)", l(a.Catalog.Version), l(shortHash(a.Catalog.Hash)))
	if a.Catalog != (model.CatalogRef{}) && !cat.Is(a.Catalog) {
		fmt.Fprintf(w, ", not the catalog in effect (%s, %s): shown with that one; onus catalog migrate %s --dry-run says what a move changes",
			l(cat.Version), shortHash(cat.Hash), a.ID)
	}
	fmt.Fprintln(w)
	rev := cat.Review(a, time.Now())
	fmt.Fprintf(w, "answered %d of %d applicable controls; %d gaps\n\n", rev.Answered, len(rev.Applicable), len(rev.Gaps))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CONTROL\tOWNER\tSTATUS\tEVIDENCE\tTITLE")
	for _, c := range rev.Applicable {
		ans := a.Answer(c.ID)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", c.ID, rev.Resolutions[c.ID].Responsibility, ans.Status.Label(), onFile(rev.Chains[c.ID]), l(c.Title))
	}
	return tw.Flush()
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ",")
}

// onFile counts the pieces of a control's evidence chain on file: the
// entries its answer links and the AWS reports its AWS part expects.
func onFile(ch []model.ChainItem) int {
	n := 0
	for _, ci := range ch {
		if ci.Item >= 0 {
			n++
		}
	}
	return n
}

// printRecordIdentity prints which record this is, as every export says
// it: the trail's head hash, and each sign-off with its signature checked
// against the organisation's allowed signers.
func (env *Env) printRecordIdentity(db *store.DB, a *model.Assessment) error {
	trail, err := db.History(a.ID)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "\naudit trail: %s, head %s\n", plural.Count(len(trail), "entry", "entries"), model.Head(trail))
	allowed, note, err := env.allowedSigners("")
	if err != nil {
		return err
	}
	checks, err := sign.Verify(trail, allowed)
	if err != nil {
		return err
	}
	n := 0
	for _, so := range a.SignOffs {
		line := fmt.Sprintf("sign-off: %s", safetext.Line(so.By))
		if so.Role != "" {
			line += " (" + safetext.Line(so.Role) + ")"
		}
		line += ", " + so.At.UTC().Format("2006-01-02 15:04 UTC") + ": " + safetext.Line(so.Meaning)
		if !so.Signed() {
			fmt.Fprintln(w, line+"; signature: unsigned")
			continue
		}
		n++
		for _, c := range checks {
			if c.N == n {
				line += fmt.Sprintf("; signature: %s, key %s, head %s", c.State(), c.Key, c.Head)
				if c.State() == model.SigFailed {
					line += " (" + safetext.Line(c.Problem) + ")"
				}
			}
		}
		fmt.Fprintln(w, line)
	}
	if n > 0 && note != "" {
		fmt.Fprintln(w, "note: "+note)
	}
	return nil
}
