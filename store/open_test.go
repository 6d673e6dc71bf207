package store

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// openModes are the ways a file is opened: read-only (verify), read-write
// (serve), the wizard's read-write open with the background check, and a
// command's, read-only (list, show) or read-write (answer), which checks
// what each operation reads.
var openModes = []struct {
	name string
	opt  Options
}{
	{"read-only", Options{ReadOnly: true}},
	{"read-write", Options{}},
	{"wizard", Options{BackgroundCheck: true}},
	{"command read-only", Options{ReadOnly: true, CheckAsRead: true}},
	{"command read-write", Options{CheckAsRead: true}},
}

// useAll runs every read a command might make on an opened file, so that
// a file which opens but panics on first use fails the test.
func useAll(db *DB) {
	sums, _ := db.List(true)
	for _, s := range sums {
		db.Get(s.ID)
		db.History(s.ID)
	}
	db.VerifyAll()
	db.Checked()
}

// rawFile makes a bbolt file the way fn builds it, without Onus.
func rawFile(t *testing.T, fn func(tx *bolt.Tx) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "onus.db")
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// buckets creates top-level buckets and sets the schema version.
func buckets(schema string, names ...string) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		for _, n := range names {
			if _, err := tx.CreateBucket([]byte(n)); err != nil {
				return err
			}
		}
		if schema != "" {
			return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte(schema))
		}
		return nil
	}
}

// Files that are sound bbolt files but lack what Onus's schema promises
// made Onus panic (and the schema 1 migration wrote before panicking).
// Every open refuses them as damaged, and leaves them as they were.
func TestMissingBucketsAreDamage(t *testing.T) {
	then := func(fns ...func(tx *bolt.Tx) error) func(tx *bolt.Tx) error {
		return func(tx *bolt.Tx) error {
			for _, fn := range fns {
				if err := fn(tx); err != nil {
					return err
				}
			}
			return nil
		}
	}
	put := func(bucket, key, value string) func(tx *bolt.Tx) error {
		return func(tx *bolt.Tx) error { return tx.Bucket([]byte(bucket)).Put([]byte(key), []byte(value)) }
	}
	cases := []struct {
		name  string
		build func(tx *bolt.Tx) error
		want  string
	}{
		{"schema 1 without assessments", buckets("1", "meta", "trails"), "assessments bucket"},
		{"schema 2 without assessments", buckets("2", "meta", "trails", "summaries", "log"), "assessments bucket"},
		{"schema 3 with only meta", buckets("3", "meta"), "assessments bucket"},
		{"schema 3 without summaries", buckets("3", "meta", "assessments", "trails", "answers", "log"), "summaries bucket"},
		{"schema 3 without answers", buckets("3", "meta", "assessments", "trails", "summaries", "log"), "answers bucket"},
		{"schema 3 without trails", buckets("3", "meta", "assessments", "answers", "summaries", "log"), "trails bucket"},
		{"no meta bucket", buckets("", "assessments", "trails"), "no meta bucket"},
		{"no schema version", buckets("", "meta", "assessments", "trails"), "schema version"},
		{"schema zero", buckets("0", "meta", "assessments", "trails"), "schema version"},
		{"assessments a value", then(buckets("3", "meta", "trails", "summaries", "log", "answers"), func(tx *bolt.Tx) error {
			return tx.Cursor().Bucket().Put([]byte("assessments"), []byte("x")) // a value at the top level
		}), "assessments bucket"},
		{"a trail that is a value", then(buckets("3", "meta", "assessments", "trails", "summaries", "log", "answers"), put("trails", "01abc", "{}")),
			"trails holds a value"},
		{"answers that are a value", then(buckets("3", "meta", "assessments", "trails", "summaries", "log", "answers"), put("answers", "01abc", "{}")),
			"answers holds a value"},
		{"an assessment that is a bucket", then(buckets("3", "meta", "assessments", "trails", "summaries", "log", "answers"), func(tx *bolt.Tx) error {
			_, err := tx.Bucket([]byte("assessments")).CreateBucket([]byte("01abc"))
			return err
		}), "assessments holds a bucket"},
		{"schema 4 without heads", buckets("4", "meta", "assessments", "trails", "summaries", "log", "answers"), "heads bucket"},
		{"a head that is a bucket", then(buckets("4", "meta", "assessments", "trails", "summaries", "log", "answers", "heads"), func(tx *bolt.Tx) error {
			_, err := tx.Bucket([]byte("heads")).CreateBucket([]byte("01abc"))
			return err
		}), "heads holds a bucket"},
		{"the wizard's bucket a value", then(buckets("4", "meta", "assessments", "trails", "summaries", "log", "answers", "heads"), func(tx *bolt.Tx) error {
			return tx.Cursor().Bucket().Put([]byte("wizard"), []byte("x"))
		}), "wizard is a value"},
		{"a wizard state where an assessment's bucket belongs", then(buckets("4", "meta", "assessments", "trails", "summaries", "log", "answers", "heads", "wizard"),
			put("wizard", "01abc", "{}")), "wizard holds a value"},
		{"a trail entry without a sequence number", then(buckets("3", "meta", "assessments", "trails", "summaries", "log", "answers"), func(tx *bolt.Tx) error {
			b, err := tx.Bucket([]byte("trails")).CreateBucket([]byte("01abc"))
			if err != nil {
				return err
			}
			return b.Put([]byte("1"), []byte("{}"))
		}), "8-byte sequence"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := rawFile(t, c.build)
			before := fileSHA(t, path)
			for _, m := range openModes {
				db, err := Open(path, m.opt)
				if err == nil && (m.opt.BackgroundCheck || m.opt.CheckAsRead) {
					// The wizard's open checks the rest of the file after its
					// first screen, a command's what it reads: the damage
					// shows in the whole file's check, and in every use.
					err = db.Checked()
					useAll(db)
					db.Close()
				} else if err == nil {
					useAll(db)
					db.Close()
					t.Fatalf("%s open succeeded", m.name)
				}
				var de *DamagedError
				if !errors.As(err, &de) || de.ExitCode() != 4 || !strings.Contains(err.Error(), c.want) {
					t.Errorf("%s open: %v, want damage mentioning %q", m.name, err, c.want)
				}
				if fileSHA(t, path) != before {
					t.Fatalf("%s open changed the file", m.name)
				}
				if b := listBackups(path); len(b) != 0 {
					t.Errorf("%s open wrote backups %v", m.name, b)
				}
			}
		})
	}
}

