package tui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// Messages from commands: every read and write of the store, and every
// file written, happens in a command and comes back as one of these.
type (
	summariesMsg struct {
		list []model.Summary
		err  error
	}
	openedMsg struct {
		a   model.Assessment
		to  screenID
		err error
	}
	savedMsg struct {
		id  int // the saveJob
		a   model.Assessment
		err error
	}
	trailMsg struct {
		id      string
		entries []model.AuditEntry
		err     error
	}
	exportedMsg struct {
		path string
		err  error
	}
)

func (m *Model) loadSummaries() tea.Cmd {
	list := m.cfg.Store.List
	if first := m.cfg.FirstList; first != nil && !m.listedOnce {
		list = func(bool) ([]model.Summary, error) { return first() }
	}
	return func() tea.Msg {
		l, err := list(false)
		if pe := (*PanicError)(nil); errors.As(err, &pe) {
			panic(pe) // from the caller's goroutine: stop as on any panic (contain)
		}
		return summariesMsg{l, err}
	}
}

func (m *Model) open(id string, to screenID) tea.Cmd {
	st := m.cfg.Store
	return func() tea.Msg {
		a, err := st.Get(id)
		return openedMsg{a, to, err}
	}
}

func (m *Model) loadTrail() tea.Cmd {
	st, id := m.cfg.Store, m.a.ID
	return func() tea.Msg {
		e, err := st.History(id)
		return trailMsg{id, e, err}
	}
}

func (m *Model) listed(msg summariesMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setError("could not list assessments: " + msg.err.Error())
		return m, nil
	}
	m.summaries = msg.list
	m.home.clamp(len(m.home.visible(m)))
	if !m.listedOnce {
		m.listedOnce = true
		return m, m.afterFirstScreen()
	}
	return m, nil
}

func (m *Model) opened(msg openedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setError("could not open: " + msg.err.Error())
		return m, nil
	}
	m.questions = questionsScreen{}
	m.setAssessment(msg.a)
	m.enter(msg.to)
	if q := &m.questions; len(q.order) > 0 && m.answerOf(q.current()).Status != model.StatusUnanswered {
		q.nextUnanswered(m) // carry on where the answers stop
	}
	return m, nil
}

func (m *Model) trailLoaded(msg trailMsg) (tea.Model, tea.Cmd) {
	if m.a == nil || m.a.ID != msg.id {
		return m, nil
	}
	if msg.err != nil {
		m.setError("could not read the audit trail: " + msg.err.Error())
		return m, nil
	}
	m.trail.load(msg.entries)
	return m, nil
}

func (m *Model) exported(msg exportedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setError("NOT EXPORTED: " + msg.err.Error())
	} else {
		m.setStatus("exported to " + msg.path)
	}
	return m, nil
}
