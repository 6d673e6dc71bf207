// Package hostile holds what the tests throw at Onus: text that would act
// on a terminal, and an environment whose PATH leads only to traps.
package hostile

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Text is untrusted text carrying every kind of sequence that must never
// reach a terminal raw: OSC (window title, clipboard), CSI (clear screen),
// DCS, a bare C1 CSI, a carriage return, DEL, bidirectional overrides and
// format characters (zero-width, direction marks).
const Text = "name\x1b]0;pwned\x07 clip\x1b]52;c;ZXZpbA==\x07 clear\x1b[2J dcs\x1bP1$r\x1b\\ c1\u009b31m cr\rover del\x7f bidi\u202eevil\u202c zw\u200b\u200d lrm\u200e rlm\u200f alm\u061c bom\ufeff"

// Unsafe returns the first character in s that must not reach a terminal
// raw (ESC, another C0 control but newline and tab, DEL, a C1 control, a
// format character or a line or paragraph separator), and whether there
// is one.
func Unsafe(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029:
			return r, true
		case isFormat(r):
			return r, true
		}
	}
	return 0, false
}

// Programs are names a library might run through PATH: the terminal
// multiplexers' information commands, clipboard helpers on every system,
// pagers, openers, shells and terminal queries.
var Programs = []string{
	"tmux", "screen", "xclip", "xsel", "wl-copy", "wl-paste", "termux-clipboard-get", "termux-clipboard-set",
	"pbcopy", "pbpaste", "powershell.exe", "clip.exe", "xdg-open", "open", "less", "more", "man", "sh", "bash",
	"stty", "tput", "infocmp", "git", "uname", "id", "whoami", "getent", "locale", "hostname",
}

// TrapPath makes a directory holding a script for every name in
// Programs, each of which records that it ran (and fails). Put it alone
// on PATH; ran lists what ran, name and arguments, one a line.
func TrapPath(t testing.TB) (dir string, ran func() []string) {
	t.Helper()
	dir = t.TempDir()
	log := filepath.Join(dir, "ran.log")
	for _, name := range Programs {
		script := "#!/bin/sh\necho \"" + name + " $*\" >> '" + log + "'\nexit 1\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ran = func() []string {
		data, _ := os.ReadFile(log)
		if len(strings.TrimSpace(string(data))) == 0 {
			return nil
		}
		out := strings.Split(strings.TrimSpace(string(data)), "\n")
		sort.Strings(out)
		return out
	}
	return dir, ran
}
