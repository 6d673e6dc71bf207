package tui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/onus-gxp/onus/internal/hostile"
)

// Inside tmux, colorprofile.Detect runs "tmux info" through PATH;
// ColorProfile, which the wizard and Run use, runs nothing.
func TestColorProfileRunsNoProgram(t *testing.T) {
	master, slave, err := hostile.PTY(80, 24)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	traps, ran := hostile.TrapPath(t)
	t.Setenv("PATH", traps)
	env := []string{"PATH=" + traps, "TERM=tmux-256color", "TMUX=/tmp/tmux-0/default,1,0"}

	if p := ColorProfile(slave, env); p != colorprofile.ANSI256 {
		t.Errorf("ColorProfile in tmux = %v, want 256 colours", p)
	}
	if got := ran(); got != nil {
		t.Fatalf("ColorProfile ran %q", got)
	}
	// The trap works: the library itself runs tmux.
	colorprofile.Detect(slave, env)
	if got := ran(); len(got) != 1 || got[0] != "tmux info" {
		t.Errorf("colorprofile.Detect ran %q; the test no longer shows the danger", got)
	}
}

// ctrlVChild is set in the child process of TestCtrlVRunsNoProgram:
// "guarded" sends ctrl+v through Run's guard, "bare" to the model alone.
const ctrlVChild = "ONUS_CTRLV_CHILD"

func TestCtrlVChild(t *testing.T) {
	mode := os.Getenv(ctrlVChild)
	if mode == "" {
		t.Skip("the child process of TestCtrlVRunsNoProgram")
	}
	h := newHarness(t, 100, 30)
	h.press("/") // the filter: a text field has the focus
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

// Bubbles' text input runs xclip (or xsel, wl-paste) through PATH on
// ctrl+v; the wizard, through Run's guard, runs nothing. The clipboard
// package looks its helper up when the program starts, so each case is a
// child process started with only traps on PATH.
func TestCtrlVRunsNoProgram(t *testing.T) {
	for _, mode := range []string{"guarded", "bare"} {
		traps, ran := hostile.TrapPath(t)
		cmd := exec.Command(os.Args[0], "-test.run=^TestCtrlVChild$")
		cmd.Env = append(os.Environ(), "PATH="+traps, ctrlVChild+"="+mode)
		cmd.Env = append(cmd.Env, "WAYLAND_DISPLAY=", "DISPLAY=:0")
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "done") {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
		got := ran()
		switch {
		case mode == "guarded" && got != nil:
			t.Errorf("ctrl+v in the wizard ran %q", got)
		case mode == "bare" && len(got) == 0:
			t.Error("ctrl+v in a bare text input ran nothing: the test no longer shows the danger")
		}
	}
}

// Damage the wizard found makes it exit 4 however it was left; a crash
// still comes first.
func TestOutcomeAfterDamage(t *testing.T) {
	h := newHarness(t, 100, 30)
	if err := outcome(h.m, &runState{}, nil, 0); err != nil {
		t.Fatalf("a clean quit: %v", err)
	}
	h.send(checkedMsg{err: errors.New("onus.db is damaged (page 7 ...)")})
	for _, c := range []struct {
		err error
		sig syscall.Signal
	}{{nil, 0}, {tea.ErrInterrupted, 0}, {nil, syscall.SIGTERM}, {nil, syscall.SIGHUP}} {
		err := outcome(h.m, &runState{}, c.err, c.sig)
		var de *DamagedError
		if !errors.As(err, &de) || de.ExitCode() != 4 || !strings.Contains(err.Error(), "page 7") {
			t.Errorf("after damage (err %v, signal %v): %v, want a DamagedError", c.err, c.sig, err)
		}
	}
	crash := &PanicError{Value: "boom"}
	if err := outcome(h.m, &runState{crash: crash}, nil, 0); err != crash {
		t.Errorf("a crash after damage: %v", err)
	}
}
