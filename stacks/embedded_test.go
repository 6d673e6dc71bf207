package stacks

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// The embedded catalog draws within every width too, and puts the line of
// EC2, RDS, S3 and VPC where the catalog says: RDS shares the engine layer,
// S3 the network, and a VPC has no platform or OS. Skipped while the
// catalog is empty.
func TestEmbeddedCatalog(t *testing.T) {
	data := assets.Catalog()
	if len(strings.TrimSpace(string(data))) == 0 {
		t.Skip("the embedded catalog is not written yet")
	}
	cat, err := model.ParseCatalog(data, assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]int{"ec2": 10, "rds": 9, "s3": 8, "vpc": 8} {
		st, err := cat.ServiceStack(model.SelectedService{ID: id})
		if err != nil {
			t.Fatal(err)
		}
		if got := layersAboveRule(t, Service(st, Options{Width: 100, Theme: Plain()})); got != want || st.Line != want {
			t.Errorf("%s: %d layers drawn above the line (engine %d), want %d", id, got, st.Line, want)
		}
	}
	var sels []model.SelectedService
	for _, s := range cat.Services {
		sels = append(sels, model.SelectedService{ID: s.ID})
	}
	sts := stacksOf(t, cat, sels...)
	sol := cat.SolutionStack(sels)
	for w := 20; w <= 300; w += 7 {
		o := Options{Width: w, Theme: Colour(true), Legend: true, Notes: true}
		outs := []string{Solution(cat, sol, o), Notes(sts, o)}
		for off := 0; off < len(sts); {
			o.Offset = off
			s, shown := SideBySide(sts, o)
			outs = append(outs, s)
			off += shown
		}
		for _, out := range outs {
			for _, l := range strings.Split(out, "\n") {
				if ansi.StringWidth(l) > w {
					t.Fatalf("width %d: line of %d cells: %q", w, ansi.StringWidth(l), ansi.Strip(l))
				}
			}
		}
	}
}
