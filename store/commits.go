package store

// Commits counts the write transactions on the open file so far, by any
// handle on it (As, Lend): every change, of any assessment or of the
// wizard's own state. A copy of something read while the count stayed
// the same is still what the file holds; one read before it moved may
// not be. It is counted once the transaction has ended, so a reader
// takes the count before it reads (a change between the two then only
// makes the copy look older than it is). Reading it costs no I/O and
// takes no lock.
func (db *DB) Commits() uint64 { return db.commits.Load() }
