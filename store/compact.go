package store

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/internal/outfile"
)

// Compaction. bbolt never gives a page back to the file system: a file
// emptied of its assessments stays as large as it was. Compact copies
// every key into a new file, its pages filled, checks it, and puts it in
// the old one's place; rolling backups are written the same way
// (Backup).

// compactTxBytes bounds the keys and values one transaction of a
// compaction copies, so that a large file is not held in memory at once.
const compactTxBytes = 64 << 20

// compactSlack is how far a compacted file may end past its last page.
const compactSlack = 32 << 10

// createDB makes a new bbolt file at name: exclusively (O_EXCL, never
// through a symlink), mode 0600, and locked by bbolt from the moment it
// exists, so that the next open's cleanup of leftovers (removeLeftovers)
// leaves it alone while it is written, and removes it if the writer was
// killed.
// mapSize, when not 0, is the size of the memory map it starts with (see
// mapAhead).
func createDB(name string, timeout time.Duration, mapSize int) (*bolt.DB, error) {
	b, err := bolt.Open(name, 0o600, &bolt.Options{Timeout: timeout, InitialMmapSize: mapSize, OpenFile: func(n string, flag int, _ os.FileMode) (*os.File, error) {
		return os.OpenFile(n, flag|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	}})
	if err != nil {
		return nil, err
	}
	b.AllocSize = growStep
	return b, nil
}

// compactInto copies every bucket and key of src, as one consistent
// snapshot, into a new file made by createDB under the name tempName
// gives (called again if the name is taken), and returns it open and
// synced. On failure nothing is left behind. The new file is mapped as
// large as src from the start: bbolt remaps a file that outgrows its map,
// and every remap copies each key and value put so far onto the heap
// (a 39 MiB copy remapped a dozen times and allocated ten times its
// size, most of the copy's CPU). bbolt makes a file mapped at no more
// than its AllocSize as large as its map, and grows a larger one to its
// last page and AllocSize beyond: with a small AllocSize, the copy ends
// near its last page however large its map.
func compactInto(src *bolt.DB, tempName func() string, timeout time.Duration) (dst *bolt.DB, name string, err error) {
	var size int64
	if err := src.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil }); err != nil {
		return nil, "", err
	}
	for range 10 {
		name = tempName()
		if dst, err = createDB(name, timeout, mapAhead(size+size/8)); !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return nil, "", err
	}
	dst.AllocSize = compactSlack
	if err := copyInto(dst, src); err != nil {
		dst.Close()
		os.Remove(name)
		return nil, "", err
	}
	return dst, name, nil
}

// copyInto copies every bucket and key of src into dst, pages filled, as
// bbolt.Compact does, and syncs dst. Unlike bbolt.Compact it commits
// dst's last transaction while src's snapshot is still open: dst's pages
// point into src's memory map until they are written, and a change
// committed to src meanwhile (a background backup runs beside saves) may
// move that map.
func copyInto(dst, src *bolt.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	err = src.View(func(stx *bolt.Tx) error {
		compacting()
		tx, err := dst.Begin(true)
		if err != nil {
			return err
		}
		defer func() { tx.Rollback() }() // after a commit, a no-op
		var size int64
		// put stores k (a bucket when v is nil) under the buckets of path
		// in dst, committing first when the transaction is full.
		put := func(path [][]byte, k, v []byte, seq uint64) error {
			if size += int64(len(k) + len(v)); size > compactTxBytes {
				if err := tx.Commit(); err != nil {
					return err
				}
				if tx, err = dst.Begin(true); err != nil {
					return err
				}
				size = 0
			}
			var b *bolt.Bucket
			if len(path) > 0 {
				b = tx.Bucket(path[0])
				for _, p := range path[1:] {
					b = b.Bucket(p)
				}
				b.FillPercent = 1
			}
			switch {
			case v != nil:
				return b.Put(k, v)
			case b == nil:
				nb, err := tx.CreateBucket(k)
				if err != nil {
					return err
				}
				return nb.SetSequence(seq)
			default:
				nb, err := b.CreateBucket(k)
				if err != nil {
					return err
				}
				return nb.SetSequence(seq)
			}
		}
		var walk func(path [][]byte, b *bolt.Bucket) error
		walk = func(path [][]byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if v != nil {
					return put(path, k, v, 0)
				}
				inner := b.Bucket(k)
				if err := put(path, k, nil, inner.Sequence()); err != nil {
					return err
				}
				return walk(append(slices.Clip(path), k), inner)
			})
		}
		err = stx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if err := put(nil, name, nil, b.Sequence()); err != nil {
				return err
			}
			return walk([][]byte{name}, b)
		})
		if err != nil {
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		return err
	}
	// Every commit synced its pages; this syncs what the last growth of
	// the file left too.
	return dst.Sync()
}

