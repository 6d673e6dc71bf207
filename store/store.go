// Package store keeps assessments in a local bbolt file: one transaction per
// change, each appending a hash-chained audit entry, with rolling backups,
// schema migrations, and refusal to touch a damaged or busy file.
package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/internal/outfile"
	"github.com/onus-gxp/onus/model"
)

// Bucket names are part of the file format. Keys never carry confidential
// text: assessments are keyed by their generated id.
var (
	bucketMeta        = []byte("meta")        // schema version
	bucketAssessments = []byte("assessments") // id → Assessment JSON, without its answers since schema 3
	bucketSummaries   = []byte("summaries")   // id → Summary JSON, for fast listing
	bucketTrails      = []byte("trails")      // id → bucket of seq (8-byte big-endian) → AuditEntry JSON
	bucketAnswers     = []byte("answers")     // id → bucket of control id → Answer JSON (schema 3)
	bucketLog         = []byte("log")         // store-level events (purge, import, salvage), seq → JSON, chained (schema 4)
	bucketHeads       = []byte("heads")       // id → head: the last entry and digests of what onus wrote (schema 4)
	keySchema         = []byte("schema")
)

// SchemaVersion is the file format this build writes: 5 since
// assessments carry an evidence register, which an onus before it would
// drop when it writes.
const SchemaVersion = 5

// growStep is how much the file grows by once it is past a step: bbolt's
// default, 16 MiB, doubles a small file's size at once (and the file never
// shrinks). Each growth costs a truncate and an fsync, so a step of 1 MiB
// costs one more fsync per some thousand answers.
const growStep = 1 << 20

// Options tune Open.
type Options struct {
	// Timeout bounds the wait for another process's lock (default 1s).
	Timeout time.Duration
	// ReadOnly opens without taking the write lock; nothing can be changed.
	ReadOnly bool
	// Actor is recorded as the author of every change.
	Actor string
	// Catalog is the catalog in effect, called when first needed (so a
	// caller may still be loading it). Summaries count progress with it
	// and record its hash, so verify can count again and compare; import
	// checks a bundle's ids against it. Nil: no ids are checked, and
	// Progress counts.
	Catalog func() *model.Catalog
	// Progress computes an assessment's answered and applicable counts for
	// its summary when Catalog is nil; nil leaves them as answered-only.
	// Counts made by it cannot be counted again by verify.
	Progress func(*model.Assessment) (answered, applicable int)
	// Now is the clock (tests fix it); nil means time.Now.
	Now func() time.Time
	// BackgroundCheck makes a read-write Open return once the file's
	// header, freelist and list summaries are checked, and check the rest
	// in the background, from the first call that needs it: List runs at
	// once; Checked, and every other operation, starts the check, waits
	// for it, and fails with its DamagedError (with CheckAsRead, reads of
	// one assessment check their own pages instead). The wizard uses it so that
	// its first screen waits neither for a check whose cost grows with
	// the file nor for the CPU that check takes.
	BackgroundCheck bool
	// CheckAsRead makes Open check only the file's header, freelist, root
	// and meta bucket, and each operation check, inside its transaction
	// and before it reads anything, the pages that operation reads: one
	// assessment's (the path to it in each bucket, and all that is stored
	// under it), or the list's summaries. An operation on the whole file
	// (VerifyAll, Purge, Import, Salvage, Backup, a migration, Checked)
	// checks the whole file first. One-shot commands use it, so that
	// their check does not grow with the file; damage in what a command
	// does not read goes unnoticed until something reads it, or verify,
	// doctor or the wizard checks the whole file. With BackgroundCheck,
	// only reads of one assessment are sized so, until the whole file's
	// check has finished (opening an assessment need not wait for it);
	// writes still wait for that check, which a write beside it could
	// confuse with the pages it frees.
	CheckAsRead bool
}

// DB is an open Onus database, as one person uses it: every handle on
// the same open file (As) shares it, and records its own actor.
type DB struct {
	*file
	actor string // who this handle's changes are attributed to
	lent  *lent  // set on a handle lent to another's command (Lend)
}

