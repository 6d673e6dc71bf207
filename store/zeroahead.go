package store

import (
	"os"

	bolt "go.etcd.io/bbolt"
)

// Growing the file with written zeros. bbolt grows a file by truncating
// it longer, which leaves a hole, and the first write into a hole
// allocates its blocks: on ext4 the commit's fdatasync then commits the
// file system's journal too, so a save that wrote any page past the old
// end (most of them, while a trail grows) paid that on top of its two
// fdatasyncs. A write transaction first makes sure the file is written
// with zeros some way past the pages bbolt uses (zeroAhead): bbolt finds
// the file long enough and never truncates it, and every page it writes
// lands on allocated blocks. Durability is bbolt's as before: the zeros
// are synced before any commit uses them, and they lie where no page is.

// zeroMargin is how far past the pages in use the file stays written:
// more than a save allocates past them (most of its pages come from the
// freelist), so that only a large change (an import) leaves bbolt to grow
// the file itself, and little enough that a one-shot command rarely finds
// the file short of it, and pays for the zeros' write and sync, where its
// commit would not have grown the file.
const zeroMargin = 64 << 10

// zeroAhead writes zeros, growStep at a time, past the end of the file
// when the pages tx started from reach within zeroMargin of it, and
// returns err, the outcome of the transaction's work: a transaction that
// failed commits nothing, and changes nothing. It runs inside the write
// transaction, before its commit allocates a page: bbolt's lock is held,
// and pages past tx's end are used by nobody, so the zeros are written
// past both the file's end and the last page. A failure to write them (a
// full disk) leaves the growing to bbolt, which reports it.
func (db *DB) zeroAhead(tx *bolt.Tx, err error) error {
	need := tx.Size() + zeroMargin
	if err != nil || need <= db.zeroedTo {
		return err
	}
	f, ferr := os.OpenFile(db.path, os.O_WRONLY, 0)
	if ferr != nil {
		return nil
	}
	defer f.Close()
	info, ferr := f.Stat()
	if ferr != nil {
		return nil
	}
	end := info.Size()
	if need <= end {
		// Long enough: what bbolt grew may hold holes, and they are left
		// as they are rather than written on every open.
		db.zeroedTo = end
		return nil
	}
	if _, ferr := f.WriteAt(make([]byte, growStep), end); ferr != nil {
		return nil
	}
	if ferr := f.Sync(); ferr != nil {
		return nil
	}
	db.zeroedTo = end + growStep
	return nil
}
