package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// readText maps a regular file the program can lease (internal/filetext)
// and reads any other as readCapped does: one open for writing elsewhere,
// or one over the limit, which is refused as before.
func TestReadTextMapsARegularFile(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir()) // as /proc/self/maps names it
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("security of the cloud; ", 10_000)
	mappedHere := func(path string) bool {
		maps, err := os.ReadFile("/proc/self/maps")
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(string(maps), " "+path+"\n")
	}

	leased := filepath.Join(dir, "leased.json")
	if err := os.WriteFile(leased, []byte(want), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(leased)
	if err != nil {
		t.Fatal(err)
	}
	_, lerr := unix.FcntlInt(f.Fd(), unix.F_SETLEASE, unix.F_RDLCK)
	f.Close() // its lease with it
	if lerr != nil {
		t.Skipf("no lease to be had here (%v): every file is read", lerr)
	}
	if text, err := readText(leased, 1<<20); err != nil || text != want {
		t.Fatalf("a regular file: %d bytes, %v", len(text), err)
	}
	if !mappedHere(leased) {
		t.Fatal("a regular file was read, not mapped")
	}

	written := filepath.Join(dir, "written.json")
	if err := os.WriteFile(written, []byte(want), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(written, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if text, err := readText(written, 1<<20); err != nil || text != want {
		t.Fatalf("a file open for writing: %d bytes, %v", len(text), err)
	}
	if mappedHere(written) {
		t.Fatal("a file open for writing elsewhere was mapped")
	}

	if _, err := readText(leased, 1000); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("a file over the limit: %v", err)
	}
}
