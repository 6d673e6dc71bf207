package model_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

func frameworkIDs(fws []model.Framework) []string {
	out := make([]string, len(fws))
	for i, f := range fws {
		out[i] = f.ID
	}
	return out
}

// M5, E11: the July 2025 drafts are a second, versioned edition that an
// assessment chooses, and the assessment names the edition it uses.
func TestEditions(t *testing.T) {
	cat := defaultCatalog(t)

	all := cat.EditionsInEffect(model.Scope{})
	if got, want := frameworkIDs(all), []string{"21cfr11", "annex11", "gamp5"}; !slices.Equal(got, want) {
		t.Errorf("with no framework chosen, editions in effect are %v, want %v (drafts only by choice)", got, want)
	}
	draft := model.Scope{Frameworks: []string{"annex11-2025d", "annex22-2025d"}}
	inEffect := cat.EditionsInEffect(draft)
	if got := frameworkIDs(inEffect); !slices.Equal(got, []string{"annex11-2025d", "annex22-2025d"}) {
		t.Fatalf("chosen drafts: in effect %v", got)
	}
	for _, f := range inEffect {
		if !strings.Contains(f.Title(), "draft") || !strings.Contains(f.Title(), "2025") {
			t.Errorf("%s is named %q, which does not say which edition", f.ID, f.Title())
		}
	}
	a2011, _ := cat.Framework("annex11")
	if a2011.Title() != "EU GMP Annex 11 (Computerised Systems) (2011)" {
		t.Errorf("Annex 11 2011 is named %q", a2011.Title())
	}
	if !cat.InEffect(model.Scope{}, "annex11") || cat.InEffect(model.Scope{Frameworks: []string{"gamp5"}}, "annex11") {
		t.Error("InEffect does not follow the chosen frameworks")
	}

	if err := cat.CheckFrameworks([]string{"annex11", "annex11-2025d"}); err == nil || !strings.Contains(err.Error(), "editions of the same framework") {
		t.Errorf("two editions of Annex 11 at once: got %v", err)
	}
	if err := cat.CheckFrameworks([]string{"21cfr11", "annex11-2025d", "annex22-2025d"}); err != nil {
		t.Errorf("Part 11 with the drafts: %v", err)
	}
	if err := cat.CheckFrameworks([]string{"annex12"}); err == nil {
		t.Error("an unknown framework was accepted")
	}

	// LC-13 cites draft Annex 22; the draft Annex 11 is mapped at chapter
	// level for every control that cites Annex 11 (2011), except business
	// continuity, which the draft's chapter list has no chapter for.
	if !slices.ContainsFunc(controlByID(t, cat, "LC-13").Refs, func(r model.Ref) bool { return r.Framework == "annex22-2025d" }) {
		t.Error("LC-13 does not cite draft Annex 22")
	}
	for _, c := range cat.Controls {
		old := slices.ContainsFunc(c.Refs, func(r model.Ref) bool { return r.Framework == "annex11" })
		draft := slices.ContainsFunc(c.Refs, func(r model.Ref) bool { return r.Framework == "annex11-2025d" })
		if old && !draft && c.ID != "OPS-04" && c.ID != "OPS-05" {
			t.Errorf("%s cites Annex 11 (2011) but not the July 2025 draft", c.ID)
		}
	}
	// Choosing the draft edition gives an assessment the controls mapped to it.
	sels := model.Select("ec2", "sagemaker")
	scope := model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"annex11-2025d", "annex22-2025d"}}
	if !appliesIn(cat, scope, sels, "LC-13") || !appliesIn(cat, scope, sels, "AC-01") || !appliesIn(cat, scope, sels, "OPS-08") {
		t.Error("controls mapped to the drafts do not apply when the drafts are chosen")
	}
}

// The scope screen ticks editions a family at a time: none, then each
// edition in turn, then none again; never two editions of one family.
func TestCycleEdition(t *testing.T) {
	cat := defaultCatalog(t)
	var fams []string
	for _, f := range cat.Families() {
		fams = append(fams, f.ID)
	}
	if !slices.Equal(fams, []string{"21cfr11", "annex11", "annex22", "gamp5"}) {
		t.Fatalf("families %v", fams)
	}
	chosen := []string{"21cfr11"}
	var seen [][]string
	for range 3 {
		chosen = cat.CycleEdition(chosen, "annex11")
		seen = append(seen, chosen)
		if err := cat.CheckFrameworks(chosen); err != nil {
			t.Fatal(err)
		}
	}
	want := [][]string{{"21cfr11", "annex11"}, {"21cfr11", "annex11-2025d"}, {"21cfr11"}}
	if !slices.EqualFunc(seen, want, slices.Equal) {
		t.Errorf("annex11 cycles through %v, want %v", seen, want)
	}
	if got := cat.CycleEdition([]string{"gamp5"}, "gamp5"); len(got) != 0 {
		t.Errorf("a one-edition family ticked again: %v", got)
	}
	// A choice that has two editions of a family (from an older onus)
	// comes out with one.
	if got := cat.CycleEdition([]string{"annex11", "annex11-2025d"}, "annex11"); !slices.Equal(got, []string{"annex11-2025d"}) {
		t.Errorf("two editions cycled to %v", got)
	}
}
