package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/iac"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newServicesCmd(env *Env) *cobra.Command {
	var add, remove string
	var from fromIaC
	cmd := &cobra.Command{
		Use:   "services ID",
		Short: "select or deselect services; prints the selection",
		Example: `onus services 01jd3k5x7m2q8r4t --add lambda,dynamodb --remove ec2
# the services a CDK app, a template or Terraform uses
onus services 01jd3k5x7m2q8r4t --from cdk.out
onus services 01jd3k5x7m2q8r4t --from infra/ --dry-run`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "services ID [--add ID,...] [--remove ID,...] [--from FILE]... [--dry-run]")
			if err != nil {
				return err
			}
			if err := from.check(); err != nil {
				return err
			}
			if from.dryRun && (add != "" || remove != "") {
				return usagef("--dry-run shows what --from would select; give --add and --remove without it")
			}
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			var found *iac.Result
			if from.given() {
				if found, err = iac.Scan(cat, from.paths...); err != nil {
					return err
				}
			}
			readOnly := add == "" && remove == "" && (found == nil || from.dryRun)
			return env.withCatalogStore(readOnly, cat, func(cat *model.Catalog, db *store.DB) error {
				a, err := db.Get(id)
				if err != nil {
					return err
				}
				if found != nil && !from.dryRun && a.Workflow == model.WorkflowFinal {
					// Refused before printing what the files hold, which it could not take.
					return &model.FinalError{ID: a.ID}
				}
				if ids := splitList(add); len(ids) > 0 {
					if err := cat.CheckServices(ids); err != nil {
						return err
					}
					if a, err = db.SelectServices(id, ids); err != nil {
						return err
					}
				}
				if found != nil {
					if err := from.show(env, cat, found); err != nil {
						return err
					}
					if a, err = from.selectFound(env, found, cat, db, a); err != nil || from.dryRun {
						return err
					}
				}
				if ids := splitList(remove); len(ids) > 0 {
					if a, err = db.DeselectServices(id, ids); err != nil {
						return err
					}
				}
				for _, s := range a.Services {
					svc, ok := cat.Service(s.ID)
					name, mdl := "(not in this catalog)", ""
					if ok {
						name, mdl = svc.Name, string(svc.Model)
					}
					fmt.Fprintf(env.Stdout, "%-18s %-15s %s\n", s.ID, mdl, safetext.Line(name))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&add, "add", "", "comma-separated service ids to select")
	cmd.Flags().StringVar(&remove, "remove", "", "comma-separated service ids to deselect")
	completeFlag(cmd, "add", env.completeList(env.serviceIDs))
	completeFlag(cmd, "remove", env.completeList(env.serviceIDs))
	from.flags(cmd)
	return cmd
}