// file is the open database every handle shares.
type file struct {
	bolt     *bolt.DB
	path     string
	opt      Options
	warnings []string

	// checked is closed when the whole file has been checked; checkErr is
	// what that check found (set before the close).
	checked    chan struct{}
	checkErr   error
	checkStart sync.Once // the background check starts once, when first needed

	// asRead: Options.CheckAsRead is in effect (see checkScope).
	asRead    bool
	scopeMu   sync.Mutex
	checkedAs checkedScope // what checkScope has checked so far
	scopeErr  error        // the damage checkScope found: nothing more is read
	wrote     atomic.Bool  // updateOf committed a change (for DamagedError.Written)

	commits atomic.Uint64 // write transactions ended (Commits)

	// zeroedTo is how far the file is known to be written (zeroAhead);
	// only write transactions, which bbolt runs one at a time, use it.
	zeroedTo int64

	// openList is the list summaries as a BackgroundCheck open's check
	// read them, for the first List (listMapped).
	openList atomic.Pointer[openList]

	mu      sync.Mutex // guards changed, last and the backups' state; bbolt serialises the writes themselves
	changed bool

	lastBackup time.Time      // when the newest backup was written; zero: not looked at yet
	backingUp  bool           // a background backup is running (backupLater)
	backups    sync.WaitGroup // the background backup, which Close waits for

	// last is the assessment as the last change committed it. Decoding an
	// assessment is most of the work of a change; while the file is open
	// for writing no other process can change it, so the next change to
	// the same assessment starts from this one. Callers only ever get
	// copies. Only change sets it; every other write clears it.
	last *lastChange
}

// lastChange is an assessment as a committed change left it, with the
// head of its trail, which the next entry links to.
type lastChange struct {
	a    model.Assessment
	head head
	// filed says a holds no free-text evidence: a change that files it
	// (filesFirst) left none, and no change adds any, so the next one
	// need not look through every answer again.
	filed bool
	// counted is the progress a's summary holds, when the catalog in
	// effect counted it: the next change to answers alone counts from it.
	counted *progress
}

// InUseError says another process holds the file.
type InUseError struct{ Path string }

func (e *InUseError) Error() string {
	return fmt.Sprintf("%s is in use by another onus (close it there, or use --db for another file; a wizard that holds it exports with x)", e.Path)
}

// ExitCode is 3: the file is in use.
func (e *InUseError) ExitCode() int { return 3 }

// ErrInUse matches any InUseError with errors.Is.
var ErrInUse = errors.New("database in use")

func (e *InUseError) Is(target error) bool { return target == ErrInUse }

// NoDatabaseError says a read-only open found no file: nothing has been
// saved there yet (a read-write open creates it).
type NoDatabaseError struct{ Path string }

func (e *NoDatabaseError) Error() string {
	return fmt.Sprintf("%s does not exist yet (onus new, or the wizard, creates it)", e.Path)
}

// ErrNoDatabase matches any NoDatabaseError with errors.Is.
var ErrNoDatabase = errors.New("no database yet")

func (e *NoDatabaseError) Is(target error) bool { return target == ErrNoDatabase }

// DamagedError says the file failed its integrity check; Onus never writes
// to such a file.
type DamagedError struct {
	Path   string
	Backup string // newest backup, if any
	Cause  error
	// Late: found by the background check, after the file was opened
	// (nothing was written to it in between either).
	Late bool
	// Written: found after this session saved changes to the parts of
	// the file it had checked (Options.CheckAsRead).
	Written bool
}

func (e *DamagedError) Error() string {
	msg := fmt.Sprintf("%s is damaged and was not opened (%v); onus has not written to it", e.Path, e.Cause)
	switch {
	case e.Written:
		msg = fmt.Sprintf("%s is damaged (%v) where this session did not read; the changes it saved are in the file, and onus will write nothing more to it", e.Path, e.Cause)
	case e.Late:
		msg = fmt.Sprintf("%s is damaged (%v); onus has not written to it and will not", e.Path, e.Cause)
	}
	if e.Backup != "" {
		msg += fmt.Sprintf("\nnewest backup: %s (copy it over the damaged file to restore, after keeping the damaged one aside)", e.Backup)
	} else {
		msg += "\nno backup was found next to it"
	}
	return msg
}

// ExitCode is 4: the file is damaged.
func (e *DamagedError) ExitCode() int { return 4 }

