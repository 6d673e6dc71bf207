package store

import "github.com/onus-gxp/onus/model"

// lent is what a handle lent to another's command carries: who is told
// of each change it commits.
type lent struct {
	changed func(model.Assessment)
}

// Lend returns a handle on the same open file for a command run on
// someone else's behalf (onus serve runs headless commands relayed to
// it this way): its changes are attributed to actor, each assessment it
// commits a change to is handed to changed (nil: no one) after the
// commit, and its Close leaves the file open for the owner, who closes it.
func (db *DB) Lend(actor string, changed func(model.Assessment)) *DB {
	return &DB{file: db.file, actor: actor, lent: &lent{changed: changed}}
}

// committed tells a lent handle's listener of a committed change.
func (db *DB) committed(a model.Assessment) {
	if db.lent != nil && db.lent.changed != nil {
		db.lent.changed(a.Clone())
	}
}
