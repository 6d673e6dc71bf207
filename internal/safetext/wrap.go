package safetext

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap lays s out, made one line (Line), in lines of at most w cells. It
// breaks at spaces only, so that an identifier with hyphens
// (cloudtrail-s3-dataevents-enabled, LC-10, YYYY-MM-DD) stays whole
// unless it is wider than a line, which then cuts it: after a slash when
// one fits (a path), else at the line's end.
func Wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var lines []string
	cur := ""
	for _, word := range strings.Fields(Line(s)) {
		switch {
		case cur == "":
			cur = word
		case ansi.StringWidth(cur)+1+ansi.StringWidth(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
		for ansi.StringWidth(cur) > w {
			head := ansi.Truncate(cur, w, "")
			if i := strings.LastIndex(head, "/"); i > 0 {
				head = head[:i+1]
			}
			lines = append(lines, head)
			cur = cur[len(head):]
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
