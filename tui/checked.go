package tui

import tea "charm.land/bubbletea/v2"

// checker is a store that checks its file in the background after opening
// (store.Options.BackgroundCheck): the wizard shows the list at once and
// learns the verdict on the rest of the file when it is in.
type checker interface {
	Checked() error
}

// checkedMsg carries that verdict.
type checkedMsg struct{ err error }

func (m *Model) awaitCheck() tea.Cmd {
	c, ok := m.cfg.Store.(checker)
	if !ok {
		return nil
	}
	return func() tea.Msg { return checkedMsg{c.Checked()} }
}

// checked keeps a damaged file's message on the status line for good:
// the store refuses every change from now on, and says why each time.
func (m *Model) checked(msg checkedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.damaged = "database damaged, nothing more can be saved: " + msg.err.Error()
	}
	return m, nil
}
