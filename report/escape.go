package report

import (
	"strings"

	"github.com/onus-gxp/onus/internal/safetext"
)

// Escaping, one function per format. Each takes raw text from a user or a
// catalog and returns text that can only be read, never acted on.

// mdInline makes text safe inside a Markdown paragraph, list item or table
// cell: terminal controls become placeholders (safetext), line breaks
// become <br> so a cell or item stays on one source line, and every
// character Markdown could read as syntax is backslash-escaped, or for < and
// > written as an entity, so no raw HTML survives.
func mdInline(s string) string {
	return mdEscape(s, "<br>")
}

// mdLine is mdInline for headings and other one-line places: line breaks
// become spaces.
func mdLine(s string) string {
	return mdEscape(s, " ")
}

func mdEscape(s, br string) string {
	s = safetext.Clean(s)
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	atStart := true // at the start of the text, after leading blanks
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\n':
			b.WriteString(br)
			continue // after <br> a cell still continues the same source line
		case '\t':
			b.WriteByte(' ')
			continue
		case '\\', '`', '*', '_', '[', ']', '|', '#', '~':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '-', '+', '=':
			// A list marker, thematic break or setext underline only at the
			// start: "- x", "---", "===".
			if atStart && markerNext(s, i) {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		case '.', ')':
			// "1. " or "1) " at the start would open an ordered list.
			if markerNext(s, i) && orderedPrefix(s[:i]) {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
		if c != ' ' {
			atStart = false
		}
	}
	return b.String()
}

// markerNext reports whether the character at i could end a block
// marker: it is followed by a blank, the end, or the same character.
func markerNext(s string, i int) bool {
	if i+1 >= len(s) {
		return true
	}
	n := s[i+1]
	return n == ' ' || n == '\t' || n == '\n' || n == s[i]
}

// orderedPrefix reports whether s, after leading blanks, is only digits:
// the text before a "." that would make an ordered-list marker.
func orderedPrefix(s string) bool {
	s = strings.TrimLeft(s, " ")
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mdFence returns a code fence longer than any run of backticks in body, so
// the body cannot close the block early.
func mdFence(body string) string {
	longest, run := 0, 0
	for i := 0; i < len(body); i++ {
		if body[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// csvCell defuses a cell for spreadsheets: terminal controls become
// placeholders, and a cell a spreadsheet would read as a formula (starting
// with =, +, -, @, a tab or a carriage return) is prefixed with a single
// quote. encoding/csv does the quoting.
func csvCell(s string) string {
	if s == "" {
		return s
	}
	lead := s[0]
	s = safetext.Clean(s)
	switch lead {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	switch s[0] {
	case '=', '+', '-', '@':
		return "'" + s
	}
	return s
}
