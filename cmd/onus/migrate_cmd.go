package main

import (
	"fmt"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/store"
)

// catalogMigrate is onus catalog migrate ID: what moving an assessment to
// the catalog in effect changes for it, and, unless dryRun, the move, a
// change recorded in its audit trail.
func catalogMigrate(env *Env, id string, dryRun, asJSON bool, reason string) error {
	return env.withStore(dryRun, func(cat *model.Catalog, db *store.DB) error {
		a, err := db.Get(id)
		if err != nil {
			return err
		}
		if cat.Is(a.Catalog) {
			fmt.Fprintf(env.Stderr, "%s is on catalog %s, the one in effect: nothing to move\n", id, safetext.Line(cat.Version))
			if asJSON {
				return printJSON(env.Stdout, model.CompareCatalogs(cat, cat, &a))
			}
			return nil
		}
		if !dryRun && a.Workflow == model.WorkflowFinal {
			return &model.FinalError{ID: a.ID} // before the listing: nothing of a move that cannot be made
		}
		from, _ := assets.EarlierFor(a.Catalog)
		ch := model.CompareCatalogs(from, cat, &a)
		if asJSON {
			if err := printJSON(env.Stdout, ch); err != nil {
				return err
			}
		} else if err := report.CatalogChanges(env.Stdout, ch); err != nil {
			return err
		}
		if dryRun {
			return nil
		}
		if _, err := db.MoveToCatalog(id, cat, reason); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "moved %s to catalog %s\n", id, safetext.Line(cat.Version))
		return nil
	})
}
