package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// summarySeeds are summaries as the store writes them, and the shapes
// summaryFast must leave to json.Unmarshal.
func summarySeeds(t testing.TB) [][]byte {
	full := model.Summary{ID: "a1b2c3", Name: "Lab systems — ELN", Organisation: "Pharma <GmbH> & Co", System: "Système 1",
		Workflow: model.Workflow("review"), Answered: 20, Applicable: 87, Services: 6, Deleted: true,
		UpdatedAt:   time.Date(2026, 11, 30, 22, 24, 57, 671630207, time.FixedZone("", 3600)),
		Catalog:     model.CatalogRef{Version: "2026.12.0", Hash: "0756130f95af52b2"},
		CountedWith: "0756130f95af52b2"}
	var seeds [][]byte
	for _, s := range []model.Summary{full, {ID: "x", Name: "n", Workflow: "draft", UpdatedAt: time.Unix(0, 0).UTC()}, {}} {
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, raw)
	}
	for _, s := range []string{
		`{"id":"a\u0062","name":"x\"\\\/\b\f\n\r\t"}`, `{"name":"\ud83d\ude00"}`, `{"name":"\u00e9\u2028"}`,
		`{"name":"\x"}`, `{"name":"\u12"}`, `{"name":"\u12G4"}`, `{"name":"\"}`, `{"name":"a\`,
		`{ "id":"a"}`,          // white space
		`{"ID":"a"}`,           // another case: json.Unmarshal matches it
		`{"id":"a","extra":1}`, // unknown
		`{"id":null,"deleted":null}`,
		`{"answered":1.0}`, `{"answered":1e2}`, `{"answered":01}`, `{"answered":-0}`, `{"answered":-}`,
		`{"answered":99999999999999999999}`, `{"answered":123456789012345678}`,
		`{"name":"\xff"}`, // invalid UTF-8: json.Unmarshal replaces it
		`{"name":"a` + "\t" + `b"}`,
		`{"updated_at":"yesterday"}`, `{"updated_at":"2026-11-30T22:24:57Z"}`,
		`{"catalog":{"version":"1"},"catalog":{"hash":"h"}}`, // merged, as json.Unmarshal does
		`{"id":"a","id":"b"}`,
		`{"id":"a"}x`, `{"id":"a"`, `{}`, `[]`, `"s"`, ``,
		`{"deleted":true}`, `{"deleted":tru}`, `{"catalog":{"size":1}}`,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// TestSummaryFastTakesWhatTheStoreWrites: the summaries json.Marshal
// writes take the fast path (else it would gain nothing).
func TestSummaryFastTakesWhatTheStoreWrites(t *testing.T) {
	for _, raw := range summarySeeds(t)[:3] {
		if _, ok := summaryFast(raw, nil); !ok {
			t.Errorf("summaryFast refused what json.Marshal wrote: %s", raw)
		}
	}
}

// FuzzDecodeSummary: decodeSummary gives what json.Unmarshal gives, value
// and error, for any input.
func FuzzDecodeSummary(f *testing.F) {
	for _, s := range summarySeeds(f) {
		f.Add(s)
	}
	like, _ := decodeSummary(summarySeeds(f)[0])
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want model.Summary
		wantErr := json.Unmarshal(raw, &want)
		// Alone, and sharing the text of another summary: the same value.
		for _, like := range []*model.Summary{nil, &like} {
			got, gotErr := decodeSummaryLike(raw, like)
			if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Fatalf("%q: error %v, json.Unmarshal's %v", raw, gotErr, wantErr)
			}
			if wantErr == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%q:\n got %#v\nwant %#v", raw, got, want)
			}
		}
	})
}

// TestFirstListIsWhatTheOpenRead: a BackgroundCheck open keeps the
// summaries its check read, and the first List returns them, the same
// list as bbolt's, once; after a commit (here, the open's own process
// writing before the first List) List reads the file again.
func TestFirstListIsWhatTheOpenRead(t *testing.T) {
	db, path := openTest(t, "alice")
	for i := range 40 {
		if _, err := db.Create(model.Assessment{Name: fmt.Sprintf("Assessment %02d & <co>", i), Organisation: "Pharma"}); err != nil {
			t.Fatal(err)
		}
	}
	want, err := db.List(false)
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)

	for _, writeFirst := range []bool{false, true} {
		db, err := Open(path, Options{BackgroundCheck: true, CheckAsRead: true, Actor: "bob"})
		if err != nil {
			t.Fatal(err)
		}
		first := db.openList.Load()
		if first == nil || len(first.sums) != len(want) || first.err != nil {
			t.Fatalf("the open kept %v, want the %d summaries it checked", first, len(want))
		}
		// Decoded as read, each sharing the text the one before repeats.
		for i, s := range first.sums[1:] {
			prev := first.sums[i]
			if unsafe.StringData(s.Organisation) != unsafe.StringData(prev.Organisation) || unsafe.StringData(s.Catalog.Hash) != unsafe.StringData(prev.Catalog.Hash) {
				t.Fatalf("summary %d holds its own copy of the organisation and catalog hash of the one before", i+1)
			}
		}
		var at uint64
		db.bolt.View(func(tx *bolt.Tx) error { at = uint64(tx.ID()); return nil })
		if first.txid != at {
			t.Fatalf("the open kept the summaries of commit %d, the file is at %d: List would not use them", first.txid, at)
		}
		expect := want
		if writeFirst {
			a, err := db.Create(model.Assessment{Name: "Written before the first list"})
			if err != nil {
				t.Fatal(err)
			}
			fresh, _ := db.Get(a.ID)
			expect = append([]model.Summary{summaryOf(&fresh, nil)}, want...)
		}
		got, err := db.List(false)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(expect) || got[0].ID != expect[0].ID || !reflect.DeepEqual(got[1:], expect[1:]) {
			t.Errorf("write first %v: the first List gave %d summaries, want %d (first %q, want %q)", writeFirst, len(got), len(expect), got[0].Name, expect[0].Name)
		}
		if db.openList.Load() != nil {
			t.Error("the open's summaries are kept after the first List")
		}
		mustClose(t, db)
	}
}

// TestCheckSizesTheReadBucket: a scope's size hears, once, at the read
// bucket's first leaf page, about as many values as the bucket holds, so
// that the open's list is made at its size rather than regrown.
func TestCheckSizesTheReadBucket(t *testing.T) {
	for _, n := range []int{5, 3000, 40000} {
		path := filepath.Join(t.TempDir(), "sized.db")
		b, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = b.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucket([]byte("values"))
			for i := 0; err == nil && i < n; i++ {
				err = bk.Put(fmt.Appendf(nil, "key%08d", i), []byte(`{"id":"a value about as long as a summary's","name":"Assessment"}`))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b.Close()
		var told []int
		read := 0
		sc := &scope{buckets: [][]byte{[]byte("values")}, read: func(k, v []byte) error { read++; return nil }, size: func(n int) { told = append(told, n) }}
		if _, err := checkPages(path, sc); err != nil {
			t.Fatal(err)
		}
		if read != n || len(told) == 0 || told[0] < n/2 || told[0] > 2*n {
			t.Errorf("%d values: read %d, size told %v", n, read, told)
		}
		var l openList
		for _, m := range told {
			l.size(m)
		}
		if cap(l.sums) < n && told[0] >= n {
			t.Errorf("%d values: the list made room for %d", n, cap(l.sums))
		}
	}
}
