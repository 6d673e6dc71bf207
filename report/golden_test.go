package report

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestGolden renders the fixture in every format against
// testdata/TestGolden/report<ext>.golden; go test ./report/ -update
// rewrites them.
func TestGolden(t *testing.T) {
	in := fixtureInput(t)
	for _, f := range Formats {
		t.Run("report"+f.Ext, func(t *testing.T) {
			out, err := Render(f.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestDeterministic renders each format twice, from separately built
// inputs, and wants the same bytes.
func TestDeterministic(t *testing.T) {
	for _, f := range Formats {
		a, err := Render(f.ID, fixtureInput(t))
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			b, err := Render(f.ID, fixtureInput(t))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatalf("%s: two renders of the same input differ", f.ID)
			}
		}
	}
}