// A file from a newer onus is not damage: it says so, exit 1.
func TestNewerSchemaIsNotDamage(t *testing.T) {
	path := rawFile(t, buckets("9", "meta", "things"))
	for _, m := range openModes {
		_, err := Open(path, m.opt)
		var de *DamagedError
		if err == nil || errors.As(err, &de) || !strings.Contains(err.Error(), "newer onus") {
			t.Errorf("%s open of a schema 9 file: %v", m.name, err)
		}
	}
}

// A migration writes nothing until the whole file has passed its
// structural check, and its steps commit together: here the second step
// fails (a value stands where schema 3 puts an assessment's answers, in a
// bucket schema 1 does not have), and the first, which worked, must not
// have reached the file. What a step cannot read is damage, exit 4.
func TestMigrationIsAllOrNothing(t *testing.T) {
	path := copyFixture(t)
	lims := "01jxk3v1lims0001"
	editRaw(t, path, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("answers"))
		if err != nil {
			return err
		}
		return b.Put([]byte(lims), []byte("not a bucket"))
	})
	before := fileSHA(t, path)
	_, err := Open(path, Options{Actor: "mig"})
	var de *DamagedError
	if !errors.As(err, &de) || de.ExitCode() != 4 || !strings.Contains(err.Error(), "schema 2") {
		t.Fatalf("Open: %v, want the second migration step to fail as damage", err)
	}
	if fileSHA(t, path) != before {
		_, schema := bucketNames(t, path)
		t.Fatalf("a failed migration changed the file (schema now %q)", schema)
	}
}

