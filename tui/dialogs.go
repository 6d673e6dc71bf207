package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/store"
)

// Dialogs sit on top of the screen, newest on top, and take every key
// until they close: forms (notes, evidence, a supplier record, a sign-off,
// an export), confirmations, the jump palette and the help. Each is drawn
// in a box over the lower part of the screen, so what it is about stays in
// sight above it.
type dialog interface {
	title() string
	// actions are its keys: dispatch, footer and help, as a screen's.
	actions(m *Model) []action
	// update takes what no action did: typed text, pastes.
	update(m *Model, msg tea.Msg) tea.Cmd
	view(m *Model, w, h int) string
	// typing reports that a text field has focus: letters are text, f1 is help.
	typing() bool
	setSize(m *Model, w, h int)
}

// drafter is a form whose typed text is kept as a draft until it is
// saved or given up: draft is nil while nothing was typed.
type drafter interface {
	draft() *store.Draft
}

func (m *Model) dialog() dialog {
	if n := len(m.dialogs); n > 0 {
		return m.dialogs[n-1]
	}
	return nil
}

func (m *Model) openDialog(d dialog) { m.dialogs = append(m.dialogs, d); m.layout() }

// closeDialog closes the dialog on top.
func (m *Model) closeDialog() {
	if n := len(m.dialogs); n > 0 {
		m.dialogs = m.dialogs[:n-1]
	}
}

// dialogSize is the room inside a dialog's box on a body of w×h.
func dialogSize(w, h int) (int, int) { return max(10, w-4), max(3, h-2) }

// overlay draws the dialog on top over the lower part of the body.
func (m *Model) overlay(body []string, w, h int) []string {
	d := m.dialog()
	if d == nil {
		return body
	}
	iw, ih := dialogSize(w, h)
	content := strings.Split(d.view(m, iw, ih), "\n")
	if len(content) > ih {
		content = content[:ih]
	}
	st := m.styles
	title := " " + d.title() + " "
	top := "╭─" + st.Title.Render(title) + strings.Repeat("─", max(0, w-3-width(title))) + "╮"
	box := []string{truncate(top, w, "")}
	for _, l := range content {
		l = truncate(l, iw, "…")
		box = append(box, "│ "+l+strings.Repeat(" ", max(0, iw-width(l)))+" │")
	}
	box = append(box, "╰"+strings.Repeat("─", max(0, w-2))+"╯")
	out := append([]string(nil), body...)
	for len(out) < h {
		out = append(out, "")
	}
	start := max(0, h-len(box))
	for i, l := range box {
		if start+i < len(out) {
			out[start+i] = l
		}
	}
	return out
}

// confirmDialog asks a yes-or-no question before something that cannot
// be taken back (a removal, a quit that loses text, an overwrite).
type confirmDialog struct {
	plainDialog
	heading  string
	question string
	yes      func(m *Model) tea.Cmd
	no       func(m *Model) tea.Cmd // nil: just close
}

func (m *Model) confirm(heading, question string, yes func(m *Model) tea.Cmd) {
	m.openDialog(&confirmDialog{heading: heading, question: question, yes: yes})
}

func (c *confirmDialog) title() string { return c.heading }

func (c *confirmDialog) actions(m *Model) []action {
	return []action{
		act(m.keys.Yes, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			m.closeDialog()
			return c.yes(m)
		}),
		act(m.keys.No, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			m.closeDialog()
			if c.no != nil {
				return c.no(m)
			}
			return nil
		}),
	}
}

func (c *confirmDialog) view(m *Model, w, _ int) string {
	return strings.Join(wrap(c.question, w), "\n") + "\n" + m.styles.Muted.Render("y: yes · n or esc: no")
}

// plainDialog gives a dialog the defaults it does not need to write.
type plainDialog struct{}

func (plainDialog) update(*Model, tea.Msg) tea.Cmd { return nil }
func (plainDialog) typing() bool                   { return false }
func (plainDialog) setSize(*Model, int, int)       {}

// helpDialog lists every key of the screen or dialog it was opened on,
// then the keys that work everywhere, from the same actions that drive
// the keys and the footer.
type helpDialog struct {
	plainDialog
	sections []helpSection
	scroll   int
	rows     int
}

