package store

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// importAnswered imports an assessment with a trail of a creation and n
// answers, in one transaction (quicker than n saves), and returns its id.
func importAnswered(t testing.TB, db *DB, i, n int) string {
	t.Helper()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	id := fmt.Sprintf("compact%09d", i)
	v := &v1Assessment{}
	v.add(t, at, "tester", model.ActCreate, "assessment", nil, model.Assessment{ID: id, Name: fmt.Sprintf("Assessment %d", i),
		Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("ec2", "s3"), Workflow: model.WorkflowDraft,
		CreatedAt: at, UpdatedAt: at, CreatedBy: "tester"}, "")
	for j := range n {
		at = at.Add(time.Second)
		ans := model.Answer{Control: fmt.Sprintf("C-%04d", j), Status: model.Statuses[j%4], Notes: strings.Repeat("reviewed on site; ", 10),
			UpdatedAt: at, UpdatedBy: "tester"}
		v.add(t, at, "tester", model.ActAnswer, "answer/"+ans.Control, nil, ans, "")
	}
	if _, err := db.Import(model.NewBundle(v.a, v.trail)); err != nil {
		t.Fatal(err)
	}
	return id
}

// heads returns every assessment's verified head and the store log's
// head, failing the test on any finding.
func heads(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	results, err := db.VerifyAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range results {
		if r.Err != "" {
			t.Fatalf("%s: %s", r.ID, r.Err)
		}
		out[r.ID] = r.Head
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		out["log"] = string(tx.Bucket(bucketMeta).Get(keyLogHead))
		return nil
	})
	return out
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// pagesEnd is where the pages bbolt uses end in the file at path.
func pagesEnd(t *testing.T, path string) int64 {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var end int64
	b.View(func(tx *bolt.Tx) error {
		end = tx.Size()
		return nil
	})
	return end
}

// A file emptied of most of its assessments keeps its size until it is
// compacted; compacted, it shrinks, and every record left, and the log of
// the purges, verifies and ends where it ended.
func TestCompactShrinksPurgedFile(t *testing.T) {
	db, path := openTest(t, "tester")
	var ids []string
	for i := range 20 {
		ids = append(ids, importAnswered(t, db, i, 300))
	}
	for _, id := range ids[1:] {
		if err := db.Purge(id); err != nil {
			t.Fatal(err)
		}
	}
	mustClose(t, db)
	want := heads(t, path)
	full := size(t, path)

	before, after, err := Compact(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	if before != full || after != size(t, path) {
		t.Errorf("Compact reported %d → %d bytes; the file was %d and is %d", before, after, full, size(t, path))
	}
	if after > full/4 {
		t.Errorf("a file with 1 of its 20 assessments left went from %d to %d bytes, want a quarter or less", full, after)
	}
	got := heads(t, path)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after compacting, the records end at %v, want %v", got, want)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the compacted file: %v, %v; want mode 0600", info.Mode(), err)
	}
	if left := Leftovers(path); len(left) != 0 {
		t.Errorf("compacting left %v", left)
	}
	// It still takes changes.
	db, err = Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Answer(ids[0], model.Answer{Control: "C-9999", Status: model.StatusImplemented}, ""); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
}

// Compact needs the file to itself: another onus holding it (the wizard,
// onus serve) makes it refuse with an InUseError (exit 3), and the file
// is left as it was.
func TestCompactRefusedWhileOpen(t *testing.T) {
	db, path := openTest(t, "tester")
	importAnswered(t, db, 0, 10)
	sum := fileSHA(t, path)
	_, _, err := Compact(path, Options{Actor: "tester", Timeout: 100 * time.Millisecond})
	var inUse *InUseError
	if !errors.As(err, &inUse) || inUse.ExitCode() != 3 {
		t.Fatalf("Compact of a file open elsewhere: %v, want an InUseError", err)
	}
	mustClose(t, db)
	if fileSHA(t, path) != sum {
		t.Error("a refused compaction changed the file")
	}
}

