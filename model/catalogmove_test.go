package model_test

import (
	"slices"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

func earlierCatalog(t testing.TB, version string) *model.Catalog {
	t.Helper()
	src, ok := assets.Earlier(version)
	if !ok {
		t.Fatalf("no embedded catalog %s", version)
	}
	cat, err := model.ParseCatalog(src, assets.EarlierName(version))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func changeIDs(cs []model.MovedControl) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// What the November review's catalog changes for an assessment made with
// the one before it, with its own services and scope: the record
// inventory and inspection controls come to apply under Part 11, owners
// move where the review moved them, no answer goes.
func TestCompareCatalogsForAnAssessment(t *testing.T) {
	from, to := earlierCatalog(t, "2026.11.0"), defaultCatalog(t)
	a := &model.Assessment{Catalog: from.Ref(),
		Scope:    model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}, OpenSystem: true},
		Services: model.Select("ec2", "rds", "lambda"),
		Answers: map[string]model.Answer{
			"AT-01":  {Control: "AT-01", Status: model.StatusImplemented},
			"REC-04": {Control: "REC-04", Status: model.StatusNotApplicable, Justification: "no personal data"},
		}}
	ch := model.CompareCatalogs(from, to, a)
	if !ch.Known || ch.From != from.Ref() || ch.To != to.Ref() || ch.Kept != 2 || len(ch.Dropped) != 0 {
		t.Fatalf("changes %+v", ch)
	}
	for _, id := range []string{"REC-13", "REC-14"} {
		i := slices.Index(changeIDs(ch.Added), id)
		if i < 0 {
			t.Errorf("%s (new, Part 11) is not among the added: %v", id, changeIDs(ch.Added))
		} else if c := ch.Added[i]; c.InCatalog || c.To == "" || c.From != "" {
			t.Errorf("%s added as %+v", id, c)
		}
	}
	// Every listed change is one: the owner or the applicability differs
	// between the two catalogs for this assessment.
	owner := func(cat *model.Catalog, id string) model.Responsibility {
		for _, c := range cat.Applicable(a.Scope, a.Services) {
			if c.ID == id {
				return cat.Resolve(*c, a.Services).Responsibility
			}
		}
		return ""
	}
	for _, c := range slices.Concat(ch.Added, ch.Removed, ch.Owner) {
		if got := [2]model.Responsibility{owner(from, c.ID), owner(to, c.ID)}; got != [2]model.Responsibility{c.From, c.To} || c.From == c.To {
			t.Errorf("%s: listed %s → %s, the catalogs say %s → %s", c.ID, c.From, c.To, got[0], got[1])
		}
	}
	// And every change is listed.
	listed := changeIDs(slices.Concat(ch.Added, ch.Removed, ch.Owner))
	for _, cat := range []*model.Catalog{from, to} {
		for _, c := range cat.Controls {
			if owner(from, c.ID) != owner(to, c.ID) && !slices.Contains(listed, c.ID) {
				t.Errorf("%s changes (%s → %s) but is not listed", c.ID, owner(from, c.ID), owner(to, c.ID))
			}
		}
	}
	if len(ch.Owner) == 0 {
		t.Error("the review changed owners, yet none changes for EC2, RDS and Lambda")
	}
}

