package safetext

import (
	"fmt"
	"unicode/utf8"
)

// JSON rewrites, in valid JSON, every character Clean would replace as a
// \u escape: the decoded text stays exactly the same, but no C1 control,
// DEL or format character (such as a bidirectional override) reaches a
// terminal that shows the JSON. encoding/json already escapes C0 controls
// and invalid UTF-8; these characters can only occur inside strings. It
// returns b itself when nothing needs escaping.
func JSON(b []byte) []byte {
	first := -1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if needsEscape(r, n) {
			first = i
			break
		}
		i += n
	}
	if first < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:first]...)
	for i := first; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case !needsEscape(r, n):
			out = append(out, b[i:i+n]...)
		case r > 0xffff: // a surrogate pair, as JSON spells characters beyond the BMP
			r -= 0x10000
			out = fmt.Appendf(out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += n
	}
	return out
}

// needsEscape: DEL and the invisible runes; a decoding error (n == 1 with
// RuneError) is left as it is, valid JSON from encoding/json has none.
func needsEscape(r rune, n int) bool {
	if r == utf8.RuneError && n <= 1 {
		return false
	}
	return r == 0x7f || r >= 0x80 && invisible(r)
}
