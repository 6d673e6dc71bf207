package report

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
)

// The escaping is checked by a real CommonMark renderer (goldmark, a test
// dependency only): whatever the text, the rendered field is paragraphs of
// plain text, and the text they hold is the text that went in.

var commonMark = goldmark.New()

func renderMarkdown(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := commonMark.Convert([]byte(s), &b); err != nil {
		t.Fatalf("goldmark: %v", err)
	}
	return b.String()
}

// inertHTML is what rendered markup may be: paragraphs of text, no other
// element, no raw HTML (which goldmark drops as a comment), no entity left.
var inertHTML = regexp.MustCompile(`^(<p>[^<>]*</p>\n)*$`)

// markdownText is the text a markup field renders as, paragraphs apart by
// an empty line.
func markdownText(t testing.TB, s string) string {
	t.Helper()
	out := renderMarkdown(t, s)
	out = strings.TrimSuffix(strings.TrimPrefix(out, "<p>"), "</p>\n")
	return html.UnescapeString(strings.ReplaceAll(out, "</p>\n<p>", "\n\n"))
}

func TestMarkupRendersAsText(t *testing.T) {
	texts := append([]string{
		"<enabled>", "*x*", "_x_", "**bold**", "`code`", "[a](b)", "![img](x.png)", "<https://example.com>",
		"a & b &amp; &copy; &#42;", "{{ insert: param, ac-1_prm_1 }}", `"quoted"`, "a | b | c", "# heading", "## h2",
		"- item", "+ item", "* item", "1. first", "2) second", "> quote", "---", "***", "___", "===", "    indented code",
		"\tindented by a tab", "trailing blanks  ", "trailing backslash\\", "x\\*y", "~~strike~~", "a\\\nb",
		"line one\nline two", "para one\n\npara two", "setext\n===", "setext\n---", "list\n- item\n1. item",
		"  - nested\n    - deeper", "<!-- comment -->", "<div>block</div>", "&#32;", "[ref]: https://example.com",
		"-5 degrees", "2025.03", "R&D", "ends with newline\n", "\n\nstarts after two\r\n", "para\n\n\n\nfar apart",
	}, hostile...)
	for _, s := range texts {
		got := mdMarkup(s)
		out := renderMarkdown(t, got)
		if !inertHTML.MatchString(out) {
			t.Errorf("mdMarkup(%q) = %q renders as %q: markup, not text", s, got, out)
			continue
		}
		if want := wantText(s); markdownText(t, got) != want {
			t.Errorf("mdMarkup(%q) = %q renders as the text %q, want %q", s, got, markdownText(t, got), want)
		}
	}
}

// wantText is the text a multi-line field shows: the text, but for a run
// of empty lines between paragraphs, which is one.
func wantText(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}

func TestMarkupLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain":           "plain",
		"<b>x</b>":        `\<b\>x\</b\>`,
		"*x*":             `\*x\*`,
		"two\nlines":      "two lines",
		"  padded  ":      "padded",
		"- starts a list": `\- starts a list`,
		"":                "fallback",
		" \n ":            "fallback",
	} {
		if got := mdMarkupLine(in, "fallback"); got != want {
			t.Errorf("mdMarkupLine(%q) = %q, want %q", in, got, want)
		}
	}
}
