package tui

import (
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
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
// A sound file has the list's progress counted again where another
// catalog counted it.
func (m *Model) checked(msg checkedMsg) tea.Cmd {
	if msg.err != nil {
		m.damaged = "database damaged, nothing more can be saved: " + msg.err.Error()
		return nil
	}
	return m.recountLater()
}

// recounter is a store that counts again the progress in the list that
// another catalog counted (store.DB.Recount): after an upgrade, the list
// said 2 of 59 where the assessment, opened, says 2 of 86.
type recounter interface {
	Recount() (int, error)
}

// recountedMsg says how many summaries were counted again.
type recountedMsg struct {
	n   int
	err error
}

// recountLater asks the store to count again when a row of the list was
// counted with another catalog (the catalog is loaded by now: see
// afterFirstScreen).
func (m *Model) recountLater() tea.Cmd {
	r, ok := m.cfg.Store.(recounter)
	if !ok {
		return nil
	}
	hash := m.catalog().Hash
	if !slices.ContainsFunc(m.summaries, func(s model.Summary) bool { return s.CountedOther(hash) }) {
		return nil
	}
	return func() tea.Msg {
		n, err := r.Recount()
		return recountedMsg{n, err}
	}
}

// recounted reads the list again when counts changed.
func (m *Model) recounted(msg recountedMsg) tea.Cmd {
	var cmd tea.Cmd
	if msg.n > 0 {
		cmd = m.loadSummaries()
	}
	if msg.err != nil {
		m.flashError("the list's progress was not counted again with this catalog: " + msg.err.Error())
	}
	return cmd
}