// A structurally sound schema 1 file in which one assessment fails its
// integrity check is upgraded, and that assessment is carried over as it
// stands, without a head record: nothing is written to it, the others
// stay writable, and Salvage (which needs the file open for writing)
// continues its work. The backup before the migration keeps the file's
// bytes as they were.
func TestMigrationCarriesBrokenAssessment(t *testing.T) {
	lims, qms := "01jxk3v1lims0001", "01jxk3v1qms00003"
	for _, m := range openModes[1:] {
		if m.opt.ReadOnly {
			continue
		}
		t.Run(m.name, func(t *testing.T) {
			path := copyFixture(t)
			editRaw(t, path, func(tx *bolt.Tx) error {
				trail := tx.Bucket([]byte("trails")).Bucket([]byte(lims))
				v := append([]byte(nil), trail.Get(seqKey(2))...)
				return trail.Put(seqKey(2), []byte(strings.Replace(string(v), `"vera"`, `"mallory"`, 1)))
			})
			opt := m.opt
			opt.Actor = "mig"
			db, err := Open(path, opt)
			if err != nil {
				t.Fatalf("open of a schema 1 file with one broken assessment: %v", err)
			}
			defer mustClose(t, db)
			b := listBackups(path)
			if len(b) != 1 {
				t.Fatalf("backups %v, want the one before the migration", b)
			}
			if names, schema := bucketNames(t, b[0]); schema != "1" || len(names) != 3 {
				t.Errorf("the backup before the migration: schema %q, buckets %v", schema, names)
			}
			if v, _ := db.schema(); v != SchemaVersion {
				t.Fatalf("schema %d after the migration", v)
			}
			var hasHead bool
			db.view(func(tx *bolt.Tx) error {
				hasHead = tx.Bucket(bucketHeads).Get([]byte(lims)) != nil
				return nil
			})
			if hasHead {
				t.Error("the broken assessment got a head record")
			}
			history, _ := db.History(lims)
			_, err = db.Answer(lims, model.Answer{Control: "REC-01", Status: model.StatusImplemented}, "")
			var ie *IntegrityError
			if !errors.As(err, &ie) || ie.ID != lims {
				t.Errorf("a change to the broken assessment: %v", err)
			}
			if after, _ := db.History(lims); len(after) != len(history) {
				t.Errorf("the broken assessment's trail grew from %d to %d entries", len(history), len(after))
			}
			if _, err := db.Answer(qms, model.Answer{Control: "REC-01", Status: model.StatusImplemented}, ""); err != nil {
				t.Errorf("a change to a sound assessment: %v", err)
			}
			s, err := db.Salvage(lims, "", "entry 2 found edited after the upgrade")
			if err != nil {
				t.Fatalf("Salvage after the migration: %v", err)
			}
			if r := db.Verify(s.ID); r.Err != "" {
				t.Errorf("the salvaged assessment: %s", r.Err)
			}
			if r := db.Verify(lims); r.Err == "" {
				t.Error("the broken assessment verifies after the migration")
			}
		})
	}
}

// What is not a regular file is refused at once, with exit code 1 and the
// kind of file named; a FIFO never makes Open wait for a writer.
func TestNotRegularFilesRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.db")
	os.Symlink(fifo, link)
	dangling := filepath.Join(dir, "dangling.db")
	os.Symlink(filepath.Join(dir, "nowhere.db"), dangling)
	sub := filepath.Join(dir, "dir.db")
	os.Mkdir(sub, 0o700)
	for _, c := range []struct{ path, kind string }{
		{fifo, "a FIFO"}, {link, "a FIFO"}, {"/dev/null", "a character device"}, {sub, "a directory"}, {dangling, "a symbolic link to nothing"},
	} {
		for _, m := range openModes {
			done := make(chan error, 1)
			go func() {
				db, err := Open(c.path, m.opt)
				if err == nil {
					db.Close()
				}
				done <- err
			}()
			select {
			case err := <-done:
				var nr *NotRegularError
				if !errors.As(err, &nr) || nr.ExitCode() != 1 || !strings.Contains(err.Error(), c.kind) || strings.Contains(err.Error(), "backup") {
					t.Errorf("%s open of %s: %v, want a NotRegularError naming %s", m.name, c.path, err, c.kind)
				}
			case <-time.After(2 * time.Second):
				t.Fatalf("%s open of %s hangs", m.name, c.path)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere.db")); err == nil {
		t.Error("opening a dangling symlink created its target")
	}
	// A FIFO that appears after the first look is refused by the open
	// itself, without waiting.
	f, err := openRegular(fifo, os.O_RDONLY, 0)
	var nr *NotRegularError
	if f != nil || !errors.As(err, &nr) {
		t.Errorf("openRegular on a FIFO: %v", err)
	}
}

// permissionChild is set in the child process TestPermissionDenied starts
// as an unprivileged user: "path mode".
const permissionChild = "ONUS_PERMISSION_CHILD"

func TestPermissionDeniedChild(t *testing.T) {
	spec := os.Getenv(permissionChild)
	if spec == "" {
		t.Skip("the child process of TestPermissionDenied")
	}
	path, mode, _ := strings.Cut(spec, " ")
	opt := Options{ReadOnly: mode == "read-only", BackgroundCheck: mode == "wizard"}
	_, err := Open(path, opt)
	code := 0
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		code = ec.ExitCode()
	}
	fmt.Printf("exit %d: %v\n", code, err)
}

