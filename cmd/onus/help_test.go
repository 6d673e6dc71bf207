package main

import (
	"strings"
	"testing"
)

// onus help NAME prints, on stdout, exactly what onus NAME --help prints on
// stderr: the synopsis, every option of the command and an example.
func TestHelpShowsEveryOption(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runOnus(t, nil, "help", name)
			if code != 0 || errOut != "" {
				t.Fatalf("onus help %s: exit %d, stderr %q", name, code, errOut)
			}
			code, _, direct := runOnus(t, nil, name, "--help")
			if code != 0 {
				t.Fatalf("onus %s --help: exit %d", name, code)
			}
			if out != direct || !strings.HasPrefix(out, "Usage: onus "+name) || !strings.Contains(out, "-db string") {
				t.Fatalf("onus help %s:\n%s\nonus %s --help:\n%s", name, out, name, direct)
			}
		})
	}
	_, out, _ := runOnus(t, nil, "help", "export")
	for _, opt := range []string{"-format string", "-as-of string", "-o string"} {
		if !strings.Contains(out, opt) {
			t.Errorf("onus help export lacks %s:\n%s", opt, out)
		}
	}
}
