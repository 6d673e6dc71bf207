package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/iac"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// Services from infrastructure as code: --from on onus new and onus
// services. The files are read (package iac) before the database is
// opened, what was found is printed with why, and the services are then
// selected in one change whose audit entry names every file read and its
// SHA-256.

// fromIaC holds --from FILE... and --dry-run.
type fromIaC struct {
	paths  []string
	dryRun bool
}

func (f *fromIaC) flags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringArrayVar(&f.paths, "from", nil, "select the services a CloudFormation/SAM template, CDK cloud assembly (cdk.out), Terraform plan JSON or .tf file or directory uses; repeatable")
	fs.BoolVar(&f.dryRun, "dry-run", false, "with --from: print what the files use and why, change nothing")
}

func (f *fromIaC) given() bool { return len(f.paths) > 0 }

// check refuses --dry-run without --from.
func (f *fromIaC) check() error {
	if f.dryRun && !f.given() {
		return usagef("--dry-run goes with --from FILE: it shows what the files use without selecting it")
	}
	return nil
}

// show prints what the files use and why: on standard output for a dry
// run, where it is the command's result, else on standard error. Finding
// no service is an error, except in a dry run.
func (f *fromIaC) show(env *Env, cat *model.Catalog, res *iac.Result) error {
	w := env.Stderr
	if f.dryRun {
		w = env.Stdout
	}
	io.WriteString(w, res.Text(cat))
	if len(res.Services(cat)) == 0 && !f.dryRun {
		return errors.New("no catalog service found in the files read; nothing selected (above: what they hold)")
	}
	return nil
}

// selectFound selects the services a scan found, recording the files
// read and their SHA-256, and says what changed; in a dry run it only
// says what would.
func (f *fromIaC) selectFound(env *Env, res *iac.Result, cat *model.Catalog, db *store.DB, a model.Assessment) (model.Assessment, error) {
	found := res.Services(cat)
	var add, had []string
	for _, id := range found {
		if slices.Contains(a.ServiceIDs(), id) {
			had = append(had, id)
		} else {
			add = append(add, id)
		}
	}
	w := env.Stderr
	if f.dryRun {
		w = env.Stdout
	}
	fmt.Fprintln(w)
	switch {
	case len(add) == 0:
		fmt.Fprintln(w, iac.AllSelected(len(found))+".")
		return a, nil
	case f.dryRun:
		fmt.Fprintf(w, "Would select %d: %s\n", len(add), strings.Join(add, ", "))
	default:
		var err error
		if a, err = db.SelectServicesBecause(a.ID, add, res.Reason()); err != nil {
			return a, err
		}
		fmt.Fprintf(w, "Selected %d: %s\n", len(add), strings.Join(add, ", "))
		fmt.Fprintln(w, "The audit trail records why: every file read, by its name and SHA-256.")
	}
	if len(had) > 0 {
		fmt.Fprintf(w, "Selected already: %s\n", strings.Join(had, ", "))
	}
	return a, nil
}
