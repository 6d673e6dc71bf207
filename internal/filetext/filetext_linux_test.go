package filetext

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A text a few pages long whose last page is partly used.
var sample = strings.Repeat("security of the cloud, security in the cloud; ", 500)

func writeSample(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "catalog.json")
	if err := os.WriteFile(path, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// mapSample maps path, skipping the test where this machine grants no
// lease (a file system without them).
func mapSample(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	text, err := Map(f, 1<<20)
	if err != nil {
		t.Skipf("no mapping here (%v): the file is read instead", err)
	}
	t.Cleanup(func() { _ = settle() })
	return text
}

// mappedFrom says whether addr lies in a mapping of the file at path.
func mappedFrom(t *testing.T, addr uintptr, path string) bool {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	for _, line := range strings.Split(string(maps), "\n") {
		var lo, hi uintptr
		f := strings.Fields(line) // range, perms, offset, device, inode, path
		if len(f) < 6 {
			continue
		}
		if _, err := fmt.Sscanf(f[0], "%x-%x", &lo, &hi); err == nil && lo <= addr && addr < hi {
			return f[5] == path
		}
	}
	return false
}

func TestMapGivesTheFilesText(t *testing.T) {
	path := writeSample(t)
	text := mapSample(t, path)
	if text != sample {
		t.Fatalf("mapped text differs from the file (%d bytes against %d)", len(text), len(sample))
	}
	if !mappedFrom(t, uintptr(unsafe.Pointer(unsafe.StringData(text))), path) {
		t.Fatal("the text is not the file's own pages")
	}
}

// settle copies the text where it was: the same address, the same
// bytes, no longer the file's. The file is then free to change, at once,
// and cutting it short no longer touches the text (read from a file cut
// short, it would stop the program).
func TestSettleKeepsTheTextAndFreesTheFile(t *testing.T) {
	path := writeSample(t)
	text := mapSample(t, path)
	addr := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	if err := settle(); err != nil {
		t.Fatal(err)
	}
	if got := uintptr(unsafe.Pointer(unsafe.StringData(text))); got != addr || mappedFrom(t, addr, path) {
		t.Fatal("the settled text is still the file's pages")
	}
	start := time.Now()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("changing the settled file waited %v: its lease was kept", waited)
	}
	if text != sample {
		t.Fatal("the settled text changed with its file")
	}
}

// A second after the mapping, the text is copied without being asked.
func TestSettledASecondAfter(t *testing.T) {
	path := writeSample(t)
	text := mapSample(t, path)
	addr := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	for deadline := time.Now().Add(10 * time.Second); mappedFrom(t, addr, path); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the text is still the file's pages 10 s after its mapping")
		}
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if text != sample {
		t.Fatal("the settled text changed with its file")
	}
}

