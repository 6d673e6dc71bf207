package main

import (
	"testing"

	"github.com/charmbracelet/colorprofile"

	attack "github.com/onus-gxp/onus/internal/hostile"
)

// Inside tmux, colour detection on a terminal would run "tmux info"
// through PATH; the wizard's, `onus stack`'s and `onus doctor`'s run
// nothing, and still find 256 colours from TERM.
func TestColourDetectionRunsNoProgram(t *testing.T) {
	master, slave, err := attack.PTY(80, 24)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	traps, ran := attack.TrapPath(t)
	t.Setenv("PATH", traps)
	vars := map[string]string{"PATH": traps, "TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"}
	env := &Env{Stdout: slave, Getenv: func(k string) string { return vars[k] }}

	if colour, p := wizardColour(env); !colour || p != colorprofile.ANSI256 {
		t.Errorf("wizardColour in tmux = %v, %v; want colour, 256 colours", colour, p)
	}
	if p := colorprofile.Detect(slave, colourEnviron(env.Getenv)); p != colorprofile.ANSI256 {
		t.Errorf("stack's and doctor's detection in tmux = %v, want 256 colours", p)
	}
	if got := ran(); got != nil {
		t.Fatalf("colour detection ran %q", got)
	}
	// The trap works: with TMUX passed on, the library runs tmux.
	colorprofile.Detect(slave, append(colourEnviron(env.Getenv), "TMUX="+vars["TMUX"]))
	if got := ran(); len(got) != 1 || got[0] != "tmux info" {
		t.Errorf("colorprofile.Detect ran %q; the test no longer shows the danger", got)
	}
}
