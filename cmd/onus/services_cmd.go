package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func newServicesCmd(env *Env) *cobra.Command {
	var add, remove string
	cmd := &cobra.Command{
		Use:               "services ID",
		Short:             "select or deselect services; prints the selection",
		Example:           "onus services 01jd3k5x7m2q8r4t --add lambda,dynamodb --remove ec2",
		ValidArgsFunction: env.completeArgs(env.assessmentIDs(liveIDs)),
		RunE: func(_ *cobra.Command, pos []string) error {
			id, err := oneID(pos, "services ID [--add ID,...] [--remove ID,...]")
			if err != nil {
				return err
			}
			return env.withStore(add == "" && remove == "", func(cat *model.Catalog, db *store.DB) error {
				a, err := db.Get(id)
				if err != nil {
					return err
				}
				if ids := splitList(add); len(ids) > 0 {
					if err := cat.CheckServices(ids); err != nil {
						return err
					}
					if a, err = db.SelectServices(id, ids); err != nil {
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
	return cmd
}
