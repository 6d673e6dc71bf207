package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/charmbracelet/colorprofile"

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
	catalog, loaded, err := env.wizardCatalog(false)
	if err != nil {
		t.Fatal(err)
	}
	open := &wizardOpen{env: env, catalog: catalog, loaded: loaded, done: make(chan struct{})}
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
