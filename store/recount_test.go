package store

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// Two assessments counted with the catalog of the release before (as
// after an upgrade), then the file opened with the catalog in effect:
// Recount counts them again, so that the list says what opening one
// shows; a second Recount has nothing to do; the assessments still pass
// their check. One whose summary was edited outside onus is left as it
// is, and onus verify still finds it.
func TestRecountAfterACatalogChange(t *testing.T) {
	earlier, ok := assets.EarlierFor(model.CatalogRef{Version: "2026.11.0"})
	if !ok {
		t.Fatal("the embedded earlier catalog 2026.11.0 is missing")
	}
	now, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "onus.db")
	clk := newClock()
	open := func(cat *model.Catalog) *DB { // as the wizard opens it
		db, err := Open(path, Options{Actor: "ana", Now: clk.Now, Catalog: func() *model.Catalog { return cat }, BackgroundCheck: true, CheckAsRead: true})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open(earlier)
	var ids []string
	for _, name := range []string{"LIMS", "MES", "Edited"} {
		a, err := db.Create(model.Assessment{Name: name, Catalog: model.CatalogRef{Version: earlier.Version, Hash: earlier.Hash}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SelectServices(a.ID, []string{"ec2", "rds", "s3"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Answer(a.ID, model.Answer{Control: "GOV-01", Status: model.StatusImplemented}, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	mustClose(t, db)

	// The third one's summary edited outside onus: its name.
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		sums := tx.Bucket(bucketSummaries)
		var s model.Summary
		if err := json.Unmarshal(sums.Get([]byte(ids[2])), &s); err != nil {
			return err
		}
		s.Name = "Renamed outside onus"
		raw, _ := json.Marshal(s)
		return sums.Put([]byte(ids[2]), raw)
	}); err != nil {
		t.Fatal(err)
	}
	b.Close()

	db = open(now)
	defer mustClose(t, db)
	counts := func() map[string]model.Summary {
		list, err := db.List(true)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]model.Summary{}
		for _, s := range list {
			out[s.ID] = s
		}
		return out
	}
	before := counts()
	a, err := db.Get(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	wantAnswered, wantApplicable := now.Progress(&a)
	if s := before[ids[0]]; !s.CountedOther(now.Hash) || s.Applicable == wantApplicable {
		t.Fatalf("the fixture proves nothing: counted with %.12s, %d applicable with either catalog", s.CountedWith, s.Applicable)
	}

	n, err := db.Recount()
	if err != nil || n != 2 {
		t.Fatalf("Recount: %d, %v; want the two unedited ones", n, err)
	}
	after := counts()
	for _, id := range ids[:2] {
		s := after[id]
		if s.Answered != wantAnswered || s.Applicable != wantApplicable || s.CountedWith != now.Hash {
			t.Errorf("%s after Recount: %d of %d counted with %.12s; want %d of %d with %.12s",
				s.Name, s.Answered, s.Applicable, s.CountedWith, wantAnswered, wantApplicable, now.Hash)
		}
		verified(t, db, id)
	}
	if s := after[ids[2]]; s.CountedWith == now.Hash || s.Name != "Renamed outside onus" {
		t.Errorf("the summary edited outside onus was rewritten: %+v", s)
	}
	if r := db.Verify(ids[2]); r.Err == "" {
		t.Error("the edit outside onus is no longer found")
	}
	if n, err := db.Recount(); n != 0 || err != nil {
		t.Errorf("a second Recount: %d, %v", n, err)
	}
	// A change after the recount is checked against the rewritten head.
	if _, err := db.Answer(ids[0], model.Answer{Control: "GOV-02", Status: model.StatusPartial}, ""); err != nil {
		t.Errorf("a change after Recount: %v", err)
	}
	verified(t, db, ids[0])
}

// A file of a release before summaries named the catalog that counted
// them: Recount counts each again with the catalog in effect, and every
// assessment still verifies, the final one's signature included.
func TestRecountSummariesThatNameNoCatalog(t *testing.T) {
	now, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "onus.db")
	copyFile(t, filepath.Join(release3, "onus.db"), path)
	db, err := Open(path, Options{Actor: "ana", Catalog: func() *model.Catalog { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	list, err := db.List(true)
	if err != nil || len(list) != 2 || list[0].CountedWith != "" {
		t.Fatalf("the fixture: %+v, %v", list, err)
	}
	if n, err := db.Recount(); n != 2 || err != nil {
		t.Fatalf("Recount: %d, %v; want both", n, err)
	}
	list, _ = db.List(true)
	for _, s := range list {
		a, err := db.Get(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n, m := now.Progress(&a); s.Answered != n || s.Applicable != m || s.CountedWith != now.Hash {
			t.Errorf("%s: %d of %d counted with %q, want %d of %d", s.Name, s.Answered, s.Applicable, s.CountedWith, n, m)
		}
		verified(t, db, s.ID)
	}
}
