package tui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/store"
)

// The wizard keeps, per assessment, where the user was and the text of
// the form they were typing in (store.WizardState, outside the records).
// A draft is written as it changes, one write at a time, the newest state
// winning, so a window closed while typing (SIGHUP: the wizard quits as q
// does) or a killed process loses at most the last keys before it. The
// place is written with it, when the step changes, when the user leaves
// the assessment, and on quit (a move within a list alone writes nothing,
// so going down a list costs the disk nothing). The next time the
// assessment opens, the wizard goes back to that place and reopens the
// form with the text, marked as an unsaved draft.

type stateWriter struct {
	written map[string]store.WizardState // per assessment id ("" home): as last kept or read
	want    map[string]store.WizardState // as it should be
	busy    bool
	// quitAfter: quit once the write in flight is done.
	quitAfter bool
}

type stateMsg struct {
	id  string
	s   store.WizardState
	err error
}

// homeStateMsg is the home screen's kept state, read after the first screen.
type homeStateMsg struct{ s store.WizardState }

func (w *stateWriter) init() {
	if w.written == nil {
		w.written, w.want = map[string]store.WizardState{}, map[string]store.WizardState{}
	}
}

// read records a state read from the store: nothing to write back.
func (w *stateWriter) read(id string, s store.WizardState) {
	w.init()
	w.written[id], w.want[id] = s, s
}

// wantState is the state as the screen stands.
func (m *Model) wantState() (string, store.WizardState) {
	var s store.WizardState
	id := ""
	if m.a != nil {
		id = m.a.ID
		s.Step, s.At = screenName(m.screen), m.active().place(m)
		if !m.settled {
			was := m.state.want[id]
			s.Step, s.At = was.Step, was.At
		}
	}
	s.Draft = m.currentDraft()
	if s.Draft == nil && m.readOnly() != "" {
		s.Draft = m.state.want[id].Draft // not restored while read-only: kept for when it is not
	}
	return id, s
}

// currentDraft is the text typed in the open form, if any.
func (m *Model) currentDraft() *store.Draft {
	for i := len(m.dialogs) - 1; i >= 0; i-- {
		if d, ok := m.dialogs[i].(drafter); ok {
			if dr := d.draft(); dr != nil {
				return dr
			}
		}
	}
	if d, ok := m.active().(drafter); ok {
		return d.draft()
	}
	return nil
}

// keepState writes the state when it changed and no write is in flight.
func (m *Model) keepState() tea.Cmd {
	w := &m.state
	w.init()
	id, s := m.wantState()
	w.want[id] = s
	if w.busy {
		return nil
	}
	for _, id := range m.dirtyStates(id) {
		w.busy = true
		st, s := m.cfg.Store, w.want[id]
		return func() tea.Msg { return stateMsg{id, s, st.SetWizardState(id, s)} }
	}
	return nil
}

// dirtyStates are the assessments whose state changed since last kept;
// for the one open (open: its id), a move within the step does not count.
func (m *Model) dirtyStates(open string) []string {
	var out []string
	for id, s := range m.state.want {
		was := m.state.written[id]
		if id == open {
			was.At = s.At
		}
		if !sameState(was, s) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func (m *Model) stateKept(msg stateMsg) tea.Cmd {
	w := &m.state
	w.busy = false
	// Kept or not, it is not tried again until it changes: a full disk
	// would otherwise be written to on every message.
	w.written[msg.id] = msg.s
	if msg.err != nil && msg.s.Draft != nil && m.damaged == "" {
		m.flashError("could not keep your typing as a draft (it stays on screen): " + msg.err.Error())
	}
	if w.quitAfter {
		return m.quitNow()
	}
	return nil
}

func sameState(a, b store.WizardState) bool {
	if a.Step != b.Step || a.At != b.At || (a.Draft == nil) != (b.Draft == nil) {
		return false
	}
	if a.Draft == nil {
		return true
	}
	return a.Draft.Form == b.Draft.Form && a.Draft.Target == b.Draft.Target && slices.Equal(a.Draft.Fields, b.Draft.Fields)
}

// readHomeState reads the home screen's state: a new assessment's name
// typed when the window closed.
func (m *Model) readHomeState() tea.Cmd {
	st := m.cfg.Store
	return func() tea.Msg {
		s, err := st.WizardState("")
		if err != nil {
			return nil
		}
		return homeStateMsg{s}
	}
}

func (m *Model) homeStateRead(msg homeStateMsg) tea.Cmd {
	m.state.read("", msg.s)
	if m.a != nil || msg.s.Draft == nil || m.dialog() != nil {
		return nil
	}
	return m.restoreDraft(msg.s.Draft)
}

// restoreDraft reopens the form a draft was typed in, with its text,
// marked as not saved. The forms are named in their draft methods.
func (m *Model) restoreDraft(d *store.Draft) tea.Cmd {
	if d == nil || len(d.Fields) == 0 {
		return nil
	}
	r := restored{at: d.At}
	switch d.Form {
	case formNewAssessment:
		return m.openNewAssessment(d.Fields[0], r)
	case formScope:
		return m.scope.editRestored(m, d.Target, d.Fields[0], r)
	case formNotes, formJustification:
		if !m.questions.seekControl(m, d.Target) {
			return nil
		}
		return m.openTextDialog(d.Form, d.Fields[0], r)
	case formEvidenceRef:
		// A free-text reference typed before the register: a new entry
		// for its control (title, document, version, date, location,
		// then the supplier as the owner).
		ctrl, _, _ := strings.Cut(d.Target, "#")
		if !m.questions.seekControl(m, ctrl) {
			return nil
		}
		f := append(slices.Clone(d.Fields), make([]string, 6)...)
		return m.openEntry("", ctrl, []string{f[0], f[1], f[2], f[3], f[4], "", "", "", f[5]}, r)
	case formEntry:
		id, ctrl, _ := strings.Cut(d.Target, "#")
		if ctrl != "" && !m.questions.seekControl(m, ctrl) {
			return nil
		}
		if _, ok := m.cur.Entry(id); id != "" && !ok {
			return nil
		}
		return m.openEntry(id, ctrl, d.Fields, r)
	case formLinkNote:
		ctrl, entry, _ := strings.Cut(d.Target, "#")
		if !m.questions.seekControl(m, ctrl) {
			return nil
		}
		m.questions.mode = qEvidenceList
		return m.openLinkNote(ctrl, entry, d.Fields[0], r)
	case formReportReason:
		if n, ok := m.review.Need(d.Target); !ok || n.Choice != nil {
			return nil // a choice made meanwhile: the draft no longer applies
		}
		m.show(place{screen: screenSupplier, at: d.Target})
		if cmd := m.toggleNeed(d.Target); cmd != nil {
			if ld, ok := m.dialog().(*lineDialog); ok {
				ld.from = r
				ld.field.set(d.Fields[0])
			}
			return cmd
		}
		return nil
	case formSupplier:
		return m.openSupplierRecord(d.Target, d.Fields, r)
	case formOverride:
		return m.openOverride(d.Target, d.Fields, r)
	case formRecord:
		return m.openRecord(d.Target, d.Fields, r)
	case formGAMP:
		return m.openGAMP(d.Target, d.Fields, r)
	case formSignOff:
		return m.openSign(d.Fields, r)
	case formReopen:
		return m.openReopen(d.Fields, r)
	case formMilestone:
		return m.openMilestone(d.Fields, r)
	}
	return nil
}
