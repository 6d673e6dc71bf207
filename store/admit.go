package store

import (
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// Admit records in the store's log that this session's actor (the
// facilitator) admitted a key to the workshop: whom, as what, which key.
// The log is hash-chained, so verify and doctor check the record.
func (db *DB) Admit(a model.Admission) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		return db.logEvent(tx, LogEvent{Action: model.ActAdmit, Person: a.Name, Role: a.Role, Key: a.Fingerprint})
	})
}

// Log is the store's own log, oldest first: purges, imports, salvages
// and admissions.
func (db *DB) Log() ([]LogEvent, error) {
	var out []LogEvent
	err := db.view(func(tx *bolt.Tx) error {
		log := tx.Bucket(bucketLog)
		if log == nil {
			return nil
		}
		return log.ForEach(func(_, v []byte) error {
			var ev LogEvent
			if err := json.Unmarshal(v, &ev); err != nil {
				return err
			}
			out = append(out, ev)
			return nil
		})
	})
	return out, err
}
