package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// After an upgrade whose catalog changed, the home list's progress was
// the earlier catalog's (2 of 59) while the assessment, opened, said 2
// of 86. Once the file is checked, the wizard has the store count it
// again and shows the list as the catalog in effect counts it.
func TestListCountedAgainAfterACatalogChange(t *testing.T) {
	earlier, ok := assets.EarlierFor(model.CatalogRef{Version: "2026.11.0"})
	if !ok {
		t.Fatal("the embedded earlier catalog 2026.11.0 is missing")
	}
	now := testCatalog(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "onus.db")
	tick := 0
	clock := func() time.Time { tick++; return testNow.Add(time.Duration(tick) * time.Second) }
	open := func(cat *model.Catalog) *store.DB { // as the wizard opens it
		db, err := store.Open(path, store.Options{Actor: "tester", Now: clock, Catalog: func() *model.Catalog { return cat },
			BackgroundCheck: true, CheckAsRead: true})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open(earlier)
	a, err := db.Create(model.Assessment{Name: "LIMS", Catalog: model.CatalogRef{Version: earlier.Version, Hash: earlier.Hash}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SelectServices(a.ID, []string{"ec2", "rds", "s3"}); err != nil {
		t.Fatal(err)
	}
	if a, err = db.Answer(a.ID, model.Answer{Control: "GOV-01", Status: model.StatusImplemented}, ""); err != nil {
		t.Fatal(err)
	}
	n, m := earlier.Progress(&a)
	was := fmt.Sprintf("%d/%d ", n, m)
	db.Close()

	db = open(now)
	t.Cleanup(func() { db.Close() })
	answered, applicable := now.Progress(&a)
	want := fmt.Sprintf("%d/%d ", answered, applicable)
	if want == was {
		t.Fatalf("both catalogs count %s: the test proves nothing", want)
	}
	h := &harness{t: t, db: db, dir: dir, writes: map[string][]byte{}}
	h.m = New(Config{Catalog: func() *model.Catalog { return now }, Earlier: assets.EarlierFor, Store: db,
		Now: func() time.Time { return testNow }, Formats: []string{"md"}, ExportDir: dir})
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.run(h.m.Init())
	v := h.view()
	if !strings.Contains(v, "LIMS") || !strings.Contains(v, want) || strings.Contains(v, was) {
		t.Fatalf("the list after the check: want %q, not %q:\n%s", want, was, v)
	}
	if r := db.Verify(a.ID); r.Err != "" {
		t.Errorf("after the count: %s", r.Err)
	}
}
