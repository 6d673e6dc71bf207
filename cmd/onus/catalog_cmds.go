package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/internal/synth"
)

func newCatalogCmd(env *Env) *cobra.Command {
	var asJSON, dryRun bool
	var scale int
	var reason string
	var export catalogExport
	cmd := &cobra.Command{
		Use:   "catalog ACTION",
		Short: "validate, dump or export a catalog; migrate an assessment",
		Long: `validate FILE checks a catalog file and says every problem with its line.
dump prints the catalog in effect as JSON, itself a valid catalog.
export prints it as an OSCAL catalog, or a framework edition's profile.
migrate ID says what moving an assessment made with another catalog to the one in
effect changes for it (the controls that come to apply, those that no longer do,
those whose owner changes, the answers kept and dropped), then moves it: a change
recorded in its audit trail that keeps every answer whose control the catalog still
has. --dry-run only says.`,
		Example: `onus catalog validate my-catalog.yaml
onus catalog dump --json > catalog.json
onus catalog dump --json --scale 10 > big.json && onus --catalog big.json
onus catalog export --format oscal-catalog
onus catalog export --format oscal-profile --framework 21cfr11
onus catalog migrate 01jd3k5x7m2q8r4t --dry-run
onus catalog migrate 01jd3k5x7m2q8r4t --reason "catalog review of November 2026"`,
		ValidArgsFunction: func(_ *cobra.Command, pos []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			switch {
			case len(pos) == 0:
				return []cobra.Completion{
					cobra.CompletionWithDesc("validate", "check a catalog file"),
					cobra.CompletionWithDesc("dump", "print the effective catalog as JSON"),
					cobra.CompletionWithDesc("export", "the catalog as an OSCAL catalog, or a framework's profile"),
					cobra.CompletionWithDesc("migrate", "move an assessment to the catalog in effect"),
				}, cobra.ShellCompDirectiveNoFileComp
			case len(pos) == 1 && pos[0] == "validate":
				return nil, cobra.ShellCompDirectiveDefault // a file
			case len(pos) == 1 && pos[0] == "migrate":
				return safely(env.assessmentIDs(liveIDs)), cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) == 0 {
				return usagef("catalog needs a subcommand: validate FILE, dump --json, export --format F or migrate ID")
			}
			switch pos[0] {
			case "validate":
				if len(pos) != 2 {
					return usagef("usage: onus catalog validate FILE")
				}
				env.CatalogPath = pos[1]
				cat, err := env.Catalog()
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "%s: valid catalog %q version %s: %d layers, %d services, %d controls, %d evidence sources\nsha256 %s\n",
					safetext.Line(pos[1]), safetext.Line(cat.Name), safetext.Line(cat.Version), len(cat.Layers), len(cat.Services), len(cat.Controls), len(cat.Evidence), cat.Hash)
				return nil
			case "dump":
				_ = asJSON // JSON is the only format; the flag keeps scripts explicit
				cat, err := env.Catalog()
				if err != nil {
					return err
				}
				if scale < 1 || scale > 1000 {
					return usagef("--scale must be between 1 and 1000")
				}
				if scale > 1 {
					cat = synth.Scale(cat, scale)
				}
				out, err := cat.EncodeJSON()
				if err != nil {
					return err
				}
				_, err = env.Stdout.Write(out)
				return err
			case "export":
				return export.run(env, pos)
			case "migrate":
				if len(pos) != 2 {
					return usagef("usage: onus catalog migrate ID [--dry-run] [--reason TEXT] [--json]")
				}
				return catalogMigrate(env, pos[1], dryRun, asJSON, reason)
			}
			return usagef("unknown catalog subcommand %q (use validate, dump, export or migrate)", pos[0])
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (dump: JSON is its only format; migrate: the changes as JSON)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "migrate: say what the move changes, and do not move")
	cmd.Flags().StringVar(&reason, "reason", "", "migrate: why, recorded in the audit trail")
	completeFlag(cmd, "reason", cobra.NoFileCompletions)
	cmd.Flags().IntVar(&scale, "scale", 1, "dump a synthetic catalog N times the size, for load tests (dump only)")
	completeFlag(cmd, "scale", cobra.NoFileCompletions)
	export.flags(env, cmd)
	return cmd
}
