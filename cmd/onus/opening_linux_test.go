package main

import (
	"bytes"
	"errors"
	"github.com/onus-gxp/onus/assets"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	attack "github.com/onus-gxp/onus/internal/hostile"
	"github.com/onus-gxp/onus/store"
)

// startInPTY starts bin with args in a fresh 80x24 pseudo-terminal, as a
// shell starts it, and returns it with the terminal's side to read and
// type on; it is killed if it still runs after 30 seconds.
func startInPTY(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, *os.File) {
	t.Helper()
	master, slave, err := attack.PTY(80, 24)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	stop := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	t.Cleanup(func() { stop.Stop() })
	return cmd, master
}

// wizardInPTY runs the wizard binary in a fresh pseudo-terminal until it
// exits, and returns its exit code and every byte it wrote there.
func wizardInPTY(t *testing.T, bin string, env []string, args ...string) (int, []byte) {
	t.Helper()
	cmd, master := startInPTY(t, bin, env, args...)
	var out bytes.Buffer
	io.Copy(&out, master) // ends with EIO once the process, the last holder of the terminal, exits
	err := cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.Bytes()
}

// wizardEnv is the environment these tests start the wizard in.
func wizardEnv(dir string, extra ...string) []string {
	return append([]string{"HOME=" + dir, "TERM=xterm-256color", "ONUS_USER=e2e", "PATH=" + os.Getenv("PATH")}, extra...)
}

// refusedUndrawn fails the test unless the wizard exited with want, wrote
// no escape sequence (nothing was drawn), and showed each of says.
func refusedUndrawn(t *testing.T, code int, out []byte, want int, says ...string) {
	t.Helper()
	if code != want {
		t.Fatalf("exit %d, want %d; the terminal got %q", code, want, out)
	}
	if bytes.IndexByte(out, 0x1b) >= 0 {
		t.Fatalf("the wizard wrote an escape sequence: %q", out)
	}
	for _, say := range says {
		if !strings.Contains(string(out), say) {
			t.Errorf("the terminal does not show %q:\n%s", say, out)
		}
	}
}

// newDatabase makes dir/onus.db with one assessment of that name.
func newDatabase(t *testing.T, dir, name string) string {
	t.Helper()
	db := filepath.Join(dir, "onus.db")
	if code, out, errs := runOnus(t, map[string]string{"ONUS_DB": db}, "new", "--name", name, "--services", "ec2"); code != 0 {
		t.Fatalf("new: %d %s %s", code, out, errs)
	}
	return db
}

