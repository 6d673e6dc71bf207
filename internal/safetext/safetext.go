// Package safetext makes untrusted text (catalogs, imported bundles,
// anything typed) safe to show in a terminal or a text report: control
// characters that could act on the terminal become visible placeholders.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Clean keeps newlines and tabs and replaces every other C0 control, DEL,
// every C1 control (ESC-free CSI, OSC, DCS introducers), the bidirectional
// controls and invalid UTF-8 with visible placeholders. It returns s itself
// when nothing needs replacing, so the common case allocates nothing.
func Clean(s string) string {
	return clean(s, false)
}

// Line is Clean for text shown on one line: newlines and tabs become a
// visible return mark and a space.
func Line(s string) string {
	return clean(s, true)
}

func clean(s string, oneLine bool) string {
	i := firstUnsafe(s, oneLine)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if unsafeRune(r, oneLine) {
			b.WriteString(replacement(r, oneLine))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func firstUnsafe(s string, oneLine bool) int {
	for i, r := range s {
		if unsafeRune(r, oneLine) {
			return i
		}
	}
	return -1
}

// unsafeRune reports whether r needs a placeholder; it allocates nothing.
func unsafeRune(r rune, oneLine bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return oneLine
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f,
		r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == utf8.RuneError:
		return true
	}
	return false
}

// replacement returns the placeholder for an unsafe rune, or the rune.
func replacement(r rune, oneLine bool) string {
	switch {
	case r == '\n':
		if oneLine {
			return "⏎ "
		}
		return "\n"
	case r == '\t':
		if oneLine {
			return " "
		}
		return "\t"
	case r < 0x20:
		return string(rune(0x2400 + r)) // Control Pictures block: ␛ ␍ ␇ ...
	case r == 0x7f:
		return "␡"
	case r >= 0x80 && r <= 0x9f,
		r >= 0x202a && r <= 0x202e,
		r >= 0x2066 && r <= 0x2069:
		return fmt.Sprintf("⟨U+%04X⟩", r)
	case r == utf8.RuneError:
		return "�"
	}
	return string(r)
}

// Truncate cuts s to at most n runes, ending with an ellipsis when cut.
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
