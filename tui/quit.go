package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/store"
)

// Quitting never loses what the screen showed: q waits for the queued
// saves, asks before losing changes that failed to save, and ctrl+c asks
// before leaving typed text, which is then kept as a draft.

// quit is q.
func (m *Model) quit() tea.Cmd {
	if n := m.unsaved(); n > 0 {
		are, them := "are", "them"
		if n == 1 {
			are, them = "is", "it"
		}
		m.confirm("Quit?", fmt.Sprintf("%s %s NOT SAVED (%s). y quits and loses %s; n or esc stays, and your next key tries to save %s again.",
			plural.Count(n, "change", "changes"), are, m.saves.err, them, them),
			func(m *Model) tea.Cmd { return m.quitNow() })
		return nil
	}
	return m.finishQuit()
}

// interrupt is ctrl+c, which works inside text fields too. With typed text
// not saved it asks first; a second ctrl+c quits at once.
func (m *Model) interrupt() tea.Cmd {
	if _, asking := m.dialog().(*confirmDialog); asking || m.quitting {
		m.interrupted = true
		return m.quitNow()
	}
	m.interrupted = true
	if d := m.currentDraft(); d != nil {
		m.interrupted = false
		m.confirm("Quit?", "What you typed is not saved. y quits and keeps it as a draft, offered again the next time you open this; n or esc goes back to it.",
			func(m *Model) tea.Cmd { m.interrupted = true; return m.quitNow() })
		return nil
	}
	return m.finishQuit()
}

// finishQuit quits once the queued saves are done.
func (m *Model) finishQuit() tea.Cmd {
	if len(m.saves.jobs) > 0 && m.saves.err == "" {
		m.quitting = true
		return m.startNext()
	}
	return m.quitNow()
}

// quitNow writes the wizard's state (the place, a draft) and quits.
func (m *Model) quitNow() tea.Cmd {
	m.quitting = false
	if m.state.busy {
		m.state.quitAfter = true
		return nil
	}
	m.state.quitAfter, m.settled = false, true
	st := m.cfg.Store
	ids, states := m.takeDirtyStates()
	return func() tea.Msg {
		for i, id := range ids {
			_ = st.SetWizardState(id, states[i]) // a convenience: the quit goes on
		}
		return tea.QuitMsg{}
	}
}

// takeDirtyStates are the states to write now, marked written.
func (m *Model) takeDirtyStates() ([]string, []store.WizardState) {
	m.state.init()
	id, s := m.wantState()
	m.state.want[id] = s
	ids := m.dirtyStates("\x00") // every change counts
	states := make([]store.WizardState, len(ids))
	for i, id := range ids {
		states[i] = m.state.want[id]
		m.state.written[id] = states[i]
	}
	return ids, states
}

// Flush saves what is still queued and keeps the wizard's state, in the
// caller's goroutine, for a caller whose program stopped without the
// wizard quitting (SIGHUP, SIGTERM): Run's caller can call it once the
// program has returned. A save in flight is waited for, not repeated. It
// reports how many changes could not be saved.
func (m *Model) Flush() int {
	q := &m.saves
	jobs := q.jobs
	if q.busy && len(jobs) > 0 {
		<-q.inflight
		jobs = jobs[1:]
	}
	failed := 0
	for _, j := range jobs {
		if _, err := j.run(m.cfg.Store); err != nil {
			failed++
		}
	}
	q.jobs, q.busy = nil, false
	ids, states := m.takeDirtyStates()
	for i, id := range ids {
		_ = m.cfg.Store.SetWizardState(id, states[i])
	}
	return failed
}
