package safetext

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestCleanNeutralisesControls(t *testing.T) {
	hostile := "title\x1b]0;pwned\x07 clip\x1b]52;c;ZXZpbA==\x07 clear\x1b[2J dcs\x1bP1$r\x1b\\ cr\rover \u202eevil\u202c c1\u009b31m del\x7f bad\xff"
	got := Clean(hostile)
	for _, r := range got {
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Fatalf("control %U survived in %q", r, got)
		}
	}
	for _, want := range []string{"␛]0;pwned␇", "␍over", "⟨U+202E⟩", "⟨U+009B⟩", "␡", "�"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks placeholder %q", got, want)
		}
	}
}

func TestCleanKeepsSafeText(t *testing.T) {
	s := "21 CFR 11.10(e) — audit trails\n\tindented, ünïcödé, 日本語"
	if got := Clean(s); got != s {
		t.Errorf("safe text changed: %q", got)
	}
	if got := Line("a\nb\tc"); got != "a⏎ b c" {
		t.Errorf("Line: %q", got)
	}
}

func TestTruncate(t *testing.T) {
	if got := Truncate("abcdef", 4); got != "abc…" {
		t.Errorf("got %q", got)
	}
	if got := Truncate("abc", 4); got != "abc" {
		t.Errorf("got %q", got)
	}
	if got := Truncate("abc", 0); got != "" {
		t.Errorf("got %q", got)
	}
}

func BenchmarkCleanSafe(b *testing.B) {
	s := strings.Repeat("Operating system and patching — ünïcödé ", 10)
	b.ReportAllocs()
	for b.Loop() {
		_ = Clean(s)
	}
}

// Wrap breaks at spaces only: identifiers with hyphens stay whole, a word
// wider than a line is cut after a slash when one fits (a path), else at
// the line's end, and what would act on a terminal is made visible.
func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want []string
	}{
		{"as it stood at YYYY-MM-DD, end of day", 16, []string{"as it stood at", "YYYY-MM-DD, end", "of day"}},
		{"default $XDG_CONFIG_HOME/onus/allowed_signers; env", 24, []string{"default", "$XDG_CONFIG_HOME/onus/", "allowed_signers; env"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"a\nb\x1b[31m c", 10, []string{"a⏎ b␛[31m", "c"}},
		{"", 10, nil},
		{"anything", 0, nil},
	} {
		if got := Wrap(tc.in, tc.w); !slices.Equal(got, tc.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}
