package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/iac"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newNewCmd(env *Env) *cobra.Command {
	var (
		name, org, system, services string
		asJSON                      bool
		sf                          *scopeFlags
		from                        fromIaC
	)
	cmd := &cobra.Command{
		Use:   "new --name NAME",
		Short: "create an assessment and print its id",
		Example: `onus new --name "LIMS on AWS" --org Acme --system LIMS --services ec2,rds,s3 --framework 21cfr11,annex11
onus new --name "Patient portal" --services apigateway,lambda,dynamodb --internet-facing --data health,personal
# the services a template and a Terraform plan use
onus new --name "LIMS on AWS" --from template.yaml --from plan.json`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) > 0 {
				return usagef("new takes no arguments, only options (got %q)", pos[0])
			}
			if err := from.check(); err != nil {
				return err
			}
			if strings.TrimSpace(name) == "" && !from.dryRun {
				return usagef("new needs --name")
			}
			if err := sf.check(); err != nil {
				return err
			}
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			ids := splitList(services)
			if err := cat.CheckServices(ids); err != nil {
				return err
			}
			scope, err := sf.apply(cat, model.Scope{}, true)
			if err != nil {
				return err
			}
			a := model.Assessment{
				Name: name, Organisation: org, System: system, Scope: scope,
				Services: model.Select(ids...),
				Catalog:  model.CatalogRef{Version: cat.Version, Hash: cat.Hash},
			}
			var found *iac.Result
			if from.given() {
				if found, err = iac.Scan(cat, from.paths...); err != nil {
					return err
				}
				if err := from.show(env, cat, found); err != nil {
					return err
				}
				if from.dryRun {
					_, err = from.selectFound(env, found, cat, nil, a)
					return err
				}
			}
			return env.withCatalogStore(false, cat, func(_ *model.Catalog, db *store.DB) error {
				a, err := db.Create(a)
				if err != nil {
					return err
				}
				if found != nil {
					id := a.ID
					if a, err = from.selectFound(env, found, cat, db, a); err != nil {
						return fmt.Errorf("assessment %s was created, but the services found were not selected: %w", id, err)
					}
				}
				if asJSON {
					return printJSON(env.Stdout, a)
				}
				fmt.Fprintln(env.Stdout, a.ID)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "assessment name (required)")
	f.StringVar(&org, "org", "", "organisation")
	f.StringVar(&system, "system", "", "system under assessment")
	f.StringVar(&services, "services", "", "comma-separated service ids")
	sf = addScopeFlags(env, cmd, "direct")
	f.BoolVar(&asJSON, "json", false, "print the assessment as JSON")
	from.flags(cmd)
	completeFlag(cmd, "services", env.completeList(env.serviceIDs))
	for _, free := range []string{"name", "org", "system"} {
		completeFlag(cmd, free, cobra.NoFileCompletions)
	}
	return cmd
}
