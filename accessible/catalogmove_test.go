package accessible

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// harnessOn is a harness on a copy of a database file.
func harnessOn(t *testing.T, fixture string) *harness {
	t.Helper()
	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "onus.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, store.Options{Actor: "Ana Ruiz", Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &harness{t: t, db: db, dir: dir, cat: cat}
}

// An assessment made with the catalog before the November review (the
// fixture of release 3) is offered the move on opening, as in the
// wizard: what the move changes is read out, every control listed; no
// leaves it on its catalog and asks again at the next open; yes moves
// it, recorded in its trail with both answers kept. The final one is
// read out the same, and told it stays.
func TestCatalogMoveOffered(t *testing.T) {
	h := harnessOn(t, filepath.Join("..", "store", "testdata", "release3", "onus.db"))
	list, err := h.db.List(false)
	if err != nil {
		t.Fatal(err)
	}
	draft := slices.IndexFunc(list, func(s model.Summary) bool { return s.Name == "LIMS next round" })
	final := slices.IndexFunc(list, func(s model.Summary) bool { return s.Workflow == model.WorkflowFinal })
	if draft < 0 || final < 0 {
		t.Fatalf("the fixture lacks its draft or its final assessment: %+v", list)
	}
	id := list[draft].ID
	before, err := h.db.History(id)
	if err != nil {
		t.Fatal(err)
	}

	open := strconv.Itoa(draft + 1)
	back := "9" // back to the list of assessments
	out := h.run(open, "n", back, open, "y", back, "q")
	for _, want := range []string{
		"Another catalog. This assessment is shown with the catalog in effect, " + h.cat.Version,
		"made with catalog 2026.11.0",
		"controls that come to apply:", "REC-13", "new in this catalog",
		"controls whose owner changes:", "LC-10",
		"answers kept: 2; dropped: 0",
		"Move it to catalog " + h.cat.Version + " now?",
		"Saved: moved to catalog " + h.cat.Version + ".",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the session lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Move it to catalog"); n != 2 {
		t.Errorf("the move was offered %d times, want twice (no, then yes at the next open):\n%s", n, out)
	}
	a, err := h.db.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	trail, err := h.db.History(id)
	if err != nil {
		t.Fatal(err)
	}
	last := trail[len(trail)-1]
	if !h.cat.Is(a.Catalog) || len(a.Answers) != 2 || len(trail) != len(before)+1 || last.Action != model.ActCatalog {
		t.Errorf("after yes: catalog %+v, %d answers, %d entries (were %d), last %+v", a.Catalog, len(a.Answers), len(trail), len(before), last)
	}

	// Opened again, the moved one is not offered it; the final one is
	// told it stays, and nothing is recorded for it.
	finalID := list[final].ID
	finalBefore, _ := h.db.History(finalID)
	out = h.run(open, back, strconv.Itoa(final+1), back, "q")
	if strings.Count(out, "Another catalog.") != 1 || !strings.Contains(out, "It stays on catalog 2026.11.0: it is read-only. It is final") ||
		strings.Contains(out, "Move it to catalog") {
		t.Errorf("the moved and the final assessment opened:\n%s", out)
	}
	if after, _ := h.db.History(finalID); len(after) != len(finalBefore) {
		t.Errorf("opening the final assessment recorded %d entries", len(after)-len(finalBefore))
	}
}

// After an upgrade whose catalog changed, the list read the earlier
// catalog's progress, and the assessment, opened, another: the session
// has the store count it again before it reads out the list.
func TestListCountedAgainAfterACatalogChange(t *testing.T) {
	earlier, ok := assets.EarlierFor(model.CatalogRef{Version: "2026.11.0"})
	if !ok {
		t.Fatal("the embedded earlier catalog 2026.11.0 is missing")
	}
	path := filepath.Join(t.TempDir(), "onus.db")
	db, err := store.Open(path, store.Options{Actor: "Ana Ruiz", Catalog: func() *model.Catalog { return earlier }})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Create(model.Assessment{Name: "LIMS", Catalog: model.CatalogRef{Version: earlier.Version, Hash: earlier.Hash}})
	if err == nil {
		_, err = db.SelectServices(a.ID, []string{"ec2", "rds", "s3"})
	}
	if err == nil {
		a, err = db.Answer(a.ID, model.Answer{Control: "GOV-01", Status: model.StatusImplemented}, "")
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	h := harnessOn(t, path)
	n, m := earlier.Progress(&a)
	was := fmt.Sprintf("LIMS, draft, %d of %d questions answered", n, m)
	n, m = h.cat.Progress(&a)
	want := fmt.Sprintf("LIMS, draft, %d of %d questions answered", n, m)
	if was == want {
		t.Fatalf("both catalogs count %q: the test proves nothing", want)
	}
	if out := h.run("q"); !strings.Contains(out, want) || strings.Contains(out, was) {
		t.Errorf("the list: want %q, not %q:\n%s", want, was, out)
	}
}
