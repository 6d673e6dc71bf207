package tui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// Back is back: every move to another place (a step, a gap opened from the
// review, a jump) remembers where the user was, and esc returns there, to
// the same row. The screens keep their positions while an assessment is
// open, so coming back finds the list as it was left.

// place is a screen and a position in it (a control id, a source id, a
// row), as the screen's place and seek understand it.
type place struct {
	screen screenID
	at     string
}

// maxBack bounds the places esc can go back through.
const maxBack = 64

func (m *Model) here() place { return place{m.screen, m.active().place(m)} }

// goTo shows a place and remembers the one it leaves.
func (m *Model) goTo(p place) tea.Cmd {
	if h := m.here(); h != p {
		m.stack = append(m.stack, h)
		if len(m.stack) > maxBack {
			m.stack = m.stack[1:]
		}
	}
	return m.show(p)
}

// back returns to the place the user came from; from the first place
// of an assessment, home.
func (m *Model) back() tea.Cmd {
	m.settled = false
	if n := len(m.stack); n > 0 {
		p := m.stack[n-1]
		m.stack = m.stack[:n-1]
		return m.show(p)
	}
	if m.a != nil {
		return m.show(place{screen: screenHome})
	}
	return nil
}

// show makes a place the one on screen, without remembering the last.
func (m *Model) show(p place) tea.Cmd {
	if p.screen == screenHome {
		m.closeAssessment()
		return m.loadSummaries()
	}
	if m.a == nil {
		return nil
	}
	m.screen = p.screen
	if p.at != "" {
		m.active().seek(m, p.at)
	}
	switch p.screen {
	case screenTrail:
		return m.loadTrail()
	case screenDiff:
		return m.diff.compute(m)
	}
	return nil
}

// goStep moves to the next or previous step, as tab and shift+tab do.
func (m *Model) goStep(delta int) tea.Cmd {
	m.settled = true
	// From the record inventory when it has just stopped being a step
	// (its last entry removed, Part 11 out of scope), the neighbours are
	// those it had.
	shown := m.steps()
	at := slices.IndexFunc(steps, func(s step) bool { return s.id == m.screen })
	for j := at + delta; at >= 0 && j >= 0 && j < len(steps); j += delta {
		if slices.ContainsFunc(shown, func(s step) bool { return s.id == steps[j].id }) {
			return m.goTo(place{screen: steps[j].id})
		}
	}
	return nil
}

// steps are the steps of the open assessment: the record inventory only
// while Part 11 is in effect for it, or it has one.
func (m *Model) steps() []step {
	if m.cur != nil && (len(m.cur.Records) > 0 || m.catalog().InEffect(m.cur.Scope, part11)) {
		return steps
	}
	out := make([]step, 0, len(steps))
	for _, s := range steps {
		if s.id != screenRecords {
			out = append(out, s)
		}
	}
	return out
}

// part11 is the framework family of 21 CFR Part 11.
const part11 = "21cfr11"

func (m *Model) stepIndex(id screenID) int {
	for i, s := range m.steps() {
		if s.id == id {
			return i
		}
	}
	return -1
}

// screenName is how a screen is named in the breadcrumb and kept as the
// last place; screenNamed reads it back.
func screenName(id screenID) string {
	for _, s := range steps {
		if s.id == id {
			return s.name
		}
	}
	for _, v := range views {
		if v.id == id {
			return v.name
		}
	}
	return ""
}

func screenNamed(name string) (screenID, bool) {
	for _, s := range steps[1:] {
		if s.name == name {
			return s.id, true
		}
	}
	for _, v := range views {
		if v.name == name {
			return v.id, true
		}
	}
	return screenHome, false
}

// openAssessment sets up the screens of an assessment just read or
// created, with its resolution worked out by the command that read or
// created it, and shows the place where picks (placeOf when none was
// kept).
func (m *Model) openAssessment(a model.Assessment, r *model.Resolved, where func(m *Model) place) tea.Cmd {
	m.closeAssessment()
	m.resolved = r
	m.setAssessment(a)
	m.scope = newScopeScreen()
	m.records = recordsScreen{}
	m.supplier = supplierScreen{}
	m.services = newServicesScreen(m.catalog(), m.services)
	m.reviewS = reviewScreen{}
	m.stacksV = stacksScreen{}
	m.trail = trailScreen{}
	m.evidence = evidenceScreen{}
	m.diff = diffScreen{}
	m.actionsV = actionsScreen{}
	m.stack = []place{{screen: screenHome}}
	m.settled = false
	return m.show(where(m))
}

// closeAssessment goes home: the assessment's screens and places go.
func (m *Model) closeAssessment() {
	m.screen = screenHome
	m.stack = nil
	m.dialogs = nil
	m.a, m.cur, m.resolved, m.broken = nil, nil, nil, ""
	m.questions = questionsScreen{}
}
