package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newRecordsCmd(env *Env) *cobra.Command {
	var (
		set, remove, rename, rule, retention, system, inspection, notes string
		part11, hybrid, asJSON                                          bool
	)
	cmd := &cobra.Command{
		Use:   "records ID",
		Short: "print or change an assessment's Part 11 record inventory",
		Long: `Print an assessment's Part 11 record inventory: which of the system's records are
Part 11 records, by the predicate rule that requires them (21 CFR 11.1(b)), how long
and where they are kept, and how an FDA inspector can see them (11.1(e)).

--set CLASS adds that data class, or changes it: the options given replace its
values, the others stay. A Part 11 record needs its predicate rule and its
inspection. --remove CLASS removes one. Each change is an entry in the audit trail.`,
		Example: `onus records 01jd3k5x7m2q8r4t
onus records 01jd3k5x7m2q8r4t --set "Batch production record" --rule "21 CFR 211.188" --part11 \
  --retention "1 year after batch expiry" --system "MES on Amazon RDS" --inspection "read-only role, PDF export"
onus records 01jd3k5x7m2q8r4t --set "Batch production record" --rename "Batch record"
onus records 01jd3k5x7m2q8r4t --remove "Batch record"`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(c *cobra.Command, pos []string) error {
			id, err := oneID(pos, "records ID [--set CLASS ... | --remove CLASS] [--json]")
			if err != nil {
				return err
			}
			changed := func(names ...string) bool {
				return slices.ContainsFunc(names, func(n string) bool { return c.Flags().Changed(n) })
			}
			switch {
			case set != "" && remove != "":
				return usagef("--set and --remove are one change each; give one")
			case set == "" && changed("rule", "part11", "retention", "system", "inspection", "hybrid", "notes", "rename"):
				return usagef("the entry's options go with --set CLASS")
			}
			return env.withStore(set == "" && remove == "", func(_ *model.Catalog, db *store.DB) error {
				a, err := db.Get(id)
				if err != nil {
					return err
				}
				switch {
				case remove != "":
					a, err = db.RemoveRecord(id, remove)
				case set != "":
					i := slices.IndexFunc(a.Records, func(r model.RecordEntry) bool { return r.DataClass == set })
					r := model.RecordEntry{DataClass: set}
					if i >= 0 {
						r = a.Records[i]
					}
					for _, o := range []struct {
						name string
						to   *string
						v    string
					}{{"rule", &r.PredicateRule, rule}, {"retention", &r.Retention, retention}, {"system", &r.SystemOfRecord, system},
						{"inspection", &r.Inspection, inspection}, {"notes", &r.Notes, notes}, {"rename", &r.DataClass, rename}} {
						if changed(o.name) {
							*o.to = o.v
						}
					}
					if changed("part11") {
						r.Part11 = part11
					}
					if changed("hybrid") {
						r.Hybrid = hybrid
					}
					was := ""
					if i >= 0 {
						was = set
					}
					a, err = db.SetRecord(id, was, r)
				}
				if err != nil {
					return err
				}
				if asJSON {
					recs := a.Records
					if recs == nil {
						recs = []model.RecordEntry{}
					}
					return printJSON(env.Stdout, recs)
				}
				return printRecords(env.Stdout, a.Records)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&set, "set", "", "add or change the entry of this data class")
	f.StringVar(&rename, "rename", "", "with --set: the data class's new name")
	f.StringVar(&rule, "rule", "", "the predicate rule that requires the records, as cited (e.g. 21 CFR 211.188)")
	f.BoolVar(&part11, "part11", false, "the electronic record is relied on to meet the predicate rule: a Part 11 record")
	f.StringVar(&retention, "retention", "", "how long the records are kept")
	f.StringVar(&system, "system", "", "the system of record: where the authoritative copy lives")
	f.StringVar(&inspection, "inspection", "", "how an FDA inspector can see the records (11.1(e))")
	f.BoolVar(&hybrid, "hybrid", false, "signed by hand on paper executed to the electronic record (11.70)")
	f.StringVar(&notes, "notes", "", "anything else an auditor should know")
	f.StringVar(&remove, "remove", "", "remove the entry of this data class (the audit trail keeps it)")
	f.BoolVar(&asJSON, "json", false, "print the inventory as JSON")
	for _, free := range []string{"set", "rename", "rule", "retention", "system", "inspection", "notes", "remove"} {
		completeFlag(cmd, free, cobra.NoFileCompletions)
	}
	return cmd
}

// printRecords prints the inventory, one data class per row.
func printRecords(w io.Writer, recs []model.RecordEntry) error {
	if len(recs) == 0 {
		fmt.Fprintln(w, "no record inventory yet: add a data class with --set CLASS")
		return nil
	}
	l := safetext.Line
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATA CLASS\tPREDICATE RULE\tPART 11\tRETENTION\tSYSTEM OF RECORD\tINSPECTION\tHYBRID\tNOTES")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l(r.DataClass), l(orDash(r.PredicateRule)), yesNo(r.Part11), l(r.Retention),
			l(r.SystemOfRecord), l(orDash(r.Inspection)), yesNo(r.Hybrid), l(orDash(r.Notes)))
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
