package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// backupBeside opens a file of a MiB or more (so that writerMap maps it
// ahead) with one assessment and a clock, and returns them and a function
// that starts a background backup held at *hold until the function it
// returns is called.
func backupBeside(t *testing.T) (db *DB, id string, start func(hold *func()) (release func())) {
	t.Helper()
	db, path := openTest(t, "tester")
	for i := 0; size(t, path) < growStep; i++ {
		importAnswered(t, db, i, 200)
	}
	mustClose(t, db)
	c := &clock{now: time.Now()} // after the backup Close wrote
	db, err := Open(path, Options{Actor: "tester", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mustClose(t, db) })
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	db.backups.Wait()
	start = func(hold *func()) func() {
		started, release := make(chan struct{}), make(chan struct{})
		*hold = func() {
			close(started)
			<-release
		}
		c.mu.Lock()
		c.now = c.now.Add(2 * backupInterval)
		c.mu.Unlock()
		if _, err := db.Answer(a.ID, model.Answer{Control: "REC-0000", Status: model.StatusPlanned}, ""); err != nil {
			t.Fatal(err)
		}
		<-started
		return func() {
			close(release)
			db.backups.Wait()
			*hold = func() {}
		}
	}
	return db, a.ID, start
}

// savesBeside runs n saves of notes while a backup is held, failing the
// test if they wait for it.
func savesBeside(t *testing.T, db *DB, id string, n int, notes string, release func()) {
	t.Helper()
	saved := make(chan error, 1)
	go func() {
		for i := range n {
			ans := model.Answer{Control: fmt.Sprintf("REC-%04d", i%300), Status: model.Statuses[i%4], Notes: notes}
			if _, err := db.Answer(id, ans, ""); err != nil {
				saved <- err
				return
			}
		}
		saved <- nil
	}()
	select {
	case err := <-saved:
		release()
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // not a timing: only saves stuck behind the backup take this long
		release()
		<-saved
		t.Fatal("a save waited for the backup to end")
	}
}

func highWater(db *DB) (n int64) {
	db.bolt.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}

// A save never waits for a background backup: here saves grow a file
// past the memory map bbolt would have given it while a backup holds its
// snapshot of the file open. bbolt remaps a file that outgrows its map,
// and a remap waits for every read transaction to end (writerMap).
func TestSaveDoesNotWaitForBackup(t *testing.T) {
	if mapAhead(1<<30) == 0 {
		t.Skip("bbolt makes the file as large as its map on this system: writerMap leaves bbolt's own sizing")
	}
	db, id, start := backupBeside(t)
	// bbolt maps a file at the power of two at or above its size.
	defaultMap := int64(32 << 10)
	for defaultMap < size(t, db.Path()) {
		defaultMap *= 2
	}
	release := start(&snapshotting)
	notes := strings.Repeat("reviewed with QA on site; ", 1200) // 31 KiB
	savesBeside(t, db, id, int(2*defaultMap/(64<<10)), notes, release)
	if hw := highWater(db); hw <= defaultMap {
		t.Fatalf("the saves grew the file to %d bytes, not past the %d bytes bbolt would have mapped", hw, defaultMap)
	}
}

// Saves while a background backup is compacted reuse the pages they free:
// the backup compacts a snapshot of the file, and the file's own read
// transaction lasts only while that snapshot is copied. bbolt keeps every
// page freed while a read transaction is open from reuse, even pages one
// save took from the end of the file and the next freed: when the
// backup compacted the file itself, each save during it grew the file by
// about half the pages it wrote.
func TestSavesBesideBackupReusePages(t *testing.T) {
	db, id, start := backupBeside(t)
	notes := strings.Repeat("reviewed with QA on site; ", 20)
	savesBeside(t, db, id, 300, notes, func() {})
	// What 100 saves take without a backup.
	before := highWater(db)
	savesBeside(t, db, id, 100, notes, func() {})
	alone := highWater(db) - before

	release := start(&compacting)
	before = highWater(db)
	savesBeside(t, db, id, 100, notes, release)
	beside := highWater(db) - before
	if beside > alone+32<<10 {
		t.Errorf("100 saves beside a backup grew the file by %d bytes, alone by %d", beside, alone)
	}
}
