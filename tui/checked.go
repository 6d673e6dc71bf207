package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// checker is a store that checks its file in the background after opening
// (store.Options.BackgroundCheck), starting when asked.
type checker interface {
	Checked() error
}

// checkedMsg carries the verdict on the file.
type checkedMsg struct{ err error }

// firstScreenGrace is how long the work the first screen does not need
// waits, so that it does not take the CPU that screen is drawn with.
// Nobody acts on a screen in less; whatever needs the work waits for it.
// (A variable: the tests, which run commands in line, set it to zero.)
var firstScreenGrace = 100 * time.Millisecond

// afterFirstScreen loads the catalog and has the store check the rest of
// its file, once the list is on screen.
func (m *Model) afterFirstScreen() tea.Cmd {
	catalog := m.cfg.Catalog
	c, _ := m.cfg.Store.(checker)
	return func() tea.Msg {
		time.Sleep(firstScreenGrace)
		catalog()
		if c == nil {
			return nil
		}
		return checkedMsg{c.Checked()}
	}
}

// checked keeps a damaged file's message on the status line for good:
// the store refuses every change from now on, and says why each time.
func (m *Model) checked(msg checkedMsg) tea.Cmd {
	if msg.err != nil {
		m.damaged = "database damaged, nothing more can be saved: " + msg.err.Error()
	}
	return nil
}
