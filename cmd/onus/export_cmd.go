package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/crypt"
	"github.com/onus-gxp/onus/internal/outfile"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

func newExportCmd(env *Env) *cobra.Command {
	var format, out, asOf string
	var force bool
	var enc bundleCrypt
	cmd := &cobra.Command{
		Use:   "export ID",
		Short: "export a report, the evidence matrix, the bundle or OSCAL",
		Example: `onus export 01jd3k5x7m2q8r4t --format html -o lims.html
# the bundle, for onus import
onus export 01jd3k5x7m2q8r4t --format json -o lims.json
# the assessment as it stood then
onus export 01jd3k5x7m2q8r4t --format md --as-of 2026-10-01
# the bundle encrypted for a USB stick, to an age recipient or an SSH key
onus export 01jd3k5x7m2q8r4t --encrypt-to age1... --encrypt-to "$(cat ~/.ssh/id_ed25519.pub)" -o lims.json.age`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "export ID --format FORMAT [--as-of TIME] [-o FILE [--force]]")
			if err != nil {
				return err
			}
			if _, ok := report.LookupFormat(format); !ok {
				return usagef("unknown format %q (use %s)", format, strings.Join(report.FormatIDs(), ", "))
			}
			if enc.on() {
				switch {
				case format != "json":
					return usagef("--encrypt-to and --passphrase encrypt the bundle: use --format json")
				case len(enc.to) > 0 && enc.passphrase:
					return usagef("--encrypt-to or --passphrase, not both (age encrypts with a passphrase alone)")
				case out == "" && isTerminal(env.Stdout):
					return usagef("an encrypted bundle is binary: write it to a file with -o FILE")
				}
			}
			var at time.Time
			if asOf != "" {
				if at, err = model.ParseAsOf(asOf); err != nil {
					return usagef("--as-of %v", err)
				}
			}
			if env.lend == nil && os.Getenv("GOMEMLIMIT") == "" { // not in onus serve, relayed
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(exportMemoryLimit))
			}
			return env.withStore(true, func(cat *model.Catalog, db *store.DB) error {
				sink, err := env.newExportSink(out, force, enc, db.Path())
				if err != nil {
					return err
				}
				defer sink.abort()
				var head string
				if format == "json" && at.IsZero() {
					// The bundle is written as the trail is read, its chain
					// verified on the way: no trail is too long to export.
					head, err = db.WriteBundle(id, sink)
				} else {
					head, err = renderTo(sink, format, cat, db, id, at)
				}
				if err != nil {
					return err
				}
				n, err := sink.commit()
				if err == nil && out != "" {
					fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, trail head %s)\n", out, n, shortHash(head))
				}
				return err
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "json", "output format: "+strings.Join(report.FormatIDs(), ", "))
	outputFlag(cmd, &out, &force, true, "write to FILE instead of standard output (-)")
	f.StringArrayVar(&enc.to, "encrypt-to", nil, "encrypt the json bundle with age to RECIPIENT: an age recipient (age1...) or an SSH public-key line; repeatable")
	f.BoolVar(&enc.passphrase, "passphrase", false, "encrypt the json bundle with a passphrase, asked for on the terminal (or "+passphraseEnv+")")
	f.StringVar(&asOf, "as-of", "", "the assessment as it stood at TIME (RFC 3339, or YYYY-MM-DD for the end of that day, UTC), rebuilt from its audit trail")
	completeFlag(cmd, "format", formatIDs)
	completeFlag(cmd, "as-of", cobra.NoFileCompletions)
	return cmd
}

// exportMemoryLimit is the Go heap's soft limit while exporting (unless
// GOMEMLIMIT sets one). The largest exports (OSCAL of 80 services on a
// catalog ten times the default) hold tens of MiB live, and encoding
// them leaves as much again of garbage, which the collector would let
// the heap double into; the limit has it collect sooner instead, at some
// CPU (docs/PERFORMANCE.md). Smaller exports never reach it. An export
// relayed to onus serve runs in the server's process, whose heap it is
// not for the command to limit.
const exportMemoryLimit = 64 << 20

// outputFlag registers -o FILE (--output) and --force, which lets it
// replace a file (writeOutput). -o was a long option of Go's flag
// package, so --o still works. "-" is standard output for a command that
// writes there without -o (toStdout), and refused by the others: a file
// named "-" is never what was meant.
func outputFlag(cmd *cobra.Command, out *string, force *bool, toStdout bool, usage string) {
	f := cmd.Flags()
	f.VarP(outputPath{out, toStdout}, "output", "o", usage)
	f.BoolVar(force, "force", false, "replace FILE if it exists")
	f.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if name == "o" {
			name = "output"
		}
		return pflag.NormalizedName(name)
	})
}

// outputPath is -o's value (see outputFlag): standard output is "".
type outputPath struct {
	path     *string
	toStdout bool
}

func (o outputPath) String() string { return *o.path }
func (o outputPath) Type() string   { return "string" }

func (o outputPath) Set(s string) error {
	if s == "-" {
		if !o.toStdout {
			return errors.New("name a file: this command does not write to standard output")
		}
		s = ""
	}
	*o.path = s
	return nil
}

