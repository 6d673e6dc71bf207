package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
