package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Checks sized to the operation (Options.CheckAsRead): a command that
// reads one assessment checks the pages it reads, not the whole file, so
// that what it costs does not grow with the file. bbolt reads only
// through pages checkPages has bounded, which is what keeps a damaged
// file from crashing onus: every transaction below reads nothing outside
// its scope, and one that would (a purge, whose deletions rebalance the
// pages beside the ones it reads; the store's log; every assessment)
// checks the whole file first (view, update).

// checkedScope is what checkScope has checked in one open file: the
// pages an assessment's operations read stay checked, since this
// process's own commits only rewrite pages from what they read.
type checkedScope struct {
	buckets map[string]bool
	ids     map[string]bool
}

// rest is what of sc is still to be checked.
func (c *checkedScope) rest(sc scope) scope {
	var out scope
	for _, b := range sc.buckets {
		if !c.buckets[string(b)] {
			out.buckets = append(out.buckets, b)
		}
	}
	for _, id := range sc.ids {
		if !c.ids[id] {
			out.ids = append(out.ids, id)
		}
	}
	return out
}

func (c *checkedScope) add(sc scope) {
	if c.buckets == nil {
		c.buckets, c.ids = map[string]bool{}, map[string]bool{}
	}
	for _, b := range sc.buckets {
		c.buckets[string(b)] = true
	}
	for _, id := range sc.ids {
		c.ids[id] = true
	}
}

// viewOf and updateOf are view and update for a transaction that reads
// only what sc names: with Options.CheckAsRead they check those pages
// instead of waiting for the whole file's check.
func (db *DB) viewOf(sc scope, fn func(*bolt.Tx) error) error {
	if !db.asRead {
		return db.view(fn)
	}
	return db.bolt.View(func(tx *bolt.Tx) error {
		if err := db.checkScope(tx, sc); err != nil {
			return err
		}
		return fn(tx)
	})
}

func (db *DB) updateOf(sc scope, fn func(*bolt.Tx) error) error {
	if !db.asRead || db.opt.BackgroundCheck {
		return db.update(fn)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := db.checkScope(tx, sc); err != nil {
			return err
		}
		return db.zeroAhead(tx, fn(tx))
	})
	if err == nil {
		db.wrote.Store(true)
	}
	return err
}

// checkScope checks, inside tx and before it reads anything, the pages
// of what sc names, as checkFile checks the whole file: their bounds,
// types and order (checkPages), bbolt's own check of each assessment's
// buckets, and the schema's rules for the keys there. The file is read
// as tx sees it: the check must find the commit tx started from. A scope
// that reads (sc.read) is walked every time; an error of sc.read comes
// back as it is.
func (db *DB) checkScope(tx *bolt.Tx, sc scope) (err error) {
	select {
	case <-db.checked:
		if db.checkErr != nil {
			return db.checkErr
		}
		if sc.read == nil {
			return nil // the whole file is checked
		}
	default:
	}
	db.scopeMu.Lock()
	defer db.scopeMu.Unlock()
	if db.scopeErr != nil {
		return db.scopeErr
	}
	var readErr error
	if read := sc.read; read != nil {
		sc.read = func(k, v []byte) error {
			if readErr = read(k, v); readErr != nil {
				return readErr
			}
			return nil
		}
	} else if sc = db.checkedAs.rest(sc); len(sc.buckets) == 0 && len(sc.ids) == 0 {
		return nil
	}
	damaged := func(cause error) error {
		db.scopeErr = &DamagedError{Path: db.path, Backup: newestBackup(db.path), Cause: cause, Late: true, Written: db.wrote.Load()}
		return db.scopeErr
	}
	defer func() {
		if r := recover(); r != nil {
			err = damaged(fmt.Errorf("%v", r))
		}
	}()
	found, err := checkPages(db.path, &sc)
	if readErr != nil {
		return readErr
	}
	if err != nil {
		var de *DamagedError
		if err = openFailure(db.path, err); errors.As(err, &de) {
			return damaged(de.Cause)
		}
		return err
	}
	base := uint64(tx.ID())
	if tx.Writable() {
		base--
	}
	if found.txid != base || found.root != uint64(tx.Cursor().Bucket().Root()) {
		// With BackgroundCheck, this process writes again once the whole
		// file's check has passed, and that check saw what tx sees (no
		// write ran while it did).
		select {
		case <-db.checked:
			if db.checkErr == nil {
				return nil
			}
		default:
		}
		// Only another writer could do this, and the file's lock keeps
		// every other out.
		return fmt.Errorf("%s changed while it was being checked (commit %d, expected %d)", db.path, found.txid, base)
	}
	if err := checkAssessments(tx, sc.ids); err != nil {
		return damaged(err)
	}
	db.checkedAs.add(sc)
	return nil
}

// checkAssessments runs, on what is stored under each id, the checks the
// whole file's check makes: bbolt's own (pages reachable once, none of
// them free, keys in order) on each bucket with pages of its own, and
// the schema's (checkSchema): values where values belong, buckets where
// buckets belong, 8-byte sequence numbers in a trail.
func checkAssessments(tx *bolt.Tx, ids []string) error {
	for _, id := range ids {
		for _, name := range keyedByAssessment {
			top := tx.Bucket(name)
			if top == nil {
				continue // optional (checkSchema made sure)
			}
			key := keyOf(name, id)
			inner := top.Bucket(key)
			isBucket := depth[string(name)] > 0
			switch {
			case inner == nil && top.Get(key) == nil:
				continue // not stored
			case (inner != nil) != isBucket:
				return fmt.Errorf("%s holds %s under key %q where %s belongs", name, kind(inner != nil), truncateBytes(key, 40), kind(isBucket))
			case inner == nil:
				continue
			}
			if root := inner.Root(); root != 0 {
				if err := checkTx(tx, bolt.WithPageId(uint64(root))); err != nil {
					return fmt.Errorf("%s/%s: %w", name, truncateBytes(key, 40), err)
				}
			}
			if err := checkKeys(inner, string(name), string(name)+"/"+truncateBytes(key, 40), depth[string(name)]-1); err != nil {
				return err
			}
		}
	}
	return nil
}
