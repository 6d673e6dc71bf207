package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/internal/safetext"
)

// View draws the header, the active screen, the status line and the help
// line, never wider or taller than the terminal.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "onus"
	return v
}

func (m Model) render() string {
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
	lines := append([]string{m.header(w), ""}, fitLines(strings.Split(body, "\n"), w, bodyH)...)
	return fit(append(lines, footer...), w, h)
}

func (m Model) screenView(w, h int) string { return m.active().view(&m, w, h) }

// header is the product, the open assessment's name and the breadcrumb;
// the name gives way before the breadcrumb does.
func (m Model) header(w int) string {
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
func (m Model) statusLine(w int) string {
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
func (m Model) bindings() []key.Binding {
	b := m.active().keys(&m)
	if !m.typing() && m.a != nil && m.isStep() {
		b = append(b, m.keys.Next, m.keys.Stacks, m.keys.Trail)
	}
	return b
}

// helpLine is the screen's short help; "? help" and "q quit" always show
// at its end, the screen's keys giving way first.
func (m Model) helpLine(w int) string {
	var tail []key.Binding
	if !m.typing() {
		tail = []key.Binding{m.keys.Help, m.keys.Quit}
	}
	return m.shortHelp(m.bindings(), tail, w)
}

// shortHelp renders "key desc • key desc …" in at most w cells: every item
// of tail, and as many of head as fit before it, with … for the rest.
func (m Model) shortHelp(head, tail []key.Binding, w int) string {
	st := m.help.Styles
	sep := st.ShortSeparator.Render(m.help.ShortSeparator)
	sepW := ansi.StringWidth(m.help.ShortSeparator)
	item := func(b key.Binding) (string, int) {
		h := b.Help()
		return st.ShortKey.Render(h.Key) + " " + st.ShortDesc.Render(h.Desc), ansi.StringWidth(h.Key) + 1 + ansi.StringWidth(h.Desc)
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
func (m Model) fullHelp(w int) string {
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
			out[i] = ansi.Truncate(lines[i], max(w, 0), "…")
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
		lines[i] = ansi.Truncate(lines[i], max(w, 0), "")
	}
	return strings.Join(lines, "\n")
}

// cell sanitises untrusted text for a one-line cell of width w.
func cell(s string, w int) string {
	return ansi.Truncate(safetext.Line(s), max(w, 0), "…")
}
