package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// In-process: a damaged file gives a *DamagedError (exit code 4) naming the
// newest backup, for read-only and read-write opens alike, and is left as
// it was. (cmd/onus's durability test does the same with the real binary
// and more kinds of damage.)
func TestDamagedFileInProcess(t *testing.T) {
	db, src := openTest(t, "alice")
	for range 5 {
		a, err := db.Create(model.Assessment{Name: strings.Repeat("n", 150)})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"A", "B", "C", "D", "E", "F", "G", "H"} {
			if _, err := db.Answer(a.ID, model.Answer{Control: c, Status: model.StatusPlanned, Notes: strings.Repeat("x", 300)}, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	var used int64
	db.bolt.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	mustClose(t, db)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	page := int64(os.Getpagesize()) // bbolt's default page size
	if used < 8*page || int64(len(data)) < used {
		t.Fatalf("file %d bytes, pages reach %d: too small to cut", len(data), used)
	}

	path := filepath.Join(t.TempDir(), "onus.db")
	// Cut off the last used page: bbolt would read it through its mapping
	// (a SIGBUS no recover catches) unless Open checks the length first.
	if err := os.WriteFile(path, data[:used-page], 0o600); err != nil {
		t.Fatal(err)
	}
	before := fileSHA(t, path)
	for _, ro := range []bool{true, false} {
		_, err := Open(path, Options{ReadOnly: ro})
		var de *DamagedError
		if !errors.As(err, &de) || de.ExitCode() != 4 || de.Path != path || de.Backup != "" {
			t.Fatalf("Open(ReadOnly=%v) of a cut file: %v, want a DamagedError without backup", ro, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "damaged") || !strings.Contains(msg, "cut short") || !strings.Contains(msg, "no backup") {
			t.Errorf("message: %q", msg)
		}
	}
	if fileSHA(t, path) != before {
		t.Fatal("opening the cut file changed it")
	}

	// Zeroed meta pages, with two backups beside the file.
	data = append([]byte(nil), data...)
	clear(data[:2*page])
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(path+".backups", 0o700)
	newest := filepath.Join(path+".backups", "onus-20260102T000000.000000000Z.db")
	for _, b := range []string{newest, filepath.Join(path+".backups", "onus-20260101T000000.000000000Z.db")} {
		copyFile(t, src, b)
	}
	before = fileSHA(t, path)
	_, err = Open(path, Options{})
	var de *DamagedError
	if !errors.As(err, &de) || de.Backup != newest || !strings.Contains(err.Error(), "newest backup: "+newest) {
		t.Errorf("Open of a file with zeroed meta pages: %v, want the newest backup %s named", err, newest)
	}
	if fileSHA(t, path) != before {
		t.Error("Open wrote to a damaged file")
	}
}

// Warnings: a file others can read opens, with a warning naming the fix.
func TestGroupReadableWarning(t *testing.T) {
	db, path := openTest(t, "alice")
	mustClose(t, db)
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if w := db.Warnings(); len(w) != 0 {
		t.Errorf("warnings on a 0600 file: %q", w)
	}
	mustClose(t, db)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	if w := db.Warnings(); len(w) != 1 || !strings.Contains(w[0], "readable by other users") || !strings.Contains(w[0], "chmod 600") {
		t.Errorf("warnings on a 0640 file: %q", w)
	}
}
