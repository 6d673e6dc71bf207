package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/pflag"
)

// onus help NAME prints, on stdout, exactly what onus NAME --help prints:
// the synopsis, every option of the command (the global ones included)
// and its examples.
func TestHelpShowsEveryOption(t *testing.T) {
	root := newRoot(&Env{Getenv: func(string) string { return "" }})
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() {
			continue
		}
		name := c.Name()
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runOnus(t, nil, "help", name)
			if code != 0 || errOut != "" {
				t.Fatalf("onus help %s: exit %d, stderr %q", name, code, errOut)
			}
			code, direct, _ := runOnus(t, nil, name, "--help")
			if code != 0 {
				t.Fatalf("onus %s --help: exit %d", name, code)
			}
			if out != direct || !strings.Contains(out, "onus "+c.Use) || !strings.Contains(out, "--db") {
				t.Fatalf("onus help %s:\n%s\nonus %s --help:\n%s", name, out, name, direct)
			}
			c.InheritedFlags() // the global options, merged into c.Flags()
			c.Flags().VisitAll(func(f *pflag.Flag) {
				if !strings.Contains(out, "--"+f.Name) {
					t.Errorf("onus help %s lacks --%s:\n%s", name, f.Name, out)
				}
			})
			for _, ex := range strings.Split(c.Example, "\n") {
				if !strings.Contains(out, strings.TrimSpace(ex)) {
					t.Errorf("onus help %s lacks the example %q:\n%s", name, ex, out)
				}
			}
		})
	}
	_, out, _ := runOnus(t, nil, "help", "export")
	for _, opt := range []string{"--format", "--as-of", "-o --output"} {
		if !strings.Contains(out, opt) {
			t.Errorf("onus help export lacks %s:\n%s", opt, out)
		}
	}
}

// onus --help lists the commands a line each within 100 columns: fang
// neither wraps nor cuts them, so a longer line breaks in the terminal.
func TestCommandListFitsAHundredColumns(t *testing.T) {
	_, out, _ := runOnus(t, nil, "--help")
	in := false
	n := 0
	for _, l := range strings.Split(ansi.Strip(out), "\n") {
		l = strings.TrimRight(l, " ")
		switch strings.TrimSpace(l) {
		case "COMMANDS":
			in = true
			continue
		case "FLAGS":
			in = false
		}
		if !in || l == "" {
			continue
		}
		n++
		if w := ansi.StringWidth(l); w > 100 {
			t.Errorf("%d columns: %q", w, l)
		}
	}
	if n < 20 {
		t.Fatalf("found %d commands in:\n%s", n, out)
	}
}
