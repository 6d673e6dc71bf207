package model_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// The default catalog must cover what the product promises.
func TestDefaultCatalogCoverage(t *testing.T) {
	cat := defaultCatalog(t)
	if n := len(cat.Services); n < 60 {
		t.Errorf("%d services, want at least 60", n)
	}
	perModel := map[model.ServiceModel]int{}
	for _, s := range cat.Services {
		perModel[s.Model]++
	}
	for _, m := range model.ServiceModels {
		if perModel[m] == 0 {
			t.Errorf("no %s service", m)
		}
	}
	if n := len(cat.Controls); n < 50 {
		t.Errorf("%d controls, want at least 50", n)
	}
	cited := map[model.Ref]bool{}
	for _, c := range cat.Controls {
		for _, r := range c.Refs {
			cited[r] = true
		}
	}
	var want []model.Ref
	for _, s := range []string{"11.1(a)", "11.1(b)", "11.1(e)", "11.10(a)", "11.10(b)", "11.10(c)", "11.10(d)", "11.10(e)", "11.10(f)", "11.10(g)", "11.10(h)", "11.10(i)", "11.10(j)",
		"11.10(k)(1)", "11.10(k)(2)", "11.30", "11.50", "11.70", "11.100", "11.200(a)(1)(i)", "11.200(a)(1)(ii)", "11.200(a)(2)", "11.200(a)(3)", "11.200(b)",
		"11.300(a)", "11.300(b)", "11.300(c)", "11.300(d)", "11.300(e)"} {
		want = append(want, model.Ref{Framework: "21cfr11", Clause: s})
	}
	for _, r := range want {
		if !cited[r] {
			t.Errorf("no control cites %s", r)
		}
	}
	// Every chapter of Annex 11 (2011), through its sections where it has them.
	for i := 1; i <= 17; i++ {
		ch := fmt.Sprint(i)
		if !slices.ContainsFunc(slices.Collect(maps.Keys(cited)), func(r model.Ref) bool {
			return r.Framework == "annex11" && (r.Clause == ch || strings.HasPrefix(r.Clause, ch+".") || strings.HasPrefix(r.Clause, ch+"("))
		}) {
			t.Errorf("no control cites Annex 11 chapter %s", ch)
		}
	}
	// And every clause any framework lists is cited by some control.
	for _, f := range cat.Frameworks {
		for _, cl := range f.Clauses {
			if !cited[model.Ref{Framework: f.ID, Clause: cl.ID}] {
				t.Errorf("%s %s (%s) is listed but no control cites it", f.ID, cl.ID, cl.Title)
			}
		}
	}
	gamp := false
	for r := range cited {
		gamp = gamp || r.Framework == "gamp5"
	}
	if !gamp {
		t.Error("no control cites GAMP 5")
	}
}

// The JSON dump is itself a catalog: loading it gives the same catalog.
func TestDumpLoadsBack(t *testing.T) {
	cat := defaultCatalog(t)
	b, err := json.MarshalIndent(cat, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	back, err := model.ParseCatalog(b, "dump.json")
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash != cat.Hash {
		t.Errorf("hash changed through dump: %s vs %s", back.Hash, cat.Hash)
	}
	if !reflect.DeepEqual(back.Controls, cat.Controls) || !reflect.DeepEqual(back.Services, cat.Services) || !reflect.DeepEqual(back.Layers, cat.Layers) {
		t.Error("dump does not load back to the same catalog")
	}
}
