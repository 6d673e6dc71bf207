package tui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/internal/safetext"
)

// View draws the header, the active screen, the status line and the help
// line, never wider or taller than the terminal.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "onus"
	return v
}

func (m *Model) render() string {
	w, h := m.width, m.height
	if w < MinWidth || h < MinHeight {
		lines := []string{
			fmt.Sprintf("terminal too small (need %dx%d)", MinWidth, MinHeight),
			fmt.Sprintf("now %dx%d: enlarge the window or reduce the font size", w, h),
		}
		return fit(lines, w, h)
	}
	footer := []string{m.statusLine(w), m.helpLine(w)}
	bodyH := h - 2 - len(footer)
	var body string
	if m.showHelp {
		body = m.fullHelp(w)
	} else {
		body = m.screenView(w, bodyH)
	}
	lines := append([]string{truncate(m.header(w), w, ""), ""}, fitLines(strings.Split(body, "\n"), w, bodyH)...)
	for _, f := range footer {
		lines = append(lines, truncate(f, w, ""))
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

func (m *Model) screenView(w, h int) string { return m.active().view(m, w, h) }

// header is the product, the open assessment's name and the breadcrumb;
// the name gives way before the breadcrumb does.
func (m *Model) header(w int) string {
	var crumbs []string
	for _, s := range steps {
		st := m.styles.Crumb
		if s.id == m.screen || (s.id == m.returnTo && (m.screen == screenStacks || m.screen == screenTrail)) {
			st = m.styles.CrumbActive
		}
		crumbs = append(crumbs, st.Render(s.name))
	}
	switch m.screen {
	case screenStacks:
		crumbs = append(crumbs, m.styles.CrumbActive.Render("Stacks"))
	case screenTrail:
		crumbs = append(crumbs, m.styles.CrumbActive.Render("Trail"))
	}
	right := strings.Join(crumbs, m.styles.Crumb.Render(" › "))
	title := m.styles.Header.Render("ONUS")
	if m.a != nil {
		room := w - ansi.StringWidth(right) - ansi.StringWidth(title) - 3
		if room >= 4 {
			title += " " + m.styles.Title.Render(cell(m.a.Name, room))
		}
	}
	gap := w - ansi.StringWidth(title) - ansi.StringWidth(right)
	if gap < 1 {
		return ansi.Truncate(title+" "+right, w, "…")
	}
	return title + strings.Repeat(" ", gap) + right
}

// statusLine says what happened to the last change; a failed save stays
// on it until the change is saved.
func (m *Model) statusLine(w int) string {
	if m.damaged != "" {
		return m.styles.NotSaved.Render(cell(m.damaged, w))
	}
	if m.saves.err != "" && !m.quitArmed {
		return m.styles.NotSaved.Render(cell(m.notSaved(), w))
	}
	if m.status == "" {
		if m.a != nil {
			return m.styles.Muted.Render(cell(fmt.Sprintf("answered %d of %d · %d gaps · every answer is saved as you give it",
				m.review.Answered, len(m.review.Applicable), len(m.review.Gaps)), w))
		}
		return ""
	}
	if m.statusBad {
		return m.styles.NotSaved.Render(cell(m.status, w))
	}
	return m.styles.Saved.Render("✔ " + cell(m.status, w-2))
}

// bindings lists the active screen's keys, then the step keys.
func (m *Model) bindings() []key.Binding {
	b := m.active().keys(m)
	if !m.typing() && m.a != nil && m.isStep() {
		b = append(b, m.keys.Next, m.keys.Stacks, m.keys.Trail)
	}
	return b
}

// helpLine is the screen's short help; "? help" and "q quit" always show
// at its end, the screen's keys giving way first.
func (m *Model) helpLine(w int) string {
	var tail []key.Binding
	if !m.typing() {
		tail = []key.Binding{m.keys.Help, m.keys.Quit}
	}
	return m.shortHelp(m.bindings(), tail, w)
}

// shortHelp renders "key desc • key desc …" in at most w cells: every item
// of tail, and as many of head as fit before it, with … for the rest.
func (m *Model) shortHelp(head, tail []key.Binding, w int) string {
	st := m.help.Styles
	sep := st.ShortSeparator.Render(m.help.ShortSeparator)
	sepW := width(m.help.ShortSeparator)
	item := func(b key.Binding) (string, int) {
		h := b.Help()
		return st.ShortKey.Render(h.Key) + " " + st.ShortDesc.Render(h.Desc), width(h.Key) + 1 + width(h.Desc)
	}
	var tailS []string
	tailW := 0
	for _, b := range tail {
		s, n := item(b)
		tailS, tailW = append(tailS, s), tailW+n+sepW
	}
	room := w - tailW
	var out []string
	used := 0
	for i, b := range head {
		s, n := item(b)
		reserve := 0
		if i < len(head)-1 {
			reserve = 2 // for " …" should a later key not fit
		}
		if used+n+sepW+reserve > room {
			if len(out) > 0 {
				out[len(out)-1] += st.Ellipsis.Render(" …")
			}
			break
		}
		out, used = append(out, s), used+n+sepW
	}
	return strings.Join(append(out, tailS...), sep)
}

// fullHelp shows every key in columns, as many side by side as fit.
func (m *Model) fullHelp(w int) string {
	k := m.keys
	groups := [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown},
		{k.Enter, k.Back, k.Next, k.Prev, k.Filter, k.Toggle},
		{k.Status1, k.Status2, k.Status3, k.Status4, k.Status5, k.Clear},
		{k.NextUnanswered, k.Skip, k.Evidence, k.Note, k.Layers},
		{k.New, k.Duplicate, k.Delete, k.Export, k.Stacks, k.Trail, k.Sign, k.Workflow},
		{k.Help, k.Quit, k.Interrupt},
	}
	h := m.help
	var rows []string
	var row []string
	rowW := 0
	for _, g := range groups {
		col := h.FullHelpView([][]key.Binding{g})
		cw := lipgloss.Width(col) + 4
		if rowW > 0 && rowW+cw > w {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		row, rowW = append(row, lipgloss.NewStyle().PaddingRight(4).Render(col)), rowW+cw
	}
	rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	text := "Questions: 1–4 set the status at once; 5 (not applicable) asks why first. Every change is saved " +
		"as you make it and kept in the audit trail (t); one that cannot be saved stays on screen and is " +
		"tried again on your next key."
	return m.styles.Title.Render("Keys") + " (any key closes)\n\n" + strings.Join(rows, "\n") + "\n\n" + strings.Join(wrap(text, w), "\n")
}

// fitLines cuts or pads lines to exactly h lines of at most w cells.
func fitLines(lines []string, w, h int) []string {
	h = max(h, 0)
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = truncate(lines[i], w, "…")
		}
	}
	return out
}

