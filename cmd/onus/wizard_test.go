package main

import (
	"testing"

	"github.com/charmbracelet/colorprofile"
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
