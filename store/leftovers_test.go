package store

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/internal/outfile"
	"github.com/onus-gxp/onus/model"
)

// holdChild is set in the child process that holds a temporary file the
// way an onus does while it creates a database or writes a backup, until
// it is killed: "kind path".
const holdChild = "ONUS_HOLD_CHILD"

func TestHoldChild(t *testing.T) {
	spec := os.Getenv(holdChild)
	if spec == "" {
		t.Skip("the child process of TestLeftoversRemovedAtNextOpen")
	}
	kind, path, _ := strings.Cut(spec, " ")
	switch kind {
	case "new": // createFile's temporary database, locked by bbolt
		b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
	case "backup": // a backup being written through outfile
		f, err := outfile.Create(path, outfile.Options{Private: true})
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("half a copy of the data"))
		os.WriteFile(path+".tmpname", []byte(f.Name()), 0o600)
	}
	os.Stdout.WriteString("holding\n")
	time.Sleep(time.Minute)
}

// holdUntilKilled starts a child holding a temporary file, waits until it
// does, and returns a function that kills it with SIGKILL.
func holdUntilKilled(t *testing.T, kind, path string) (kill func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldChild$", "-test.v")
	cmd.Env = append(os.Environ(), holdChild+"="+kind+" "+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	var got string
	for !strings.Contains(got, "holding") {
		n, err := out.Read(buf)
		if err != nil {
			t.Fatalf("child: %v (%q)", err, got)
		}
		got += string(buf[:n])
	}
	return func() {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
}

// An onus killed while it created a database or wrote a backup leaves a
// hidden temporary file holding the data. The next open removes it (and
// says so); one another onus is still writing is left alone; Leftovers
// lists them all.
func TestLeftoversRemovedAtNextOpen(t *testing.T) {
	db, path := openTest(t, "alice")
	if _, err := db.Create(model.Assessment{Name: "LIMS"}); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	dir, backups := filepath.Dir(path), backupDir(path)

	// Killed ones: a database being created, a backup being written, and
	// a backup's temporary file as versions before outfile named it.
	newTmp := filepath.Join(dir, ".onus-new-4242.db")
	kill := holdUntilKilled(t, "new", newTmp)
	kill()
	kill = holdUntilKilled(t, "backup", filepath.Join(backups, "onus-20260101T000000.000000000Z.db"))
	kill()
	raw, _ := os.ReadFile(filepath.Join(backups, "onus-20260101T000000.000000000Z.db.tmpname"))
	backupTmp := string(raw)
	os.Remove(filepath.Join(backups, "onus-20260101T000000.000000000Z.db.tmpname"))
	oldTmp := filepath.Join(backups, ".backup-123456")
	os.WriteFile(oldTmp, []byte("copy"), 0o600)
	// A live one: another onus creating a database right now.
	liveTmp := filepath.Join(dir, ".onus-new-777.db")
	defer holdUntilKilled(t, "new", liveTmp)()

	want := []string{newTmp, liveTmp, oldTmp, backupTmp}
	slices.Sort(want)
	got := Leftovers(path)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("Leftovers = %q, want %q", got, want)
	}
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	if got := Leftovers(path); !slices.Equal(got, []string{liveTmp}) {
		t.Errorf("after the next open: %q, want only the one still held", got)
	}
	var removed int
	for _, w := range db.Warnings() {
		if strings.Contains(w, "interrupted onus") {
			removed++
		}
	}
	if removed != 3 {
		t.Errorf("warnings %q, want one per removed file", db.Warnings())
	}
}

// A change is committed even when the backup after it fails: Close says
// so with a *BackupError, and BackupStatus sees the backups falling
// behind.
func TestBackupFailureAfterCommit(t *testing.T) {
	db, path := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db) // the first backup
	newest, stale, err := BackupStatus(path)
	if err != nil || newest == "" || stale {
		t.Fatalf("BackupStatus after a backup: %q %v %v", newest, stale, err)
	}
	// Make the next backup due, and make it fail: a file stands where the
	// backups folder belongs (as a full disk would, it refuses the copy).
	old := time.Now().Add(-time.Hour)
	os.Chtimes(newest, old, old)
	folder := backupDir(path)
	if err := os.Rename(folder, folder+".aside"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(folder, []byte("not a folder"), 0o600)
	db, err = Open(path, Options{Actor: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusImplemented}, ""); err != nil {
		t.Fatal(err)
	}
	err = db.Close()
	var be *BackupError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "every change is saved") {
		t.Fatalf("Close with a failing backup: %v, want a BackupError", err)
	}
	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Get(a.ID)
	mustClose(t, db)
	if err != nil || got.Answers["REC-01"].Status != model.StatusImplemented {
		t.Errorf("the change before the failed backup: %v %+v", err, got.Answers)
	}
	os.Remove(folder)
	os.Rename(folder+".aside", folder)
	if _, stale, err := BackupStatus(path); err != nil || !stale {
		t.Errorf("BackupStatus after a failed backup: stale %v, %v", stale, err)
	}
}
