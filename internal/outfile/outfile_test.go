package outfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// onlyFiles fails when dir holds anything but the named files (a
// temporary file left behind, say).
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// withUmask runs fn under a umask (process-wide: these tests are not
// parallel).
func withUmask(mask int, fn func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	fn()
}

// The temporary file is created exclusively under an unpredictable name:
// a symlink planted where the old code put its temporary file (OUT.tmp)
// is neither followed nor touched.
func TestSymlinkAtTempNameIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("precious"), 0o600)
	out := filepath.Join(dir, "report.md")
	if err := os.Symlink(victim, out+".tmp"); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(out, []byte("# report"), Options{}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, victim); got != "precious" {
		t.Errorf("the symlink's target now holds %q", got)
	}
	if got := read(t, out); got != "# report" {
		t.Errorf("report: %q", got)
	}
	onlyFiles(t, dir, "report.md", "report.md.tmp")
}

// An existing file is replaced only with Replace; a replaced report gets
// the umask's mode, not 0600.
func TestExistingFileNeedsReplace(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.md")
	os.WriteFile(out, []byte("old"), 0o644)
	err := WriteFile(out, []byte("new"), Options{})
	var ee *ExistsError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("writing over an existing file: %v, want an ExistsError", err)
	}
	if read(t, out) != "old" {
		t.Error("the existing file was changed")
	}
	onlyFiles(t, dir, "report.md")
	withUmask(0o022, func() { err = WriteFile(out, []byte("new"), Options{Replace: true}) })
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(out); read(t, out) != "new" || info.Mode().Perm() != 0o644 {
		t.Errorf("replaced: %q mode %04o, want new 0644", read(t, out), info.Mode().Perm())
	}
	onlyFiles(t, dir, "report.md")
}

// Reports follow the umask; private files are 0600 whatever it is.
func TestModes(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		umask   int
		private bool
		want    fs.FileMode
	}{{0o022, false, 0o644}, {0o077, false, 0o600}, {0o002, false, 0o664}, {0, true, 0o600}, {0o022, true, 0o600}} {
		out := filepath.Join(dir, fmt.Sprintf("f-%03o-%v", c.umask, c.private))
		var err error
		withUmask(c.umask, func() { err = WriteFile(out, []byte("x"), Options{Private: c.private}) })
		if err != nil {
			t.Fatal(err)
		}
		if info, _ := os.Stat(out); info.Mode().Perm() != c.want {
			t.Errorf("umask %03o private %v: mode %04o, want %04o", c.umask, c.private, info.Mode().Perm(), c.want)
		}
	}
}

// The database and its backups are never written, whatever name the
// path gives them.
func TestProtectedFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "onus.db")
	backups := db + ".backups"
	os.WriteFile(db, []byte("database"), 0o600)
	os.Mkdir(backups, 0o700)
	os.WriteFile(filepath.Join(backups, "onus-1.db"), []byte("backup"), 0o600)
	os.Link(db, filepath.Join(dir, "hardlink"))
	os.Symlink(db, filepath.Join(dir, "symlink"))
	protect := []string{db, backups}
	for _, target := range []string{db, filepath.Join(dir, ".", "onus.db"), filepath.Join(dir, "hardlink"), filepath.Join(dir, "symlink"),
		filepath.Join(backups, "onus-1.db"), filepath.Join(backups, "new.md")} {
		err := WriteFile(target, []byte("report"), Options{Replace: true, Protect: protect})
		var pe *ProtectedError
		if !errors.As(err, &pe) {
			t.Errorf("writing %s: %v, want a ProtectedError", target, err)
		}
	}
	if read(t, db) != "database" || read(t, filepath.Join(backups, "onus-1.db")) != "backup" {
		t.Error("a protected file was changed")
	}
	onlyFiles(t, dir, "hardlink", "onus.db", "onus.db.backups", "symlink")
	onlyFiles(t, backups, "onus-1.db")
	// A protected database that does not exist yet is protected by name.
	err := WriteFile(filepath.Join(dir, "later.db"), nil, Options{Protect: []string{filepath.Join(dir, "later.db")}})
	var pe *ProtectedError
	if !errors.As(err, &pe) {
		t.Errorf("writing a database path not created yet: %v", err)
	}
}

