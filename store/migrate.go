package store

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// migration upgrades a file from version From to From+1 inside one
// transaction. progress is Options.Progress, for summaries.
type migration struct {
	From int
	Name string
	Run  func(tx *bolt.Tx, progress func(*model.Assessment) (int, int)) error
}

// migrations are applied in order; a file records the version it reached.
var migrations = []migration{
	{From: 1, Name: "summaries bucket for fast listing", Run: migrateSummaries},
	{From: 2, Name: "answers one per key, out of the assessment", Run: migrateAnswers},
	{From: 3, Name: "head records and a chained store log, for integrity checks at write time", Run: migrateIntegrity},
	{From: 4, Name: "an evidence register per assessment", Run: migrateRegister},
}

func (db *DB) schema() (int, error) {
	v := 0
	err := db.bolt.View(func(tx *bolt.Tx) error {
		// A file that passed bbolt's check without these is damaged (or
		// not onus's): either way, nothing may write to it.
		m := tx.Bucket(bucketMeta)
		if m == nil {
			return &DamagedError{Path: db.path, Backup: newestBackup(db.path), Cause: fmt.Errorf("not an onus database (no meta bucket)")}
		}
		n, err := strconv.Atoi(string(m.Get(keySchema)))
		if err != nil {
			return &DamagedError{Path: db.path, Backup: newestBackup(db.path), Cause: fmt.Errorf("no valid schema version")}
		}
		v = n
		return nil
	})
	return v, err
}

// migrate brings the file to SchemaVersion. The rule: a migration writes
// nothing until the whole file has passed its structural check (Open
// checks the pages, bbolt's tree and every bucket the schema promises
// before it calls migrate); then it writes a backup, which keeps the
// file's bytes as they were, and runs every step in one transaction, so a
// step that fails leaves the file exactly as it was, and says it is
// damaged.
//
// What an assessment says is not a condition: one that fails its
// integrity check is carried over as it stands and gets no head record
// (migrateIntegrity), so nothing is ever written to it, while the rest of
// the file stays usable and Salvage, which needs the file open for
// writing, can continue its work in a new assessment.
func (db *DB) migrate() error {
	v, err := db.schema()
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return newerError(db.path, v)
	}
	if v == SchemaVersion {
		return nil
	}
	if err := db.ready(); err != nil {
		return err
	}
	if _, err := db.Backup(); err != nil {
		return fmt.Errorf("backup before migrating %s: %w", db.path, err)
	}
	return db.update(func(tx *bolt.Tx) error {
		for _, m := range migrations {
			if m.From < v {
				continue
			}
			if err := m.Run(tx, db.opt.Progress); err != nil {
				// The structure passed its check: what a step cannot
				// read is damaged content.
				return &DamagedError{Path: db.path, Backup: newestBackup(db.path),
					Cause: fmt.Errorf("it could not be upgraded from schema %d (%s): %w", m.From, m.Name, err)}
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
}

// migrateSummaries: version 1 files listed assessments by decoding each one;
// version 2 keeps a summary per assessment.
func migrateSummaries(tx *bolt.Tx, progress func(*model.Assessment) (int, int)) error {
	sums, err := tx.CreateBucketIfNotExists(bucketSummaries)
	if err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketLog); err != nil {
		return err
	}
	return tx.Bucket(bucketAssessments).ForEach(func(k, v []byte) error {
		var a model.Assessment
		if err := jsonUnmarshal(v, &a); err != nil {
			return fmt.Errorf("assessment %s: %w", k, err)
		}
		return putJSON(sums, k, summaryOf(&a, progress))
	})
}

// migrateAnswers: up to version 2 each answer was stored inside its
// assessment, so answering one control rewrote them all; version 3 keeps
// each answer under its own key.
func migrateAnswers(tx *bolt.Tx, _ func(*model.Assessment) (int, int)) error {
	answers, err := tx.CreateBucketIfNotExists(bucketAnswers)
	if err != nil {
		return err
	}
	as := tx.Bucket(bucketAssessments)
	// Collect the ids first: a bucket must not change while ForEach runs.
	var ids [][]byte
	as.ForEach(func(k, _ []byte) error {
		ids = append(ids, append([]byte(nil), k...))
		return nil
	})
	for _, id := range ids {
		var a model.Assessment
		if err := jsonUnmarshal(as.Get(id), &a); err != nil {
			return fmt.Errorf("assessment %s: %w", id, err)
		}
		if _, err := answers.CreateBucketIfNotExists(id); err != nil {
			return err
		}
		if err := putAnswers(tx, &a, slices.Sorted(maps.Keys(a.Answers))); err != nil {
			return err
		}
		a.Answers = nil
		if err := putJSON(as, id, a); err != nil {
			return err
		}
	}
	return nil
}

// migrateRegister: version 5 assessments may carry an evidence register
// (model/evidence.go), which the version tells an older onus not to write
// over. Nothing is rewritten: an assessment's free-text evidence stays in
// its trail and its stored answers, shows as register entries
// (model.WithRegister), and is filed by a recorded entry at the first
// change to its answers or evidence, so that a signed or final record is
// never written to by an upgrade alone and every chain verifies as it did.
func migrateRegister(*bolt.Tx, func(*model.Assessment) (int, int)) error { return nil }