// A file whose records fail their check is evidence: Compact refuses it
// (exit 4) and leaves it byte for byte as it was; a damaged file is
// refused before anything reads it.
func TestCompactRefusesDamage(t *testing.T) {
	db, path := openTest(t, "tester")
	id := importAnswered(t, db, 0, 10)
	mustClose(t, db)
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error {
		trail := tx.Bucket(bucketTrails).Bucket([]byte(id))
		v := trail.Get(seqKey(3))
		return trail.Put(seqKey(3), []byte(strings.Replace(string(v), "reviewed", "REVIEWED", 1)))
	})
	b.Close()
	sum := fileSHA(t, path)
	_, _, err = Compact(path, Options{Actor: "tester"})
	var ie *IntegrityError
	if !errors.As(err, &ie) || ie.ExitCode() != 4 {
		t.Fatalf("Compact of an edited trail: %v, want an IntegrityError", err)
	}
	if fileSHA(t, path) != sum {
		t.Error("a refused compaction changed the file")
	}

	// Cut through its pages: the file runs on past them (zeroAhead).
	if err := os.Truncate(path, pagesEnd(t, path)/2); err != nil {
		t.Fatal(err)
	}
	sum = fileSHA(t, path)
	_, _, err = Compact(path, Options{Actor: "tester"})
	var de *DamagedError
	if !errors.As(err, &de) || de.ExitCode() != 4 {
		t.Fatalf("Compact of a truncated file: %v, want a DamagedError", err)
	}
	if fileSHA(t, path) != sum {
		t.Error("a refused compaction changed the damaged file")
	}
}

const compactChild = "ONUS_COMPACT_CHILD"

// TestCompactChild is the process TestCompactKilled kills: it compacts
// the file over and over, saying so after each.
func TestCompactChild(t *testing.T) {
	path := os.Getenv(compactChild)
	if path == "" {
		t.Skip("the child process of TestCompactKilled")
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	if backup, ok := strings.CutPrefix(path, "backup "); ok {
		// Backups after saves, each one due (the clock moves an interval
		// on at each call).
		c := &clock{now: time.Now()}
		db, err := Open(backup, Options{Actor: "child", Now: func() time.Time { c.now = c.now.Add(backupInterval); return c.now }})
		if err != nil {
			fail(err)
		}
		os.Stdout.WriteString("ready\n")
		for {
			if _, err := db.Backup(); err != nil {
				fail(err)
			}
			os.Stdout.WriteString("backed up\n")
		}
	}
	os.Stdout.WriteString("ready\n")
	for {
		if _, _, err := Compact(path, Options{Actor: "child", Timeout: 5 * time.Second}); err != nil {
			fail(err)
		}
		os.Stdout.WriteString("compacted\n")
	}
}

// An onus killed (SIGKILL) at any moment of a compaction loses nothing:
// the file opens, every record verifies and ends where it did, and the
// next open removes the half-written copy.
func TestCompactKilled(t *testing.T) {
	db, path := openTest(t, "tester")
	for i := range 6 {
		importAnswered(t, db, i, 200)
	}
	if err := db.Purge(fmt.Sprintf("compact%09d", 5)); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	want := heads(t, path)
	killCompacting(t, path, path, func(round int) {
		if got := heads(t, path); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d: after the kill, the records end at %v, want %v", round, got, want)
		}
	})
}

// killCompacting runs TestCompactChild on spec (a path to compact, or
// "backup PATH") and kills it at random moments, eight times, calling
// check after each kill; after each, the next open must remove what the
// kill left.
func killCompacting(t *testing.T, path, spec string, check func(round int)) {
	rng := rand.New(rand.NewPCG(16, 5))
	compacted, interrupted := 0, 0
	for round := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCompactChild$")
		cmd.Env = append(os.Environ(), compactChild+"="+spec)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		if !sc.Scan() || sc.Text() != "ready" {
			cmd.Process.Kill()
			t.Fatalf("round %d: the child did not start", round)
		}
		time.Sleep(time.Duration(rng.IntN(800)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() {
			compacted++
		}
		cmd.Wait()
		if left := Leftovers(path); len(left) > 0 {
			interrupted++
		}
		check(round)
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		mustClose(t, db)
		if left := Leftovers(path); len(left) != 0 {
			t.Fatalf("round %d: the open after the kill left %v", round, left)
		}
	}
	t.Logf("%d completed in 8 rounds; %d rounds killed one half-way", compacted, interrupted)
}

// An onus that waited for the lock while the file was replaced (by onus
// compact) opens the new file, never the old one, whose changes nobody
// would see again.
func TestOpenAfterReplacedWhileWaiting(t *testing.T) {
	db, path := openTest(t, "tester")
	importAnswered(t, db, 0, 3)
	opened := make(chan error, 1)
	var waiter *bolt.DB
	go func() {
		var err error
		waiter, err = boltOpen(path, &bolt.Options{Timeout: 10 * time.Second})
		opened <- err
	}()
	time.Sleep(300 * time.Millisecond) // the waiter is at the lock
	copyFile(t, path, path+".new")
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	if err := <-opened; err != nil {
		t.Fatal(err)
	}
	err := waiter.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put([]byte("written"), []byte("after waiting")) })
	waiter.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta).Get([]byte("written")) == nil {
			t.Error("what was written after waiting is not in the file")
		}
		return nil
	})
}

