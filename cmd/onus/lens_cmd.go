package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/lens"
	"github.com/onus-gxp/onus/model"
)

// The question set to and from AWS Well-Architected custom lenses (package
// lens), and the catalog extensions an imported lens becomes.

func newLensCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lens export|import",
		Short: "export or import Well-Architected custom lenses",
		Example: `onus lens export -o gxp-lens.json
onus lens import lab-lens.json -o lab.onus-extension.json
onus --extension lab.onus-extension.json new --name "LIMS on AWS"`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) == 0 {
				return usagef("lens needs a subcommand: export or import")
			}
			return usagef("unknown lens subcommand %q (use export or import)", pos[0])
		},
	}
	cmd.AddCommand(newLensExportCmd(env), newLensImportCmd(env))
	return cmd
}

func newLensExportCmd(env *Env) *cobra.Command {
	var frameworks, out string
	var force bool
	cmd := &cobra.Command{
		Use:   "export -o FILE.json",
		Short: "write the question set as Well-Architected custom lenses",
		Long: `Writes the catalog's question set as AWS Well-Architected Tool custom lenses
(schema version 2021-11-01): each domain a pillar, each control a question.
A lens holds at most 10 pillars and 500 KB, so a larger question set is
written as several lenses, FILE-1.json to FILE-n.json; the files written are
named on standard error.`,
		Example: `onus lens export -o gxp-lens.json
onus lens export --frameworks 21cfr11,annex11 -o part11-lens.json`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) > 0 {
				return usagef("lens export takes no arguments, only options (got %q)", pos[0])
			}
			if out == "" {
				return usagef("lens export needs -o FILE.json")
			}
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			lenses, err := lens.Export(cat, lens.Options{Frameworks: splitList(frameworks)})
			if err != nil {
				return err
			}
			names := lens.FileNames(out, len(lenses))
			files := make([][]byte, len(lenses))
			for i, l := range lenses {
				if files[i], err = lens.Encode(l); err != nil {
					return err
				}
			}
			for i, name := range names {
				if err := env.writeOutput(name, files[i], force); err != nil {
					return err
				}
				questions := 0
				for _, p := range lenses[i].Pillars {
					questions += len(p.Questions)
				}
				fmt.Fprintf(env.Stderr, "wrote %s (%d bytes): %d pillars, %d questions\n",
					safetext.Line(name), len(files[i]), len(lenses[i].Pillars), questions)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&frameworks, "frameworks", "", "keep the controls citing these comma-separated framework ids (and the GxP baseline); default all")
	outputFlag(cmd, &out, &force, false, "the lens file; FILE-1.json to FILE-n.json when the question set splits")
	completeFlag(cmd, "frameworks", env.completeList(env.frameworkIDs))
	return cmd
}

func newLensImportCmd(env *Env) *cobra.Command {
	var out string
	var force bool
	var maps []string
	cmd := &cobra.Command{
		Use:   "import LENS.json -o FILE",
		Short: "turn a custom lens into a catalog extension, for --extension",
		Long: `Reads any Well-Architected custom lens and writes it as a catalog extension:
each pillar a domain, each question a control that is wholly the customer's,
unless a catalog control asks it already (--map QUESTION=CONTROL; a lens Onus
exported maps back to its own controls). Use the extension with the global
option --extension FILE. Keys the lens format does not define are ignored and
noted; a malformed lens is refused with every problem and where it is.`,
		Example: `onus lens import lab-lens.json -o lab.onus-extension.json
onus lens import lab-lens.json --map lab_sec_01=AC-01 -o lab.onus-extension.json`,
		ValidArgsFunction: func(_ *cobra.Command, pos []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(pos) == 0 {
				return nil, cobra.ShellCompDirectiveDefault // a file
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, pos []string) error {
			path, err := oneID(pos, "lens import FILE.json [--map QUESTION=CONTROL]... -o FILE.onus-extension.json")
			if err != nil {
				return err
			}
			if out == "" {
				return usagef("lens import needs -o FILE.onus-extension.json")
			}
			opts := lens.ImportOptions{Map: map[string]string{}}
			for _, m := range maps {
				q, c, ok := strings.Cut(m, "=")
				if q, c = strings.TrimSpace(q), strings.TrimSpace(c); !ok || q == "" || c == "" {
					return usagef("--map %q: give QUESTION=CONTROL, e.g. --map lab_sec_01=AC-01", m)
				}
				opts.Map[q] = c
			}
			data, err := readCapped(path, lens.MaxImportBytes)
			if err != nil {
				return err
			}
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			imp, err := lens.Import(data, path, cat, opts)
			if err != nil {
				return err
			}
			// Merged now, the extension is refused here for what
			// --extension would refuse later.
			if _, err := lens.Merge(cat, imp.Extension); err != nil {
				return err
			}
			b, err := imp.Extension.Encode()
			if err != nil {
				return err
			}
			for _, n := range imp.Notes {
				fmt.Fprintln(env.Stderr, "note:", safetext.Line(n))
			}
			if err := env.writeOutput(out, b, force); err != nil {
				return err
			}
			e := imp.Extension
			summary := fmt.Sprintf("%s: %d domains, %d controls", e.ID, len(e.Domains), len(e.Controls))
			if len(e.Mapped) > 0 {
				summary += fmt.Sprintf(", %d questions the catalog's controls ask", len(e.Mapped))
			}
			fmt.Fprintln(env.Stderr, safetext.Line(summary))
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&maps, "map", nil, "QUESTION=CONTROL: the catalog control that already asks a lens question; repeatable")
	outputFlag(cmd, &out, &force, false, "the extension file to write")
	completeFlag(cmd, "map", cobra.NoFileCompletions)
	return cmd
}

// extend merges the extensions named by --extension into the catalog;
// each is read and decoded on its own, so a problem names its file.
func (env *Env) extend(base *model.Catalog) (*model.Catalog, error) {
	exts := make([]*lens.Extension, len(env.Extensions))
	for i, path := range env.Extensions {
		data, err := readCapped(path, lens.MaxExtensionBytes)
		if err != nil {
			return nil, err
		}
		if exts[i], err = lens.DecodeExtension(data); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	cat, err := lens.Merge(base, exts...)
	if err != nil {
		return nil, fmt.Errorf("--extension %s: %w", strings.Join(env.Extensions, ", "), err)
	}
	return cat, nil
}
