package safetext

import (
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