// Someone opening the file for writing (an editor saving in place) waits
// only until the text is copied, not for the kernel's lease-break time
// (45 s), and then changes the file, not the text.
func TestAWriterWaitsOnlyForTheCopy(t *testing.T) {
	// The copy a second after the mapping would let the writer go as
	// well: put off, it leaves the answer to the break alone to do it.
	defer func(after time.Duration) { settleAfter = after }(settleAfter)
	settleAfter = time.Hour
	path := writeSample(t)
	text := mapSample(t, path)
	done := make(chan error, 1)
	go func() {
		w, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err == nil {
			_, err = w.WriteString("changed")
			err = errors.Join(err, w.Close())
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the writer still waits after 20 s: the lease's break was not answered")
	}
	if got, _ := os.ReadFile(path); string(got) != "changed" {
		t.Fatalf("the file holds %q", got)
	}
	if !bytes.Equal([]byte(text), []byte(sample)) { // every byte read: a page still the file's would stop the program
		t.Fatal("the text changed with its file")
	}
}

// A file open for writing elsewhere could change under a mapping: it is
// left to be read. So are a file that is not a regular one, an empty one,
// and one over the limit.
func TestLeftToBeRead(t *testing.T) {
	dir := t.TempDir()
	path := writeSample(t)
	w, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	over := writeSample(t)
	fds := openFiles(t)
	for _, c := range []struct {
		name, path string
		limit      int64
	}{
		{"open for writing", path, 1 << 20},
		{"a FIFO", fifo, 1 << 20},
		{"empty", empty, 1 << 20},
		{"over the limit", over, int64(len(sample) - 1)},
	} {
		f, err := os.OpenFile(c.path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		text, err := Map(f, c.limit)
		f.Close()
		if !errors.Is(err, ErrNotMapped) || text != "" {
			t.Errorf("%s: mapped (%d bytes, %v)", c.name, len(text), err)
		}
	}
	// Nothing is left leased: the files leased before being refused (empty,
	// over the limit) can be opened for writing at once (a lease left would
	// make an open that does not wait fail), and no descriptor is left open.
	mu.Lock()
	n := len(leased)
	mu.Unlock()
	if n != 0 {
		t.Fatalf("%d texts left listed", n)
	}
	for _, p := range []string{empty, over} {
		w, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatalf("a file refused is left leased: %v", err)
		}
		w.Close()
	}
	if now := openFiles(t); now != fds {
		t.Fatalf("%d descriptors open before, %d after", fds, now)
	}
}

// openFiles counts the program's open descriptors.
func openFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}

// A file on a file system not known to change its files only through
// this kernel is left to be read, though the kernel grants it a lease:
// ramfs stands in for FUSE here (a lease and a mapping are had on both,
// and mounting it needs no program of its own, only root).
func TestLeftToBeReadOnAnotherFileSystem(t *testing.T) {
	dir := t.TempDir()
	if err := unix.Mount("onus-test", dir, "ramfs", 0, ""); err != nil {
		t.Skipf("no ramfs to be mounted here (%v)", err)
	}
	t.Cleanup(func() { _ = unix.Unmount(dir, unix.MNT_DETACH) })
	path := filepath.Join(dir, "catalog.json")
	if err := os.WriteFile(path, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if text, err := Map(f, 1<<20); !errors.Is(err, ErrNotMapped) || text != "" {
		t.Fatalf("a file on ramfs: mapped (%d bytes, %v)", len(text), err)
	}
}

// A background job of its terminal is stopped when it uses it, and a
// stopped program answers no break: its file is left to be read. The
// test runs itself again as the leader of a session on a terminal of its
// own, which it hands to another process group or keeps.
func TestLeftToBeReadInTheBackground(t *testing.T) {
	const mapped, read = 10, 11 // the run's exit codes
	if path := os.Getenv("FILETEXT_TEST_MAP"); path != "" {
		os.Exit(mapInSession(path, os.Getenv("FILETEXT_TEST_BACKGROUND") != "", mapped, read))
	}

	path := writeSample(t)
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no terminal to be had here: %v", err)
	}
	defer ptmx.Close()
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	run := func(background string) int {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLeftToBeReadInTheBackground$")
		cmd.Env = append(os.Environ(), "FILETEXT_TEST_MAP="+path, "FILETEXT_TEST_BACKGROUND="+background)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode()
	}
	if got := run(""); got != mapped {
		t.Skipf("not mapped in the foreground here either (exit %d)", got)
	}
	if got := run("1"); got != read {
		t.Fatalf("a background job: exit %d, want %d (left to be read)", got, read)
	}
}

// mapInSession is TestLeftToBeReadInTheBackground's run on its terminal:
// it maps path, in the background or not, and says which it did.
func mapInSession(path string, background bool, mapped, read int) int {
	if background {
		other := exec.Command("sleep", "30")
		other.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := other.Start(); err != nil {
			return 1
		}
		defer func() { _ = other.Process.Kill(); _ = other.Wait() }()
		if err := unix.IoctlSetPointerInt(0, unix.TIOCSPGRP, other.Process.Pid); err != nil {
			return 2
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return 3
	}
	defer f.Close()
	if _, err := Map(f, 1<<20); err != nil {
		return read
	}
	return mapped
}
