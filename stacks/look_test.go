package stacks

import (
	"fmt"
	"os"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// TestLook prints every view for a person to look at; it is skipped unless
// LOOK is set to a width: LOOK=80 COLOUR=1 go test ./stacks/ -run Look -v
func TestLook(t *testing.T) {
	if os.Getenv("LOOK") == "" {
		t.Skip()
	}
	w := 80
	fmt.Sscan(os.Getenv("LOOK"), &w)
	th := Plain()
	if os.Getenv("COLOUR") != "" {
		th = Colour(true)
	}
	cat := fixture()
	sels := model.Select("ec2", "rds", "s3", "eks", "lambda")
	sts := stacksOf(t, cat, sels...)
	o := Options{Width: w, Theme: th, Legend: true, Notes: true}
	fmt.Println(Service(sts[0], Options{Width: w, Theme: th}))
	fmt.Println()
	s, n := SideBySide(sts, o)
	fmt.Println(s)
	fmt.Println(n)
	fmt.Println()
	fmt.Println(Solution(cat, cat.SolutionStack(sels), Options{Width: w, Theme: th}))
	fmt.Println()
	ctrl := model.Control{ID: "X", Layers: []string{"data", "os", "network"}}
	cs, _ := ControlLayers(cat, cat.PerService(ctrl, sels), Options{Width: w, Theme: th, Notes: true})
	fmt.Println(cs)
}

func TestLookHostile(t *testing.T) {
	if os.Getenv("LOOK") == "" {
		t.Skip()
	}
	w := 80
	fmt.Sscan(os.Getenv("LOOK"), &w)
	for _, r := range renders(t, hostile()) {
		fmt.Println("=====", r.name)
		fmt.Println(r.fn(Options{Width: w, Theme: Plain(), Legend: true, Notes: true}))
	}
}
