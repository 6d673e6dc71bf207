package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
)

// listFilter is the filter every list has: / opens it, every word typed
// must appear in a row for the row to stay (case ignored), enter keeps
// the filter and goes back to the list, esc clears it. While it is open
// letters are text.
type listFilter struct {
	on    bool // the field has focus
	field lineField
}

func newFilter() listFilter { return listFilter{field: newLineField("Filter", "", 200)} }

func (f *listFilter) text() string { return f.field.text() }

// terms are the filter's words, lower case.
func (f *listFilter) terms() []string { return strings.Fields(strings.ToLower(f.field.text())) }

func (f *listFilter) active() bool { return f.on || f.field.text() != "" }

// keep reports whether a row whose text (lower case) is s stays.
func (f *listFilter) keep(s string) bool { return containsAll(s, f.terms()) }

func (f *listFilter) open() tea.Cmd {
	if f.field.label == "" { // the zero filter: no field yet
		f.clear()
	}
	f.on = true
	return f.field.focus()
}

func (f *listFilter) clear() {
	f.on = false
	f.field = newLineField("Filter", "", 200)
}

// actions while the field has focus; changed runs after the text changes.
func (f *listFilter) actions(m *Model, changed func(m *Model)) []action {
	done := func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
		f.on = false
		f.field.blur()
		return nil
	}
	leave := m.keys.NextField
	leave.SetKeys("down", "up")
	leave.SetHelp("↑↓", "back to the list")
	return []action{
		actAs(m.keys.Save, "keep the filter", done),
		quiet(act(leave, done)),
		actAs(m.keys.Cancel, "clear the filter", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			f.clear()
			changed(m)
			return nil
		}),
	}
}

// clearAction is esc on a filtered list: show every row again.
func (f *listFilter) clearAction(m *Model, changed func(m *Model)) action {
	return actAs(m.keys.Back, "clear the filter", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
		f.clear()
		changed(m)
		return nil
	})
}

// openAction is / on a list.
func (f *listFilter) openAction(m *Model) action {
	return act(m.keys.Filter, func(*Model, tea.KeyPressMsg) tea.Cmd { return f.open() })
}

// update types into the filter and reports whether its text changed.
func (f *listFilter) update(m *Model, msg tea.Msg) (bool, tea.Cmd) {
	if !f.on {
		return false, nil
	}
	before := f.field.text()
	cmd := f.field.update(m, msg)
	return f.field.text() != before, cmd
}

// setWidth sizes the field for a view of w cells.
func (f *listFilter) setWidth(w int) { f.field.setWidth(max(1, w-8)) }

// view is "filter: words", the field itself while it has focus.
func (f *listFilter) view(m *Model, w int) string {
	if f.on {
		return "filter: " + f.field.view(w-8)
	}
	return "filter: " + cell(safetext.Line(f.field.text()), max(1, w-8))
}