// A control the new catalog no longer has: its answer is dropped by a
// move, and it is listed as removed from the catalog; without the old
// catalog at hand, the answers a move drops are still known.
func TestCompareCatalogsWithAControlGone(t *testing.T) {
	from := defaultCatalog(t)
	to := &model.Catalog{Schema: from.Schema, Version: "2099.1.0", Name: from.Name, Layers: from.Layers, Frameworks: from.Frameworks,
		Domains: from.Domains, Evidence: from.Evidence, Services: from.Services, Hash: "another",
		Controls: slices.DeleteFunc(slices.Clone(from.Controls), func(c model.Control) bool { return c.ID == "AT-01" })}
	a := &model.Assessment{Catalog: from.Ref(), Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("ec2"),
		Answers: map[string]model.Answer{
			"AT-01": {Control: "AT-01", Status: model.StatusImplemented},
			"AT-04": {Control: "AT-04", Status: model.StatusPartial},
		}}
	for _, known := range []*model.Catalog{from, nil} {
		ch := model.CompareCatalogs(known, to, a)
		if !slices.Equal(ch.Dropped, []string{"AT-01"}) || ch.Kept != 1 || ch.Known != (known != nil) {
			t.Errorf("known %v: dropped %v, kept %d", known != nil, ch.Dropped, ch.Kept)
		}
		if known == nil {
			if len(ch.Removed) != 0 || len(ch.Added) != 0 {
				t.Errorf("without the old catalog, changes %+v", ch)
			}
			continue
		}
		i := slices.Index(changeIDs(ch.Removed), "AT-01")
		if i < 0 || ch.Removed[i].InCatalog {
			t.Errorf("removed %+v", ch.Removed)
		}
	}
	mv, ok := to.MoveOf(a)
	if !ok || !slices.Equal(mv.Dropped, []string{"AT-01"}) || mv.Catalog != to.Ref() {
		t.Errorf("move %+v, %v", mv, ok)
	}
	if _, ok := from.MoveOf(a); ok {
		t.Error("a move to the catalog the assessment is on")
	}
}

// The move is a change of its own: Step checks it names another catalog,
// drops only answers the assessment holds (with the catalog at hand,
// exactly those it lacks), and applies it: the reference moves, every
// other answer stays.
func TestCatalogMoveInTheTrail(t *testing.T) {
	old := model.CatalogRef{Version: "2026.11.0", Hash: "old"}
	tr := newTrailer(t, nil, model.Assessment{Name: "LIMS", Catalog: old})
	tr.must(model.ActAnswer, "answer/AT-01", nil, model.Answer{Control: "AT-01", Status: model.StatusImplemented})
	tr.must(model.ActAnswer, "answer/XX-99", nil, model.Answer{Control: "XX-99", Status: model.StatusPartial})
	to := model.CatalogRef{Version: "2026.12.0", Hash: "new"}

	tr.refused("to the same catalog", "already", model.ActCatalog, "catalog", old, model.CatalogMove{Catalog: old})
	tr.refused("an answer not held", "does not hold", model.ActCatalog, "catalog", old, model.CatalogMove{Catalog: to, Dropped: []string{"AT-02"}})
	tr.refused("an answer twice", "twice", model.ActCatalog, "catalog", old, model.CatalogMove{Catalog: to, Dropped: []string{"XX-99", "XX-99"}})
	tr.refused("another old catalog", "not what the assessment held", model.ActCatalog, "catalog", to, model.CatalogMove{Catalog: to})
	tr.refused("another target", "the target of catalog", model.ActCatalog, "scope", old, model.CatalogMove{Catalog: to})

	tr.must(model.ActCatalog, "catalog", old, model.CatalogMove{Catalog: to, Dropped: []string{"XX-99"}})
	if tr.a.Catalog != to || len(tr.a.Answers) != 1 || tr.a.Answers["AT-01"].Status != model.StatusImplemented {
		t.Fatalf("after the move: catalog %+v, answers %v", tr.a.Catalog, tr.a.Answers)
	}
	a, err := model.Replay(tr.trail)
	if err != nil || !model.SameAssessment(a, tr.a) {
		t.Fatalf("replay: %v", err)
	}

	// With the catalog at hand (an import), the dropped answers are the
	// ones it lacks, no more, no fewer.
	cat := defaultCatalog(t)
	tr = newTrailer(t, nil, model.Assessment{Name: "LIMS", Catalog: old})
	tr.must(model.ActAnswer, "answer/AT-01", nil, model.Answer{Control: "AT-01", Status: model.StatusImplemented})
	tr.cat = cat
	tr.refused("dropping an answer the catalog has", "lacks", model.ActCatalog, "catalog", old, model.CatalogMove{Catalog: cat.Ref(), Dropped: []string{"AT-01"}})
	tr.must(model.ActCatalog, "catalog", old, model.CatalogMove{Catalog: cat.Ref()})
}
