// Package store keeps assessments in a local bbolt file: one transaction per
// change, each appending a hash-chained audit entry, with rolling backups,
// schema migrations, and refusal to touch a damaged or busy file.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// Bucket names are part of the file format. Keys never carry confidential
// text: assessments are keyed by their generated id.
var (
	bucketMeta        = []byte("meta")        // schema version
	bucketAssessments = []byte("assessments") // id → Assessment JSON
	bucketSummaries   = []byte("summaries")   // id → Summary JSON, for fast listing
	bucketTrails      = []byte("trails")      // id → bucket of seq (8-byte big-endian) → AuditEntry JSON
	bucketLog         = []byte("log")         // store-level events (purge, import), seq → JSON
	keySchema         = []byte("schema")
)

// SchemaVersion is the file format this build writes.
const SchemaVersion = 2

// Options tune Open.
type Options struct {
	// Timeout bounds the wait for another process's lock (default 1s).
	Timeout time.Duration
	// ReadOnly opens without taking the write lock; nothing can be changed.
	ReadOnly bool
	// Actor is recorded as the author of every change.
	Actor string
	// Progress computes an assessment's answered and applicable counts for
	// its summary; nil leaves them as answered-only.
	Progress func(*model.Assessment) (answered, applicable int)
	// Now is the clock (tests fix it); nil means time.Now.
	Now func() time.Time
}

// DB is an open Onus database.
type DB struct {
	bolt     *bolt.DB
	path     string
	opt      Options
	warnings []string
	changed  bool
}

// InUseError says another process holds the file.
type InUseError struct{ Path string }

func (e *InUseError) Error() string {
	return fmt.Sprintf("%s is in use by another onus (close it there, or use --db for another file)", e.Path)
}

// ExitCode is 3: the file is in use.
func (e *InUseError) ExitCode() int { return 3 }

// ErrInUse matches any InUseError with errors.Is.
var ErrInUse = errors.New("database in use")

func (e *InUseError) Is(target error) bool { return target == ErrInUse }

// DamagedError says the file failed its integrity check; Onus never writes
// to such a file.
type DamagedError struct {
	Path   string
	Backup string // newest backup, if any
	Cause  error
}

func (e *DamagedError) Error() string {
	msg := fmt.Sprintf("%s is damaged and was not opened (%v); onus has not written to it", e.Path, e.Cause)
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

// Open opens (or creates) the database at path.
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
	db := &DB{path: path, opt: opt}

	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if opt.ReadOnly {
			return nil, fmt.Errorf("%s does not exist", path)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		if err := createFile(path); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	default:
		if info.Mode().Perm()&0o077 != 0 {
			db.warnings = append(db.warnings, fmt.Sprintf("%s is readable by other users (mode %04o); run: chmod 600 %s", path, info.Mode().Perm(), path))
		}
		// Check the whole file read-only before anything may write to it:
		// bbolt panics on some damage instead of returning an error.
		if err := checkFile(path, opt.Timeout); err != nil {
			return nil, err
		}
	}

	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, &InUseError{Path: path}
		}
		return nil, &DamagedError{Path: path, Backup: newestBackup(path), Cause: err}
	}
	db.bolt = b
	if !opt.ReadOnly {
		if err := db.migrate(); err != nil {
			b.Close()
			return nil, err
		}
	} else if v, err := db.schema(); err != nil || v > SchemaVersion {
		b.Close()
		if err == nil {
			err = fmt.Errorf("%s was written by a newer onus (schema %d; this one reads up to %d)", path, v, SchemaVersion)
		}
		return nil, err
	}
	return db, nil
}

// checkFile opens the file read-only with panics contained and verifies
// bbolt's structure and every stored value's JSON.
func checkFile(path string, timeout time.Duration) (err error) {
	damaged := func(cause error) error {
		return &DamagedError{Path: path, Backup: newestBackup(path), Cause: cause}
	}
	defer func() {
		if r := recover(); r != nil {
			err = damaged(fmt.Errorf("%v", r))
		}
	}()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: true})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return &InUseError{Path: path}
		}
		return damaged(err)
	}
	defer b.Close()
	return b.View(func(tx *bolt.Tx) error {
		// A file cut short makes bbolt read past its end: SIGBUS, which no
		// recover catches. Compare its length with its own page count first.
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		if info.Size() < tx.Size() {
			return damaged(fmt.Errorf("the file is %d bytes but its pages reach %d bytes: it was cut short", info.Size(), tx.Size()))
		}
		for cerr := range tx.Check() {
			// bbolt reports a panic it contained as "panic: ...".
			return damaged(errors.New(strings.TrimPrefix(cerr.Error(), "panic: ")))
		}
		return nil
	})
}

// createFile makes a new, fully initialised database under a temporary
// name and renames it into place, so a half-made file never appears.
func createFile(path string) error {
	tmp := path + ".new"
	os.Remove(tmp)
	b, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	err = b.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketAssessments, bucketSummaries, bucketTrails, bucketLog} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(fmt.Sprint(SchemaVersion)))
	})
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Close closes the database, writing a rolling backup first when this
// session changed anything.
func (db *DB) Close() error {
	var berr error
	if db.changed && !db.opt.ReadOnly && db.backupDue() {
		_, berr = db.Backup()
	}
	if err := db.bolt.Close(); err != nil {
		return err
	}
	return berr
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Warnings are problems worth telling the user that did not stop Open.
func (db *DB) Warnings() []string { return db.warnings }

// Actor is who this session's changes are attributed to.
func (db *DB) Actor() string { return db.opt.Actor }

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
