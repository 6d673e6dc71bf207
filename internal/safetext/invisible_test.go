package safetext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
)

// Every format character (category Cf) is made visible: direction marks,
// zero-width characters, the byte-order mark, tag characters; and so are
// the line and paragraph separators.
func TestCleanShowsEveryFormatCharacter(t *testing.T) {
	for _, want := range []struct{ in, out string }{
		{"a\u200bb", "a⟨U+200B⟩b"}, // zero-width space
		{"a\u200cb", "a⟨U+200C⟩b"}, // zero-width non-joiner
		{"a\u200db", "a⟨U+200D⟩b"}, // zero-width joiner
		{"a\u2060b", "a⟨U+2060⟩b"}, // word joiner
		{"a\ufeffb", "a⟨U+FEFF⟩b"}, // byte-order mark
		{"a\u200eb", "a⟨U+200E⟩b"}, // left-to-right mark
		{"a\u200fb", "a⟨U+200F⟩b"}, // right-to-left mark
		{"a\u061cb", "a⟨U+061C⟩b"}, // Arabic letter mark
		{"a\u00adb", "a⟨U+00AD⟩b"}, // soft hyphen
		{"a\U000e0041b", "a⟨U+E0041⟩b"},
		{"a\u2028b\u2029c", "a⟨U+2028⟩b⟨U+2029⟩c"},
	} {
		if got := Clean(want.in); got != want.out {
			t.Errorf("Clean(%+q) = %q, want %q", want.in, got, want.out)
		}
	}
	n := 0
	for _, rng := range unicode.Cf.R16 {
		for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
			n += checkReplaced(t, r)
		}
	}
	for _, rng := range unicode.Cf.R32 {
		for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
			n += checkReplaced(t, r)
		}
	}
	if n < 150 {
		t.Errorf("only %d format characters checked", n)
	}
}

func checkReplaced(t *testing.T, r rune) int {
	t.Helper()
	s := "x" + string(r) + "y"
	if got := Clean(s); strings.ContainsRune(got, r) {
		t.Errorf("Clean kept %U: %q", r, got)
	}
	if got := Line(s); strings.ContainsRune(got, r) {
		t.Errorf("Line kept %U: %q", r, got)
	}
	return 1
}

// What Writer passes on is clean however the text is cut into writes,
// and the same as cleaning it whole.
func TestWriterCleansAcrossWrites(t *testing.T) {
	text := "error: \x1b]0;title\x07 key \u202eevil\u202c é日本 \u200f\U000e0041 \x9b2J end\n"
	for step := 1; step <= 5; step++ {
		var out bytes.Buffer
		w := NewWriter(&out)
		b := []byte(text)
		for i := 0; i < len(b); i += step {
			chunk := b[i:min(i+step, len(b))]
			if n, err := w.Write(chunk); n != len(chunk) || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if out.String() != Clean(text) {
			t.Errorf("step %d: %q, want %q", step, out.String(), Clean(text))
		}
	}
	// An incomplete character at the end comes out as a placeholder.
	var out bytes.Buffer
	w := NewWriter(&out)
	w.Write([]byte("ab\xe6\x97"))
	if out.String() != "ab" {
		t.Errorf("before Flush: %q", out.String())
	}
	w.Flush()
	if strings.Contains(out.String(), "\xe6") || !strings.HasPrefix(out.String(), "ab�") {
		t.Errorf("after Flush: %q", out.String())
	}
}

// JSON escapes what Clean would replace, and decodes to the same text.
func TestJSONEscapesInvisibleCharacters(t *testing.T) {
	in := map[string]string{"name": "a\u202eb\u200e\u0085c\x7fd\U000e0041 é日本 \x1b"}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	got := JSON(raw)
	for _, r := range string(got) {
		if r == 0x1b || r == 0x7f || invisible(r) {
			t.Errorf("%U left raw in %s", r, got)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["name"] != in["name"] {
		t.Errorf("decoded %q (%v), want %q", back["name"], err, in["name"])
	}
	if !bytes.Contains(got, []byte(`\udb40\udc41`)) || !strings.Contains(string(got), "é日本") {
		t.Errorf("escaped: %s", got)
	}
	plain := []byte(`{"a":"é"}`)
	if out := JSON(plain); &out[0] != &plain[0] {
		t.Error("JSON copied text that needed nothing")
	}
}
