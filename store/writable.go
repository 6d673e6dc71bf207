package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// checkWritable refuses a change to an assessment that fails its integrity
// check (its chain, the assessment the trail rebuilds, its summary): an
// entry appended to a broken chain would bury the damage under changes
// that look sound. Every change to an existing assessment calls it inside
// its write transaction, before writing; the one exception is the
// assessment this session's last change left, which that change checked.
// An id with neither assessment nor trail is left to the caller to report
// as not found.
func (db *DB) checkWritable(tx *bolt.Tx, id string) error {
	if tx.Bucket(bucketAssessments).Get([]byte(id)) == nil && tx.Bucket(bucketTrails).Bucket([]byte(id)) == nil {
		return nil
	}
	if r := verifyTx(tx, id); r.Err != "" {
		return &DamagedError{Path: db.path, Backup: newestBackup(db.path), Late: true,
			Cause: fmt.Errorf("assessment %s fails its integrity check: %s", id, r.Err)}
	}
	return nil
}
