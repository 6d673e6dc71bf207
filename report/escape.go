package report

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

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
// placeholders, and a cell a spreadsheet could read as a formula gets a
// single quote in front, which spreadsheets take as "this is text". A cell
// is formula-like, after OWASP's CSV-injection guidance, when it starts
// with a tab or carriage return, or when its first character after any
// blanks (" =3+3") is =, +, - or @, or one of their full-width forms, which
// some spreadsheets read as the same. csvRecord does the quoting.
func csvCell(s string) string {
	if formulaLike(s) {
		return "'" + safetext.Clean(s)
	}
	return safetext.Clean(s)
}

func formulaLike(s string) bool {
	for _, r := range s {
		switch {
		case r == '\t' || r == '\r' || r == '\n':
			return true
		case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r):
			continue // blanks and invisible format characters a reader skips
		case strings.ContainsRune("=+-@\uff1d\uff0b\uff0d\uff20", r):
			return true
		default:
			return false
		}
	}
	return false
}

// csvRecord writes one CSV record as RFC 4180 has it, CRLF at the end and
// for line breaks inside a cell, with one addition: a cell with a
// semicolon is quoted too, so that a spreadsheet that splits cells at
// semicolons, as those of decimal-comma locales do, keeps it whole, and
// "a;=1+1" cannot become a cell "=1+1".
func csvRecord(b *bytes.Buffer, cells []string) {
	for i, c := range cells {
		if i > 0 {
			b.WriteByte(',')
		}
		if !csvNeedsQuotes(c) {
			b.WriteString(c)
			continue
		}
		b.WriteByte('"')
		for j := 0; j < len(c); j++ {
			switch c[j] {
			case '"':
				b.WriteString(`""`)
			case '\n':
				b.WriteString("\r\n")
			default:
				b.WriteByte(c[j])
			}
		}
		b.WriteByte('"')
	}
	b.WriteString("\r\n")
}

func csvNeedsQuotes(c string) bool {
	if c == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(c)
	return unicode.IsSpace(r) || strings.ContainsAny(c, ",;\"\r\n")
}