// DefaultPath is $XDG_DATA_HOME/onus/onus.db, else ~/.local/share/onus/onus.db.
func DefaultPath(getenv func(string) string) (string, error) {
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "onus", "onus.db"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no home directory to keep the database in; pass --db FILE: %w", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "share", "onus", "onus.db"), nil
}

// Open opens (or creates) the database at path. Whatever is wrong comes
// back as one of this package's errors, each with its exit code: the path
// is not a regular file (*NotRegularError) or cannot be opened
// (*AccessError), exit 1; another onus holds it (*InUseError), exit 3; it
// is damaged (*DamagedError), exit 4. Nothing is written to a file, and
// nothing in it is read beyond what has been checked, before it has passed
// its check.
func Open(path string, opt Options) (*DB, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Actor == "" {
		opt.Actor = "unknown"
	}
	db := &DB{file: &file{path: path, opt: opt, checked: make(chan struct{})}, actor: opt.Actor}
	deferred := false

	info, err := statDatabase(path)
	if err != nil {
		return nil, err
	}
	if info == nil {
		if opt.ReadOnly {
			return nil, &NoDatabaseError{Path: path}
		}
		created, err := createFile(path, opt.Timeout)
		if err != nil {
			return nil, err
		}
		if !created { // another onus was quicker: check its file as any other
			if info, err = statDatabase(path); err != nil {
				return nil, err
			}
		}
	}
	if info != nil {
		if info.Size() == 0 {
			// bbolt would take it for a new file, and write one into it.
			return nil, &DamagedError{Path: path, Backup: newestBackup(path), Cause: errors.New("the file is empty: it holds no onus database")}
		}
		if info.Mode().Perm()&0o077 != 0 {
			db.warnings = append(db.warnings, fmt.Sprintf("%s is readable by other users (mode %04o); run: chmod 600 %s", path, info.Mode().Perm(), path))
		}
		// Check the file read-only before anything may write to it.
		var quick *scope
		var first *openList
		switch {
		case opt.BackgroundCheck && !opt.ReadOnly:
			first = &openList{}
			quick = &scope{buckets: [][]byte{bucketMeta, bucketSummaries}, read: first.add, readIn: bucketSummaries, size: first.size}
		case opt.CheckAsRead && !opt.BackgroundCheck:
			quick = &scope{buckets: [][]byte{bucketMeta}}
		}
		// A read-only open keeps the handle the check opened.
		kept, warnings, rest, checkedTx, err := checkFile(path, opt.Timeout, quick, opt.ReadOnly)
		if err != nil {
			return nil, err
		}
		db.warnings = append(db.warnings, warnings...)
		deferred = rest
		if rest && first != nil {
			first.txid = checkedTx
			db.openList.Store(first)
		}
		db.bolt = kept
	}

	b := db.bolt
	if b == nil {
		var err error
		if b, err = boltOpen(path, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly, InitialMmapSize: writerMap(path, opt.ReadOnly)}); err != nil {
			return nil, err
		}
		db.bolt = b
	}
	b.AllocSize = growStep
	// This process holds the file's lock now, so no other onus is writing
	// a backup: what interrupted ones left can go.
	db.warnings = append(db.warnings, removeLeftovers(path)...)
	switch v, _ := db.schema(); {
	case !deferred:
		db.checkStart.Do(func() { close(db.checked) })
	case v == SchemaVersion:
		// Started by the first call that needs it (see ready).
		db.asRead = opt.CheckAsRead
	default: // a migration writes: check everything first
		if db.checkStart.Do(db.checkRest); db.checkErr != nil {
			b.Close()
			if de, ok := db.checkErr.(*DamagedError); ok {
				de.Late = false
			}
			return nil, db.checkErr
		}
	}
	if !opt.ReadOnly {
		if err := db.migrate(); err != nil {
			b.Close()
			return nil, err
		}
	} else if v, err := db.schema(); err != nil || v > SchemaVersion {
		b.Close()
		if err == nil {
			err = newerError(path, v)
		}
		return nil, err
	}
	return db, nil
}

// newerError says a file was written by a newer onus (exit 1: nothing is
// wrong with it).
func newerError(path string, v int) error {
	return fmt.Errorf("%s was written by a newer onus (schema %d; this one reads up to %d)", path, v, SchemaVersion)
}

