package report

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// Every report names the framework editions the assessment answers to
// (review finding M5, E11): the July 2025 drafts only when chosen.
func TestReportsNameTheEdition(t *testing.T) {
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	render := func(frameworks ...string) string {
		a := model.Assessment{ID: "ed", Name: "Editions", CreatedAt: t0, UpdatedAt: t0,
			Scope:    model.Scope{Impact: model.ImpactDirect, Frameworks: frameworks},
			Services: model.Select("ec2"), Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}}
		out, err := Render("md", Input{Catalog: cat, Assessment: a, Trail: trailFor(a)})
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "Frameworks") {
				return line
			}
		}
		t.Fatal("no Frameworks line in the report")
		return ""
	}
	if got := render(); !strings.Contains(got, "Annex 11 (Computerised Systems) (2011)") || strings.Contains(got, "draft") {
		t.Errorf("no framework chosen: %q, want the editions in force and no draft", got)
	}
	got := render("annex11-2025d", "annex22-2025d")
	if !strings.Contains(got, "Annex 11 (Computerised Systems) (draft for consultation, July 2025)") ||
		!strings.Contains(got, "Annex 22 (Artificial Intelligence) (draft for consultation, July 2025)") || strings.Contains(got, "(2011)") {
		t.Errorf("drafts chosen: %q", got)
	}
}
