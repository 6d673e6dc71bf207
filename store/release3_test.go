package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// testdata/release3 was made by the onus release at commit 1c4f9f7
// (schema 3, entries without a format) with make.sh: onus.db by gen.go
// through that release's store (every kind of change, a duplicate, a
// purge), bundle.json exported from it by that release's binary, and
// imported.db, into which that binary imported the bundle.
const release3 = "testdata/release3"

func release3ID(t *testing.T) string {
	t.Helper()
	id, err := os.ReadFile(filepath.Join(release3, "id"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(id))
}

// The release's files upgrade to the current schema: every assessment gets its head,
// the log its chain; every chain still verifies; new entries follow the
// old ones in the new format; exports import elsewhere.
func TestRelease3FilesMigrate(t *testing.T) {
	id := release3ID(t)
	for _, file := range []string{"onus.db", "imported.db"} {
		t.Run(file, func(t *testing.T) {
			fixture := filepath.Join(release3, file)
			before := fileSHA(t, fixture)
			if _, schema := bucketNames(t, fixture); schema != "3" {
				t.Fatalf("%s is schema %q, not 3", fixture, schema)
			}
			path := filepath.Join(t.TempDir(), "onus.db")
			copyFile(t, fixture, path)
			db := reopen(t, path)
			if v, err := db.schema(); v != SchemaVersion || err != nil {
				t.Fatalf("after opening: schema %d, %v", v, err)
			}
			results, err := db.VerifyAll()
			if err != nil {
				t.Fatalf("VerifyAll: %v", err)
			}
			if want := map[string]int{"onus.db": 2, "imported.db": 1}[file]; len(results) != want {
				t.Fatalf("%d assessments, want %d", len(results), want)
			}
			for _, r := range results {
				if r.Err != "" {
					t.Errorf("Verify %s: %s", r.ID, r.Err)
				}
			}
			a, err := db.Get(id)
			if err != nil || a.Name != `LIMS <prod> & "QC"` || a.Workflow != model.WorkflowFinal || len(a.SignOffs) != 1 {
				t.Fatalf("Get: %v %s", err, asJSON(a))
			}
			old, _ := db.History(id)
			// It reached final by a workflow entry, as that release did;
			// final is read-only now, until reopened with a reason.
			answer := func() error {
				_, err := db.Answer(id, model.Answer{Control: "AT-02", Status: model.StatusPlanned, Notes: "after the upgrade"}, "")
				return err
			}
			if err := answer(); !errors.Is(err, model.ErrFinal) {
				t.Fatalf("a change to the release's final assessment: %v", err)
			}
			if a, err = db.Reopen(id, "CAPA-3: the backup answer changes"); err != nil || a.Workflow != model.WorkflowDraft || !a.SignOffs[0].Superseded {
				t.Fatalf("reopen: %v %s", err, asJSON(a))
			}
			if err := answer(); err != nil {
				t.Fatal(err)
			}
			trail, _ := db.History(id)
			if len(trail) != len(old)+2 || trail[len(old)-1].Hash != old[len(old)-1].Hash ||
				trail[len(old)-1].Format != 0 || trail[len(old)].Format != model.EntryFormat || trail[len(old)].Action != model.ActReopen {
				t.Errorf("the trail after a change: %d entries (was %d)", len(trail), len(old))
			}
			if r := db.Verify(id); r.Err != "" {
				t.Errorf("Verify after a change: %s", r.Err)
			}
			// The log of the release's purge (onus.db) or import
			// (imported.db) is chained as found, and takes more.
			var events []LogEvent
			db.view(func(tx *bolt.Tx) error {
				return tx.Bucket(bucketLog).ForEach(func(_, v []byte) error {
					var ev LogEvent
					json.Unmarshal(v, &ev)
					events = append(events, ev)
					return nil
				})
			})
			if want := map[string]string{"onus.db": "purge", "imported.db": "import"}[file]; len(events) != 1 || events[0].Action != want || events[0].Hash == "" {
				t.Errorf("log: %+v", events)
			}
			b, err := db.Export(id)
			if err != nil {
				t.Fatal(err)
			}
			data, err := b.Encode()
			if err != nil {
				t.Fatal(err)
			}
			mustClose(t, db)
			back, err := model.DecodeBundle(data)
			if err != nil {
				t.Fatal(err)
			}
			dst := openTestAt(t, "carol", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			defer mustClose(t, dst)
			if _, err := dst.Import(back); err != nil {
				t.Errorf("import of the upgraded assessment's export: %v", err)
			}
			if after := fileSHA(t, fixture); after != before {
				t.Errorf("%s changed while testing", fixture)
			}
		})
	}
}

// A read-only open (list, show, verify) reads the release's file without
// upgrading it, and says what it could not compare.
func TestRelease3ReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "onus.db")
	copyFile(t, filepath.Join(release3, "onus.db"), path)
	before := fileSHA(t, path)
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	results, err := db.VerifyAll()
	if err != nil || len(results) != 2 {
		t.Fatalf("VerifyAll: %v, %d results", err, len(results))
	}
	for _, r := range results {
		if r.Err != "" || !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "not upgraded yet") }) {
			t.Errorf("Verify %s: %+v", r.ID, r)
		}
	}
	mustClose(t, db)
	if fileSHA(t, path) != before {
		t.Error("a read-only open wrote to the file")
	}
}