// fit joins at most h lines of at most w cells.
func fit(lines []string, w, h int) string {
	if h < 1 {
		return ""
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	for i := range lines {
		lines[i] = truncate(lines[i], w, "")
	}
	return strings.Join(lines, "\n")
}

// narrow are the symbols the screens draw with, each one cell wide
// whatever follows it, unless a combining mark or variation selector does,
// which width leaves to the ansi package.
var narrow = map[rune]bool{
	'·': true, '…': true, '▸': true, '→': true, '←': true, '↑': true, '↓': true, '–': true, '—': true,
	'▓': true, '▒': true, '░': true, '▲': true, '▼': true, '─': true, '━': true, '•': true, '›': true,
	'✔': true, '✘': true, '◐': true, '◔': true, '○': true, '●': true,
}

// width is the cells s takes. Printable ASCII and the screens' own
// symbols with style sequences (CSI), most of what is drawn, are counted
// without the grapheme walk.
func width(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x20 && c < 0x7f:
			n++
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(s[i:])
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if !narrow[r] || next >= 0x80 && !narrow[next] {
				return ansi.StringWidth(s)
			}
			n++
			i += size - 1
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			j := i + 2
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x3f { // parameters, intermediates
				j++
			}
			if j == len(s) || s[j] < 0x40 || s[j] > 0x7e { // no final byte
				return ansi.StringWidth(s)
			}
			i = j
		default:
			return ansi.StringWidth(s)
		}
	}
	return n
}

// plain reports printable ASCII only: one cell per byte.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// truncate cuts s to w cells, ending in tail when it cuts. Most lines fit
// already, and a string never takes more cells than bytes (wide runes
// take three or four bytes, escape sequences none), so short lines, and
// plain ASCII ones, skip the grapheme walk.
func truncate(s string, w int, tail string) string {
	if len(s) <= w {
		return s
	}
	tailW := 1 // the ellipsis, nearly always
	if tail != "…" {
		tailW = width(tail)
	}
	if n := w - tailW; n >= 0 && plain(s) {
		return s[:n] + tail
	}
	return ansi.Truncate(s, max(w, 0), tail)
}

// cell sanitises untrusted text for a one-line cell of width w.
func cell(s string, w int) string {
	return truncate(safetext.Line(s), w, "…")
}
