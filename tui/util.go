package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/internal/safetext"
)

// subsequence reports whether p's runes appear in s in order (both lower
// case).
func subsequence(p []rune, s string) bool {
	if len(p) == 0 {
		return true
	}
	i := 0
	for _, r := range s {
		if r == p[i] {
			i++
			if i == len(p) {
				return true
			}
		}
	}
	return false
}

// scrollOffset keeps the cursor inside a window of rows lines.
func scrollOffset(cursor, offset, rows, n int) int {
	if rows <= 0 {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+rows {
		offset = cursor - rows + 1
	}
	return max(0, min(offset, max(0, n-rows)))
}

// problemLines is a problem the user must read to go on, on one line or
// more of w cells in style: never cut short at the screen's edge.
func problemLines(style lipgloss.Style, msg string, w int) []string {
	lines := wrap(safetext.Line(msg), w)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

// wrap breaks sanitised text into lines of at most w cells.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	s = safetext.Clean(s)
	return strings.Split(ansi.Wrap(s, w, " "), "\n")
}

// chunks cuts sanitised text into lines of w cells, keeping every
// character, spaces included, where it is.
func chunks(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	s = safetext.Line(s)
	var lines []string
	for width(s) > w {
		head := ansi.Truncate(s, w, "")
		lines, s = append(lines, head), s[len(head):]
	}
	return append(lines, s)
}

// choiceRow shows the options with the current one marked; when they do not
// fit in w cells it shows the current one alone, between arrows.
func choiceRow(options []string, current string, active bool, w int, st Styles) string {
	var parts []string
	for _, o := range options {
		label := "( ) " + o
		if o == current {
			label = "(•) " + o
			if active {
				label = st.Selected.Render(label)
			}
		}
		parts = append(parts, label)
	}
	row := strings.Join(parts, "  ")
	if ansi.StringWidth(row) <= w {
		return row
	}
	i := 0
	for j, o := range options {
		if o == current {
			i = j
		}
	}
	label := fmt.Sprintf("◂ %s ▸", current)
	if active {
		label = st.Selected.Render(label)
	}
	return label + st.Muted.Render(fmt.Sprintf("  %d of %d", i+1, len(options)))
}

// typedPath is a path as the user typed it: ~ is their home folder and a
// relative path starts in dir, the folder onus was started in (never the
// process's working directory at the time: under onus serve a relayed
// command runs in its caller's).
func typedPath(dir, p string) string {
	if p = homePath(p); p == "" {
		return ""
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

// homePath is p trimmed, with a leading ~ standing for the home folder.
func homePath(p string) string {
	p = strings.TrimSpace(p)
	if rest, ok := strings.CutPrefix(p, "~"); ok && (rest == "" || rest[0] == '/') {
		if home, err := os.UserHomeDir(); err == nil {
			p = home + rest
		}
	}
	return p
}
