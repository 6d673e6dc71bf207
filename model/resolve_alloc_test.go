package model_test

import (
	"runtime"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Opening an assessment resolves every applicable control, and in a fresh
// process each byte it allocates is a page touched for the first time. So
// the resolution shares the catalog's controls instead of copying them
// (about 540 bytes each) and writes a control's reason only when it is
// read. With the default catalog and eleven services, that is about 600
// bytes a control, against 1,560 with copies and reasons written at once.
func TestResolveAllAllocatesLittleAControl(t *testing.T) {
	cat := defaultCatalog(t)
	var ids []string
	for i := range 11 {
		ids = append(ids, cat.Services[i*len(cat.Services)/11].ID)
	}
	scope := model.Scope{Impact: model.ImpactDirect, ESignatures: true, OpenSystem: true, MultiTenant: true}
	sels := model.Select(ids...)
	n := len(cat.ResolveAll(scope, sels).Applicable)
	const runs = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		cat.ResolveAll(scope, sels)
	}
	runtime.ReadMemStats(&after)
	perControl := float64(after.TotalAlloc-before.TotalAlloc) / runs / float64(n)
	if perControl > 800 {
		t.Errorf("ResolveAll allocates %.0f bytes a control (%d applicable), want at most 800", perControl, n)
	}
	t.Logf("%.0f bytes a control, %d applicable", perControl, n)
}
