package tui

import (
	"slices"
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

// updateList types into the filter of a list and puts the list's cursor
// back on its first row when the text changed.
func (f *listFilter) updateList(m *Model, msg tea.Msg, cursor *int) tea.Cmd {
	changed, cmd := f.update(m, msg)
	if changed {
		*cursor = 0
	}
	return cmd
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

// narrowing remembers the rows a filter kept for each query typed so far.
// A letter typed narrows only the rows the query before it kept (a row the
// longer query keeps, the shorter one kept too: its words are the same or
// longer), and a letter erased finds its rows remembered; each row's text
// is lowered once per list. Typing in a filter over ten times the rows
// then costs little more than over one.
type narrowing struct {
	list  any      // the list narrowed, by its first row (a new list starts again)
	texts []string // each row's text, lower case
	steps []narrowed
}

type narrowed struct {
	query string
	rows  []int
}

// maxNarrowed bounds what a long query keeps: erasing past the oldest
// step filters the whole list again.
const maxNarrowed = 32

// narrowRows returns the indexes of list's rows that keep keeps for query,
// given each row's text (lower case), in the order arrange puts them (nil:
// the list's). keep and arrange must depend on nothing but the query and
// the row, and a row kept by a query must be kept by every prefix of it.
func narrowRows[T any](nw *narrowing, list []T, text func(T) string, query string, keep func(text string) bool, arrange func(rows []int)) []int {
	if len(list) == 0 {
		return nil
	}
	if nw.list != any(&list[0]) || len(nw.texts) != len(list) {
		nw.list, nw.texts, nw.steps = &list[0], make([]string, len(list)), nil
		for i, row := range list {
			nw.texts[i] = strings.ToLower(text(row))
		}
	}
	for len(nw.steps) > 0 && !strings.HasPrefix(query, nw.steps[len(nw.steps)-1].query) {
		nw.steps = nw.steps[:len(nw.steps)-1]
	}
	var rows []int
	if n := len(nw.steps); n > 0 {
		if nw.steps[n-1].query == query {
			return nw.steps[n-1].rows
		}
		rows = make([]int, 0, len(nw.steps[n-1].rows))
		for _, i := range nw.steps[n-1].rows {
			if keep(nw.texts[i]) {
				rows = append(rows, i)
			}
		}
	} else {
		rows = make([]int, 0, len(list)/4)
		for i, t := range nw.texts {
			if keep(t) {
				rows = append(rows, i)
			}
		}
	}
	if arrange != nil {
		arrange(rows)
	}
	if len(nw.steps) == maxNarrowed {
		nw.steps = slices.Delete(nw.steps, 0, 1)
	}
	nw.steps = append(nw.steps, narrowed{query, rows})
	return rows
}