// heldDatabase is newDatabase held open, as by another onus, until the
// test ends: a wizard's open waits for it up to a second.
func heldDatabase(t *testing.T, dir, name string) string {
	t.Helper()
	db := newDatabase(t, dir, name)
	held, err := store.Open(db, store.Options{Actor: "holder"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { held.Close() })
	return db
}

// The database opens while the wizard's program starts (tui.Config.
// Opening). A file that cannot be used is still refused with exit 4 and
// its message, and not one byte of the program reaches the terminal: no
// screen, no query whose answer would land in the shell, no mode to undo.
func TestWizardRefusesDamagedFileUndrawn(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := onusBinary(t)
	dir := t.TempDir()
	db := newDatabase(t, dir, "Undrawn")
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	clear(data[:2*4096]) // both meta pages
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := wizardInPTY(t, bin, wizardEnv(dir), "--db", db)
	refusedUndrawn(t, code, out, exitDamaged, db)
}

// A panic while the database opens, in Onus's own goroutine beside the
// starting program, stops the wizard as any panic does: exit 1, the
// panic's stack, the terminal as it was.
func TestWizardPanicInOpen(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := onusTestHooksBinary(t)
	dir := t.TempDir()
	code, out := wizardInPTY(t, bin, wizardEnv(dir, "ONUS_TEST_PANIC=open"), "--db", filepath.Join(dir, "onus.db"))
	refusedUndrawn(t, code, out, exitError, "test panic in the database's open (ONUS_TEST_PANIC=open)", "while the database was being opened", "wizard.go")
}

// A panic in the catalog file's read, beside the wizard's start, is
// reported as every other panic of the wizard's is, with its stack, and
// the file checked; nothing is drawn (the first screen waits for the
// catalog).
func TestWizardPanicInCatalogRead(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := onusTestHooksBinary(t)
	dir := t.TempDir()
	db := newDatabase(t, dir, "Catalog panic")
	catalog := filepath.Join(dir, "catalog.json")
	if err := os.WriteFile(catalog, assets.Catalog(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := wizardInPTY(t, bin, wizardEnv(dir, "ONUS_TEST_PANIC=catalog"), "--db", db, "--catalog", catalog)
	refusedUndrawn(t, code, out, exitError, "test panic in the catalog file's read (ONUS_TEST_PANIC=catalog)", "a bug in onus", "store_cmds.go", "saved answers are intact")
}

// A signal that comes while the database is still being opened (here it
// waits for another holder's lock) stops the wizard as a signal does:
// exit 128+signal, its message, nothing drawn. The open's own outcome,
// which comes after, does not replace it (it could have been a relay to
// onus serve).
func TestWizardSignalWhileOpening(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := onusBinary(t)
	dir := t.TempDir()
	db := heldDatabase(t, dir, "Held")
	cmd, master := startInPTY(t, bin, wizardEnv(dir), "--db", db)
	out := make(chan []byte)
	go func() {
		var b bytes.Buffer
		io.Copy(&b, master)
		out <- b.Bytes()
	}()
	time.Sleep(300 * time.Millisecond) // within the open's one-second wait for the lock
	cmd.Process.Signal(syscall.SIGTERM)
	got := <-out
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 128+int(syscall.SIGTERM) {
		t.Fatalf("exit %d, want %d: %q", code, 128+int(syscall.SIGTERM), got)
	}
	if bytes.IndexByte(got, 0x1b) >= 0 || !strings.Contains(string(got), "stopped by SIGTERM") {
		t.Fatalf("the terminal got %q", got)
	}
}

// The file's warnings (here: others can read it) are printed once the
// terminal is back to normal, as when the file was opened before the
// wizard's start: printed while the open runs beside it, in raw mode,
// their line feed returned no carriage, and the shell's prompt came after
// them mid-line.
func TestWizardWarnsWithTheTerminalRestored(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := onusBinary(t)
	dir := t.TempDir()
	db := newDatabase(t, dir, "Readable")
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, master := startInPTY(t, bin, wizardEnv(dir), "--db", db)
	var out []byte
	buf := make([]byte, 4096)
	quit := false
	for {
		n, err := master.Read(buf)
		out = append(out, buf[:n]...)
		if !quit && bytes.Contains(out, []byte("Readable")) { // the first list is on screen
			master.Write([]byte("q"))
			quit = true
		}
		if err != nil {
			break // EIO once the wizard, the last holder of the terminal, exits
		}
	}
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 0 || !quit {
		t.Fatalf("exit %d (list drawn: %v): %q", code, quit, out)
	}
	if want := "chmod 600 " + db + "\r\n"; !bytes.Contains(out, []byte(want)) {
		t.Fatalf("the warning did not end its line as on a terminal back to normal (want %q):\n%q", want, out)
	}
}

// ctrl+c while the file is still being opened (here: waiting for another
// onus's lock, for up to a second) ends the wizard at once, as an
// interruption (130), as when the file opened before the wizard started:
// it does not wait for the open to give up. (Timed against that second:
// the wizard ends in milliseconds; re-run alone if it fails under load.)
func TestWizardInterruptedWhileOpening(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bin := onusBinary(t)
	dir := t.TempDir()
	db := heldDatabase(t, dir, "Held")
	cmd, master := startInPTY(t, bin, wizardEnv(dir), "--db", db)
	// The wizard's program has the terminal once it is in raw mode.
	for {
		tio, err := unix.IoctlGetTermios(int(master.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ICANON == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	master.Write([]byte{0x03}) // ctrl+c, a key in raw mode
	pressed := time.Now()
	var out bytes.Buffer
	io.Copy(&out, master)
	cmd.Wait()
	if took := time.Since(pressed); took > 700*time.Millisecond {
		t.Errorf("the wizard ended %v after ctrl+c: it waited for the open", took)
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupt || !strings.Contains(out.String(), "interrupted") {
		t.Fatalf("exit %d, want %d (interrupted): %q", code, exitInterrupt, out.String())
	}
}
