package tui

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
)

// View draws the header, the active screen (with the dialog on top over
// its lower part), the status line and the footer, never wider or taller
// than the terminal.
func (m *Model) View() tea.View {
	content, _ := m.frame(false)
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "onus"
	v.BackgroundColor, v.ForegroundColor = m.styles.screenColours()
	if m.mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	return v
}

// bodySize is the room between the header and the status line.
func (m *Model) bodySize() (int, int) { return m.width, max(0, m.height-4) }

// frame draws the screen; with withHits it also says where clicks go.
func (m *Model) frame(withHits bool) (string, []zone) {
	var hs *hits
	if withHits {
		hs = newHits()
	}
	w, h := m.width, m.height
	if w < MinWidth || h < MinHeight {
		lines := []string{
			fmt.Sprintf("terminal too small (need %dx%d)", MinWidth, MinHeight),
			fmt.Sprintf("now %dx%d: enlarge the window or reduce the font size", w, h),
		}
		return fit(lines, w, h), nil
	}
	bodyW, bodyH := m.bodySize()
	body := fitLines(strings.Split(m.active().view(m, hs.at(0, 2), bodyW, bodyH), "\n"), bodyW, bodyH)
	if m.dialog() != nil {
		body = m.overlay(body, bodyW, bodyH)
		_, ih := dialogSize(bodyW, bodyH)
		n := min(bodyH, strings.Count(m.dialog().view(m, bodyW-4, ih), "\n")+3)
		hs.cover(2+bodyH-n, 2+bodyH, 0, bodyW)
	}
	lines := append([]string{truncate(m.header(hs, w), w, ""), ""}, body...)
	lines = append(lines, truncate(m.statusLine(w), w, ""), truncate(m.helpLine(w), w, ""))
	var zones []zone
	if hs != nil {
		zones = *hs.zones
	}
	return strings.Join(lines[:min(len(lines), h)], "\n"), zones
}

// header is the product, the open assessment's name and the breadcrumb;
// the name gives way before the breadcrumb does. Each step is a place to
// click.
func (m *Model) header(hs *hits, w int) string {
	type crumb struct {
		text string
		id   screenID
	}
	var crumbs []crumb
	for _, s := range m.steps() {
		crumbs = append(crumbs, crumb{s.name, s.id})
	}
	for _, v := range views {
		if m.screen == v.id {
			crumbs = append(crumbs, crumb{v.name, v.id})
		}
	}
	var parts []string
	rightW := 0
	for i, c := range crumbs {
		st := m.styles.Crumb
		if c.id == m.screen {
			st = m.styles.CrumbActive
		}
		parts = append(parts, st.Render(c.text))
		rightW += width(c.text)
		if i > 0 {
			rightW += 3
		}
	}
	right := strings.Join(parts, m.styles.Crumb.Render(" › "))
	title := m.styles.Header.Render("ONUS")
	if m.cur != nil {
		room := w - rightW - 4 - 3
		if room >= 4 {
			title += " " + m.styles.Title.Render(cell(m.cur.Name, room))
		}
	}
	gap := w - width(title) - rightW
	if gap < 1 {
		return ansi.Truncate(title+" "+right, w, "…")
	}
	x := w - rightW
	for i, c := range crumbs {
		id := c.id
		if m.a != nil || id == screenHome {
			hs.row(0, x, x+width(c.text), func(m *Model) tea.Cmd {
				if id == m.screen {
					return nil
				}
				return m.goTo(place{screen: id})
			})
		}
		x += width(c.text)
		if i < len(crumbs)-1 {
			x += 3
		}
	}
	return title + strings.Repeat(" ", gap) + right
}

