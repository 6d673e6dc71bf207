package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/internal/outfile"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

func newExportCmd(env *Env) *cobra.Command {
	var format, out, asOf string
	var force bool
	cmd := &cobra.Command{
		Use:   "export ID",
		Short: "export a report, the evidence matrix, the bundle (json) or OSCAL",
		Example: `onus export 01jd3k5x7m2q8r4t --format html -o lims.html
# the bundle, for onus import
onus export 01jd3k5x7m2q8r4t --format json -o lims.json
# the assessment as it stood then
onus export 01jd3k5x7m2q8r4t --format md --as-of 2026-10-01`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "export ID --format FORMAT [--as-of TIME] [-o FILE [--force]]")
			if err != nil {
				return err
			}
			var at time.Time
			if asOf != "" {
				if at, err = model.ParseAsOf(asOf); err != nil {
					return usagef("--as-of %v", err)
				}
			}
			return env.withStore(true, func(cat *model.Catalog, db *store.DB) error {
				b, err := db.Export(id)
				if err != nil {
					return err
				}
				if !at.IsZero() {
					if b, err = b.AsOf(at); err != nil {
						return err
					}
				}
				data, err := renderExportAt(format, cat, b, at)
				if err != nil {
					return err
				}
				if out == "" {
					_, err = env.Stdout.Write(data)
					return err
				}
				if err := writeOutput(out, data, force, db.Path()); err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, trail head %s)\n", out, len(data), shortHash(model.Head(b.Trail)))
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "json", "output format: "+strings.Join(report.FormatIDs(), ", "))
	outputFlag(cmd, &out, &force, "write to FILE instead of standard output")
	f.StringVar(&asOf, "as-of", "", "the assessment as it stood at TIME (RFC 3339, or YYYY-MM-DD for the end of that day, UTC), rebuilt from its audit trail")
	completeFlag(cmd, "format", formatIDs)
	completeFlag(cmd, "as-of", cobra.NoFileCompletions)
	return cmd
}

// outputFlag registers -o FILE (--output) and --force, which lets it
// replace a file (writeOutput). -o was a long option of Go's flag
// package, so --o still works.
func outputFlag(cmd *cobra.Command, out *string, force *bool, usage string) {
	f := cmd.Flags()
	f.StringVarP(out, "output", "o", "", usage)
	f.BoolVar(force, "force", false, "replace FILE if it exists")
	f.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if name == "o" {
			name = "output"
		}
		return pflag.NormalizedName(name)
	})
}

// renderExport renders an exported bundle in any of the report package's
// formats (report.Formats) against the catalog in
// effect. The report's date is the assessment's last change, so exporting
// the same assessment twice gives the same bytes. An unknown format is a
// usage error that lists the formats.
func renderExport(format string, cat *model.Catalog, b model.Bundle) ([]byte, error) {
	return renderExportAt(format, cat, b, time.Time{})
}

// renderExportAt renders as of a time (the report's date, and the day
// supplier evidence is judged stale on); zero means as of the data.
func renderExportAt(format string, cat *model.Catalog, b model.Bundle, at time.Time) ([]byte, error) {
	if _, ok := report.LookupFormat(format); !ok {
		return nil, usagef("unknown format %q (use %s)", format, strings.Join(report.FormatIDs(), ", "))
	}
	// Each signature is checked as onus verify checks it, against the
	// organisation's allowed-signers file when there is one, and every
	// format prints what was found.
	allowed, err := sign.ReadDefaultAllowedSigners(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("the allowed-signers file: %w", err)
	}
	checks, err := sign.Verify(b.Trail, allowed)
	if err != nil {
		return nil, err
	}
	return report.Render(format, report.Input{Catalog: cat, Assessment: b.Assessment, Trail: b.Trail, Now: at, Signatures: checks})
}

// writeOutput writes a report or bundle the one safe way
// (internal/outfile): never through a symlink, never over the database or
// its backups, with the user's umask, and over an existing file only when
// replace is set (--force, or the wizard's confirmation).
func writeOutput(path string, data []byte, replace bool, dbPath string) error {
	err := outfile.WriteFile(path, data, outfile.Options{Replace: replace, Protect: store.Protected(dbPath)})
	if exists := (*outfile.ExistsError)(nil); errors.As(err, &exists) {
		return fmt.Errorf("%w: add --force to replace it", err)
	}
	return err
}

// writeOutput writes a file of a command that opens no database (catalog
// and lens exports) the same safe way, protecting the database in effect.
func (env *Env) writeOutput(path string, data []byte, replace bool) error {
	db, err := env.dbPath()
	if err != nil {
		return err
	}
	return writeOutput(path, data, replace, db)
}
