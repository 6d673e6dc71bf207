package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// onus evidence: the evidence register headless. add prints the new
// entry's id; link and unlink take one entry and any number of controls;
// list shows the register both ways (each entry's currency and the
// controls it supports), or its JSON.

func newEvidenceCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evidence",
		Short: "the evidence register: add, list, link, unlink",
		Example: `onus evidence add 01jd3k5x7m2q8r4t --title "Config specification" --doc CS-12 --version 2.1
onus evidence link 01jd3k5x7m2q8r4t E1 ENC-01 ENC-02 AC-01 --note "section 4.2"
onus evidence unlink 01jd3k5x7m2q8r4t E1 AC-01
onus evidence list 01jd3k5x7m2q8r4t --json`,
		ValidArgsFunction: cobra.NoFileCompletions,
		Args:              cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) == 0 {
				return usagef("evidence needs a subcommand: add, list, link or unlink")
			}
			if near := model.Closest(pos[0], []string{"add", "list", "link", "unlink"}, 1); len(near) > 0 {
				return usagef("unknown evidence subcommand %q (did you mean %q?)", pos[0], near[0])
			}
			return usagef("unknown evidence subcommand %q (use add, list, link or unlink)", pos[0])
		},
	}
	cmd.AddCommand(newEvidenceAddCmd(env), newEvidenceListCmd(env), newEvidenceLinkCmd(env, true), newEvidenceLinkCmd(env, false))
	return cmd
}

func newEvidenceAddCmd(env *Env) *cobra.Command {
	var e model.EvidenceEntry
	var owner, kind, period string
	cmd := &cobra.Command{
		Use:   "add ID --title T",
		Short: "add an entry to the evidence register; prints its id",
		Example: `onus evidence add 01jd3k5x7m2q8r4t --title "Config specification" --doc CS-12 --kind specification
onus evidence add 01jd3k5x7m2q8r4t --title "Pen test" --owner third-party --period 2026-08-01..2026-08-31`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "evidence add ID --title T [--doc N] [--version V] [--date D] [--location L] [--owner O] [--kind K] [--period FROM..TO]")
			if err != nil {
				return err
			}
			e.Owner, e.Kind = model.Supplier(owner), model.DocKind(kind)
			if e.PeriodStart, e.PeriodEnd, err = parsePeriod(period); err != nil {
				return err
			}
			if err := model.ValidateEntry(e); err != nil {
				return usagef("%v", err)
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
				a, err := db.AddEntry(id, e)
				if err != nil {
					return err
				}
				added := a.Register[len(a.Register)-1]
				fmt.Fprintln(env.Stdout, added.ID)
				fmt.Fprintf(env.Stderr, "saved: %s %s\n", added.ID, safetext.Line(added.Title))
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&e.Title, "title", "", "what the document or report is called (required)")
	f.StringVar(&e.DocumentID, "doc", "", "its document number")
	f.StringVar(&e.Version, "version", "", "its version")
	f.StringVar(&e.Date, "date", "", "its date, YYYY-MM-DD")
	f.StringVar(&e.Location, "location", "", "where it is: a DMS path, a URL, AWS Artifact")
	f.StringVar(&owner, "owner", string(model.SupplierCustomer), "who supplies it: customer, aws or third-party")
	f.StringVar(&kind, "kind", "", "procedure, specification, test-record, report, certificate, agreement, record, other")
	f.StringVar(&period, "period", "", "the period a report covers, FROM..TO (YYYY-MM-DD..YYYY-MM-DD)")
	f.StringVar(&e.ValidUntil, "valid-until", "", "due for review or replacement on, YYYY-MM-DD; then stale")
	completeFlag(cmd, "owner", fixed(string(model.SupplierCustomer), string(model.SupplierAWS), string(model.SupplierThirdParty)))
	var kinds []string
	for _, k := range model.DocKinds {
		kinds = append(kinds, string(k))
	}
	completeFlag(cmd, "kind", fixed(kinds...))
	for _, free := range []string{"title", "doc", "version", "date", "location", "period", "valid-until"} {
		completeFlag(cmd, free, cobra.NoFileCompletions)
	}
	return cmd
}

// parsePeriod reads FROM..TO; either side may be left out.
func parsePeriod(s string) (from, to string, err error) {
	if s == "" {
		return "", "", nil
	}
	from, to, ok := strings.Cut(s, "..")
	if !ok {
		return "", "", usagef("--period is FROM..TO, e.g. 2025-10-01..2026-03-31")
	}
	for _, d := range []string{from, to} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return "", "", usagef("--period: %q is not a date as YYYY-MM-DD", d)
		}
	}
	return from, to, nil
}

func newEvidenceListCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:               "list ID",
		Short:             "each entry and supplier record, its currency, the controls it supports",
		Example:           "onus evidence list 01jd3k5x7m2q8r4t --json",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "evidence list ID [--json]")
			if err != nil {
				return err
			}
			return env.withStore(true, func(cat *model.Catalog, db *store.DB) error {
				a, err := db.Get(id)
				if err != nil {
					return err
				}
				reg := cat.Review(&a, time.Now()).Register
				if asJSON {
					if reg == nil {
						reg = []model.EvidenceItem{}
					}
					return printJSON(env.Stdout, reg)
				}
				return printRegister(env, reg)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the register as JSON, with each piece's currency and the controls it supports")
	return cmd
}

func printRegister(env *Env, reg []model.EvidenceItem) error {
	if len(reg) == 0 {
		fmt.Fprintln(env.Stderr, "the register is empty: onus evidence add ID --title T adds an entry")
		return nil
	}
	l := safetext.Line
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tOWNER\tKIND\tTITLE\tCURRENCY\tSUPPORTS")
	for _, it := range reg {
		cur := "current"
		if it.IsSupplier() {
			cur = string(it.Review) + ", " + cur
		}
		if it.Stale {
			cur = "STALE: " + it.Why
		}
		var sup []string
		for _, s := range it.Supports {
			sup = append(sup, s.Control)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l(it.ID), it.Owner, orDash(string(it.Kind)), l(safetext.Truncate(it.Title, 50)),
			l(cur), orDash(strings.Join(sup, ",")))
	}
	return tw.Flush()
}

// newEvidenceLinkCmd is evidence link (link) or evidence unlink.
func newEvidenceLinkCmd(env *Env, link bool) *cobra.Command {
	var note string
	cmd := &cobra.Command{
		Use:               "link ID ENTRY CONTROL...",
		Short:             "link an entry (E3, or aws:SOURCE for a supplier record) to controls",
		Example:           `onus evidence link 01jd3k5x7m2q8r4t E1 ENC-01 ENC-02 --note "section 4.2"`,
		ValidArgsFunction: env.completeLink(),
		RunE: func(_ *cobra.Command, pos []string) error {
			verb := map[bool]string{true: "link", false: "unlink"}[link]
			if len(pos) < 3 {
				return usagef("usage: onus evidence %s ID ENTRY CONTROL...", verb)
			}
			id, entry, controls := pos[0], pos[1], pos[2:]
			return env.withStore(false, func(cat *model.Catalog, db *store.DB) error {
				if err := knownControls(cat, controls); err != nil {
					return err
				}
				var err error
				if link {
					a, gerr := db.Get(id)
					if gerr != nil {
						return gerr
					}
					if filed := model.WithRegister(a); !filed.HasEntry(entry) {
						return fmt.Errorf("no evidence entry %q in assessment %s (onus evidence list %s)", safetext.Line(entry), id, id)
					}
					_, err = db.Link(id, entry, controls, note)
				} else {
					_, err = db.Unlink(id, entry, controls)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "saved: %s %sed %s\n", safetext.Line(entry), verb, strings.Join(controls, ", "))
				return nil
			})
		},
	}
	if link {
		cmd.Flags().StringVar(&note, "note", "", "the section that applies, kept with the link")
		completeFlag(cmd, "note", cobra.NoFileCompletions)
	} else {
		cmd.Use, cmd.Short = "unlink ID ENTRY CONTROL...", "remove an entry's links from controls; the entry stays"
		cmd.Example = "onus evidence unlink 01jd3k5x7m2q8r4t E1 AC-01"
	}
	return cmd
}

// knownControls refuses a control id the catalog does not know, with the
// nearest ones it does.
func knownControls(cat *model.Catalog, ids []string) error {
	for _, c := range ids {
		if _, ok := cat.Control(c); ok {
			continue
		}
		all := make([]string, len(cat.Controls))
		for i, k := range cat.Controls {
			all[i] = k.ID
		}
		if near := model.Closest(c, all, 3); len(near) > 0 {
			return fmt.Errorf("unknown control %q (did you mean %s?)", safetext.Line(c), strings.Join(near, ", "))
		}
		return fmt.Errorf("unknown control %q", safetext.Line(c))
	}
	return nil
}

// completeLink completes evidence link and unlink: the assessment, then
// an entry of its register, then the catalog's controls not given yet.
func (env *Env) completeLink() cobra.CompletionFunc {
	controls := env.completeEach(env.controlIDs)
	return func(c *cobra.Command, pos []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch len(pos) {
		case 0:
			return safely(env.assessmentIDs(liveIDs)), cobra.ShellCompDirectiveNoFileComp
		case 1:
			return safely(env.entryIDs(pos[0])), cobra.ShellCompDirectiveNoFileComp
		}
		out, dir := controls(c, pos[2:], toComplete)
		return slices.DeleteFunc(out, func(x cobra.Completion) bool { return slices.Contains(pos[2:], completionID(x)) }), dir
	}
}

// entryIDs lists an assessment's register entries and supplier records.
func (env *Env) entryIDs(id string) candidates {
	return func() []cobra.Completion {
		path, err := env.dbPath()
		if err != nil {
			return nil
		}
		db, err := store.Open(path, store.Options{ReadOnly: true, CheckAsRead: true, Timeout: completionLockTimeout})
		if err != nil {
			return nil
		}
		defer db.Close()
		a, err := db.Get(id)
		if err != nil {
			return nil
		}
		a = model.WithRegister(a)
		var out []cobra.Completion
		for _, e := range a.Register {
			if c, ok := completion(e.ID, e.Title); ok {
				out = append(out, c)
			}
		}
		for _, r := range a.Supplier {
			if c, ok := completion(model.SupplierEntryID(r.Source), r.Source); ok {
				out = append(out, c)
			}
		}
		return out
	}
}
