// Package safetext makes untrusted text (catalogs, imported bundles,
// anything typed, error messages that quote any of them) safe to show in a
// terminal or a text report: characters that could act on the terminal, or
// hide or reorder what a line says, become visible placeholders.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean keeps newlines and tabs and replaces with visible placeholders
// every other C0 control, DEL, every C1 control (ESC-free CSI, OSC, DCS
// introducers), every Unicode format character (category Cf: the
// bidirectional controls, direction marks such as U+200E, U+200F and
// U+061C, zero-width characters, the byte-order mark, tag characters),
// the line and paragraph separators U+2028 and U+2029, and invalid UTF-8.
// It returns s itself when nothing needs replacing, so the common case
// allocates nothing.
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
	case r < 0x20, r == 0x7f:
		return true
	case r < 0x80:
		return false
	}
	return invisible(r) || r == utf8.RuneError
}

// invisible reports the non-ASCII runes that act on a terminal or change
// how a line reads without showing themselves: C1 controls, format
// characters and the Unicode line and paragraph separators.
func invisible(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r)
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
	case r == utf8.RuneError:
		return "�"
	case invisible(r):
		return fmt.Sprintf("⟨U+%04X⟩", r)
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