// checkFile opens the file read-only (which waits for, rather than races,
// a writer) and checks it before anything may write to it: bbolt panics or
// faults on some damage instead of returning an error, and Onus's code
// expects the buckets its schema promises. It returns warnings worth
// showing when the file is usable. quick checks only what opening needs
// and what the scope names, and rest reports that the remainder is still
// to be checked (by checkRest or checkScope); a file with a damaged meta
// page, or without a freelist (which a read-write open writes at once),
// is always checked in full. keep returns the read-only handle it opened
// (kept) when the file passed, instead of closing it. checkedTx is the
// commit a quick check read.
func checkFile(path string, timeout time.Duration, quick *scope, keep bool) (kept *bolt.DB, warnings []string, rest bool, checkedTx uint64, err error) {
	damaged := func(cause error) error {
		return &DamagedError{Path: path, Backup: newestBackup(path), Cause: cause}
	}
	var b *bolt.DB
	defer func() {
		if r := recover(); r != nil {
			err = damaged(fmt.Errorf("%v", r))
		}
		if b != nil && keep && err == nil {
			kept = b
		} else if b != nil {
			b.Close()
		}
	}()
	b, err = boltOpen(path, &bolt.Options{Timeout: timeout, ReadOnly: true})
	if err != nil {
		return nil, nil, false, 0, err
	}
	if quick != nil {
		pages, err := checkPages(path, quick)
		if err != nil {
			return nil, nil, false, 0, openFailure(path, err)
		}
		if !pages.recovered && !pages.noFreelist {
			if err := b.View(func(tx *bolt.Tx) error { return checkSchema(tx, false) }); err != nil {
				return nil, nil, false, 0, damaged(err)
			}
			return nil, nil, true, pages.txid, nil
		}
	}
	// Bounds first, so bbolt's own walk below cannot fault.
	pages, err := checkPages(path, nil)
	if err != nil {
		return nil, nil, false, 0, openFailure(path, err)
	}
	err = b.View(func(tx *bolt.Tx) error {
		if cerr := checkAll(tx); cerr != nil {
			return damaged(cerr)
		}
		if !pages.recovered {
			return nil
		}
		// bbolt fell back to the commit before the newest one, whose tree
		// may hold pages the lost commit reused: trust it only if every
		// audit chain still verifies.
		for _, id := range assessmentIDs(tx) {
			if r := verifyTx(tx, id); r.Err != "" {
				return damaged(fmt.Errorf("a meta page failed its checksum, and in the commit bbolt fell back to, assessment %s fails its integrity check: %s", id, r.Err))
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, false, 0, err
	}
	if pages.recovered {
		warnings = append(warnings, fmt.Sprintf("%s was not written completely last time (a meta page failed its checksum): the last change before that may be lost; every audit chain verified", path))
	}
	return nil, warnings, false, 0, nil
}

// checkAll runs bbolt's own check and then the schema's, in full; the
// pages have been checked before.
func checkAll(tx *bolt.Tx) error {
	if err := checkTx(tx); err != nil {
		return err
	}
	return checkSchema(tx, true)
}

// checkRest checks the whole of a file opened after a quick check, the
// same way checkFile does, and records the result for ready.
func (db *DB) checkRest() {
	defer close(db.checked)
	late := func(cause error) error {
		return &DamagedError{Path: db.path, Backup: newestBackup(db.path), Cause: cause, Late: true, Written: db.wrote.Load()}
	}
	defer func() {
		if r := recover(); r != nil {
			db.checkErr = late(fmt.Errorf("%v", r))
		}
	}()
	if _, err := checkPages(db.path, nil); err != nil {
		db.checkErr = openFailure(db.path, err)
		if de, ok := db.checkErr.(*DamagedError); ok {
			de.Late, de.Written = true, db.wrote.Load()
		}
		return
	}
	if err := db.bolt.View(checkAll); err != nil {
		db.checkErr = late(err)
	}
}

// startCheck starts the background check if it has not started.
func (db *DB) startCheck() {
	db.checkStart.Do(func() { go db.checkRest() })
}

// ready waits until the file has been checked and returns what was found.
func (db *DB) ready() error {
	db.startCheck()
	<-db.checked
	return db.checkErr
}

// Checked starts the background check of a BackgroundCheck open if
// nothing has yet, waits for it (returns at once otherwise), and returns
// its DamagedError, if any.
func (db *DB) Checked() error { return db.ready() }

// view and update run a transaction once the whole file is known to be sound.
func (db *DB) view(fn func(*bolt.Tx) error) error {
	if err := db.ready(); err != nil {
		return err
	}
	return db.bolt.View(fn)
}

func (db *DB) update(fn func(*bolt.Tx) error) error {
	if err := db.ready(); err != nil {
		return err
	}
	defer db.commits.Add(1)
	return db.bolt.Update(func(tx *bolt.Tx) error {
		return db.zeroAhead(tx, fn(tx))
	})
}

// checkTx runs bbolt's consistency check (of the whole file, or as opts
// say) and returns its first error. It
// reads the check to its end: the check walks the file in a goroutine of
// its own, which must be done with the memory map before the transaction
// ends and the file may be closed and unmapped under it.
func checkTx(tx *bolt.Tx, opts ...bolt.CheckOption) error {
	var first error
	for err := range tx.Check(opts...) {
		if first == nil {
			first = err
		}
	}
	if first != nil {
		// bbolt reports a panic it contained as "panic: ...".
		return errors.New(strings.TrimPrefix(first.Error(), "panic: "))
	}
	return nil
}

// newFilePattern names the temporary file a new database is made in.
const newFilePattern = ".onus-new-*.db"

// createFile makes a new, fully initialised database under a temporary
// name and links it into place, so a half-made file never appears, and a
// file another onus created meanwhile is never replaced (created is false
// then). bbolt's lock on the temporary file is held until it is in place,
// so that another onus cleaning up leftovers leaves it alone.
func createFile(path string, timeout time.Duration) (created bool, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, &AccessError{Path: dir, Op: "create", Err: err}
	}
	var b *bolt.DB
	var tmp string
	for range 10 {
		tmp = filepath.Join(dir, newTempName())
		if b, err = createDB(tmp, timeout, 0); !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return false, &AccessError{Path: path, Op: "create", Err: err}
	}
	defer os.Remove(tmp) // gone already once published
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		for _, name := range bucketsOf(SchemaVersion) {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(fmt.Sprint(SchemaVersion)))
	})
	if err != nil {
		return false, fmt.Errorf("creating %s: %w", path, err)
	}
	var exists *outfile.ExistsError
	switch err := outfile.Publish(tmp, path, false); {
	case errors.As(err, &exists):
		return false, nil
	case err != nil:
		return false, &AccessError{Path: path, Op: "create", Err: err}
	}
	return true, nil
}

