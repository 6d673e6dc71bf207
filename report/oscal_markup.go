package report

import (
	"strings"
)

// OSCAL's description, remarks, prose, statement and title fields are
// markup (markup-multiline and markup-line): in JSON they hold Markdown,
// which tools render. Text from users and catalogs goes in as literal
// text: every character Markdown, or OSCAL's extensions of it, could read
// as syntax is escaped, so that a note "<enabled>" stays text rather than
// an HTML tag, "*x*" stays "*x*" rather than emphasis, and "{{ insert:
// param, x }}" inserts nothing. Rendering the field gives back the exact
// text.
//
// CommonMark lets a backslash escape any ASCII punctuation, and reads a
// numeric character reference as a literal character that opens no block
// (spec 0.31, sections 2.4 and 2.5). Inline syntax is escaped wherever it
// is; block syntax (lists, headings, rules, quotes, indented code) only
// matters at the start of a line, where blanks are written as references.

// markupEscaped are the characters escaped wherever they are: inline
// syntax (emphasis, code, links, images, raw HTML, entities), OSCAL's
// parameter insertion ({{ }}) and quotation ("...", rendered as <q>), and
// table cells and headings, which are cheaper to escape everywhere than
// to track.
const markupEscaped = "\\`*_[]<>&\"{}|#~"

// mdMarkup makes text safe for a markup-multiline field. Line breaks are
// kept: one is a soft break, an empty line a new paragraph (and several
// empty lines one). Line breaks before the first line of text or after
// the last, which Markdown would drop, are written as references.
func mdMarkup(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	body := strings.TrimLeft(s, "\r\n")
	lineBreakRefs(&b, s[:len(s)-len(body)])
	tail := len(body) - len(strings.TrimRight(body, "\r\n"))
	body, trailing := body[:len(body)-tail], body[len(body)-tail:]
	for len(body) > 0 {
		end := strings.IndexAny(body, "\r\n")
		if end < 0 {
			end = len(body)
		}
		markupLine(&b, body[:end])
		if end < len(body) {
			b.WriteByte(body[end])
			end++
		}
		body = body[end:]
	}
	lineBreakRefs(&b, trailing)
	return b.String()
}

func lineBreakRefs(b *strings.Builder, breaks string) {
	for _, c := range []byte(breaks) {
		if c == '\r' {
			b.WriteString("&#13;")
		} else {
			b.WriteString("&#10;")
		}
	}
}

// markupLine escapes one line, without its line break.
func markupLine(b *strings.Builder, line string) {
	first := len(line) - len(strings.TrimLeft(line, " \t")) // first byte that is not a blank
	last := len(strings.TrimRight(line, " \t"))             // one past the last
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case i < first || i >= last:
			// Blanks at either end of a line: leading ones would indent
			// (four make code), trailing ones make a hard break.
			if c == ' ' {
				b.WriteString("&#32;")
			} else {
				b.WriteString("&#9;")
			}
			continue
		case strings.IndexByte(markupEscaped, c) >= 0:
			b.WriteByte('\\')
		case c == '-' || c == '+' || c == '=':
			// A list marker, thematic break or setext underline only at
			// the start of a line: "- x", "---", "===".
			if i == first && markerNext(line, i) {
				b.WriteByte('\\')
			}
		case c == '.' || c == ')':
			// "1. " or "1) " at the start of a line opens an ordered list.
			if markerNext(line, i) && orderedPrefix(line[first:i]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
}

// mdMarkupLine makes text safe for a markup-line field: one line (see
// oneLine), escaped as mdMarkup escapes it. Empty text becomes fallback,
// which is the caller's own and not escaped.
func mdMarkupLine(s, fallback string) string {
	line := oneLine(s, "")
	if line == "" {
		return fallback
	}
	return mdMarkup(line)
}
