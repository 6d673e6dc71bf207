package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/filetext"
	"github.com/onus-gxp/onus/store"
)

// mappedHere says whether the file at path is mapped into the program.
func mappedHere(t *testing.T, path string) bool {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(maps), " "+path+"\n")
}

// skipWithoutMapping skips the test where a file in dir is not mapped
// (a file system without leases or not local, a test run in the
// background of its terminal): every file is read there. It maps a file
// of its own, so that the files the test looks for are not.
func skipWithoutMapping(t *testing.T, dir string) {
	t.Helper()
	probe := filepath.Join(dir, "probe")
	if err := os.WriteFile(probe, []byte("probe"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(probe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := filetext.Map(f, 1<<20); err != nil {
		t.Skipf("no mapping to be had here (%v): every file is read", err)
	}
}

// readText maps a regular file the program can lease (internal/filetext)
// and reads any other as readCapped does: one open for writing elsewhere,
// or one over the limit, which is refused as before.
func TestReadTextMapsARegularFile(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir()) // as /proc/self/maps names it
	if err != nil {
		t.Fatal(err)
	}
	skipWithoutMapping(t, dir)
	want := strings.Repeat("security of the cloud; ", 10_000)

	leased := filepath.Join(dir, "leased.json")
	if err := os.WriteFile(leased, []byte(want), 0o600); err != nil {
		t.Fatal(err)
	}
	if text, err := readText(leased, 1<<20, true); err != nil || text != want {
		t.Fatalf("a regular file: %d bytes, %v", len(text), err)
	}
	if !mappedHere(t, leased) {
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
	if text, err := readText(written, 1<<20, true); err != nil || text != want {
		t.Fatalf("a file open for writing: %d bytes, %v", len(text), err)
	}
	if mappedHere(t, written) {
		t.Fatal("a file open for writing elsewhere was mapped")
	}

	if _, err := readText(leased, 1000, true); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("a file over the limit: %v", err)
	}
}

// A command relayed to onus serve runs in the server's process, which
// lives on, and a mapped text is never unmapped: its catalog file is
// read, for the collector to free, where the same command run on its
// own maps it.
func TestRelayedCommandReadsTheCatalogFile(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	skipWithoutMapping(t, dir)
	lend := func(store.Options) (*store.DB, error) { return nil, errors.New("not lent here") }
	for _, c := range []struct {
		name   string
		lend   func(store.Options) (*store.DB, error)
		mapped bool
	}{{"on its own", nil, true}, {"relayed", lend, false}} {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(assets.CatalogText()), 0o600); err != nil {
			t.Fatal(err)
		}
		env := &Env{CatalogPath: path, lend: c.lend}
		if _, err := env.checkedBaseCatalog(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := mappedHere(t, path); got != c.mapped {
			t.Errorf("%s: catalog file mapped %v, want %v", c.name, got, c.mapped)
		}
	}
}
