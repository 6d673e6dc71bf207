package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// Live sessions (onus serve): several wizards share one open file, each
// with its own actor. A change one of them saves reaches the others as a
// Changed message, sent by the server from the goroutine that saved it;
// nothing polls.

// Changed says that someone else saved a change to an assessment: it is
// the assessment as that change left it, and who made it.
type Changed struct {
	Assessment model.Assessment
	By         string
}

// Session is the model to run for one participant of a live session: the
// wizard behind the same guard Run uses, which stops it on a panic in the
// wizard's code instead of taking the server down.
func Session(m *Model) tea.Model { return guard{m: m, st: &runState{testPanic: m.cfg.TestPanic}} }

// changed takes another person's change: the open assessment, when it is
// the one changed, is replaced (what this user has queued is applied on
// top, as after their own saves); on the home screen the list is read
// again (going home reads it anyway).
func (m *Model) changed(msg Changed) tea.Cmd {
	a := msg.Assessment
	if m.a != nil && m.a.ID == a.ID && !a.UpdatedAt.Before(m.a.UpdatedAt) {
		m.noticeUnderYou(a, msg.By)
		m.setAssessment(a.Clone())
		m.setStatus("changed by " + safetext.Line(msg.By) + " " + m.now.Format("15:04:05"))
	}
	if m.a == nil {
		return m.loadSummaries()
	}
	return nil
}

// Showing asks a running wizard which saved state of the open assessment
// its screens show (nil when none is open). Sent through the program, it
// is answered from the wizard's own event loop: the server's load test
// checks with it that every change reached every screen.
type Showing struct{ Reply chan<- *model.Assessment }

func (m *Model) showing(msg Showing) {
	var a *model.Assessment
	if m.a != nil {
		c := m.a.Clone()
		a = &c
	}
	msg.Reply <- a
}

// underYou is another person's save of the text being edited: the
// dialog shows theirs above the editor, which keeps the user's own, so
// both are in sight before enter saves the user's over theirs (or esc
// keeps theirs).
type underYou struct {
	by, theirs string
}

func (u *underYou) view(m *Model, w int) []string {
	if u == nil {
		return nil
	}
	st := m.styles
	theirs := u.theirs
	if theirs == "" {
		theirs = "(empty)"
	}
	return []string{
		st.Warn.Render(cell("CHANGED UNDER YOU by "+safetext.Line(u.by)+": enter saves yours (below) over theirs, esc keeps theirs", w)),
		st.Muted.Render(cell("theirs: "+safetext.Line(strings.Join(strings.Fields(theirs), " ")), w)),
	}
}

// noticeUnderYou tells a text dialog open on an answer that another
// person's change (a, by) replaced the text it edits.
func (m *Model) noticeUnderYou(a model.Assessment, by string) {
	if m.a == nil || m.a.ID != a.ID {
		return
	}
	for _, d := range m.dialogs {
		d, ok := d.(*textDialog)
		if !ok {
			continue
		}
		was, now := m.a.Answer(d.control), a.Answer(d.control)
		field := func(x model.Answer) string {
			if d.form == formJustification {
				return x.Justification
			}
			return x.Notes
		}
		if field(was) != field(now) {
			d.under = &underYou{by: by, theirs: field(now)}
		}
	}
}

// Place is where a user is: the assessment open ("" on the home screen),
// the step, and the position in it (a control id on the questions).
type Place struct {
	Assessment, Step, At string
}

// Present is another person connected to the same server, and where.
type Present struct {
	Name, Role string
	Place      Place
}

// Presence is everyone else connected now (onus serve sends it whenever
// someone joins, leaves or moves).
type Presence []Present

// reportPlace tells Config.OnMove where the user now is, when it changed.
func (m *Model) reportPlace(id string, step, at string) {
	if m.cfg.OnMove == nil {
		return
	}
	p := Place{Assessment: id, Step: step, At: at}
	if p != m.place {
		m.place = p
		m.cfg.OnMove(p)
	}
}

// presenceLine names who else is connected and where, for the status line.
func (m *Model) presenceLine() string {
	var parts []string
	for _, p := range m.presence {
		where := "home"
		if p.Place.Assessment != "" {
			where = p.Place.Step
			if m.a != nil && p.Place.Assessment == m.a.ID && p.Place.At != "" && p.Place.Step == screenName(screenQuestions) {
				where = p.Place.At
			} else if m.a == nil || p.Place.Assessment != m.a.ID {
				where = "another assessment"
			}
		}
		parts = append(parts, safetext.Line(p.Name)+" ("+where+")")
	}
	if len(parts) == 0 {
		return ""
	}
	return "with " + strings.Join(parts, ", ")
}

// hereToo names the others on a control of the open assessment.
func (m *Model) hereToo(control string) string {
	var names []string
	for _, p := range m.presence {
		if m.a != nil && p.Place.Assessment == m.a.ID && p.Place.Step == screenName(screenQuestions) && p.Place.At == control {
			names = append(names, safetext.Line(p.Name))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "Here too: " + strings.Join(names, ", ")
}

// Facilitation is what the facilitator's wizard asks of the server.
type Facilitation struct {
	// Follow on: the others' screens go where the facilitator goes; off
	// releases them.
	Follow func(on bool)
	// Lock on: nobody but facilitators can change anything until off.
	Lock func(on bool)
}

// Follow asks a wizard to go where the facilitator (By) is.
type Follow struct {
	Place Place
	By    string
}

// Locked says who locked answering; "" when it is unlocked again.
type Locked struct{ By string }

func (m *Model) facilitatorActions() []action {
	f, k := m.cfg.Facilitate, m.keys
	if f == nil {
		return nil
	}
	return []action{
		act(k.FollowMe, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			m.following = !m.following
			f.Follow(m.following)
			m.setStatus(map[bool]string{true: "follow me: the others' screens follow yours (ctrl+f releases them)", false: "released: everyone moves on their own"}[m.following])
			return nil
		}),
		act(k.Lock, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			m.locking = !m.locking
			f.Lock(m.locking)
			m.setStatus(map[bool]string{true: "answering locked: only facilitators can change anything (ctrl+l unlocks)", false: "answering unlocked"}[m.locking])
			return nil
		}),
	}
}

// follow goes where the facilitator is: their step and control of the
// same assessment, or that assessment first. Text being typed is never
// left behind: with a form open the user is told instead.
func (m *Model) follow(msg Follow) tea.Cmd {
	p, by := msg.Place, safetext.Line(msg.By)
	if p.Assessment == "" {
		return nil
	}
	if len(m.dialogs) > 0 {
		m.setStatus(by + " asks everyone to follow: close this form to go along")
		return nil
	}
	if m.a == nil || m.a.ID != p.Assessment {
		return m.open(p.Assessment)
	}
	id, ok := screenNamed(p.Step)
	if !ok {
		return nil
	}
	m.setStatus("following " + by)
	if h := m.here(); h.screen == id && h.at == p.At {
		return nil
	}
	return m.goTo(place{screen: id, at: p.At})
}
