package model_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// randomSelection picks n services of the catalog, some with an
// assessment's override of a layer, and one id the catalog does not know.
func randomSelection(cat *model.Catalog, r *rand.Rand, n int) []model.SelectedService {
	owners := []model.Owner{model.OwnerAWS, model.OwnerCustomer, model.OwnerShared}
	var sels []model.SelectedService
	for _, i := range r.Perm(len(cat.Services))[:n] {
		sel := model.SelectedService{ID: cat.Services[i].ID}
		if r.IntN(4) == 0 {
			l := cat.Layers[r.IntN(len(cat.Layers))]
			sel.Overrides = []model.ServiceOverride{{Layer: l.ID, Owner: owners[r.IntN(3)], Justification: "Run by us."}}
		}
		sels = append(sels, sel)
	}
	return append(sels, model.SelectedService{ID: "no-such-service"})
}

// A review resolves every control through one Solution: what one control
// resolves must never leak into the next. Each of its resolutions is what
// resolving that control alone gives, Varies says whether the services'
// shares differ, and Shares and PerService agree.
func TestSolutionReusedAcrossControls(t *testing.T) {
	cat := defaultCatalog(t)
	r := rand.New(rand.NewPCG(16, 1))
	for round := range 12 {
		sels := randomSelection(cat, r, round*3)
		scope := model.Scope{Impact: model.ImpactDirect, ESignatures: round%2 == 0, MultiTenant: round%3 == 0}
		a := &model.Assessment{Scope: scope, Services: sels}
		rev := cat.Review(a, time.Now())
		if want := cat.Applicable(scope, sels); !reflect.DeepEqual(rev.Applicable, want) {
			t.Fatalf("round %d: the review's applicable controls differ from Applicable's", round)
		}
		for _, ctrl := range rev.Applicable {
			alone := cat.Resolve(*ctrl, sels)
			if got := rev.Resolutions[ctrl.ID]; !reflect.DeepEqual(got, alone) {
				t.Fatalf("round %d, %s: in the review %+v, alone %+v", round, ctrl.ID, got, alone)
			}
			per := rev.Solution.PerService(ctrl)
			shares := rev.Solution.Shares(ctrl)
			varies, first := false, model.NotApplicable
			for i, sr := range per {
				if sr.Responsibility != shares[i] || sr.Service != rev.Solution.Known()[i].ID {
					t.Fatalf("%s: PerService %s %s, Shares %s", ctrl.ID, sr.Service, sr.Responsibility, shares[i])
				}
				switch {
				case sr.Responsibility == model.NotApplicable:
				case first == model.NotApplicable:
					first = sr.Responsibility
				case sr.Responsibility != first:
					varies = true
				}
			}
			if varies != alone.Varies {
				t.Fatalf("%s: Varies %t, the shares %v", ctrl.ID, alone.Varies, shares)
			}
		}
	}
}

// Progress remembers the controls that apply for the last scope and
// services: a change to either counts again.
func TestProgressFollowsScopeAndServices(t *testing.T) {
	cat := defaultCatalog(t)
	count := func(a *model.Assessment) (int, int) {
		n := 0
		ctrls := cat.Applicable(a.Scope, a.Services)
		for _, c := range ctrls {
			if a.Answer(c.ID).Status != model.StatusUnanswered {
				n++
			}
		}
		return n, len(ctrls)
	}
	a := &model.Assessment{Scope: direct, Services: model.Select("ec2"), Answers: map[string]model.Answer{}}
	for _, c := range cat.Applicable(a.Scope, a.Services)[:5] {
		a.Answers[c.ID] = model.Answer{Control: c.ID, Status: model.StatusImplemented}
	}
	a.Answers["NOT-A-CONTROL"] = model.Answer{Control: "NOT-A-CONTROL", Status: model.StatusImplemented}
	steps := []func(){
		func() {},
		func() { a.Services = model.Select("ec2", "s3", "lambda") },
		func() { a.Scope.ESignatures = true },
		func() { a.Scope.Frameworks = []string{"21cfr11"} },
		func() {
			a.Services[0].Overrides = []model.ServiceOverride{{Layer: "os", Owner: model.OwnerAWS, Justification: "Managed."}}
		},
		func() { a.Scope.DataCategories = []model.DataCategory{model.DataHealth} },
		func() { a.Scope.InternetFacing = true },
	}
	for i, step := range steps {
		step()
		gotN, gotM := cat.Progress(a)
		if wantN, wantM := count(a); gotN != wantN || gotM != wantM {
			t.Errorf("step %d: Progress %d of %d, want %d of %d", i, gotN, gotM, wantN, wantM)
		}
	}
}

// ProgressAfter counts from the count it is given, looking only at the
// controls whose answers changed: an answered applicable control adds
// one, one answered before and unanswered now takes one away, a control
// that does not apply counts for nothing, and a scope or selection other
// than the last one counted counts again from scratch.
func TestProgressAfterCountsTheChangedControls(t *testing.T) {
	cat := defaultCatalog(t)
	a := &model.Assessment{Scope: direct, Services: model.Select("ec2"), Answers: map[string]model.Answer{}}
	ctrls := cat.Applicable(a.Scope, a.Services)
	first, second := ctrls[0].ID, ctrls[1].ID
	a.Answers[second] = model.Answer{Control: second, Status: model.StatusImplemented}
	if n, _ := cat.Progress(a); n != 1 {
		t.Fatalf("Progress counts %d answered, want 1", n)
	}
	a.Answers[first] = model.Answer{Control: first, Status: model.StatusPartial}
	a.Answers[second] = model.Answer{Control: second, Status: model.StatusUnanswered}
	a.Answers["NOT-A-CONTROL"] = model.Answer{Control: "NOT-A-CONTROL", Status: model.StatusImplemented}
	was := map[string]model.Status{first: model.StatusUnanswered, second: model.StatusImplemented, "NOT-A-CONTROL": model.StatusUnanswered}
	// From 100 (no assessment has that many here): it counts from what it
	// is given.
	if n, m := cat.ProgressAfter(a, 100, was); n != 100 || m != len(ctrls) {
		t.Errorf("ProgressAfter from 100: %d of %d, want 100 of %d", n, m, len(ctrls))
	}
	delete(a.Answers, second)
	was = map[string]model.Status{second: model.StatusUnanswered}
	if n, _ := cat.ProgressAfter(a, 7, was); n != 7 {
		t.Errorf("an unanswered control removed: %d, want 7", n)
	}
	a.Answers[second] = model.Answer{Control: second, Status: model.StatusNotApplicable}
	if n, _ := cat.ProgressAfter(a, 7, was); n != 8 {
		t.Errorf("a control answered: %d, want 8", n)
	}
	a.Services = model.Select("ec2", "s3")
	wantN, wantM := cat.Progress(a)
	cat.Progress(&model.Assessment{Scope: direct, Services: model.Select("ec2")}) // the last one counted is the old selection again
	if n, m := cat.ProgressAfter(a, 100, was); n != wantN || m != wantM {
		t.Errorf("after a change of services: %d of %d, want a full count, %d of %d", n, m, wantN, wantM)
	}
}