// newTempName is a new name for a database being made beside another
// (createFile, Compact), one newFilePattern matches.
func newTempName() string {
	var rnd [8]byte
	rand.Read(rnd[:])
	return strings.Replace(newFilePattern, "*", hex.EncodeToString(rnd[:]), 1)
}

// Close closes the database, writing a rolling backup first when this
// session changed anything. When only that backup failed, every change is
// saved all the same, and the error is a *BackupError.
func (db *DB) Close() error {
	if db.lent != nil {
		return nil // the file stays open for its owner
	}
	// A check never started is not needed; one running reads through the
	// map Close removes.
	db.checkStart.Do(func() { close(db.checked) })
	<-db.checked
	db.backups.Wait()
	db.mu.Lock()
	due := db.changed && !db.opt.ReadOnly && db.backupDue(db.opt.Now())
	db.mu.Unlock()
	var berr error
	if due {
		if _, err := db.Backup(); err != nil {
			berr = &BackupError{Path: db.path, Err: err}
		}
	}
	if err := db.bolt.Close(); err != nil {
		return err
	}
	return berr
}

// markChanged records that a change was committed at the time at (the
// caller holds db.mu), and starts a rolling backup if one is due then. A
// zero time starts none: Close writes it if it is due.
func (db *DB) markChanged(at time.Time) {
	db.changed = true
	if !at.IsZero() {
		db.backupLater(at)
	}
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Warnings are problems worth telling the user that did not stop Open.
func (db *DB) Warnings() []string { return db.warnings }

// Actor is who this session's changes are attributed to.
func (db *DB) Actor() string { return db.actor }

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	// Unmarshal copies what it keeps, so nothing outlives the transaction.
	return true, json.Unmarshal(raw, v)
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}