// statusLine says what happened to the last change: a damaged file or a
// failed save stays on it until it is fixed; an error about the last key
// until the next key; "saving…" while changes wait for the disk.
func (m *Model) statusLine(w int) string {
	st := m.styles
	switch {
	case m.damaged != "":
		return st.NotSaved.Render(cell(m.damaged, w))
	case m.saves.err != "":
		return st.NotSaved.Render(cell(m.notSaved(), w))
	case m.flash != "":
		return st.NotSaved.Render(cell(m.flash, w))
	case m.waiting > 0:
		return st.Muted.Render(cell("working…", w))
	case m.quitting:
		return st.Muted.Render(cell(fmt.Sprintf("finishing %s, then quitting…", plural.Count(len(m.saves.jobs), "save", "saves")), w))
	case len(m.saves.jobs) > 0:
		return st.Muted.Render(cell(fmt.Sprintf("saving… %s to write", plural.Count(len(m.saves.jobs), "change", "changes")), w))
	case m.broken != "":
		return st.NotSaved.Render(cell(m.broken, w))
	case m.knockLine() != "":
		return st.Warn.Render(cell(m.knockLine(), w))
	case m.status != "":
		if with := m.presenceLine(); with != "" {
			with = cell(with, w/2) + " · "
			return st.Muted.Render(with) + st.Saved.Render("✔ "+cell(m.status, w-2-ansi.StringWidth(with)))
		}
		return st.Saved.Render("✔ " + cell(m.status, w-2))
	case m.readOnly() != "":
		return st.Muted.Render(cell(m.readOnly(), w))
	case m.cur != nil:
		line := fmt.Sprintf("answered %d of %d · %s · every answer is saved as you give it",
			m.review.Answered, len(m.review.Applicable), plural.Count(len(m.review.Gaps), "gap", "gaps"))
		if with := m.presenceLine(); with != "" {
			line = with + " · " + line
		}
		return st.Muted.Render(cell(line, w))
	case m.presenceLine() != "":
		return st.Muted.Render(cell(m.presenceLine(), w))
	}
	return ""
}

// footerActions are the keys the footer and the help start from: the
// dialog's on top, else the screen's.
func (m *Model) footerActions() []action {
	if d := m.dialog(); d != nil {
		return d.actions(m)
	}
	return m.active().actions(m)
}

// helpLine is the footer: the keys that act here, then the help key (f1
// where letters are text) and quit, which always show; the others give
// way first.
func (m *Model) helpLine(w int) string {
	var head []key.Binding
	readOnly := m.readOnly() != ""
	for _, a := range m.footerActions() {
		if !a.brief && !a.hide && !(a.edits && readOnly) {
			head = append(head, a.key)
		}
	}
	var tail []key.Binding
	switch {
	case isHelp(m.dialog()):
	case m.typing():
		tail = []key.Binding{m.keys.FormHelp}
	case m.dialog() != nil:
		tail = []key.Binding{m.keys.Help}
	default:
		if i := m.stepIndex(m.screen); m.a != nil && i > 0 && i < len(m.steps())-1 {
			head = append(head, m.keys.NextStep)
		}
		tail = []key.Binding{m.keys.Help, m.keys.Quit}
	}
	return m.shortHelp(head, tail, w)
}

func isHelp(d dialog) bool { _, ok := d.(*helpDialog); return ok }

// shortHelp renders "key desc • key desc …" in at most w cells: every item
// of tail, and as many of head as fit before it, with … for the rest.
func (m *Model) shortHelp(head, tail []key.Binding, w int) string {
	st := m.styles.Help
	const sepText = " • "
	sep := st.Desc.Render(sepText)
	sepW := width(sepText)
	item := func(b key.Binding) (string, int) {
		h := b.Help()
		return m.styles.helpItem(h), width(h.Key) + 1 + width(h.Desc)
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
	// Keys that do not fit are counted ("+3"), in place of their own, not
	// cut: "?" lists them, and a description may end in "…" itself (a key
	// that asks first).
	more := func(hidden int) string { return "+" + strconv.Itoa(hidden) }
	for i, b := range head {
		s, n := item(b)
		reserve := 0
		if i < len(head)-1 {
			reserve = len(more(len(head)-i-1)) + sepW // should a later key not fit
		}
		if used+n+sepW+reserve > room {
			if len(out) > 0 {
				out = append(out, st.Desc.Render(more(len(head)-i)))
			}
			break
		}
		out, used = append(out, s), used+n+sepW
	}
	return strings.Join(append(out, tailS...), sep)
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
	'✔': true, '✘': true, '◐': true, '◔': true, '○': true, '●': true, '│': true, '╭': true, '╮': true,
	'╰': true, '╯': true, '■': true, '▽': true, '⚠': true,
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