// A directory, a FIFO or a dangling symlink at the path is refused, even
// with Replace.
func TestNotRegularTargets(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o700)
	dangling := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	for _, target := range []string{fifo, sub, dangling, sub + "/", "/dev/null"} {
		err := WriteFile(target, []byte("x"), Options{Replace: true})
		if err == nil {
			t.Errorf("writing %s succeeded", target)
		}
	}
	onlyFiles(t, dir, "dangling", "fifo", "sub")
}

// A failed move into place leaves nothing behind: neither the temporary
// file nor a file at the path.
func TestFailedRenameLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.md")
	broken := func(string, string) error { return &os.LinkError{Op: "rename", Err: syscall.EXDEV} }
	defer func(l, r func(string, string) error) { link, rename = l, r }(link, rename)
	link, rename = broken, broken
	for _, replace := range []bool{false, true} {
		if err := WriteFile(out, bytes.Repeat([]byte("report "), 1000), Options{Replace: replace}); err == nil {
			t.Fatal("WriteFile succeeded with a failing rename")
		}
		onlyFiles(t, dir)
	}
}

// Abort, and a Commit that finds the path taken meanwhile, remove the
// temporary file.
func TestAbortAndLateConflict(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.md")
	f, err := Create(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	f.Abort()
	onlyFiles(t, dir)

	f, err = Create(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("mine"))
	os.WriteFile(out, []byte("theirs"), 0o644)
	var ee *ExistsError
	if err := f.Commit(); !errors.As(err, &ee) {
		t.Errorf("Commit onto a file that appeared meanwhile: %v", err)
	}
	if read(t, out) != "theirs" {
		t.Error("the file that appeared meanwhile was replaced")
	}
	onlyFiles(t, dir, "report.md")
}

// RemoveStale removes a temporary file nobody holds, and leaves one that
// is being written.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "a"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if RemoveStale(f.Name()) {
		t.Error("removed a temporary file still being written")
	}
	stale := filepath.Join(dir, tempPrefix+"0123-b")
	os.WriteFile(stale, []byte("left by kill -9"), 0o600)
	if !RemoveStale(stale) || !IsTemp(filepath.Base(stale)) {
		t.Error("a stale temporary file was not removed")
	}
	f.Abort()
	onlyFiles(t, dir)
}

// A write that fails (a full disk, simulated by a file-size limit in a
// child process) removes the temporary file.
func TestWriteFailureLeavesNothing(t *testing.T) {
	if dir := os.Getenv("OUTFILE_CHILD_DIR"); dir != "" {
		var lim syscall.Rlimit
		syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim)
		lim.Cur = 4096
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Fatal(err)
		}
		err := WriteFile(filepath.Join(dir, "big.md"), bytes.Repeat([]byte("x"), 1<<16), Options{})
		fmt.Printf("result: %v\n", err)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteFailureLeavesNothing$", "-test.v")
	cmd.Env = append(os.Environ(), "OUTFILE_CHILD_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "result: write") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	onlyFiles(t, dir)
}

// WriteWith puts at the path what the writer wrote, in one piece, and
// says how long it is; a writer's error (a render that fails halfway)
// leaves nothing, not even what it wrote before failing, and an existing
// file as it was.
func TestWriteWith(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	n, err := WriteWith(path, Options{}, func(w io.Writer) error {
		for range 3 {
			if _, err := w.Write(bytes.Repeat([]byte("x"), 50<<10)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || n != 150<<10 {
		t.Fatalf("WriteWith: %d bytes, %v", n, err)
	}
	if got := read(t, path); got != strings.Repeat("x", 150<<10) {
		t.Fatalf("the file holds %d bytes", len(got))
	}
	failed := errors.New("render failed")
	n, err = WriteWith(path, Options{Replace: true}, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("y"), 200<<10)) // past the buffer: on disk already
		return failed
	})
	if !errors.Is(err, failed) || n != 0 {
		t.Fatalf("a failed render: %d bytes, %v", n, err)
	}
	if got := read(t, path); got != strings.Repeat("x", 150<<10) {
		t.Fatal("a failed render changed the file")
	}
	onlyFiles(t, dir, "report.json")
}
