package tui

import (
	"math/rand/v2"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The fast paths of width and truncate agree with the ansi package on
// plain text, styled text and wide runes.
func TestTruncateMatchesANSI(t *testing.T) {
	pieces := []string{"a", "Z", " ", "~", "é", "界", "🙂", "\x1b[1m", "\x1b[m", "\x1b[38;5;147m", "\x1b[", "\x1b]0;t\x07", "…", "▸", "✔", "✔\uFE0F", "e\u0301", "·\u0301", "━", "\u200d", "👍🏽"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var s string
		for range rng.IntN(30) {
			if rng.IntN(4) == 0 {
				s += pieces[rng.IntN(len(pieces))]
			} else {
				s += string(rune('a' + rng.IntN(26)))
			}
		}
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Fatalf("width(%q) = %d, ansi says %d", s, got, want)
		}
		w := rng.IntN(35) - 2
		for _, tail := range []string{"", "…"} {
			if got, want := truncate(s, w, tail), ansi.Truncate(s, max(w, 0), tail); got != want {
				t.Fatalf("truncate(%q, %d, %q) = %q, ansi says %q", s, w, tail, got, want)
			}
		}
	}
}
