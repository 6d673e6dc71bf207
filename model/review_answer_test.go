package model_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// randomAssessment is an assessment of the default catalog with some of
// everything an answer's part of the review rests on: register entries
// of every owner, some past their review date; supplier records, one of
// them stale, others absent (gaps for the reports nobody recorded);
// answers of every status, linking entries and reports.
func randomAssessment(rng *rand.Rand, cat *model.Catalog) *model.Assessment {
	var ids []string
	for _, s := range cat.Services {
		if rng.IntN(4) == 0 {
			ids = append(ids, s.ID)
		}
	}
	a := &model.Assessment{
		Scope:    model.Scope{Impact: model.ImpactDirect, ESignatures: rng.IntN(2) == 0, OpenSystem: rng.IntN(2) == 0},
		Services: model.Select(ids...),
		Answers:  map[string]model.Answer{},
	}
	owners := []model.Supplier{model.SupplierCustomer, model.SupplierAWS, model.SupplierThirdParty}
	for i := range 1 + rng.IntN(6) {
		e := model.EvidenceEntry{ID: fmt.Sprintf("E%d", i+1), Title: fmt.Sprintf("Document %d", i+1), Owner: owners[rng.IntN(len(owners))]}
		if rng.IntN(3) == 0 {
			e.ValidUntil = "2026-06-30" // past, on the review's date
		}
		a.Register = append(a.Register, e)
		a.RegisterIssued++
	}
	a.Supplier = []model.SupplierRecord{
		{Source: "soc2", Obtained: "2025-11-20", PeriodStart: "2025-04-01", PeriodEnd: "2025-09-30", Status: model.SupplierAccepted}, // superseded
	}
	if rng.IntN(2) == 0 {
		a.Supplier = append(a.Supplier, model.SupplierRecord{Source: "soc1", Obtained: "2026-11-01", PeriodStart: "2025-10-01", PeriodEnd: "2026-09-30", Status: model.SupplierAccepted})
	}
	return a
}

// randomAnswer is an answer to a control (applicable or not), of any
// status, linking entries of the register or supplier records.
func randomAnswer(rng *rand.Rand, a *model.Assessment, controls []*model.Control) model.Answer {
	c := controls[rng.IntN(len(controls))]
	statuses := append([]model.Status{model.StatusUnanswered}, model.Statuses...)
	ans := model.Answer{Control: c.ID, Status: statuses[rng.IntN(len(statuses))]}
	if ans.Status == model.StatusNotApplicable {
		ans.Justification = "not used"
	}
	var entries []string
	for _, e := range a.Register {
		entries = append(entries, e.ID)
	}
	entries = append(entries, model.SupplierEntryID("soc2"), model.SupplierEntryID("soc1"), model.SupplierEntryID("iso27001"))
	rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	for _, e := range entries[:rng.IntN(4)] {
		ans.Links = append(ans.Links, model.EvidenceLink{Entry: e, Note: fmt.Sprintf("section %d", rng.IntN(9))})
	}
	return ans
}

// The review kept up to date per answer is the review made afresh: for
// random assessments and random sequences of answers (to controls that
// apply and to some that do not; every status; links added, changed and
// taken away), every field of WithAnswer's review equals
// ReviewResolved's of the assessment with the answer given, and the
// review it started from is left as it was.
func TestWithAnswerMatchesAFullReview(t *testing.T) {
	cat := defaultCatalog(t)
	now := dateOf("2026-11-20")
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 16))
		a := randomAssessment(rng, cat)
		res := cat.ResolveAll(a.Scope, a.Services)
		if len(res.Applicable) == 0 {
			continue
		}
		// Mostly applicable controls, a few that are not.
		controls := slices.Clone(res.Applicable)
		for range 3 {
			controls = append(controls, &cat.Controls[rng.IntN(len(cat.Controls))])
		}
		r := cat.ReviewResolved(res, a, now)
		for step := range 60 {
			ans := randomAnswer(rng, a, controls)
			before := cat.ReviewResolved(res, a, now)
			got, ok := r.WithAnswer(ans)
			if !ok {
				t.Fatalf("seed %d step %d: WithAnswer refused an answer without free text", seed, step)
			}
			if !reflect.DeepEqual(r, before) {
				t.Fatalf("seed %d step %d: WithAnswer changed the review it started from", seed, step)
			}
			a.Answers[ans.Control] = ans
			want := cat.ReviewResolved(res, a, now)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d step %d: answering %+v:\n%s", seed, step, ans, reviewDiff(got, want))
			}
			r = got
		}
	}
}

// reviewDiff names the fields of two reviews that differ.
func reviewDiff(got, want model.Review) string {
	out := ""
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		f := gv.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			g, w := fmt.Sprintf("%+v", gv.Field(i).Interface()), fmt.Sprintf("%+v", wv.Field(i).Interface())
			at := 0 // where they part, with some context
			for at < min(len(g), len(w)) && g[at] == w[at] {
				at++
			}
			from := max(0, at-150)
			out += fmt.Sprintf("%s, from byte %d:\n  got  %.400s\n  want %.400s\n", f.Name, from, g[from:], w[from:])
		}
	}
	if out == "" {
		out = "(the unexported basis differs)"
	}
	return out
}

