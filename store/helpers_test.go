package store

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testZone is deliberately not UTC: the store must convert every time it
// records to UTC itself.
var testZone = time.FixedZone("UTC+2", 2*60*60)

// clock is a deterministic clock for Options.Now: every call returns a time
// one second after the previous one, in testZone.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2026, 3, 14, 9, 26, 53, 589_793_238, testZone)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

// openTest opens (creating) a database in a fresh temporary directory with
// a fixed clock and actor.
func openTest(t testing.TB, actor string) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "onus.db")
	db, err := Open(path, Options{Actor: actor, Now: newClock().Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db, path
}

// openTestAt is openTest with a clock that starts at start.
func openTestAt(t testing.TB, actor string, start time.Time) *DB {
	t.Helper()
	c := &clock{now: start}
	db, err := Open(filepath.Join(t.TempDir(), "onus.db"), Options{Actor: actor, Now: c.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

func mustClose(t testing.TB, db *DB) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func fileSHA(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// syncFile writes out what the system holds of the file at path.
func syncFile(t testing.TB, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