// Backups are written compacted: a file emptied of most of its
// assessments backs up small, and the backup opens and verifies, each
// record ending where the file's does.
func TestBackupCompacted(t *testing.T) {
	db, path := openTest(t, "tester")
	var ids []string
	for i := range 20 {
		ids = append(ids, importAnswered(t, db, i, 300))
	}
	for _, id := range ids[1:] {
		if err := db.Purge(id); err != nil {
			t.Fatal(err)
		}
	}
	db.backups.Wait() // the one the first change started
	name, err := db.Backup()
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	if full, backup := size(t, path), size(t, name); backup > full/4 {
		t.Errorf("the backup of a file of %d bytes with 1 of its 20 assessments left is %d bytes, want a quarter or less", full, backup)
	}
	if info, err := os.Stat(name); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the backup: %v, %v; want mode 0600", info.Mode(), err)
	}
	if got, want := heads(t, name), heads(t, path); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the backup's records end at %v, the file's at %v", got, want)
	}
}

// An onus killed while it writes a backup leaves every backup before it
// whole: each opens and verifies, and the next open removes the
// half-written one.
func TestBackupKilled(t *testing.T) {
	db, path := openTest(t, "tester")
	for i := range 6 {
		importAnswered(t, db, i, 200)
	}
	mustClose(t, db)
	want := heads(t, path)
	before := listBackups(path) // of the setup, each of its state then
	killCompacting(t, path, "backup "+path, func(round int) {
		for _, b := range listBackups(path) {
			if got := heads(t, b); !slices.Contains(before, b) && fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("round %d: backup %s ends at %v, want %v", round, b, got, want)
			}
		}
	})
}

// A session that stays open is backed up as it goes: the save that finds
// a backup due starts one in the background, and Close waits for it
// rather than writing another.
func TestBackupInBackground(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "onus.db")
	db, err := Open(path, Options{Actor: "tester", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	db.backups.Wait()
	if n := len(listBackups(path)); n != 1 {
		t.Fatalf("after the first change: %d backups, want 1", n)
	}
	if _, err := db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusImplemented}, ""); err != nil {
		t.Fatal(err)
	}
	db.backups.Wait()
	if n := len(listBackups(path)); n != 1 {
		t.Fatalf("a change within the interval: %d backups, want still 1", n)
	}
	c.mu.Lock()
	c.now = c.now.Add(2 * backupInterval)
	c.mu.Unlock()
	if _, err := db.Answer(a.ID, model.Answer{Control: "REC-02", Status: model.StatusImplemented}, ""); err != nil {
		t.Fatal(err)
	}
	db.backups.Wait()
	backups := listBackups(path)
	if len(backups) != 2 {
		t.Fatalf("a change once a backup was due: %d backups, want 2", len(backups))
	}
	mustClose(t, db)
	if n := len(listBackups(path)); n != 2 {
		t.Errorf("Close after the background backup: %d backups, want 2", n)
	}
	b, err := Open(backups[1], Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, b)
	got, err := b.Get(a.ID)
	if err != nil || got.Answers["REC-02"].Status != model.StatusImplemented {
		t.Errorf("the background backup does not hold the change that started it: %v", err)
	}
}

// Backups run beside saves (backupLater): many saves that grow the file
// while backups are written leave every backup whole and the file sound.
func TestBackupBesideSaves(t *testing.T) {
	db, path := openTest(t, "tester")
	done := make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		defer close(errs)
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := db.Backup(); err != nil {
				errs <- err
				return
			}
		}
	}()
	for i := range 12 {
		importAnswered(t, db, i, 100)
	}
	close(done)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	heads(t, path)
	for _, b := range listBackups(path) {
		heads(t, b)
	}
}
