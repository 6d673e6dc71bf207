package model_test

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Resolving a review walks the selected services once per distinct list of
// a control's layers, not once per control: the services' shares depend on
// the layers alone, and a catalog has many controls and few such lists.
// (TestSolutionReusedAcrossControls checks each resolution against the
// control resolved alone.)
func TestResolveAllWalksServicesOncePerLayers(t *testing.T) {
	cat := defaultCatalog(t)
	var sels []model.SelectedService
	for _, svc := range cat.Services {
		sels = append(sels, model.SelectedService{ID: svc.ID})
	}
	scope := model.Scope{Impact: model.ImpactDirect, ESignatures: true, MultiTenant: true}
	before := model.SharePasses()
	res := cat.ResolveAll(scope, sels)
	passes := model.SharePasses() - before
	lists := map[string]bool{}
	for _, c := range res.Applicable {
		lists[strings.Join(c.Layers, "\x00")] = true
	}
	if len(res.Applicable) < 2*len(lists) {
		t.Fatalf("%d applicable controls over %d lists of layers: too few to tell", len(res.Applicable), len(lists))
	}
	if passes > int64(len(lists)) {
		t.Errorf("%d passes over the %d services for %d controls with %d lists of layers, want at most %d",
			passes, len(sels), len(res.Applicable), len(lists), len(lists))
	}
}
