package store

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// A save never waits for a background backup: here saves grow a file
// past the memory map bbolt would have given it while a backup holds its
// snapshot open. bbolt remaps a file that outgrows its map, and a remap
// waits for every read transaction to end (writerMap).
func TestSaveDoesNotWaitForBackup(t *testing.T) {
	if mapAhead(1<<30) == 0 {
		t.Skip("bbolt makes the file as large as its map on this system: writerMap leaves bbolt's own sizing")
	}
	db, path := openTest(t, "tester")
	for i := 0; size(t, path) < growStep; i++ {
		importAnswered(t, db, i, 200)
	}
	mustClose(t, db)
	// bbolt maps a file at the power of two at or above its size.
	defaultMap := int64(32 << 10)
	for defaultMap < size(t, path) {
		defaultMap *= 2
	}
	c := &clock{now: time.Now()} // after the backup Close wrote
	db, err := Open(path, Options{Actor: "tester", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	db.backups.Wait()

	started, release := make(chan struct{}), make(chan struct{})
	copying = func() {
		close(started)
		<-release
	}
	defer func() { copying = func() {} }()
	c.mu.Lock()
	c.now = c.now.Add(2 * backupInterval)
	c.mu.Unlock()
	if _, err := db.Answer(a.ID, model.Answer{Control: "REC-00", Status: model.StatusPlanned}, ""); err != nil {
		t.Fatal(err)
	}
	<-started // the backup's snapshot is open, and stays open

	highWater := func() (n int64) {
		db.bolt.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
		return n
	}
	saved := make(chan error, 1)
	go func() {
		notes := strings.Repeat("reviewed with QA on site; ", 1200) // 31 KiB
		for i := 0; highWater() <= defaultMap; i++ {
			ans := model.Answer{Control: fmt.Sprintf("REC-%04d", i), Status: model.StatusImplemented, Notes: notes}
			if _, err := db.Answer(a.ID, ans, ""); err != nil {
				saved <- err
				return
			}
		}
		saved <- nil
	}()
	select {
	case err := <-saved:
		close(release)
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // not a timing: only saves stuck behind the backup take this long
		close(release)
		<-saved
		t.Fatal("a save waited for the backup to end")
	}
	db.backups.Wait()
	if backups := listBackups(path); len(backups) != 2 {
		t.Fatalf("%d backups, want 2", len(backups))
	} else if _, err := os.Stat(backups[1]); err != nil {
		t.Fatal(err)
	}
}
