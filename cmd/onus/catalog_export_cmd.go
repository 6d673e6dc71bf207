package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
)

// onus catalog export: the catalog in effect as an OSCAL catalog, or one
// framework edition's controls as an OSCAL profile of it.

type catalogExport struct {
	format, framework, out string
	force                  bool
}

// flags registers the options of catalog export on the catalog command.
func (o *catalogExport) flags(env *Env, cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "", "export only: "+strings.Join(catalogFormatIDs(), " or "))
	f.StringVar(&o.framework, "framework", "", "export only: the framework edition an oscal-profile selects")
	outputFlag(cmd, &o.out, &o.force, false, "export only: the file to write (default the name the OSCAL documents link to)")
	completeFlag(cmd, "format", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, f := range report.CatalogFormats {
			out = append(out, cobra.CompletionWithDesc(f.ID, f.Name))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	completeFlag(cmd, "framework", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return safely(env.profileFrameworkIDs), cobra.ShellCompDirectiveNoFileComp
	})
}

func catalogFormatIDs() []string {
	ids := make([]string, len(report.CatalogFormats))
	for i, f := range report.CatalogFormats {
		ids[i] = f.ID
	}
	return ids
}

// run writes the document, by default under the file name the other
// OSCAL documents link to it by, so that exported side by side they
// resolve each other.
func (o *catalogExport) run(env *Env, pos []string) error {
	if len(pos) != 1 {
		return usagef("usage: onus catalog export --format oscal-catalog|oscal-profile [--framework ID] [-o FILE]")
	}
	switch o.format {
	case "oscal-catalog":
		if o.framework != "" {
			return usagef("--framework selects a profile: use it with --format oscal-profile")
		}
	case "oscal-profile":
		if o.framework == "" {
			return usagef("--format oscal-profile needs --framework ID")
		}
	case "":
		return usagef("catalog export needs --format %s", strings.Join(catalogFormatIDs(), " or "))
	default:
		return usagef("unknown catalog format %q (use %s)", o.format, strings.Join(catalogFormatIDs(), " or "))
	}
	cat, err := env.Catalog()
	if err != nil {
		return err
	}
	if o.format == "oscal-profile" {
		if _, ok := cat.Framework(o.framework); !ok {
			return fmt.Errorf("unknown framework %q (profiles: %s)", o.framework, strings.Join(report.ProfileFrameworks(cat), ", "))
		}
	}
	data, err := report.RenderCatalog(o.format, cat, o.framework)
	if err != nil {
		return err
	}
	path := o.out
	if path == "" {
		path = report.CatalogFileName(cat)
		if o.format == "oscal-profile" {
			path = report.ProfileFileName(cat, o.framework)
		}
	}
	if err := env.writeOutput(path, data, o.force); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, catalog %s)\n", safetext.Line(path), len(data), safetext.Line(cat.Version))
	return nil
}

// profileFrameworkIDs are the editions a profile can be made of.
func (env *Env) profileFrameworkIDs() []cobra.Completion {
	return env.fromCatalog(func(cat *model.Catalog, add func(id, desc string)) {
		for _, id := range report.ProfileFrameworks(cat) {
			fw, _ := cat.Framework(id)
			add(id, fw.Name)
		}
	})()
}
