package main

import (
	"bytes"
	"slices"
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

// Help fits the terminal: every line of the command and option lists,
// for the root and every command, fits in 80, 100 and 120 columns, each
// description wrapped whole at spaces beside its key, in fang's layout
// and in cobra's plain one (a terminal without colour). Neither wraps,
// so a long description broke mid-word at the terminal's edge.
func TestHelpFitsTheTerminal(t *testing.T) {
	root := newRoot(&Env{Getenv: func(string) string { return "" }})
	targets := [][]string{{"--help"}}
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			targets = append(targets, []string{c.Name(), "--help"}, []string{"help", c.Name()})
		}
	}
	for _, cols := range []int{80, 100, 120} {
		for _, args := range targets {
			var out, errb bytes.Buffer
			env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, helpColumns: cols}
			if code := run(env, args); code != 0 {
				t.Fatalf("onus %v: exit %d, %s", args, code, errb.String())
			}
			checkHelpFits(t, "fang", args, cols, out.String(), []string{"COMMANDS", "FLAGS"})

			plain := newRoot(&Env{Getenv: func(string) string { return "" }})
			out.Reset()
			plain.SetOut(&out)
			plain.SetArgs(args)
			fitHelp(plain, args, cols, false)
			if err := plain.Execute(); err != nil {
				t.Fatalf("onus %v, plain: %v", args, err)
			}
			checkHelpFits(t, "plain", args, cols, out.String(), []string{"Flags:", "Global Flags:"})
		}
	}
}

// checkHelpFits checks the lines of help's lists against cols, and that
// each option's description is all there, in order (a word wider than
// the room beside the keys is cut, a path after a slash).
func checkHelpFits(t *testing.T, layout string, args []string, cols int, help string, lists []string) {
	t.Helper()
	help = ansi.Strip(help)
	in, n := false, 0
	for _, l := range strings.Split(help, "\n") {
		l = strings.TrimRight(l, " ")
		trimmed := strings.TrimSpace(l)
		switch {
		case slices.Contains(lists, trimmed):
			in = true
			continue
		case trimmed == "" || l[0] != ' ':
			in = in && trimmed == ""
		}
		if !in || trimmed == "" {
			continue
		}
		n++
		if w := ansi.StringWidth(l); w > cols {
			t.Errorf("%s, onus %v at %d columns: a line of %d: %q", layout, args, cols, w, l)
		}
	}
	if n == 0 {
		t.Fatalf("%s, onus %v: no list found in:\n%s", layout, args, help)
	}
	all := strings.ToLower(strings.Join(strings.Fields(help), ""))
	root := newRoot(&Env{Getenv: func(string) string { return "" }})
	c, _, _ := root.Find(slices.DeleteFunc(slices.Clone(args), func(a string) bool { return a == "help" || a == "--help" }))
	c.InheritedFlags()
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if want := strings.ToLower(strings.Join(strings.Fields(f.Usage), "")); !f.Hidden && !strings.Contains(all, want) {
			t.Errorf("%s, onus %v at %d columns: --%s's description is not all there: %q", layout, args, cols, f.Name, f.Usage)
		}
	})
}
