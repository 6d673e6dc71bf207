package tui

import (
	"errors"
	"strings"
	"testing"
)

// A catalog file is read beside the first screen: keys pressed before it
// is ready wait for it, and act once it is (catalogload.go).
func TestKeysWaitForTheCatalogBeingRead(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.m.cfg.CatalogLoaded = func() error { return nil }
	h.m.awaitCatalog() // its command, which waits for the catalog, not run yet
	if !strings.Contains(h.view(), "working…") {
		t.Fatalf("no sign of the catalog being read:\n%s", h.view())
	}
	h.press("n")
	h.typeText("LIMS")
	h.press("enter")
	if h.m.a != nil || strings.Contains(h.view(), "New assessment") {
		t.Fatalf("keys acted before the catalog was ready:\n%s", h.view())
	}
	h.send(catalogLoadedMsg{})
	if h.m.a == nil || h.m.a.Name != "LIMS" {
		t.Fatalf("the keys that waited were not acted on once it was ready: %v\n%s", h.m.a, h.view())
	}
}

// A catalog file that turns out invalid stops the wizard with its
// problems before any key that waited for it acts: nothing is saved.
func TestInvalidCatalogBeingReadStopsTheWizard(t *testing.T) {
	h := newHarness(t, 100, 30)
	bad := errors.New("big.json: 1 problem")
	h.m.cfg.CatalogLoaded = func() error { return bad }
	h.m.awaitCatalog()
	h.press("n")
	h.typeText("LIMS")
	h.press("enter")
	h.send(catalogLoadedMsg{bad})
	if !h.quit || h.m.CatalogFailed() != bad {
		t.Fatalf("quit %v, CatalogFailed %v", h.quit, h.m.CatalogFailed())
	}
	if list, err := h.db.List(false); err != nil || len(list) != 0 {
		t.Fatalf("saved with an invalid catalog: %v %v", list, err)
	}
	if h.m.dialog() != nil {
		t.Fatalf("a key that waited acted: %s", h.view())
	}
}
