package main

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

// verifyResult is one assessment's check as verify prints it: the store's
// full check and each signature's.
type verifyResult struct {
	store.VerifyResult
	Signatures []sign.Result `json:"signatures,omitempty"`
}

// recordsFailed is verify's verdict when a record or a signature fails:
// exit code 4, as for a damaged file.
type recordsFailed struct{ bad int }

func (e recordsFailed) Error() string {
	return "integrity check failed: " + plural.Count(e.bad, "assessment", "assessments") + " (see above)"
}
func (recordsFailed) ExitCode() int { return 4 }

func newVerifyCmd(env *Env) *cobra.Command {
	var asJSON bool
	var allowedPath string
	cmd := &cobra.Command{
		Use:   "verify [ID]",
		Short: "check the file, every audit chain and every signature",
		Long: `Check the file's structure, then each assessment (or ID) in full: its audit
chain, that every entry is a change onus could have made, that the trail
rebuilds what is stored, and each electronic signature against the
organisation's allowed-signers file (default: allowed_signers in onus's
config directory): the signer, the key's fingerprint, the head it signed,
and whether the record changed after signing. Exit code 4 when anything
fails, naming the first bad entry.`,
		Example:           "onus verify --allowed-signers /srv/qa/allowed_signers",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) > 1 {
				return usagef("usage: onus verify [ID] [--allowed-signers FILE] [--json]")
			}
			allowed, allowedNote, err := env.allowedSigners(allowedPath)
			if err != nil {
				return err
			}
			// The catalog in effect lets verify count progress again; a
			// broken --catalog does not stop it from checking the records.
			cat, catErr := env.Catalog()
			if catErr != nil {
				cat = nil
				fmt.Fprintln(env.Stderr, "onus: warning: progress counts are not counted again:", safetext.Line(catErr.Error()))
			}
			return env.withCatalogStore(true, cat, func(_ *model.Catalog, db *store.DB) error {
				// The whole file's structure, even for one ID.
				if err := db.Checked(); err != nil {
					return err
				}
				var checked []store.VerifyResult
				var logErr error // the store's own log, checked with every assessment
				if len(pos) == 1 {
					checked = []store.VerifyResult{db.Verify(pos[0])}
				} else if checked, err = db.VerifyAll(); err != nil {
					var ie *store.IntegrityError
					if !errors.As(err, &ie) {
						return err
					}
					logErr = err
				}
				results := make([]verifyResult, len(checked))
				bad := 0
				for i, r := range checked {
					results[i] = verifyResult{VerifyResult: r}
					if trail, err := db.History(r.ID); err == nil {
						sigs, err := sign.Verify(trail, allowed)
						if err != nil && r.Err == "" {
							results[i].Err = err.Error()
						}
						results[i].Signatures = sigs
					}
					failed := results[i].Err != ""
					for _, s := range results[i].Signatures {
						failed = failed || s.State() == model.SigFailed
					}
					if failed {
						bad++
					}
				}
				if asJSON {
					if err := printJSON(env.Stdout, results); err != nil {
						return err
					}
				} else {
					env.printVerify(results, allowedNote)
					fmt.Fprintf(env.Stdout, "%s: structure ok; %s checked, %d failed\n", db.Path(), plural.Count(len(results), "assessment", "assessments"), bad)
				}
				if logErr != nil {
					return logErr // exit 4, after the assessments' findings
				}
				if bad > 0 {
					return recordsFailed{bad}
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&allowedPath, "allowed-signers", "", "the organisation's allowed-signers file (default: allowed_signers in onus's config directory)")
	return cmd
}

// allowedSigners reads the file given, or the default one if it exists;
// the note says when signers could not be checked.
func (env *Env) allowedSigners(path string) (*sign.AllowedSigners, string, error) {
	if path != "" {
		s, err := sign.ReadAllowedSigners(path)
		return s, "", err
	}
	def := sign.DefaultAllowedSigners(env.Getenv)
	s, err := sign.ReadAllowedSigners(def)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "signers not checked: no allowed-signers file (" + def + "; --allowed-signers FILE)", nil
	}
	return s, "", err
}

func (env *Env) printVerify(results []verifyResult, allowedNote string) {
	w := env.Stdout
	for _, r := range results {
		if r.Err != "" {
			at := ""
			if r.Seq > 0 {
				at = fmt.Sprintf(" (first bad entry %d)", r.Seq)
			}
			fmt.Fprintf(w, "FAIL  %s  %s%s: %s\n", r.ID, safetext.Line(r.Name), at, safetext.Line(r.Err))
		} else {
			fmt.Fprintf(w, "ok    %s  %s: %s, head %s\n", r.ID, safetext.Line(r.Name), plural.Count(r.Entries, "entry", "entries"), r.Head)
		}
		for _, n := range r.Notes {
			fmt.Fprintf(w, "      note: %s\n", safetext.Line(n))
		}
		for _, s := range r.Signatures {
			line := fmt.Sprintf("      signature %d %s: %s, key %s, signed head %s (entry %d), %s",
				s.N, s.State(), safetext.Line(s.Signer), s.Key, shortHash(s.Head), s.Entries, s.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
			switch {
			case s.ChangedAt > 0:
				line += fmt.Sprintf("; the record changed after signing (entry %d)", s.ChangedAt)
			case s.Intact:
				line += "; the record is unchanged since"
			}
			if s.Problem != "" && (s.State() == model.SigFailed || allowedNote == "") {
				line += "; " + safetext.Line(s.Problem)
			}
			fmt.Fprintln(w, line)
		}
		if len(r.Signatures) > 0 && allowedNote != "" {
			fmt.Fprintf(w, "      note: %s\n", allowedNote)
		}
	}
}
