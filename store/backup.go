package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/internal/outfile"
)

// keepBackups is how many rolling backups are kept beside the database.
const keepBackups = 5

func backupDir(path string) string { return path + ".backups" }

// Protected lists what no output file may ever replace or be written
// into: the database at path and its backups folder (outfile.Options).
func Protected(path string) []string { return []string{path, backupDir(path)} }

// BackupError says the rolling backup after this session's changes could
// not be written (a full disk, say). The changes themselves are committed:
// a command that made them succeeded, and says this as a warning.
type BackupError struct {
	Path string
	Err  error
}

func (e *BackupError) Error() string {
	return fmt.Sprintf("every change is saved in %s, but the backup after them failed: %v (onus doctor shows the backups; the next change tries again)", e.Path, e.Err)
}

func (e *BackupError) Unwrap() error { return e.Err }

// Backup writes a compacted copy of the database, as one consistent
// snapshot, to a temporary file (locked while it is written, and synced),
// moves it into the backup folder and prunes the oldest: a kill at any
// moment leaves every backup before it whole, and at most a temporary
// file the next open removes.
func (db *DB) Backup() (string, error) { return db.backupAt(db.opt.Now()) }

// backupAt is Backup, named with the time at: a background backup takes
// the time of the change that started it, so that it never reads the
// clock (a test's clock ticks at each reading) in the middle of a session.
func (db *DB) backupAt(at time.Time) (string, error) {
	dir := backupDir(db.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := db.ready(); err != nil {
		return "", err
	}
	name := filepath.Join(dir, fmt.Sprintf("onus-%s.db", at.UTC().Format("20060102T150405.000000000Z")))
	raw, err := db.snapshot(outfile.TempName(name))
	if err != nil {
		return "", err
	}
	defer os.Remove(raw)
	src, err := bolt.Open(raw, 0o600, &bolt.Options{ReadOnly: true, Timeout: db.opt.Timeout})
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, tmp, err := compactInto(src, func() string { return outfile.TempName(name) }, db.opt.Timeout)
	if err != nil {
		return "", err
	}
	// Closed once in place: bbolt's lock keeps a cleaner away until then.
	err = outfile.Publish(tmp, name, false)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	db.mu.Lock()
	db.lastBackup = at
	db.mu.Unlock()
	backups := listBackups(db.path)
	for len(backups) > keepBackups {
		os.Remove(backups[0])
		backups = backups[1:]
	}
	return name, nil
}

// snapshot copies the database, page for page, as one read transaction
// sees it, to a new file raw, and returns raw. A backup compacts that
// copy rather than the database itself, so that its read transaction
// lasts only as long as this copy (a tenth of the compaction, which
// fills every page anew): while it is open, every page a save frees is
// kept from reuse, and bbolt does not even reuse the pages one save took
// from the end of the file and the next freed until it ends, so the file
// grew by about half a save's pages for each save during a backup.
// Another onus removes a leftover raw only once it holds the database's
// lock, which this one holds while it writes raw.
func (db *DB) snapshot(raw string) (string, error) {
	f, err := os.OpenFile(raw, os.O_CREATE|os.O_EXCL|os.O_WRONLY|noFollow, 0o600)
	if err != nil {
		return "", err
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		snapshotting()
		_, err := tx.WriteTo(f)
		return err
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(raw)
		return "", err
	}
	return raw, nil
}

// snapshotting is called with the snapshot's read transaction open,
// before anything is copied, and compacting as the copy is compacted: a
// test holds a backup there.
var snapshotting, compacting = func() {}, func() {}

// backupLater starts a rolling backup in the background when one is due
// and none is running, for a change just committed (the caller holds
// db.mu): a session that stays open (the wizard, onus serve) is backed up
// as it goes, and the save that finds a backup due does not wait for it.
// Close waits for it, and tries again, saying so, if it failed.
func (db *DB) backupLater(at time.Time) {
	if db.opt.ReadOnly || db.backingUp || !db.backupDue(at) {
		return
	}
	db.backingUp = true
	db.backups.Add(1)
	go func() {
		defer db.backups.Done()
		defer func() {
			// Onus's own goroutine: a panic here would end the program
			// with the terminal left raw. Close tries again.
			recover()
			db.mu.Lock()
			db.backingUp = false
			db.mu.Unlock()
		}()
		db.backupAt(at)
	}()
}

// writerMap is the memory map a file at path opened for writing starts
// with: 1 GiB, where that reserves only address space (mapAhead), once
// the file has passed its first growStep. bbolt remaps a file that
// outgrows its map, and a remap waits for every read transaction to end,
// a background backup's included: a save that grew the file past a power
// of two would wait for the whole backup. With it, only a file passing a
// multiple of 1 GiB remaps. A smaller file keeps bbolt's own map, which
// bbolt also makes the file's size while under growStep (a map of 1 GiB
// would make every new file 1 MiB); its backup takes milliseconds.
func writerMap(path string, readOnly bool) int {
	if info, err := os.Stat(path); readOnly || err != nil || info.Size() < growStep || strconv.IntSize < 64 {
		return 0 // a 32-bit process may not find 1 GiB of address space
	}
	return mapAhead(1 << 30)
}

// listBackups returns the backups, oldest first (names sort by time).
func listBackups(path string) []string {
	entries, err := os.ReadDir(backupDir(path))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "onus-") && strings.HasSuffix(e.Name(), ".db") {
			out = append(out, filepath.Join(backupDir(path), e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// backupInterval spaces rolling backups, so a script answering controls one
// command at a time does not copy the whole file on every call.
const backupInterval = 10 * time.Minute

// backupDue reports whether the newest backup is older than
// backupInterval at the time now. The caller holds db.mu. The time of the newest is read
// from the backup folder once, then kept as Backup writes them.
func (db *DB) backupDue(now time.Time) bool {
	if db.lastBackup.IsZero() {
		newest := newestBackup(db.path)
		if newest == "" {
			return true
		}
		info, err := os.Stat(newest)
		if err != nil {
			return true
		}
		db.lastBackup = info.ModTime()
	}
	return now.Sub(db.lastBackup) > backupInterval
}

func newestBackup(path string) string {
	b := listBackups(path)
	if len(b) == 0 {
		return ""
	}
	return b[len(b)-1]
}

// BackupStatus says whether the backups of the database at path keep up
// with it, for onus doctor: stale is true when the file changed more than
// a backup interval after its newest backup was written, which happens
// only when backups fail (every session that changes the file backs it up
// when it closes, at most one interval after the last backup). newest is
// that backup; "" when there is none yet, which stale cannot judge.
func BackupStatus(path string) (newest string, stale bool, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", false, err
	}
	newest = newestBackup(path)
	if newest == "" {
		return "", false, nil
	}
	binfo, err := os.Stat(newest)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return newest, false, err
	}
	return newest, info.ModTime().Sub(binfo.ModTime()) > backupInterval, nil
}
