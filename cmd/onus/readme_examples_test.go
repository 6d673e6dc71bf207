package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// The README's terminal examples are run: each "$ onus ..." line of a
// block is run in-process and what it prints (standard error, then
// standard output) must be the lines that follow it. A line "..." stands
// for any lines; an assessment id stands for the one the command made,
// and later commands of the block get the real one in its place.

var readmeID = regexp.MustCompile(`^[0-9a-z]{16}$`)

// readmeSession is one example block: its commands and what each prints.
type readmeSession []struct {
	args []string
	want []string
}

// readmeBlock finds the fenced block whose first line is first.
func readmeBlock(t *testing.T, first string) readmeSession {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(data), "```\n"+first+"\n")
	if start < 0 {
		t.Fatalf("README has no example starting %q", first)
	}
	body := string(data)[start+4:]
	body = body[:strings.Index(body, "\n```")]
	var s readmeSession
	for _, l := range strings.Split(body, "\n") {
		if cmd, ok := strings.CutPrefix(l, "$ onus "); ok {
			s = append(s, struct {
				args []string
				want []string
			}{args: shellWords(t, cmd)})
			continue
		}
		if len(s) == 0 {
			t.Fatalf("README example %q: output before a command", first)
		}
		s[len(s)-1].want = append(s[len(s)-1].want, l)
	}
	return s
}

// shellWords splits a command line as a shell does, for the quoting the
// README uses: words, and double-quoted strings.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	quoted, inWord := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, w.String())
				w.Reset()
			}
			inWord = false
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quotes in %q", line)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// run runs every command of the session and checks what it prints.
func (s readmeSession) run(t *testing.T, env map[string]string) {
	t.Helper()
	ids := map[string]string{} // the README's id → the one made here
	for _, step := range s {
		args := make([]string, len(step.args))
		for i, a := range step.args {
			if real, ok := ids[a]; ok {
				a = real
			}
			args[i] = a
		}
		code, out, errs := runOnus(t, env, args...)
		if code != 0 {
			t.Fatalf("onus %q: exit %d\n%s%s", args, code, errs, out)
		}
		got := strings.Split(strings.TrimSuffix(errs+out, "\n"), "\n")
		if !linesMatch(step.want, got, ids) {
			t.Errorf("onus %q prints\n%s\nthe README says\n%s", args, strings.Join(got, "\n"), strings.Join(step.want, "\n"))
		}
	}
}

// linesMatch matches output against the README's lines: "..." is any
// lines, an id is any id (and is remembered).
func linesMatch(want, got []string, ids map[string]string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == "..." {
		for i := 0; i <= len(got); i++ {
			if linesMatch(want[1:], got[i:], ids) {
				return true
			}
		}
		return false
	}
	if len(got) == 0 {
		return false
	}
	if readmeID.MatchString(want[0]) && readmeID.MatchString(got[0]) {
		ids[want[0]] = got[0]
	} else if want[0] != got[0] {
		return false
	}
	return linesMatch(want[1:], got[1:], ids)
}

func TestLinesMatch(t *testing.T) {
	ids := map[string]string{}
	for _, tc := range []struct {
		want, got []string
		ok        bool
	}{
		{[]string{"a", "  ...", "d"}, []string{"a", "b", "c", "d"}, true},
		{[]string{"a", "...", "d"}, []string{"a", "d"}, true},
		{[]string{"a", "...", "d"}, []string{"a", "b"}, false},
		{[]string{"a"}, []string{"a", "b"}, false},
		{[]string{"06h2tkrwfz5as582"}, []string{"06h2aaaaaaaaaaaa"}, true},
		{[]string{"06h2tkrwfz5as582"}, []string{"not an id"}, false},
	} {
		if got := linesMatch(tc.want, tc.got, ids); got != tc.ok {
			t.Errorf("linesMatch(%q, %q) = %v", tc.want, tc.got, got)
		}
	}
	if ids["06h2tkrwfz5as582"] != "06h2aaaaaaaaaaaa" {
		t.Errorf("the id was not remembered: %v", ids)
	}
}

// Every command line the README shows (in its blocks, after "$ " or not,
// and in `onus ...` code spans) names commands that exist and options
// those commands take: the synopsis cannot promise what the binary lacks.
func TestREADMECommandsExist(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	fenced := false
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			if l = strings.TrimPrefix(l, "$ "); strings.HasPrefix(l, "onus ") || l == "onus" {
				lines = append(lines, l)
			}
			continue
		}
		for _, m := range regexp.MustCompile("`(onus( [^`]*)?)`").FindAllStringSubmatch(l, -1) {
			lines = append(lines, m[1])
		}
	}
	if len(lines) < 40 {
		t.Fatalf("found %d command lines in the README; the test reads it wrong", len(lines))
	}
	root := newRoot(&Env{Getenv: func(string) string { return "" }})
	for _, line := range lines {
		line, _, _ = strings.Cut(line, " #")
		// Each command of a pipeline or a list: "... > big.json && onus --catalog big.json".
		for _, seg := range regexp.MustCompile(`\s+(&&|\||>)\s+`).Split(line, -1) {
			if !strings.HasPrefix(seg, "onus") {
				continue
			}
			if err := readmeCommandExists(root, shellWords(t, seg)[1:]); err != nil {
				t.Errorf("README: %q: %v", line, err)
			}
		}
	}
}