// chains verifies every assessment (deleted ones too) and the store's own
// log in tx, in full, and returns the head of each: a file whose records
// fail is evidence, never rewritten.
func chains(tx *bolt.Tx, refused string) (map[string]string, error) {
	heads := map[string]string{}
	for _, id := range assessmentIDs(tx) {
		r := verifyTx(tx, id)
		if r.Err != "" {
			return nil, &IntegrityError{ID: id, Seq: r.Seq, Finding: r.Err, Refused: refused}
		}
		heads[id] = r.Head
	}
	if err := verifyLog(tx); err != nil {
		return nil, err
	}
	heads[""] = string(tx.Bucket(bucketMeta).Get(keyLogHead))
	return heads, nil
}

// Compact rewrites the database at path into a new file with every page
// filled, and puts it in the old file's place, returning both sizes. It
// opens the file for writing, so a file another onus holds is refused
// (*InUseError, exit 3) and a damaged one is never touched
// (*DamagedError, exit 4); an assessment or log that fails its integrity
// check is refused too (*IntegrityError, exit 4). The new file is created
// beside the old one, synced, checked (bbolt's check, the schema, and
// every chain, each ending at the head it ended at before), and renamed
// over the old one, the directory synced: a kill at any moment leaves
// the old file, or the new one, whole, and at most a temporary file the
// next open removes.
func Compact(path string, opt Options) (before, after int64, err error) {
	switch info, err := statDatabase(path); {
	case err != nil:
		return 0, 0, err
	case info == nil:
		return 0, 0, &NoDatabaseError{Path: path}
	}
	opt.ReadOnly, opt.BackgroundCheck = false, false
	db, err := Open(path, opt)
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	info, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	var heads map[string]string
	if err := db.view(func(tx *bolt.Tx) (err error) {
		heads, err = chains(tx, "compacted (nothing was)")
		return err
	}); err != nil {
		return 0, 0, err
	}
	dir := filepath.Dir(path)
	dst, tmp, err := compactInto(db.bolt, func() string { return filepath.Join(dir, newTempName()) }, opt.Timeout)
	if err != nil {
		return 0, 0, fmt.Errorf("compacting %s: %w (the file is as it was)", path, err)
	}
	// Held open, and so locked, until it is in place.
	defer dst.Close()
	err = dst.View(func(tx *bolt.Tx) error {
		if err := checkAll(tx); err != nil {
			return err
		}
		got, err := chains(tx, "put in place")
		if err != nil {
			return err
		}
		if !maps.Equal(got, heads) {
			return errors.New("its records do not end where the file's did")
		}
		return nil
	})
	if err == nil {
		var tinfo os.FileInfo
		if tinfo, err = os.Stat(tmp); err == nil {
			after = tinfo.Size()
			err = outfile.Publish(tmp, path, true)
		}
	}
	if err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("the compacted copy of %s failed its check, and the file is as it was: %w", path, err)
	}
	return info.Size(), after, nil
}