// renderTo renders an assessment, as of at (zero: as of its data), in a
// format, to w, and returns the head of the trail it was made from.
func renderTo(w io.Writer, format string, cat *model.Catalog, db *store.DB, id string, at time.Time) (head string, err error) {
	b, err := db.Export(id)
	if err != nil {
		return "", err
	}
	if !at.IsZero() {
		if b, err = b.AsOf(at); err != nil {
			return "", err
		}
	}
	return model.Head(b.Trail), renderExportTo(w, format, cat, b, at)
}

// exportSink is where an export goes as it is made: standard output, or a
// file written the one safe way (internal/outfile: nothing at its path
// until commit, nothing left behind by abort), through age when the
// bundle is encrypted.
type exportSink struct {
	file    *outfile.File // nil: standard output
	buf     *bufio.Writer
	counted *outfile.Counter // what reaches the file or standard output
	sealed  io.WriteCloser   // age, when encrypted
	w       io.Writer        // what the export writes to
	done    bool
}

// newExportSink opens the output (out, or standard output when empty)
// before anything is rendered, so that a file that may not be written, or
// a wrong recipient, is found before the work.
func (env *Env) newExportSink(out string, force bool, enc bundleCrypt, dbPath string) (*exportSink, error) {
	var recipients []crypt.Recipient
	if enc.on() {
		var err error
		if recipients, err = env.bundleRecipients(enc); err != nil {
			return nil, err
		}
	}
	s := &exportSink{}
	dst := env.Stdout
	if out != "" {
		f, err := outfile.Create(out, outfile.Options{Replace: force, Protect: store.Protected(dbPath)})
		if err != nil {
			return nil, outputError(err)
		}
		s.file, dst = f, f
	}
	s.buf = bufio.NewWriterSize(dst, 64<<10)
	s.counted = &outfile.Counter{W: s.buf}
	s.w = s.counted
	if recipients != nil {
		sealed, err := crypt.EncryptTo(s.counted, recipients...)
		if err != nil {
			s.abort()
			return nil, err
		}
		s.sealed, s.w = sealed, sealed
	}
	return s, nil
}

func (s *exportSink) Write(p []byte) (int, error) { return s.w.Write(p) }

// commit finishes the output (the last encrypted chunk, the buffer) and
// puts the file at its path; it returns the bytes written.
func (s *exportSink) commit() (int64, error) {
	s.done = true
	var err error
	if s.sealed != nil {
		err = s.sealed.Close()
	}
	if err == nil {
		err = s.buf.Flush()
	}
	if s.file == nil {
		return s.counted.N, err
	}
	if err != nil {
		s.file.Abort()
		return 0, err
	}
	return s.counted.N, outputError(s.file.Commit())
}

// abort removes the file being written, unless commit ran.
func (s *exportSink) abort() {
	if !s.done && s.file != nil {
		s.file.Abort()
	}
}

// renderExport renders an exported bundle in any of the report package's
// formats (report.Formats) against the catalog in effect, writing it to w
// as it is made (the wizard's exports). The report's date is the
// assessment's last change, so exporting the same assessment twice gives
// the same bytes. An unknown format is a usage error that lists the
// formats.
func renderExport(w io.Writer, format string, cat *model.Catalog, b model.Bundle) error {
	return renderExportTo(w, format, cat, b, time.Time{})
}

// renderExportTo is renderExport as of a time (the report's date, and the
// day supplier evidence is judged stale on); zero means as of the data.
func renderExportTo(w io.Writer, format string, cat *model.Catalog, b model.Bundle, at time.Time) error {
	if _, ok := report.LookupFormat(format); !ok {
		return usagef("unknown format %q (use %s)", format, strings.Join(report.FormatIDs(), ", "))
	}
	// Each signature is checked as onus verify checks it, against the
	// organisation's allowed-signers file when there is one, and every
	// format prints what was found.
	allowed, err := sign.ReadDefaultAllowedSigners(os.Getenv)
	if err != nil {
		return fmt.Errorf("the allowed-signers file: %w", err)
	}
	// The chain is verified once, for the signatures and the report.
	chain := model.VerifyChain(b.Trail)
	checks, err := sign.VerifyChecked(b.Trail, allowed, chain)
	if err != nil {
		return err
	}
	return report.RenderTo(w, format, report.Input{Catalog: cat, Assessment: b.Assessment, Trail: b.Trail, Now: at, Signatures: checks,
		Chain: &report.ChainCheck{Err: chain}, Version: reportVersion()})
}

// writeOutput writes a report or bundle the one safe way
// (internal/outfile): never through a symlink, never over the database or
// its backups, with the user's umask, and over an existing file only when
// replace is set (--force, or the wizard's confirmation).
func writeOutput(path string, data []byte, replace bool, dbPath string) error {
	return outputError(outfile.WriteFile(path, data, outfile.Options{Replace: replace, Protect: store.Protected(dbPath)}))
}

// writeOutputWith is writeOutput with what write writes as it makes it:
// the wizards' exports, never held whole in memory.
func writeOutputWith(path string, write func(io.Writer) error, replace bool, dbPath string) (int64, error) {
	n, err := outfile.WriteWith(path, outfile.Options{Replace: replace, Protect: store.Protected(dbPath)}, write)
	return n, outputError(err)
}

// outputError says how to replace a file that exists.
func outputError(err error) error {
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