// readmeCommandExists follows the words of a synopsis line to its
// command and looks up every option it names; "[", "]" and "..." are the
// synopsis's, and "a|b" offers either.
func readmeCommandExists(root *cobra.Command, words []string) error {
	cmd, positional := root, false
	for i := 0; i < len(words); i++ {
		w := strings.TrimRight(strings.TrimLeft(words[i], "["), "].")
		if !strings.HasPrefix(w, "-") {
			if positional {
				continue
			}
			// A command with subcommands takes one of them (either of "a|b").
			if cmd == root || cmd.HasSubCommands() {
				var next *cobra.Command
				for _, alt := range strings.Split(w, "|") {
					if next = subcommand(cmd, alt); next == nil {
						return fmt.Errorf("%s has no command %q", cmd.CommandPath(), alt)
					}
				}
				cmd = next
				continue
			}
			positional = true
			continue
		}
		takesValue := false
		for _, opt := range strings.Split(w, "|") {
			name, _, hasValue := strings.Cut(strings.TrimLeft(opt, "-"), "=")
			f := longFlag(cmd, name)
			if !strings.HasPrefix(opt, "--") && len(name) == 1 {
				f = cmd.Flags().ShorthandLookup(name)
			}
			if f == nil {
				return fmt.Errorf("%s takes no option %s", cmd.CommandPath(), opt)
			}
			takesValue = !hasValue && f.NoOptDefVal == ""
		}
		if takesValue {
			i++
		}
	}
	return nil
}

// The README's synopsis lines of services from IaC, lenses and the OSCAL
// catalog run as written, in a folder holding the files they name (the
// iac package's fixtures): once without the optional parts, once with
// them all. ID is the assessment made by the first; FILE a file name.
func TestREADMESynopsisRuns(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	iacData := os.DirFS(filepath.Join("..", "..", "iac", "testdata"))
	for from, to := range map[string]string{"sam": ".", "plan": ".", "cdk.out": "cdk.out"} {
		sub, _ := fs.Sub(iacData, from)
		if err := os.CopyFS(filepath.Join(dir, to), sub); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	env, _ := embeddedEnv(t)

	var id string
	ran := 0
	for _, prefix := range []string{`onus new --name "LIMS on AWS" --from `, "onus services ID --from ", "onus lens export ", "onus catalog export "} {
		for _, line := range strings.Split(string(data), "\n") {
			if !strings.HasPrefix(line, prefix) {
				continue
			}
			line, _, _ = strings.Cut(line, " #")
			words := shellWords(t, strings.TrimPrefix(line, "onus "))
			for _, full := range []bool{false, true} {
				var args []string
				depth := 0
				for _, w := range words {
					opens := strings.Count(w, "[")
					depth += opens
					inside := depth > 0
					depth -= strings.Count(w, "]")
					if inside && !full {
						continue
					}
					switch w = strings.Trim(w, "[]"); w {
					case "ID":
						w = id
					case "FILE":
						w = "out.json"
					}
					args = append(args, w)
				}
				out, errs := mustOnus(t, env, args...)
				ran++
				if prefix == `onus new --name "LIMS on AWS" --from ` {
					id = strings.TrimSpace(out)
					if !readmeID.MatchString(id) || !strings.Contains(errs, "Selected ") {
						t.Fatalf("onus %q: stdout %q, stderr\n%s", args, out, errs)
					}
					break // made once
				}
			}
		}
	}
	if ran < 9 {
		t.Errorf("ran %d of README's lines; it lacks some", ran)
	}
	for _, f := range []string{"gxp-lens-1.json", "out.json"} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}

// So does every example of every command's help.
func TestHelpExamplesNameRealOptions(t *testing.T) {
	root := newRoot(&Env{Getenv: func(string) string { return "" }})
	n := 0
	walk(root, func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			line, _, _ = strings.Cut(strings.TrimSpace(line), " #")
			for _, seg := range regexp.MustCompile(`\s+(&&|\||>)\s+`).Split(line, -1) {
				if !strings.HasPrefix(seg, "onus ") {
					continue
				}
				n++
				if err := readmeCommandExists(root, shellWords(t, seg)[1:]); err != nil {
					t.Errorf("onus %s --help: %q: %v", c.Name(), line, err)
				}
			}
		}
	})
	if n < 30 {
		t.Errorf("checked %d examples; the test reads them wrong", n)
	}
}
