package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// The scope's options, which onus new, onus scope and onus matrix share:
// each is read into a model.Scope, the frameworks checked by the catalog.
type scopeFlags struct {
	flags                             *pflag.FlagSet
	impact, frameworks, data, class   string
	programmes                        string
	multi, open, internet, esignature bool
}

// Help texts of the scope's options, as the wizard's scope screen says
// them.
const (
	helpOpenSystem = "access is not controlled by the people responsible for the records' content (21 CFR 11.3(b)(9)), " +
		"e.g. a third party administers the accounts; a cloud system your organisation controls access to is closed"
	helpInternetFacing = "some endpoint can be reached from the public internet (web application firewall, rate limits, DoS protection); " +
		"does not make the system open"
	helpFrameworks = "framework editions, comma-separated, one per regulation, e.g. 21cfr11,annex11-2025d " +
		"(default: each regulation's edition in force; drafts only when named)"
)

// addScopeFlags registers the scope's options on a command; impact is the
// impact's default ("" for none: onus scope changes only what it is given).
func addScopeFlags(env *Env, cmd *cobra.Command, impact string) *scopeFlags {
	s := &scopeFlags{flags: cmd.Flags()}
	f := cmd.Flags()
	f.StringVar(&s.impact, "impact", impact, "impact on GxP: direct, indirect or none")
	f.StringVar(&s.frameworks, "framework", "", helpFrameworks)
	f.BoolVar(&s.multi, "multi-tenant", false, "the solution serves several tenants")
	f.BoolVar(&s.open, "open-system", false, helpOpenSystem)
	f.BoolVar(&s.internet, "internet-facing", false, helpInternetFacing)
	f.BoolVar(&s.esignature, "esignatures", false, "electronic signatures are used")
	f.StringVar(&s.data, "data", "", "kinds of data with obligations of their own: health, personal, payment-card (comma-separated)")
	f.StringVar(&s.programmes, "programmes", "", "compliance programmes beyond GxP, e.g. us-federal, bsi-c5 (comma-separated; they decide which AWS reports are needed)")
	f.StringVar(&s.class, "classification", "", "data classification")
	completeFlag(cmd, "framework", env.completeList(env.frameworkIDs))
	completeFlag(cmd, "impact", fixed("direct", "indirect", "none"))
	completeFlag(cmd, "data", env.completeList(func() []cobra.Completion {
		var out []cobra.Completion
		for _, d := range model.DataCategories {
			out = append(out, cobra.CompletionWithDesc(string(d), d.Label()))
		}
		return out
	}))
	completeFlag(cmd, "programmes", env.completeList(env.fromCatalog(func(cat *model.Catalog, add func(id, desc string)) {
		for _, p := range cat.Programmes {
			add(p.ID, p.Name)
		}
	})))
	completeFlag(cmd, "classification", cobra.NoFileCompletions)
	return s
}

// changed reports whether any scope option was given.
func (s *scopeFlags) changed() bool {
	for _, n := range []string{"impact", "framework", "multi-tenant", "open-system", "internet-facing", "esignatures", "data", "programmes", "classification"} {
		if s.flags.Changed(n) {
			return true
		}
	}
	return false
}

// check refuses what can be refused without a catalog: the impact and the
// data categories, as usage errors.
func (s *scopeFlags) check() error {
	if s.flags.Changed("impact") || s.impact != "" {
		if !model.GxPImpact(s.impact).Valid() {
			return usagef("--impact must be direct, indirect or none")
		}
	}
	for _, d := range splitList(s.data) {
		if !model.DataCategory(d).Valid() {
			return usagef("--data: unknown data category %q (use health, personal or payment-card)", d)
		}
	}
	return nil
}

