package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

// The review workflow's commands: sign, signatures, milestone, reopen,
// diff and salvage. The store and the sign package do the work; these
// read the options, the key and its passphrase, and print.

func newSignCmd(env *Env) *cobra.Command {
	var req store.SignRequest
	var keyFile, step string
	var useAgent bool
	cmd := &cobra.Command{
		Use:   "sign ID --meaning TEXT",
		Short: "sign an assessment with your SSH key",
		Long: `Sign an assessment: a manifest naming the assessment, its catalog, the chain
head of the milestone signed, the step, the meaning, your printed name and
the time is signed with your SSH key (SSHSIG, namespace onus) and recorded
in the audit trail. The key is one ssh-agent holds (--agent) or an OpenSSH
private key file (--key), whose passphrase is asked for on the terminal.
With high-risk gaps open, --acknowledge says why you sign anyway.`,
		Example: `onus sign 01jd3k5x7m2q8r4t --meaning "reviewed and approved" --agent --as "Jane Smith" --role QA
onus sign 01jd3k5x7m2q8r4t --meaning "reviewed" --step in-review --key ~/.ssh/id_ed25519`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "sign ID --meaning TEXT")
			if err != nil {
				return err
			}
			if useAgent == (keyFile != "") {
				return usagef("sign with --agent (a key ssh-agent holds) or --key FILE (a private key file), one of them")
			}
			req.Step = model.Workflow(step)
			return env.withStore(false, func(cat *model.Catalog, db *store.DB) error {
				key, err := env.signingKey(keyFile, useAgent)
				if err != nil {
					return err
				}
				defer key.Close()
				a, err := db.Sign(id, req, cat, key)
				if err != nil {
					return err
				}
				s := a.SignOffs[len(a.SignOffs)-1]
				fmt.Fprintf(env.Stderr, "signed %s: %s (%s, milestone %s) by %s with %s; assessment is %s\n",
					id, safetext.Line(s.Meaning), s.Step, safetext.Line(s.Milestone), safetext.Line(s.By), s.Key, a.Workflow)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Meaning, "meaning", "", "what the signature means, e.g. \"reviewed and approved\" (required)")
	f.StringVar(&keyFile, "key", "", "an OpenSSH private key file; its passphrase is asked for on the terminal")
	f.BoolVar(&useAgent, "agent", false, "sign with the key ssh-agent holds ($SSH_AUTH_SOCK; --key FILE.pub picks one of several)")
	f.StringVar(&req.Role, "role", "", "your role, e.g. QA")
	f.StringVar(&step, "step", string(model.WorkflowFinal), "the step the signature moves the assessment to: in-review or final")
	f.StringVar(&req.Milestone, "milestone", "", "the milestone to sign (default: the newest, if nothing changed since, else a new one)")
	f.StringVar(&req.Acknowledgement, "acknowledge", "", "why you sign with high-risk gaps open (signed and recorded)")
	f.StringVar(&req.Name, "name", "", "your printed name as the allowed-signers file writes it (default: --as)")
	return cmd
}

// signingKey opens the key to sign with: ssh-agent's (its only key, or the
// one whose public key file --key names), or a private key file unlocked
// with the passphrase read from the terminal.
func (env *Env) signingKey(keyFile string, useAgent bool) (*sign.Key, error) {
	if useAgent {
		var pub ssh.PublicKey
		if keyFile != "" {
			p, err := sign.ReadPublicKey(keyFile)
			if err != nil {
				return nil, err
			}
			pub = p
		}
		if env.Getenv("SSH_AUTH_SOCK") == "" {
			return nil, errors.New("no ssh-agent: SSH_AUTH_SOCK is not set (start one with eval $(ssh-agent) and ssh-add your key, or sign with --key FILE)")
		}
		return sign.AgentKey(env.Getenv("SSH_AUTH_SOCK"), pub)
	}
	kf, err := sign.ReadKeyFile(keyFile)
	if err != nil {
		return nil, err
	}
	var pass []byte
	if kf.Encrypted {
		if pass, err = env.readPassphrase("passphrase for " + keyFile + ": "); err != nil {
			return nil, err
		}
		defer clear(pass)
	}
	return kf.Unlock(pass)
}

// readPassphrase asks on the terminal, without echo. The passphrase never
// comes from an argument or the environment.
func (env *Env) readPassphrase(prompt string) ([]byte, error) {
	pass, err := env.promptHidden(prompt)
	if errors.Is(err, errNoTerminal) {
		return nil, fmt.Errorf("the key file is passphrase protected and there is no terminal to ask on (%v): sign with --agent instead", err)
	}
	return pass, err
}

func newSignaturesCmd(env *Env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "signatures ID --out DIR",
		Short: "write the signatures out, for ssh-keygen -Y verify",
		Example: `onus signatures 01jd3k5x7m2q8r4t --out sigs
ssh-keygen -Y verify -f allowed_signers -I "Jane Smith" -n onus -s sigs/1.manifest.sig < sigs/1.manifest`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "signatures ID --out DIR")
			if err != nil {
				return err
			}
			if out == "" {
				return usagef("signatures needs --out DIR")
			}
			return env.withReader(func(db *store.DB) error {
				trail, err := db.History(id)
				if err != nil {
					return err
				}
				files, err := sign.WriteFiles(out, trail)
				if err != nil {
					return err
				}
				for _, f := range files {
					fmt.Fprintln(env.Stdout, f)
				}
				fmt.Fprintf(env.Stderr, "wrote %d files for %s\n", len(files), plural.Count(len(files)/2, "signature", "signatures"))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the folder to write N.manifest and N.manifest.sig to")
	return cmd
}

func newMilestoneCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:               "milestone ID NAME",
		Short:             "record a named point of the audit trail, to sign",
		Example:           "onus milestone 01jd3k5x7m2q8r4t workshop-2",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) != 2 {
				return usagef("usage: onus milestone ID NAME")
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
				a, err := db.Milestone(pos[0], pos[1])
				if err != nil {
					return err
				}
				m, _ := a.Milestone(pos[1])
				fmt.Fprintf(env.Stderr, "milestone %s of %s at entry %d, head %s\n", m.Name, a.ID, m.Entries, shortHash(m.Head))
				return nil
			})
		},
	}
}

