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
		if d, ok := d.(*entryDialog); ok && d.id != "" {
			d.theirs(by, model.WithRegister(a))
			continue
		}
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
	// Admit admits a refused key (Knocks) as the person named; it writes
	// the participants file and the store's log, so it is called from a
	// command. Dismiss forgets a refused key.
	Admit   func(model.Admission) error
	Dismiss func(fingerprint string)
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
		act(k.Admit, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openAdmit() }),
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

// entryUnder is another person's save of the register entry being edited
// (the evidence form). The fields the user has not touched take their
// values at once; those both changed show theirs under the user's own
// until enter saves the user's, or ctrl+o takes theirs.
type entryUnder struct {
	by      string
	removed bool         // they removed the entry
	fields  map[int]bool // the fields they changed
}

// entryFields are an entry's values in the form's order (entryLabels).
func entryFields(e model.EvidenceEntry) []string {
	return []string{e.Title, e.DocumentID, e.Version, e.Date, e.Location, e.PeriodStart, e.PeriodEnd, e.ValidUntil, string(e.Owner), string(e.Kind)}
}

// mine is the form's value of field i, as saving would store it.
func (d *entryDialog) mine(i int) string { return entryFields(d.entry(d.id))[i] }

// setField puts v in field i as if the form had opened with it.
func (d *entryDialog) setField(i int, v string) {
	switch i {
	case enOwner:
		d.owner = model.Supplier(v)
	case enKind:
		d.kind = model.DocKind(v)
	default:
		f := newLineField(d.inputs[i].label, v, d.inputs[i].limit)
		f.setWidth(d.width - 24)
		if i == d.field {
			f.focus()
		}
		d.inputs[i] = f
	}
}

// theirs takes another person's save (by) of the assessment a: the
// entry's fields they changed and the user did not take their values;
// the others are flagged.
func (d *entryDialog) theirs(by string, a model.Assessment) {
	now, ok := a.Entry(d.id)
	if !ok {
		d.under = &entryUnder{by: by, removed: true}
		return
	}
	was, next := entryFields(d.base), entryFields(now)
	var fields map[int]bool
	if d.under != nil && !d.under.removed {
		fields = d.under.fields
	}
	for i := range was {
		if was[i] == next[i] {
			continue
		}
		if fields == nil {
			fields = map[int]bool{}
		}
		fields[i] = true
		if d.mine(i) == was[i] { // untouched: theirs
			d.setField(i, next[i])
		}
	}
	d.base = now
	if fields != nil {
		d.under = &entryUnder{by: by, fields: fields}
	}
}

// theirsAt is the other person's value of field i when it differs from
// the user's.
func (u *entryUnder) theirsAt(d *entryDialog, i int) (string, bool) {
	if u == nil || !u.fields[i] {
		return "", false
	}
	theirs := entryFields(d.base)[i]
	return theirs, theirs != d.mine(i)
}

// conflicts reports whether some field holds the user's value over theirs.
func (u *entryUnder) conflicts(d *entryDialog) bool {
	for i := range entryLabels {
		if _, ok := u.theirsAt(d, i); ok {
			return true
		}
	}
	return false
}

func (u *entryUnder) notice(m *Model, d *entryDialog, w int) []string {
	if u == nil {
		return nil
	}
	st, by := m.styles, safetext.Line(u.by)
	switch {
	case u.removed:
		return []string{st.Warn.Render(cell("REMOVED UNDER YOU by "+by+": "+d.id+" is no longer in the register; esc closes the form", w))}
	case u.conflicts(d):
		return []string{st.Warn.Render(cell("CHANGED UNDER YOU by "+by+": enter saves yours over theirs (shown under each field), ctrl+o takes theirs", w))}
	}
	return []string{st.Muted.Render(cell("changed by "+by+" meanwhile: their values are in the form", w))}
}

// takeTheirs puts the other person's values in every field that held
// the user's instead.
func (d *entryDialog) takeTheirs(m *Model) tea.Cmd {
	theirs := entryFields(d.base)
	for i := range entryLabels {
		if _, ok := d.under.theirsAt(d, i); ok {
			d.setField(i, theirs[i])
		}
	}
	m.setStatus("took " + safetext.Line(d.under.by) + "'s values: enter saves the form as it is now, esc closes it")
	return nil
}
