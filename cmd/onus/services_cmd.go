package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/iac"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newServicesCmd(env *Env) *cobra.Command {
	var add, remove, gamp, just string
	var from fromIaC
	cmd := &cobra.Command{
		Use:   "services ID",
		Short: "select services, or set a service's GAMP 5 category",
		Example: `onus services 01jd3k5x7m2q8r4t --add lambda,dynamodb --remove ec2
onus services 01jd3k5x7m2q8r4t --gamp quicksight=5 --justification "custom visuals for batch release"
onus services 01jd3k5x7m2q8r4t --gamp quicksight=catalog
# the services a CDK app, a template or Terraform uses
onus services 01jd3k5x7m2q8r4t --from cdk.out
onus services 01jd3k5x7m2q8r4t --from infra/ --dry-run`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "services ID [--add ID,...] [--remove ID,...] [--from FILE]... [--dry-run]")
			if err != nil {
				return err
			}
			service, category, hasGAMP := strings.Cut(gamp, "=")
			if gamp != "" && (!hasGAMP || service == "" || category == "") {
				return usagef("--gamp takes SERVICE=CATEGORY (1, 3, 4 or 5), or SERVICE=catalog to go back to the catalog's")
			}
			if just != "" && (gamp == "" || category == "catalog") {
				return usagef("--justification goes with --gamp SERVICE=CATEGORY: the catalog's category needs none")
			}
			if err := from.check(); err != nil {
				return err
			}
			if from.dryRun && (add != "" || remove != "" || gamp != "") {
				return usagef("--dry-run shows what --from would select; give --add, --remove and --gamp without it")
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
			readOnly := add == "" && remove == "" && gamp == "" && (found == nil || from.dryRun)
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
				if gamp != "" {
					var g *model.GAMPOverride
					if category != "catalog" {
						n, err := strconv.Atoi(category)
						if err != nil {
							return usagef("--gamp %s: the category is 1, 3, 4 or 5, or catalog", gamp)
						}
						g = &model.GAMPOverride{Category: n, Justification: just}
					}
					if a, err = db.SetGAMP(id, service, g); err != nil {
						return err
					}
				}
				for _, s := range a.Services {
					svc, ok := cat.Service(s.ID)
					name, mdl := "(not in this catalog)", ""
					if ok {
						name, mdl = svc.Name, string(svc.Model)
					}
					n, _, own := cat.GAMPCategory(s)
					g := fmt.Sprintf("GAMP %d", n)
					if own {
						g += " (this assessment)"
					}
					fmt.Fprintf(env.Stdout, "%-18s %-15s %-34s %s\n", s.ID, mdl, safetext.Line(name), g)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&add, "add", "", "comma-separated service ids to select")
	cmd.Flags().StringVar(&remove, "remove", "", "comma-separated service ids to deselect")
	cmd.Flags().StringVar(&gamp, "gamp", "", "give a selected service a GAMP 5 category of this assessment's own: SERVICE=CATEGORY (1, 3, 4 or 5), or SERVICE=catalog")
	cmd.Flags().StringVar(&just, "justification", "", "why the service takes that category here (required with a category)")
	completeFlag(cmd, "gamp", cobra.NoFileCompletions)
	completeFlag(cmd, "justification", cobra.NoFileCompletions)
	completeFlag(cmd, "add", env.completeList(env.serviceIDs))
	completeFlag(cmd, "remove", env.completeList(env.serviceIDs))
	from.flags(cmd)
	return cmd
}