// A file the user may not open is a permission problem (exit 1), never
// damage: no exit 4, no advice to restore a backup. Run as an
// unprivileged user (a child process when the tests run as root).
func TestPermissionDenied(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	db, path := openTest(t, "alice")
	if _, err := db.Create(model.Assessment{Name: "LIMS"}); err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	os.Chmod(filepath.Dir(path), 0o755)
	os.Mkdir(path+".backups", 0o755) // a backup exists: still no advice to restore it
	copyFile(t, path, filepath.Join(path+".backups", "onus-20260101T000000.000000000Z.db"))
	unreadable := filepath.Join(dir, "theirs.db")
	copyFile(t, path, unreadable) // 0600, owned by someone else
	readOnly := filepath.Join(dir, "readonly.db")
	copyFile(t, path, readOnly)
	os.Chmod(readOnly, 0o444)
	hidden := filepath.Join(dir, "closed")
	os.Mkdir(hidden, 0o700)
	inClosed := filepath.Join(hidden, "onus.db")
	copyFile(t, path, inClosed)
	cases := []struct{ path, mode string }{
		{unreadable, "read-only"}, {unreadable, "read-write"}, {unreadable, "wizard"},
		{readOnly, "read-write"}, {readOnly, "wizard"},
		{inClosed, "read-only"}, {inClosed, "read-write"},
		{filepath.Join(hidden, "new.db"), "read-write"},
	}
	if os.Geteuid() == 0 {
		// The files belong to root; the child runs as nobody. readonly.db
		// is not theirs either, which is as good as mode 0444. The test
		// binary is copied where nobody may run it.
		os.Chmod(filepath.Dir(dir), 0o755)
		os.Chmod(filepath.Dir(filepath.Dir(path)), 0o755)
		bin := filepath.Join(dir, "store.test")
		copyFile(t, os.Args[0], bin)
		os.Chmod(bin, 0o755)
		for _, c := range cases {
			before := fileSHA(t, path)
			cmd := exec.Command(bin, "-test.run=^TestPermissionDeniedChild$")
			cmd.Env = append(os.Environ(), permissionChild+"="+c.path+" "+c.mode)
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			t.Logf("%s %s: %s", c.path, c.mode, strings.TrimSpace(string(out)))
			checkDenied(t, c.path+" "+c.mode, string(out))
			if fileSHA(t, path) != before {
				t.Fatal("the file changed")
			}
		}
		return
	}
	os.Chmod(unreadable, 0)
	os.Chmod(hidden, 0)
	defer os.Chmod(hidden, 0o700)
	for _, c := range cases {
		opt := Options{ReadOnly: c.mode == "read-only", BackgroundCheck: c.mode == "wizard"}
		_, err := Open(c.path, opt)
		checkDenied(t, c.path+" "+c.mode, fmt.Sprintf("exit %d: %v", exitCode(err), err))
	}
}

func exitCode(err error) int {
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return 0
}

func checkDenied(t *testing.T, what, out string) {
	t.Helper()
	if !strings.Contains(out, "exit 1: ") || !strings.Contains(out, "permission denied") ||
		strings.Contains(out, "damaged") || strings.Contains(out, "backup") {
		t.Errorf("%s: %q, want exit 1 with permission denied and no damage or backup advice", what, strings.TrimSpace(out))
	}
}

// An empty file, and one that is not a bbolt file at all, are damage to
// every open, which leaves them as they were (bbolt would initialise an
// empty file opened for writing).
func TestEmptyAndForeignFiles(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":   nil,
		"foreign": []byte(strings.Repeat("just some text\n", 2000)),
	} {
		path := filepath.Join(t.TempDir(), "onus.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, m := range openModes {
			_, err := Open(path, m.opt)
			var de *DamagedError
			if !errors.As(err, &de) {
				t.Errorf("%s file, %s open: %v, want damage", name, m.name, err)
			}
			if now, _ := os.ReadFile(path); string(now) != string(data) {
				t.Fatalf("%s file, %s open: the file changed", name, m.name)
			}
		}
	}
}
