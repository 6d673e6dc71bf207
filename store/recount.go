package store

import (
	"encoding/json"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// recountBatch is how many assessments one of Recount's transactions
// counts again: a save waits for at most one such transaction.
const recountBatch = 16

// Recount counts again, with the catalog in effect, the progress in the
// list summaries that another catalog counted (an earlier release's, or
// another --catalog), so that the list says what opening the assessment
// shows. It returns how many it counted again.
//
// A summary is derived from its assessment and is not audited, but its
// bytes are in the assessment's head record, which the check every
// change makes compares: Recount rewrites both, and only for an
// assessment that passes that check, so that it never writes over the
// evidence of an edit made outside onus (onus verify still finds it).
// Summaries that do not say which catalog counted them (written before
// onus recorded it) are counted again too.
func (db *DB) Recount() (int, error) {
	cat := db.catalog()
	if cat == nil || db.opt.ReadOnly {
		return 0, nil
	}
	list, err := db.List(true)
	if err != nil {
		return 0, err
	}
	var stale []string
	for _, s := range list {
		if s.CountedOther(cat.Hash) {
			stale = append(stale, s.ID)
		}
	}
	n := 0
	for ids := range slices.Chunk(stale, recountBatch) {
		done, err := db.recount(cat, ids)
		n += done
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// recount counts ids again in one transaction.
func (db *DB) recount(cat *model.Catalog, ids []string) (int, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	n := 0
	err := db.updateOf(assessment(ids...), func(tx *bolt.Tx) error {
		n = 0
		sums, heads := tx.Bucket(bucketSummaries), tx.Bucket(bucketHeads)
		if sums == nil || heads == nil {
			return nil // not upgraded yet: nothing to count again
		}
		for _, id := range ids {
			var was model.Summary
			if ok, err := getJSON(sums, []byte(id), &was); err != nil || !ok || !was.CountedOther(cat.Hash) {
				continue // gone, unreadable (the check says so), or counted meanwhile
			}
			a, st, err := loadStored(tx, id)
			if err != nil {
				continue
			}
			h, err := checkHead(tx, id, st)
			if err != nil {
				continue // not as onus wrote it: left for onus verify to report
			}
			sum := db.summary(&a)
			raw, err := json.Marshal(sum)
			if err != nil {
				return err
			}
			h.Summary = digest(raw)
			if err := sums.Put([]byte(id), raw); err != nil {
				return err
			}
			if err := putJSON(heads, []byte(id), h); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		db.last = nil // its head's summary digest may be one of those rewritten
	}
	return n, nil
}
