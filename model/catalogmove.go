package model

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// An assessment names the catalog it was made with (CatalogRef). When a
// newer catalog is in effect, the assessment keeps working: it is shown
// and reported with the catalog in effect, and says it was made with
// another. Moving it to the catalog in effect is a change of its own,
// recorded in the audit trail (ActCatalog): it updates the reference and
// drops the answers to controls the new catalog no longer has, naming
// them in the entry.

// CatalogMove is the new value of a move to another catalog: the catalog
// moved to and the answered controls it no longer has, whose answers go.
// Their answers stay in the trail's earlier entries.
type CatalogMove struct {
	Catalog CatalogRef `json:"catalog"`
	Dropped []string   `json:"dropped_answers,omitempty"`
}

// Ref is the reference an assessment made with this catalog records.
func (c *Catalog) Ref() CatalogRef { return CatalogRef{Version: c.Version, Hash: c.Hash} }

// Is reports whether an assessment's reference names this very catalog:
// the same hash, or, where no hash was recorded, the same version.
func (c *Catalog) Is(ref CatalogRef) bool {
	if ref.Hash != "" {
		return ref.Hash == c.Hash
	}
	return ref.Version == c.Version
}

// MoveOf is the move of an assessment to this catalog: every answer whose
// control the catalog still has is kept, the others are dropped. ok is
// false when the assessment is on this catalog already.
func (c *Catalog) MoveOf(a *Assessment) (mv CatalogMove, ok bool) {
	mv.Catalog = c.Ref()
	for id := range a.Answers {
		if _, known := c.Control(id); !known {
			mv.Dropped = append(mv.Dropped, id)
		}
	}
	sort.Strings(mv.Dropped)
	return mv, a.Catalog != mv.Catalog
}

// checkMove checks a move before it is applied: to another catalog,
// dropping answers the assessment holds, each once. With the catalog moved
// to at hand, the dropped answers must be exactly those to controls it
// does not have.
func checkMove(a *Assessment, mv CatalogMove, cat *Catalog) error {
	if err := CheckText("catalog version", mv.Catalog.Version, MaxNameBytes); err != nil {
		return err
	}
	if err := CheckText("catalog hash", mv.Catalog.Hash, MaxNameBytes); err != nil {
		return err
	}
	if mv.Catalog.Version == "" && mv.Catalog.Hash == "" {
		return errors.New("moves to a catalog it does not name")
	}
	if mv.Catalog == a.Catalog {
		return fmt.Errorf("the assessment is on catalog %s already", clip(mv.Catalog.Version))
	}
	for i, id := range mv.Dropped {
		if _, ok := a.Answers[id]; !ok {
			return fmt.Errorf("drops the answer to %q, which the assessment does not hold", clip(id))
		}
		if slices.Contains(mv.Dropped[:i], id) {
			return fmt.Errorf("drops the answer to %q twice", clip(id))
		}
	}
	if cat != nil && cat.Ref() == mv.Catalog {
		if want, _ := cat.MoveOf(a); !slices.Equal(sorted(mv.Dropped), want.Dropped) {
			return fmt.Errorf("drops the answers to %v, but catalog %s lacks %v", mv.Dropped, clip(cat.Version), want.Dropped)
		}
	}
	return nil
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

// CatalogChanges is what moving one assessment from one catalog to
// another changes for it, with its own services and scope: the controls
// that come to apply, those that no longer do, those whose owner changes,
// and the answers that go. Controls neither catalog applies to it are not
// mentioned, however much they changed.
type CatalogChanges struct {
	From, To CatalogRef
	// Known is false when the catalog the assessment was made with is not
	// at hand: only Dropped, Services and Frameworks are then known.
	Known   bool
	Added   []MovedControl // apply with To, not with From
	Removed []MovedControl // applied with From, not with To
	Owner   []MovedControl // apply with both, and their owner differs
	// Dropped are the answered controls To does not have: a move drops
	// their answers. Kept counts the answers a move keeps.
	Dropped []string
	Kept    int
	// Services and Frameworks are selected services and chosen frameworks
	// To does not know.
	Services, Frameworks []string
}

// MovedControl is one control in CatalogChanges: its owner for the
// assessment with each catalog ("" where it does not apply), and whether
// the catalog has it at all.
type MovedControl struct {
	ID, Title string
	From, To  Responsibility
	// InCatalog is false for a removed control that To does not have, or
	// an added one that From did not have.
	InCatalog bool
}

// Empty reports whether the move changes nothing the assessment shows.
func (ch CatalogChanges) Empty() bool {
	return len(ch.Added) == 0 && len(ch.Removed) == 0 && len(ch.Owner) == 0 && len(ch.Dropped) == 0 &&
		len(ch.Services) == 0 && len(ch.Frameworks) == 0
}

// CompareCatalogs says what moving an assessment from catalog from (nil
// when it is not at hand) to catalog to changes for it. It is pure: the
// assessment is not changed.
func CompareCatalogs(from, to *Catalog, a *Assessment) CatalogChanges {
	ch := CatalogChanges{From: a.Catalog, To: to.Ref(), Known: from != nil}
	mv, _ := to.MoveOf(a)
	ch.Dropped, ch.Kept = mv.Dropped, len(a.Answers)-len(mv.Dropped)
	for _, s := range a.Services {
		if _, ok := to.Service(s.ID); !ok {
			ch.Services = append(ch.Services, s.ID)
		}
	}
	for _, f := range a.Scope.Frameworks {
		if _, ok := to.Framework(f); !ok {
			ch.Frameworks = append(ch.Frameworks, f)
		}
	}
	if from == nil {
		return ch
	}
	owners := func(cat *Catalog) map[string]Responsibility {
		out := map[string]Responsibility{}
		for _, c := range cat.Applicable(a.Scope, a.Services) {
			out[c.ID] = cat.Resolve(*c, a.Services).Responsibility
		}
		return out
	}
	was, now := owners(from), owners(to)
	for _, c := range from.Controls {
		if _, applied := was[c.ID]; !applied {
			continue
		}
		_, inTo := to.Control(c.ID)
		switch r, applies := now[c.ID]; {
		case !applies:
			ch.Removed = append(ch.Removed, MovedControl{ID: c.ID, Title: c.Title, From: was[c.ID], InCatalog: inTo})
		case r != was[c.ID]:
			ch.Owner = append(ch.Owner, MovedControl{ID: c.ID, Title: c.Title, From: was[c.ID], To: r, InCatalog: true})
		}
	}
	for _, c := range to.Controls {
		if _, applied := was[c.ID]; applied {
			continue
		}
		if r, applies := now[c.ID]; applies {
			_, inFrom := from.Control(c.ID)
			ch.Added = append(ch.Added, MovedControl{ID: c.ID, Title: c.Title, To: r, InCatalog: inFrom})
		}
	}
	return ch
}