// Free-text evidence is filed into the register across every answer, so
// an answer is not taken per answer where there is any: the caller makes
// the review afresh.
func TestWithAnswerRefusesFreeText(t *testing.T) {
	cat := defaultCatalog(t)
	now := dateOf("2026-11-20")
	a := &model.Assessment{Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("ec2"), Answers: map[string]model.Answer{}}
	r := cat.Review(a, now)
	id := r.Applicable[0].ID
	if _, ok := r.WithAnswer(model.Answer{Control: id, Status: model.StatusImplemented, Evidence: []model.EvidenceRef{freeText("SOP", "SOP-1")}}); ok {
		t.Error("an answer with free-text evidence was taken per answer")
	}
	a.Answers[id] = model.Answer{Control: id, Status: model.StatusImplemented, Evidence: []model.EvidenceRef{freeText("SOP", "SOP-1")}}
	if _, ok := cat.Review(a, now).WithAnswer(model.Answer{Control: r.Applicable[1].ID, Status: model.StatusPartial}); ok {
		t.Error("an answer was taken per answer in an assessment with free-text evidence")
	}
	if _, ok := (model.Review{}).WithAnswer(model.Answer{Control: id}); ok {
		t.Error("a review not made by ReviewResolved was changed per answer")
	}
}

// GapsOf is a control's own gaps, as the review lists them.
func TestGapsOf(t *testing.T) {
	cat := defaultCatalog(t)
	rng := rand.New(rand.NewPCG(7, 16))
	a := randomAssessment(rng, cat)
	res := cat.ResolveAll(a.Scope, a.Services)
	for range 40 {
		ans := randomAnswer(rng, a, res.Applicable)
		a.Answers[ans.Control] = ans
	}
	r := cat.ReviewResolved(res, a, dateOf("2026-11-20"))
	for _, c := range r.Applicable {
		var want []model.Gap
		for _, g := range r.Gaps {
			if g.Control == c.ID && g.Kind != model.GapNoRecordInventory {
				want = append(want, g)
			}
		}
		if got := r.GapsOf(c.ID); !slices.Equal(got, want) {
			t.Fatalf("%s: GapsOf %v, want %v", c.ID, got, want)
		}
	}
}

// SameButAnswer tells a save of one answer from a save that brought
// anything else with it.
func TestSameButAnswer(t *testing.T) {
	at := dateOf("2026-11-20")
	before := &model.Assessment{Name: "A", Answers: map[string]model.Answer{
		"GOV-01": {Control: "GOV-01", Status: model.StatusImplemented, UpdatedAt: at},
		"GOV-02": {Control: "GOV-02", Status: model.StatusPartial, UpdatedAt: at},
	}}
	change := func(f func(a *model.Assessment)) *model.Assessment {
		a := before.Clone()
		a.UpdatedAt = at.Add(time.Hour)
		f(&a)
		return &a
	}
	for _, c := range []struct {
		name string
		a    *model.Assessment
		want bool
	}{
		{"the answer changed", change(func(a *model.Assessment) {
			a.Answers["GOV-01"] = model.Answer{Control: "GOV-01", Status: model.StatusPlanned, UpdatedAt: at.Add(time.Hour)}
		}), true},
		{"the answer given for the first time", change(func(a *model.Assessment) {
			a.Answers["GOV-03"] = model.Answer{Control: "GOV-03", Status: model.StatusPlanned}
		}), false}, // GOV-03 is not the control asked about below
		{"another answer changed too", change(func(a *model.Assessment) {
			a.Answers["GOV-01"] = model.Answer{Control: "GOV-01", Status: model.StatusPlanned}
			a.Answers["GOV-02"] = model.Answer{Control: "GOV-02", Status: model.StatusPlanned, UpdatedAt: at}
		}), false},
		{"another answer gone", change(func(a *model.Assessment) { delete(a.Answers, "GOV-02") }), false},
		{"another answer's link", change(func(a *model.Assessment) {
			ans := a.Answers["GOV-02"]
			ans.Links = []model.EvidenceLink{{Entry: "E1"}}
			a.Answers["GOV-02"] = ans
		}), false},
		{"the register", change(func(a *model.Assessment) { a.Register = []model.EvidenceEntry{{ID: "E1", Title: "SOP"}} }), false},
		{"the name", change(func(a *model.Assessment) { a.Name = "B" }), false},
	} {
		if got := model.SameButAnswer(before, c.a, "GOV-01"); got != c.want {
			t.Errorf("%s: SameButAnswer %v, want %v", c.name, got, c.want)
		}
	}
}
