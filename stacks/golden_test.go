package stacks

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/onus-gxp/onus/model"
)

// themes are the two renderings every golden is kept in. Colour(true)
// always emits ANSI: Lip Gloss v2 styles render full colour and leave
// downsampling to the writer.
var themes = []struct {
	name  string
	theme func() Theme
}{
	{"plain", Plain},
	{"colour", func() Theme { return Colour(true) }},
}

var goldenWidths = []int{80, 140}

// Regenerate with: go test ./stacks/ -run Golden -update
func TestGoldenService(t *testing.T) {
	cat := fixture()
	for _, id := range []string{"ec2", "rds", "s3"} {
		st := stacksOf(t, cat, model.SelectedService{ID: id})[0]
		for _, w := range goldenWidths {
			for _, th := range themes {
				t.Run(fmt.Sprintf("%s/%d/%s", id, w, th.name), func(t *testing.T) {
					golden.RequireEqual(t, Service(st, Options{Width: w, Theme: th.theme(), Notes: true}))
				})
			}
		}
	}
}

func TestGoldenSideBySide(t *testing.T) {
	cat := fixture()
	sts := stacksOf(t, cat, model.Select("ec2", "rds", "s3")...)
	for _, w := range goldenWidths {
		for _, th := range themes {
			t.Run(fmt.Sprintf("%d/%s", w, th.name), func(t *testing.T) {
				out, shown := SideBySide(sts, Options{Width: w, Theme: th.theme(), Legend: true, Notes: true})
				if shown != 3 {
					t.Errorf("shown %d of 3 at %d columns", shown, w)
				}
				golden.RequireEqual(t, out)
			})
		}
	}
}

// The five services page at 80 columns and fit at 140; the overrides of
// EKS and Lambda show their marks and notes.
func TestGoldenSideBySidePaged(t *testing.T) {
	cat := fixture()
	sts := stacksOf(t, cat, model.Select("ec2", "rds", "s3", "eks", "lambda")...)
	for _, w := range goldenWidths {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			var all string
			for off := 0; off < len(sts); {
				out, shown := SideBySide(sts, Options{Width: w, Offset: off, Theme: Plain(), Notes: true})
				all += out + "\n\n"
				off += shown
			}
			golden.RequireEqual(t, all)
		})
	}
}

func TestGoldenSolution(t *testing.T) {
	cat := fixture()
	sol := cat.SolutionStack(model.Select("ec2", "rds", "s3", "eks", "lambda"))
	for _, w := range goldenWidths {
		for _, th := range themes {
			t.Run(fmt.Sprintf("%d/%s", w, th.name), func(t *testing.T) {
				golden.RequireEqual(t, Solution(cat, sol, Options{Width: w, Theme: th.theme()}))
			})
		}
	}
}

func TestGoldenControlLayers(t *testing.T) {
	cat := fixture()
	ctrl := model.Control{ID: "SEC-01", Layers: []string{"iam", "network", "os"}}
	res := cat.PerService(ctrl, model.Select("ec2", "rds", "s3", "eks"))
	for _, th := range themes {
		t.Run(th.name, func(t *testing.T) {
			out, shown := ControlLayers(cat, res, Options{Width: 80, Theme: th.theme(), Notes: true})
			if shown != 3 {
				t.Errorf("shown %d, want 3 at 80 columns", shown)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// Below MinDrawingWidth the compact table replaces the drawings.
func TestGoldenCompact(t *testing.T) {
	cat := fixture()
	sels := model.Select("ec2", "eks")
	sts := stacksOf(t, cat, sels...)
	out, shown := SideBySide(sts, Options{Width: 30, Theme: Plain(), Legend: true, Notes: true})
	if shown != 2 {
		t.Errorf("compact form shows %d of 2 services", shown)
	}
	out += "\n\n" + Solution(cat, cat.SolutionStack(sels), Options{Width: 30, Theme: Plain()})
	golden.RequireEqual(t, out)
}
