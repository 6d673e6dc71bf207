//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// readCapped reads a regular file whole (the buffer mapped in ahead
// changes nothing it holds), refuses one over the limit before reading
// it, and reads what is not a regular file (a FIFO) up to the limit,
// refusing it past that; readText is the same bytes.
func TestReadCapped(t *testing.T) {
	dir := t.TempDir()
	want := bytes.Repeat([]byte("catalog text, "), 50_000) // 700 kB: more pages than the prefault's minimum
	file := filepath.Join(dir, "catalog.json")
	if err := os.WriteFile(file, want, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readCapped(file, 1<<20)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("a regular file: %d bytes, %v; want %d bytes as written", len(got), err, len(want))
	}
	for _, mapped := range []bool{false, true} {
		if text, err := readText(file, 1<<20, mapped); err != nil || text != string(want) {
			t.Fatalf("readText (mapped %v): %d bytes, %v", mapped, len(text), err)
		}
	}
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := readCapped(empty, 1<<20); err != nil || len(got) != 0 {
		t.Fatalf("an empty file: %q, %v", got, err)
	}
	if _, err := readCapped(file, 1000); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("a file over the limit: %v", err)
	}

	for _, c := range []struct {
		name  string
		size  int
		limit int64
		ok    bool
	}{{"within the limit", 100_000, 1 << 20, true}, {"over the limit", 100_000, 50_000, false}} {
		fifo := filepath.Join(dir, "fifo-"+strings.ReplaceAll(c.name, " ", "-"))
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("no FIFO here: %v", err)
		}
		data := bytes.Repeat([]byte("x"), c.size)
		go func() {
			w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			defer w.Close()
			w.Write(data)
		}()
		got, err := readCapped(fifo, c.limit)
		switch {
		case c.ok && (err != nil || !bytes.Equal(got, data)):
			t.Errorf("a FIFO %s: %d bytes, %v", c.name, len(got), err)
		case !c.ok && (err == nil || !strings.Contains(err.Error(), "larger than")):
			t.Errorf("a FIFO %s: %d bytes, %v; want it refused", c.name, len(got), err)
		}
	}
}
