package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/tui"
)

// Any non-empty NO_COLOR, and TERM=dumb, turn colour off in the wizard,
// including the values the library's boolean parsing lets through.
func TestWizardColourOff(t *testing.T) {
	for _, env := range []map[string]string{
		{"NO_COLOR": "1"}, {"NO_COLOR": "yes"}, {"NO_COLOR": "x"}, {"NO_COLOR": "0"},
		{"TERM": "dumb"}, {"TERM": "dumb", "COLORTERM": "truecolor"},
	} {
		e := &Env{Getenv: func(k string) string { return env[k] }}
		if colour, profile := wizardColour(e); colour || profile != colorprofile.Ascii {
			t.Errorf("%v: colour %v, profile %v", env, colour, profile)
		}
	}
	e := &Env{Getenv: func(k string) string { return map[string]string{"TERM": "xterm-256color"}[k] }}
	if colour, _ := wizardColour(e); !colour {
		t.Error("an ordinary terminal gets colour")
	}
}

// A signal can stop the wizard while its terminal starts, before it has
// asked for the database: it ends as any stop by that signal does (exit
// 143, where changes are kept), with no database to close.
func TestWizardStoppedBeforeTheOpen(t *testing.T) {
	env := &Env{DBPath: "/tmp/lims.db", Getenv: func(string) string { return "" }}
	err := wizardEnded(env, tui.New(tui.Config{}), &tui.SignalError{Signal: syscall.SIGTERM}, wizardDB{})
	if code := exitCode(err); code != 128+int(syscall.SIGTERM) {
		t.Fatalf("exit %d (%v), want %d", code, err, 128+int(syscall.SIGTERM))
	}
	if !strings.Contains(err.Error(), "stopped by SIGTERM") || !strings.Contains(err.Error(), "/tmp/lims.db") {
		t.Fatalf("error %q", err)
	}
}

// Once the wizard has stopped (here at once, by ctrl+c or a signal, so
// without waiting), an open its first command asks for later does not
// start: the file is not created, and the wizard's command is told why.
func TestWizardOpenRefusedAfterTheWizardStopped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "onus.db")
	var errs bytes.Buffer
	env := &Env{Stdout: io.Discard, Stderr: &errs, Getenv: func(string) string { return "" }, DBPath: path}
	cat, err := env.wizardCatalog(false)
	if err != nil {
		t.Fatal(err)
	}
	open := &wizardOpen{env: env, cat: cat, done: make(chan struct{})}
	if o := open.result(false); o.db != nil || o.err != nil {
		t.Fatalf("result before any open: %+v", o)
	}
	if _, err := open.open(); !errors.Is(err, errWizardStopped) {
		t.Fatalf("open after the wizard stopped: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the database was made after the wizard stopped: %v", err)
	}
}

// A catalog file read beside the wizard's start is lent one more
// processor and the collector's room, both given back once by settle
// however often it is called; checked and loaded agree on whether the
// file is valid, and the catalog loaded carries its hash.
func TestWizardCatalogFileIsLentAndSettled(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	gc := debug.SetGCPercent(100)
	debug.SetGCPercent(gc)
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, assets.Catalog(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.Replace(assets.CatalogText(), `"schema": 1`, `"schema": 99`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{good, bad} {
		env := &Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, CatalogPath: path}
		c, err := env.wizardCatalog(true)
		if err != nil {
			t.Fatal(err)
		}
		if got := runtime.GOMAXPROCS(0); got != procs+1 {
			t.Errorf("%s: %d processors while the file is read, want %d", path, got, procs+1)
		}
		checked, loaded := c.checked(), c.loaded()
		if path == good && (checked != nil || loaded != nil || c.catalog() == nil || c.catalog().Hash == "") {
			t.Errorf("a valid file: checked %v, loaded %v", checked, loaded)
		}
		if path == bad && (checked == nil || loaded == nil || checked.Error() != loaded.Error() || c.catalog() != nil) {
			t.Errorf("a file that is not valid: checked %v, loaded %v", checked, loaded)
		}
		c.settle()
		c.settle()
		if got := runtime.GOMAXPROCS(0); got != procs {
			t.Errorf("%s: %d processors once settled, want %d", path, got, procs)
		}
		if got := debug.SetGCPercent(gc); got != gc {
			t.Errorf("%s: the collector's target is %d once settled, want %d", path, got, gc)
		}
	}
}

// A GOMAXPROCS the user set is left alone: the read is lent no processor
// and nothing is given back (giving back the variable's value, read as a
// 64-bit number, cut 2147483648 to a negative count, which stopped the
// program with the terminal in raw mode, and 4294967297 to 1).
func TestWizardLeavesASetGOMAXPROCS(t *testing.T) {
	if os.Getenv("GOMAXPROCS") != "" {
		t.Skip("GOMAXPROCS is set for the test binary")
	}
	t.Cleanup(runtime.SetDefaultGOMAXPROCS)
	for _, v := range []string{"1", "3", "4294967297", "2147483648", "x"} {
		runtime.SetDefaultGOMAXPROCS()
		procs := runtime.GOMAXPROCS(0)
		t.Setenv("GOMAXPROCS", v)
		settle := lendToTheRead()
		if got := runtime.GOMAXPROCS(0); got != procs {
			t.Errorf("GOMAXPROCS=%s: %d processors while the file is read, want %d as it was", v, got, procs)
		}
		settle()
		if got := runtime.GOMAXPROCS(0); got != procs {
			t.Errorf("GOMAXPROCS=%s: %d processors once settled, want %d as it was", v, got, procs)
		}
	}
}

// The read lends the collector more room, never less: GOGC=off, or above
// 400, is kept while the file is read (setting 400 over it ran
// collections at the start the user had turned off).
func TestWizardReadKeepsTheCollectorsRoom(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer runtime.SetDefaultGOMAXPROCS()
	for _, gc := range []int{-1, 800, 100} {
		debug.SetGCPercent(gc)
		settle := lendToTheRead()
		want := max(gc, 400)
		if gc < 0 {
			want = gc
		}
		if got := debug.SetGCPercent(want); got != want {
			t.Errorf("GOGC %d: %d while the file is read, want %d", gc, got, want)
		}
		settle()
		if got := debug.SetGCPercent(gc); got != gc {
			t.Errorf("GOGC %d: %d once settled", gc, got)
		}
	}
}
