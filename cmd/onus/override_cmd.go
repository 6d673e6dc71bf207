package main

import (
	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newOverrideCmd(env *Env) *cobra.Command {
	var owner, just string
	var clear bool
	cmd := &cobra.Command{
		Use:   "override ID SERVICE LAYER",
		Short: "move a service's layer to another owner, or clear that",
		Example: `onus override 01jd3k5x7m2q8r4t ec2 os --owner shared \
  --justification "OS patched under managed-service contract MS-12"`,
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs), env.serviceIDs, env.layerIDs),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) != 3 || clear == (owner != "") {
				return usagef("usage: onus override ID SERVICE LAYER --owner aws|customer|shared --justification TEXT, or ... --clear")
			}
			id, service, layer := pos[0], pos[1], pos[2]
			return env.withStore(false, func(cat *model.Catalog, db *store.DB) error {
				if err := cat.CheckServices([]string{service}); err != nil {
					return err
				}
				if err := cat.CheckLayer(layer); err != nil {
					return err
				}
				var a model.Assessment
				var err error
				if clear {
					a, err = db.ClearOverride(id, service, layer)
				} else {
					a, err = db.SetOverride(id, service, model.ServiceOverride{Layer: layer, Owner: model.Owner(owner), Justification: just})
				}
				if err != nil {
					return err
				}
				for _, sel := range a.Services {
					if sel.ID == service {
						return drawStacks(env, cat, []model.SelectedService{sel}, 0, false, false)
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&owner, "owner", "", "the layer's owner for this assessment: aws, customer or shared")
	cmd.Flags().StringVar(&just, "justification", "", "why it differs from the catalog (required with --owner; recorded in the trail)")
	cmd.Flags().BoolVar(&clear, "clear", false, "remove this assessment's override of the layer")
	completeFlag(cmd, "owner", fixed(string(model.OwnerAWS), string(model.OwnerCustomer), string(model.OwnerShared)))
	completeFlag(cmd, "justification", cobra.NoFileCompletions)
	return cmd
}
