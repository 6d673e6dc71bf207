package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
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
		} else {
			printChanges(env.Stdout, ch)
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

// printChanges says what a move changes, every control listed.
func printChanges(w io.Writer, ch model.CatalogChanges) {
	l := safetext.Line
	fmt.Fprintf(w, "made with catalog %s (%s); the catalog in effect is %s (%s)\n", l(orDash(ch.From.Version)), shortHash(ch.From.Hash),
		l(ch.To.Version), shortHash(ch.To.Hash))
	if !ch.Known {
		fmt.Fprintf(w, "catalog %s is not one this onus knows: what changed cannot be listed, only the answers a move drops\n", l(orDash(ch.From.Version)))
	} else {
		list := func(head string, cs []model.MovedControl, line func(model.MovedControl) string) {
			fmt.Fprintf(w, "\n%s: %d\n", head, len(cs))
			for _, c := range cs {
				fmt.Fprintf(w, "  %-8s %s\n", l(c.ID), l(line(c)))
			}
		}
		list("controls that come to apply", ch.Added, func(c model.MovedControl) string {
			return c.Title + " · " + c.To.Label() + map[bool]string{true: "", false: " · new in this catalog"}[c.InCatalog]
		})
		list("controls that no longer apply", ch.Removed, func(c model.MovedControl) string {
			return c.Title + " · was " + c.From.Label() + map[bool]string{true: "", false: " · not in this catalog"}[c.InCatalog]
		})
		list("controls whose owner changes", ch.Owner, func(c model.MovedControl) string {
			return c.Title + " · " + c.From.Label() + " → " + c.To.Label()
		})
	}
	fmt.Fprintf(w, "\nanswers kept: %d; dropped: %d%s\n", ch.Kept, len(ch.Dropped), listed(ch.Dropped))
	if len(ch.Services) > 0 {
		fmt.Fprintf(w, "services this catalog does not know: %s\n", l(strings.Join(ch.Services, ", ")))
	}
	if len(ch.Frameworks) > 0 {
		fmt.Fprintf(w, "frameworks this catalog does not know: %s\n", l(strings.Join(ch.Frameworks, ", ")))
	}
}

func listed(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return " (" + safetext.Line(strings.Join(ids, ", ")) + "; the audit trail keeps them)"
}