// apply writes the options given onto a scope (all of them onto a new
// one), checking the frameworks against the catalog: known, each once,
// one edition per regulation.
func (s *scopeFlags) apply(cat *model.Catalog, sc model.Scope, all bool) (model.Scope, error) {
	if err := s.check(); err != nil {
		return sc, err
	}
	set := func(name string) bool { return all || s.flags.Changed(name) }
	if set("impact") {
		sc.Impact = model.GxPImpact(s.impact)
	}
	if set("framework") {
		fws := splitList(s.frameworks)
		if err := cat.CheckFrameworks(fws); err != nil {
			return sc, err
		}
		sc.Frameworks = fws
	}
	if set("multi-tenant") {
		sc.MultiTenant = s.multi
	}
	if set("open-system") {
		sc.OpenSystem = s.open
	}
	if set("internet-facing") {
		sc.InternetFacing = s.internet
	}
	if set("esignatures") {
		sc.ESignatures = s.esignature
	}
	if set("data") {
		sc.DataCategories = nil
		for _, d := range splitList(s.data) {
			if !slices.Contains(sc.DataCategories, model.DataCategory(d)) {
				sc.DataCategories = append(sc.DataCategories, model.DataCategory(d))
			}
		}
	}
	if set("programmes") {
		progs := splitList(s.programmes)
		for _, p := range progs {
			if _, ok := cat.Programme(p); !ok {
				return sc, fmt.Errorf("unknown programme %q", p)
			}
		}
		sc.Programmes = progs
	}
	if set("classification") {
		sc.DataClassification = s.class
	}
	return sc, nil
}

func newScopeCmd(env *Env) *cobra.Command {
	var reason string
	var asJSON bool
	var sf *scopeFlags
	cmd := &cobra.Command{
		Use:   "scope ID",
		Short: "print an assessment's scope, or change what is given",
		Example: `onus scope 01jd3k5x7m2q8r4t
onus scope 01jd3k5x7m2q8r4t --framework 21cfr11,annex11-2025d --internet-facing --data health
onus scope 01jd3k5x7m2q8r4t --open-system=false --framework "" --reason "closed system: our IdP"`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "scope ID [options]")
			if err != nil {
				return err
			}
			if err := sf.check(); err != nil {
				return err
			}
			return env.withStore(!sf.changed(), func(cat *model.Catalog, db *store.DB) error {
				a, err := db.Get(id)
				if err != nil {
					return err
				}
				if sf.changed() {
					sc, err := sf.apply(cat, a.Scope, false)
					if err != nil {
						return err
					}
					if a, err = db.UpdateScope(id, sc, reason); err != nil {
						return err
					}
				}
				if asJSON {
					return printJSON(env.Stdout, a.Scope)
				}
				printScope(env.Stdout, cat, a.Scope)
				return nil
			})
		},
	}
	sf = addScopeFlags(env, cmd, "")
	cmd.Flags().StringVar(&reason, "reason", "", "why, recorded in the audit trail")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the scope as JSON")
	completeFlag(cmd, "reason", cobra.NoFileCompletions)
	return cmd
}

// printScope says what a scope is, with the framework editions in effect
// by name.
func printScope(w io.Writer, cat *model.Catalog, s model.Scope) {
	fmt.Fprintf(w, "GxP impact:       %s\n", s.Impact)
	fmt.Fprintf(w, "frameworks:       %s\n", safetext.Line(editionsText(cat, s)))
	fmt.Fprintf(w, "multi-tenant:     %s\n", yesNo(s.MultiTenant))
	fmt.Fprintf(w, "open system:      %s\n", yesNo(s.OpenSystem))
	fmt.Fprintf(w, "internet-facing:  %s\n", yesNo(s.InternetFacing))
	fmt.Fprintf(w, "e-signatures:     %s\n", yesNo(s.ESignatures))
	fmt.Fprintf(w, "data categories:  %s\n", dataText(s.DataCategories))
	fmt.Fprintf(w, "classification:   %s\n", safetext.Line(s.DataClassification))
}

// editionsText names the framework editions in effect for a scope, and
// says when none was chosen.
func editionsText(cat *model.Catalog, s model.Scope) string {
	var names []string
	for _, f := range cat.EditionsInEffect(s) {
		names = append(names, f.Title())
	}
	for _, id := range s.Frameworks {
		if _, ok := cat.Framework(id); !ok {
			names = append(names, id+" (not in this catalog)")
		}
	}
	out := strings.Join(names, "; ")
	if len(s.Frameworks) == 0 {
		out += " (none chosen: each one's edition in force)"
	}
	return out
}

func dataText(ds []model.DataCategory) string {
	if len(ds) == 0 {
		return "none"
	}
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Label()
	}
	return strings.Join(out, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
