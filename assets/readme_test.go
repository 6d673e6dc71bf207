package assets_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// README's claims about the default catalog are counted, not guessed: the
// numbers of layers, services, controls, evidence sources and clauses it
// states must be the catalog's.
func TestREADMECountsAreTheCatalogs(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := strings.Join(strings.Fields(string(b)), " ")
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	fw := func(id string) int { f, _ := cat.Framework(id); return len(f.Clauses) }
	checked, procedural := 0, 0
	for _, c := range cat.Controls {
		if c.Procedural {
			procedural++
		} else if !c.Checks.IsZero() {
			checked++
		}
	}
	for _, want := range []string{
		fmt.Sprintf("has %d layers, %d AWS services across the three models, %d controls and %d evidence sources",
			len(cat.Layers), len(cat.Services), len(cat.Controls), len(cat.Evidence)),
		fmt.Sprintf("and 11.300(a) to (e): %d clauses", fw("21cfr11")),
		fmt.Sprintf("and 14(a)–(c): %d clauses", fw("annex11")),
		fmt.Sprintf("Prowler checks, by their public identifiers: %d controls)", checked),
		fmt.Sprintf("by documents and tests alone (%d controls)", procedural),
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README does not say %q", want)
		}
	}
	if regexp.MustCompile(`(?i)every section of 21 CFR Part 11`).MatchString(readme) {
		t.Error("README claims every section of 21 CFR Part 11 is mapped; Subpart A's definitions are not")
	}
}