type helpSection struct {
	title string
	keys  []key.Binding
}

func (m *Model) openHelp() {
	if _, open := m.dialog().(*helpDialog); open {
		m.closeDialog()
		return
	}
	var here []action
	var where string
	typing := m.typing()
	if d := m.dialog(); d != nil {
		here, where = d.actions(m), d.title()
	} else {
		here, where = m.active().actions(m), screenName(m.screen)
		if m.a == nil {
			where = "Home"
		}
	}
	sections := []helpSection{{title: "Keys here: " + where, keys: bindingsOf(here)}}
	if typing {
		sections[0].keys = append(sections[0].keys, m.keys.FormHelp, m.keys.Interrupt)
		sections = append(sections, helpSection{title: "Editing text", keys: []key.Binding{
			key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "move in the text")),
			helpOnly(m.keys.Newline, "new line (several-line fields)").key,
			key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "delete to the start")),
			key.NewBinding(key.WithKeys("ctrl+w"), key.WithHelp("ctrl+w", "delete a word")),
		}})
	} else if m.dialog() == nil {
		sections = append(sections, helpSection{title: "Everywhere", keys: bindingsOf(m.globalActions())})
	} else {
		sections[0].keys = append(sections[0].keys, m.keys.Help, m.keys.Interrupt)
	}
	m.openDialog(&helpDialog{sections: sections})
}

func bindingsOf(actions []action) []key.Binding {
	out := make([]key.Binding, 0, len(actions))
	for _, a := range actions {
		if !a.hide {
			out = append(out, a.key)
		}
	}
	return out
}

func (h *helpDialog) title() string { return "Help" }

func (h *helpDialog) actions(m *Model) []action {
	scroll := func(d int) func(*Model, tea.KeyPressMsg) tea.Cmd {
		return func(*Model, tea.KeyPressMsg) tea.Cmd {
			h.scroll = max(0, min(h.scroll+d, len(h.lines(m, 200))-h.rows))
			return nil
		}
	}
	closeKey := helpOnly(m.keys.Back, "close (any other key too)")
	if len(h.lines(m, 200)) <= h.rows {
		return []action{closeKey}
	}
	return []action{
		helpOnly(m.keys.Move, "scroll"),
		hidden(act(m.keys.Up, scroll(-1))), hidden(act(m.keys.Down, scroll(+1))),
		hidden(act(m.keys.PageUp, scroll(-10))), hidden(act(m.keys.PageDown, scroll(+10))),
		closeKey,
	}
}

// update: any key but the scrolling ones closes the help.
func (h *helpDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		m.closeDialog()
	}
	return nil
}

func (h *helpDialog) setSize(_ *Model, _, hgt int) { h.rows = max(1, hgt-1) }

// lines are the sections, keys aligned in one column across all of them.
func (h *helpDialog) lines(m *Model, w int) []string {
	keyW := 0
	for _, s := range h.sections {
		for _, b := range s.keys {
			keyW = max(keyW, width(b.Help().Key))
		}
	}
	var out []string
	for i, s := range h.sections {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, m.styles.Title.Render(s.title))
		for _, b := range s.keys {
			hk := b.Help()
			pad := strings.Repeat(" ", max(0, keyW-width(hk.Key)))
			out = append(out, "  "+m.styles.Help.Key.Render(hk.Key)+pad+"  "+cell(hk.Desc, max(1, w-keyW-4)))
		}
	}
	return out
}

func (h *helpDialog) view(m *Model, w, hgt int) string {
	lines := h.lines(m, w)
	rows := max(1, hgt-1)
	start := max(0, min(h.scroll, len(lines)-rows))
	end := min(len(lines), start+rows)
	out := append([]string(nil), lines[start:end]...)
	pos := "any key closes"
	if len(lines) > rows {
		pos = fmt.Sprintf("lines %d–%d of %d · ↑↓ scroll · any other key closes", start+1, end, len(lines))
	}
	return strings.Join(append(out, m.styles.Muted.Render(pos)), "\n")
}
