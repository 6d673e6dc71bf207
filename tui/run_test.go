package tui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/onus-gxp/onus/internal/hostile"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// ctrlVChild is set in the child process of TestCtrlVRunsNoProgram:
// "guarded" sends ctrl+v through Run's guard, "bare" to the model alone.
const ctrlVChild = "ONUS_CTRLV_CHILD"

func TestCtrlVChild(t *testing.T) {
	mode := os.Getenv(ctrlVChild)
	if mode == "" {
		t.Skip("the child process of TestCtrlVRunsNoProgram")
	}
	h := newHarness(t, 100, 30)
	h.press("n") // a new assessment: its name field has the focus
	ctrlV := tea.KeyPressMsg(tea.Key{Code: 'v', Mod: tea.ModCtrl})
	var cmd tea.Cmd
	if mode == "guarded" {
		_, cmd = guard{m: h.m, st: &runState{}}.Update(ctrlV)
	} else {
		_, cmd = h.m.Update(ctrlV)
	}
	for cmd != nil {
		msg := cmd()
		cmd = nil
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				if c != nil {
					c()
				}
			}
		}
	}
	fmt.Println("done")
}

// Bubbles' text input pastes ctrl+v by running xclip (or xsel, wl-paste)
// through PATH; the wizard runs nothing, twice over: Run's guard drops
// ctrl+v, and go.mod replaces the clipboard package with
// internal/noclipboard, which runs no program even in a bare text input
// (and no longer looks one up in PATH at every start). The original looked
// its helper up when the program started, so each case is a child process
// started with only traps on PATH.
func TestCtrlVRunsNoProgram(t *testing.T) {
	for _, mode := range []string{"guarded", "bare"} {
		traps, ran := hostile.TrapPath(t)
		cmd := exec.Command(os.Args[0], "-test.run=^TestCtrlVChild$")
		cmd.Env = append(os.Environ(), "PATH="+traps, ctrlVChild+"="+mode)
		cmd.Env = append(cmd.Env, "WAYLAND_DISPLAY=", "DISPLAY=:0")
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "done") {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
		if got := ran(); got != nil {
			t.Errorf("ctrl+v (%s) ran %q", mode, got)
		}
	}
}

// Damage the wizard found makes it exit 4 however it was left; a crash
// still comes first.
func TestOutcomeAfterDamage(t *testing.T) {
	h := newHarness(t, 100, 30)
	if err := runResult(h.m, &runState{}, nil, 0, 0); err != nil {
		t.Fatalf("a clean quit: %v", err)
	}
	h.send(checkedMsg{err: errors.New("onus.db is damaged (page 7 ...)")})
	for _, c := range []struct {
		err error
		sig syscall.Signal
	}{{nil, 0}, {tea.ErrInterrupted, 0}, {nil, syscall.SIGTERM}, {nil, syscall.SIGHUP}} {
		err := runResult(h.m, &runState{}, c.err, c.sig, 0)
		var de *DamagedError
		if !errors.As(err, &de) || de.ExitCode() != 4 || !strings.Contains(err.Error(), "page 7") {
			t.Errorf("after damage (err %v, signal %v): %v, want a DamagedError", c.err, c.sig, err)
		}
	}
	crash := &PanicError{Value: "boom"}
	if err := runResult(h.m, &runState{crash: crash}, nil, 0, 0); err != crash {
		t.Errorf("a crash after damage: %v", err)
	}
}

// failingAnswers refuses every answer, as a full disk would.
type failingAnswers struct{ Store }

func (failingAnswers) Answer(string, model.Answer, string) (model.Assessment, error) {
	return model.Assessment{}, errors.New("no space left on device")
}

// A signal stops the program without the wizard's own quit: Run saves
// what was still queued before it returns, so a closed window loses
// nothing typed, and a change that still cannot be saved is counted in
// the SignalError.
func TestRunSavesWhatASignalLeft(t *testing.T) {
	// With a handler of its own registered, the test process survives
	// the SIGTERM it sends itself while Run's handler is in place.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM)
	defer signal.Stop(sigs)
	for _, c := range []struct {
		name    string
		wrap    func(Store) Store
		answers int // in the file after Run
		unsaved int // in the SignalError
	}{
		{"saves queued", func(s Store) Store { return SlowWrites(s, 300*time.Millisecond) }, 3, 0},
		{"saves failing", func(s Store) Store { return failingAnswers{s} }, 0, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "tester"})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			a, err := db.Create(model.Assessment{Name: "LIMS"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SelectServices(a.ID, []string{"s3"}); err != nil {
				t.Fatal(err)
			}
			cat := testCatalog(t)
			m := New(Config{Catalog: func() *model.Catalog { return cat }, Store: c.wrap(db), Now: func() time.Time { return testNow }, ExportDir: t.TempDir()})
			in, keys := io.Pipe()
			defer keys.Close()
			done := make(chan error, 1)
			go func() {
				done <- Run(m, colorprofile.Ascii, nil, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30))
			}()
			time.Sleep(300 * time.Millisecond) // the list on screen
			for _, k := range []string{"\r", "1", "j", "2", "j", "4"} {
				keys.Write([]byte(k))
				time.Sleep(20 * time.Millisecond)
			}
			syscall.Kill(os.Getpid(), syscall.SIGTERM)
			var err2 error
			select {
			case err2 = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after SIGTERM")
			}
			var se *SignalError
			if !errors.As(err2, &se) || se.Signal != syscall.SIGTERM || se.Unsaved != c.unsaved {
				t.Errorf("Run: %#v, want a SignalError with %d unsaved", err2, c.unsaved)
			}
			if got, _ := db.Get(a.ID); len(got.Answers) != c.answers {
				t.Errorf("%d answers in the file after the signal, want %d", len(got.Answers), c.answers)
			}
		})
	}
}

// A signal that comes once the caller has started catching them
// (CatchSignals) but before Run, while the wizard's start is still going
// on, stops the wizard as soon as it runs, as one during it does.
func TestSignalBeforeRunStopsTheWizard(t *testing.T) {
	// The test's own handler keeps the process alive should Run's not be
	// in place; Run would then not return, and the test fails.
	own := make(chan os.Signal, 4)
	signal.Notify(own, syscall.SIGHUP)
	defer signal.Stop(own)
	db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat := testCatalog(t)
	m := New(Config{Catalog: func() *model.Catalog { return cat }, Store: db, Now: func() time.Time { return testNow }, ExportDir: t.TempDir()})
	sigs := CatchSignals()
	<-sigs.ready
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	select { // delivered: to sigs too, which were caught before it
	case <-own:
	case <-time.After(10 * time.Second):
		t.Fatal("the SIGHUP was not delivered")
	}
	in, keys := io.Pipe()
	defer keys.Close()
	done := make(chan error, 1)
	go func() {
		done <- Run(m, colorprofile.Ascii, sigs, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30))
	}()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after a SIGHUP caught before it started")
	}
	var se *SignalError
	if !errors.As(err, &se) || se.Signal != syscall.SIGHUP {
		t.Errorf("Run: %#v, want a SignalError for SIGHUP", err)
	}
}
