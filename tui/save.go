package tui

import (
	"errors"
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// A save is one change sent to the store. Saves run one at a time in the
// order they were made, so a quick second key never overtakes the first
// (Bubble Tea runs commands concurrently), and a form closes as soon as its
// change is queued: the user goes on while the disk catches up.
//
// Until a change is saved the screens show it anyway: what the user sees
// (m.cur) is the assessment as last saved with every queued change applied
// on top, and every key acts on that. The status line says "saving…" until
// the queue is empty. A change the store refuses stays queued — the draft —
// and is tried again on the user's next action; meanwhile the screens mark
// it NOT SAVED.
type saveJob struct {
	id     int
	aid    string // the assessment it changes; "" for actions on none (create)
	key    string // what it changes ("answer/GOV-01", "services/ec2"); "" for one-off actions
	what   string // for the status line
	apply  func(*model.Assessment)
	toggle bool // a service toggle: two that never reached the file cancel out
	// keep: after a failure, keep the job and retry it. One-off actions
	// (create, duplicate, delete, sign-off, workflow) are not kept: the
	// user repeats them, and a signature is never applied behind their back.
	keep bool
	// blocks: the keys after it wait until it is done (creating an
	// assessment: they are meant for the assessment it opens).
	blocks bool
	// control: the job changes that control's answer and nothing else
	// (see answeredNow); "" for any other change.
	control string
	run     func(Store) (model.Assessment, error)
	onOK    func(*Model, model.Assessment)
}

// saveQueue holds the saves not yet done; jobs[0] is in flight when busy.
type saveQueue struct {
	jobs []saveJob
	busy bool
	// inflight is closed when the save in flight returns (Flush waits for it).
	inflight chan struct{}
	paused   bool // the last save failed: wait for the user's next action
	nextID   int
	err      string // why the last save failed; "" once a save succeeds
}

// edit is one way to change an assessment: how it shows before it is
// saved, and the store call that saves it (with a reason, where the store
// records one).
type edit struct {
	apply func(*model.Assessment)
	save  func(st Store, id, reason string) (model.Assessment, error)
	// control: apply changes that control's answer and nothing else, so
	// the review is kept up to date per answer (answeredNow).
	control string
}

// change describes an edit of the open assessment and how to take it back.
type change struct {
	key    string // what it changes, for coalescing and NOT SAVED marks
	entry  string // the audit trail's target for it, to name the entry an undo takes back
	what   string
	do     edit
	undo   edit // zero: cannot be undone
	toggle bool
}

// submit queues a save and starts it when nothing else is running.
func (m *Model) submit(j saveJob) tea.Cmd {
	q := &m.saves
	q.nextID++
	j.id = q.nextID
	if j.key != "" {
		if w, ok := m.waitingJob(j.aid, j.key); ok {
			m.dropJob(w.id)
			if j.toggle && w.toggle {
				// Two toggles of one service that never reached the file.
				m.refresh()
				return m.resume()
			}
			// The new value was computed from the waiting one's, so it
			// carries that change too.
		}
	}
	if j.blocks {
		m.waiting++
	}
	q.jobs = append(q.jobs, j)
	q.paused = false
	if !m.answeredNow(j) {
		m.refresh()
	}
	return m.startNext()
}

// answeredNow shows a change of one answer at once, per answer: the
// answer applied to what the user sees, and the review changed by it
// alone (model.Review.WithAnswer) rather than made again. False when the
// change is not one answer's, or the review cannot take it per answer:
// the caller refreshes in full.
func (m *Model) answeredNow(j saveJob) bool {
	if j.control == "" || m.a == nil || m.cur == nil || j.aid != m.a.ID {
		return false
	}
	j.apply(m.cur) // m.cur is the wizard's own copy (refresh, answerSaved)
	rv, ok := m.review.WithAnswer(m.cur.Answer(j.control))
	if !ok {
		return false
	}
	m.review = rv
	m.questions.answered(m, j.control)
	return true
}

// answerSaved takes the save of one answer per answer: when the store's
// assessment is the one the wizard had with only that answer changed, and
// every change still queued is one answer's, what the user sees already
// holds it, but for what the store adds (who, when). False otherwise: the
// caller takes the saved assessment in full.
func (m *Model) answerSaved(j saveJob, saved model.Assessment) bool {
	if j.control == "" || m.a == nil || m.cur == nil || saved.ID != m.a.ID || saved.HasFreeText() ||
		!model.SameButAnswer(m.a, &saved, j.control) {
		return false
	}
	for _, o := range m.saves.jobs {
		if o.aid == saved.ID && o.apply != nil && o.control == "" {
			return false
		}
	}
	// The saved answer, with the queued changes to the same control on top.
	one := model.Assessment{Answers: map[string]model.Answer{}}
	if ans, ok := saved.Answers[j.control]; ok {
		one.Answers[j.control] = ans
	}
	for _, o := range m.saves.jobs {
		if o.aid == saved.ID && o.control == j.control {
			o.apply(&one)
		}
	}
	cur := saved // the store's own copy; only its answers are the wizard's
	cur.Answers = m.cur.Answers
	shown := m.cur.Answer(j.control)
	if ans, ok := one.Answers[j.control]; ok {
		cur.Answers[j.control] = ans
	} else {
		delete(cur.Answers, j.control)
	}
	rv, now := m.review, cur.Answer(j.control)
	changed := now.Status != shown.Status || !slices.Equal(now.Links, shown.Links) || !slices.Equal(now.Evidence, shown.Evidence)
	if changed { // the store changed what the review rests on: take it per answer
		var ok bool
		if rv, ok = m.review.WithAnswer(now); !ok {
			return false
		}
	}
	if _, applies := rv.Resolutions[j.control]; applies {
		m.questions.saved += answeredCount(saved.Answer(j.control)) - answeredCount(m.a.Answer(j.control))
	}
	m.a, m.cur, m.review = &saved, &cur, rv
	if changed {
		m.questions.answered(m, j.control)
	}
	return true
}

func answeredCount(ans model.Answer) int {
	if ans.Status == model.StatusUnanswered {
		return 0
	}
	return 1
}

// waitingJob is the queued, not yet started, save of a key.
func (m *Model) waitingJob(aid, key string) (saveJob, bool) {
	q := &m.saves
	waiting := q.jobs
	if q.busy {
		waiting = q.jobs[1:]
	}
	if i := slices.IndexFunc(waiting, func(x saveJob) bool { return x.aid == aid && x.key == key }); i >= 0 {
		return waiting[i], true
	}
	return saveJob{}, false
}

func (m *Model) dropJob(id int) {
	m.saves.jobs = slices.DeleteFunc(m.saves.jobs, func(x saveJob) bool { return x.id == id })
}

// resume retries kept saves after a failure; the user has acted again.
func (m *Model) resume() tea.Cmd {
	m.saves.paused = false
	return m.startNext()
}

func (m *Model) startNext() tea.Cmd {
	q := &m.saves
	if q.busy || q.paused || len(q.jobs) == 0 {
		return nil
	}
	q.busy = true
	j, st, done := q.jobs[0], m.cfg.Store, make(chan struct{})
	q.inflight = done
	return func() tea.Msg {
		defer close(done)
		a, err := j.run(st)
		return savedMsg{id: j.id, a: a, err: err, blocks: j.blocks}
	}
}

// saved handles the end of the save in flight.
func (m *Model) saved(msg savedMsg) tea.Cmd {
	q := &m.saves
	q.busy = false
	i := slices.IndexFunc(q.jobs, func(x saveJob) bool { return x.id == msg.id })
	if i < 0 {
		return m.startNext()
	}
	j := q.jobs[i]
	if msg.err != nil {
		if errors.Is(msg.err, store.ErrIntegrity) && m.a != nil && j.aid == m.a.ID {
			m.broken = brokenWhy(j.aid, msg.err) // found while open: read-only from now on
		}
		if !j.keep { // a one-off action: say so; the user may repeat it
			m.dropJob(j.id)
			m.refresh()
			m.flashError("NOT SAVED: " + msg.err.Error())
			return m.startNext()
		}
		q.err, q.paused = msg.err.Error(), true
		m.quitting = false // the user decides: the quit dialog says what would be lost
		if slices.ContainsFunc(q.jobs[i+1:], func(x saveJob) bool { return x.aid == j.aid && x.key == j.key }) {
			m.dropJob(j.id) // a newer change to the same thing carries this one
		}
		// An action the keys wait for cannot wait behind a save that
		// waits for a key.
		for _, b := range slices.Clone(q.jobs) {
			if b.blocks {
				m.dropJob(b.id)
				m.waiting = max(0, m.waiting-1)
				m.flashError("NOT SAVED: " + b.what + ": an earlier change could not be saved first")
			}
		}
		m.refresh()
		return nil
	}
	m.dropJob(j.id)
	if len(q.jobs) == 0 {
		q.err = ""
	}
	if m.a != nil && m.a.ID == msg.a.ID {
		// Someone else's change (onus serve) may have come first although
		// the store committed it later: it carries this save, as the store
		// commits one change at a time, and the screen keeps it.
		if msg.a.UpdatedAt.Before(m.a.UpdatedAt) {
			m.refresh()
		} else if !m.answerSaved(j, msg.a) {
			m.setAssessment(msg.a)
		}
	} else {
		m.refresh()
	}
	if j.onOK != nil {
		j.onOK(m, msg.a)
	}
	m.setStatus("saved " + m.now.Format("15:04:05") + " · " + j.what)
	if m.quitting && len(q.jobs) == 0 {
		return m.finishQuit()
	}
	if m.a != nil {
		// The home list is not on screen, and going home reads it again
		// (show): reading it now cost every answer a frame more.
		return m.startNext()
	}
	return tea.Batch(m.startNext(), m.loadSummaries())
}

// refresh recomputes what the user sees: the saved assessment with the
// queued changes applied, and its review, from the resolution the wizard
// has (see resolveLater): one pass over the applicable controls.
func (m *Model) refresh() {
	if m.a == nil {
		m.cur = nil
		return
	}
	// A copy: applying the queued changes never reaches the saved assessment.
	cur := m.a.Clone()
	if cur.Answers == nil {
		cur.Answers = map[string]model.Answer{}
	}
	queued := false
	for _, j := range m.saves.jobs {
		if j.apply != nil && j.aid == m.a.ID {
			j.apply(&cur)
			queued = true
		}
	}
	m.cur = &cur
	if m.resolved == nil { // every way of opening brings one; never on the event loop's hot path
		m.resolved = m.catalog().ResolveAll(cur.Scope, cur.Services)
	}
	// Opening brings the review of what it opened; with changes queued on
	// top, it is not of cur.
	if rv := m.reviewed; rv != nil && !queued && rv.Solution != nil && rv.Solution == m.resolved.Solution {
		m.review = *rv
	} else {
		m.review = m.catalog().ReviewResolved(m.resolved, m.cur, m.now)
	}
	m.reviewed = nil
	m.questions.sync(m)
}

// unsaved counts the kept changes that have not reached the file.
func (m *Model) unsaved() int {
	if m.saves.err == "" {
		return 0
	}
	n := 0
	for _, j := range m.saves.jobs {
		if j.keep {
			n++
		}
	}
	return n
}

// notSaved is the status line while changes wait for a retry.
func (m *Model) notSaved() string {
	if n := m.unsaved(); n > 0 {
		return fmt.Sprintf("NOT SAVED (%d kept, tried again on your next key): %s", n, m.saves.err)
	}
	return "NOT SAVED: " + m.saves.err
}

// isDraft reports whether a change to key of the open assessment failed
// to save and waits for a retry.
func (m *Model) isDraft(key string) bool {
	if m.saves.err == "" || m.a == nil {
		return false
	}
	return slices.ContainsFunc(m.saves.jobs, func(j saveJob) bool { return j.aid == m.a.ID && j.key == key })
}

// apply queues a change of the open assessment, kept and retried on
// failure, and remembers how to undo it.
func (m *Model) apply(c change) tea.Cmd {
	if why := m.readOnly(); why != "" {
		m.flashError(why)
		return nil
	}
	id := m.a.ID
	do := c.do
	cmd := m.submit(saveJob{aid: id, key: c.key, what: c.what, apply: do.apply, control: do.control, keep: true, toggle: c.toggle,
		run: func(st Store) (model.Assessment, error) { return do.save(st, id, "") }})
	if c.undo.save != nil {
		m.undo = append(m.undo, undoStep{aid: id, job: m.saves.nextID, key: c.key, entry: c.entry, what: c.what, undo: c.undo})
	}
	return cmd
}

// action runs a one-off store call (create, duplicate, delete, sign-off,
// workflow): on failure it is reported, not retried. A non-nil apply
// shows it at once.
func (m *Model) action(what string, apply func(*model.Assessment), run func(Store) (model.Assessment, error), onOK func(*Model, model.Assessment)) tea.Cmd {
	aid := ""
	if m.a != nil && apply != nil {
		aid = m.a.ID
	}
	return m.submit(saveJob{aid: aid, what: what, apply: apply, run: run, onOK: onOK})
}

// setAnswer puts an answer into an assessment (a queued change's apply).
func setAnswer(a *model.Assessment, ans model.Answer) {
	if a.Answers == nil {
		a.Answers = map[string]model.Answer{}
	}
	a.Answers[ans.Control] = ans
}