func newReopenCmd(env *Env) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:               "reopen ID --reason TEXT",
		Short:             "reopen a final assessment; its signatures are superseded",
		Example:           `onus reopen 01jd3k5x7m2q8r4t --reason "CAPA-12 changes the backup answer"`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "reopen ID --reason TEXT")
			if err != nil {
				return err
			}
			if strings.TrimSpace(reason) == "" {
				return usagef("reopening needs --reason TEXT, recorded in the audit trail")
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
				a, err := db.Reopen(id, reason)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "reopened %s: %s; %s superseded\n", a.ID, a.Workflow, plural.Count(len(a.SignOffs), "signature", "signatures"))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (required, recorded)")
	return cmd
}

func newDiffCmd(env *Env) *cobra.Command {
	var asJSON, asMD bool
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "what changed between ID, ID@MILESTONE or ID@TIME",
		Example: `onus diff 01jd3k5x7m2q8r4t@v1 01jd3k5x7m2q8r4t@v2
# a baseline and its duplicate, as a report annex
onus diff 01jd3k5x7m2q8r4t 06h28nqmkdvehyh5 --md > annex.md
onus diff 01jd3k5x7m2q8r4t@2026-10-01 01jd3k5x7m2q8r4t --json`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs), env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) != 2 {
				return usagef("usage: onus diff A B [--json|--md]")
			}
			if asJSON && asMD {
				return usagef("diff prints --json or --md, not both")
			}
			return env.withStore(true, func(cat *model.Catalog, db *store.DB) error {
				d, err := db.Diff(cat, pos[0], pos[1])
				if err != nil {
					return err
				}
				switch {
				case asJSON:
					return printJSON(env.Stdout, d)
				case asMD:
					_, err := env.Stdout.Write(report.DiffMarkdown(cat, d))
					return err
				}
				_, err = env.Stdout.Write([]byte(safetext.Clean(string(report.DiffMarkdown(cat, d)))))
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&asMD, "md", false, "print Markdown, for a report annex")
	return cmd
}

func newSalvageCmd(env *Env) *cobra.Command {
	var reason, name string
	cmd := &cobra.Command{
		Use:   "salvage ID --reason TEXT",
		Short: "continue a failing assessment anew; the old one stays",
		Example: `# onus verify names the first bad entry, then
onus salvage 01jd3k5x7m2q8r4t --reason "INC-42: file edited outside onus"`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(allIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "salvage ID --reason TEXT")
			if err != nil {
				return err
			}
			if strings.TrimSpace(reason) == "" {
				return usagef("a salvage needs --reason TEXT: it is recorded with the finding")
			}
			return env.withStore(false, func(_ *model.Catalog, db *store.DB) error {
				a, err := db.Salvage(id, name, reason)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "salvaged %s into %s (%s); %s stays as found, as evidence\n", id, a.ID, safetext.Line(a.Name), id)
				fmt.Fprintln(env.Stdout, a.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (required, recorded with the finding)")
	cmd.Flags().StringVar(&name, "name", "", "the new assessment's name (default: the old one's, marked salvaged)")
	return cmd
}
