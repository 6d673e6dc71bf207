package tui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// A save is one change sent to the store. Saves run one at a time in the
// order they were made, so a quick second key never overtakes the first
// (Bubble Tea runs commands concurrently). A change the store refuses stays
// queued with its value — the draft — and is tried again on the user's next
// action; meanwhile the screens show the draft, and the status line says
// NOT SAVED until it is saved.
type saveJob struct {
	id     int
	target string // what it changes: "ID/answer/GOV-01", "ID/scope", "ID/services/ec2"; "" for one-off actions
	what   string // for the status line
	// value is the intended new value (model.Answer, model.Scope, model.Info,
	// model.SupplierRecord, or a bool for a service toggle), shown until saved.
	value any
	// keep: after a failure, keep the job and retry it. One-off actions
	// (create, duplicate, delete, sign-off, workflow) are not kept: the
	// user repeats them, and a signature is never applied behind their back.
	keep bool
	run  func(Store) (model.Assessment, error)
	onOK func(*Model, model.Assessment)
}

// saveQueue holds the saves not yet done; jobs[0] is in flight when busy.
type saveQueue struct {
	jobs   []saveJob
	busy   bool
	paused bool // the last save failed: wait for the user's next action
	nextID int
	err    string // why the last save failed; "" once a save succeeds
}

// submit queues a save and starts it when nothing else is running.
func (m *Model) submit(j saveJob) tea.Cmd {
	q := &m.saves
	q.nextID++
	j.id = q.nextID
	if j.target != "" {
		waiting := q.jobs
		if q.busy {
			waiting = q.jobs[1:]
		}
		if i := slices.IndexFunc(waiting, func(x saveJob) bool { return x.target == j.target }); i >= 0 {
			if on, toggle := j.value.(bool); toggle && waiting[i].value != on {
				// Two toggles of one service that never reached the file
				// cancel out.
				m.dropJob(waiting[i].id)
				return m.resume()
			}
			// The new value was computed from the waiting one's draft, so
			// it carries that change too.
			m.dropJob(waiting[i].id)
		}
	}
	q.jobs = append(q.jobs, j)
	q.paused = false
	return m.startNext()
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
	j, st := q.jobs[0], m.cfg.Store
	return func() tea.Msg {
		a, err := j.run(st)
		return savedMsg{id: j.id, a: a, err: err}
	}
}

// saved handles the end of the save in flight.
func (m *Model) saved(msg savedMsg) (tea.Model, tea.Cmd) {
	q := &m.saves
	q.busy = false
	i := slices.IndexFunc(q.jobs, func(x saveJob) bool { return x.id == msg.id })
	if i < 0 {
		return m, m.startNext()
	}
	j := q.jobs[i]
	if msg.err != nil {
		if !j.keep { // a one-off action: say so; the user may repeat it
			m.dropJob(j.id)
			m.setError("NOT SAVED: " + msg.err.Error())
			return m, m.startNext()
		}
		q.err, q.paused = msg.err.Error(), true
		if slices.ContainsFunc(q.jobs[i+1:], func(x saveJob) bool { return j.target != "" && x.target == j.target }) {
			m.dropJob(j.id) // a newer change to the same thing carries this one
		}
		return m, nil
	}
	m.dropJob(j.id)
	if len(q.jobs) == 0 {
		q.err = ""
	}
	if m.a != nil && m.a.ID == msg.a.ID {
		m.setAssessment(msg.a)
	}
	if j.onOK != nil {
		j.onOK(m, msg.a)
	}
	m.setStatus("saved " + m.now.Format("15:04:05") + " · " + j.what)
	return m, tea.Batch(m.startNext(), m.loadSummaries())
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

// draft is the newest queued value for a target of the open assessment.
func (m *Model) draft(target string) (any, bool) {
	if m.a == nil || len(m.saves.jobs) == 0 {
		return nil, false
	}
	target = m.a.ID + "/" + target
	for i := len(m.saves.jobs) - 1; i >= 0; i-- {
		if j := m.saves.jobs[i]; j.target == target && j.value != nil {
			return j.value, true
		}
	}
	return nil, false
}

// answerOf is the answer as the user last gave it, saved or not.
func (m *Model) answerOf(control string) model.Answer {
	if v, ok := m.draft("answer/" + control); ok {
		return v.(model.Answer)
	}
	return m.a.Answer(control)
}

// scopeOf is the scope as the user last set it, saved or not.
func (m *Model) scopeOf() model.Scope {
	if v, ok := m.draft("scope"); ok {
		return v.(model.Scope)
	}
	return m.a.Scope
}

// infoOf is the name, organisation and system as last typed.
func (m *Model) infoOf() model.Info {
	if v, ok := m.draft("info"); ok {
		return v.(model.Info)
	}
	return model.Info{Name: m.a.Name, Organisation: m.a.Organisation, System: m.a.System}
}

// supplierOf is the supplier record for a source as last entered.
func (m *Model) supplierOf(source string) (model.SupplierRecord, bool) {
	if v, ok := m.draft("supplier/" + source); ok {
		return v.(model.SupplierRecord), true
	}
	return record(m.a, source)
}

// isSelected says whether a service is selected, counting queued toggles.
// A view asking for many passes the set of selected ids (selectedIDs);
// nil looks through the assessment.
func (m *Model) isSelected(id string, set map[string]bool) bool {
	if v, ok := m.draft("services/" + id); ok {
		return v.(bool)
	}
	if set != nil {
		return set[id]
	}
	return selected(m.a, id)
}

// isDraft reports whether a target has a change that failed to save.
func (m *Model) isDraft(target string) bool {
	if m.saves.err == "" {
		return false
	}
	_, ok := m.draft(target)
	return ok
}

// change saves an edit of the open assessment, kept and retried on failure.
func (m *Model) change(target, what string, value any, run func(st Store, id string) (model.Assessment, error), onOK func(*Model, model.Assessment)) tea.Cmd {
	id := m.a.ID
	return m.submit(saveJob{target: id + "/" + target, what: what, value: value, keep: true,
		run: func(st Store) (model.Assessment, error) { return run(st, id) }, onOK: onOK})
}

// action runs a one-off store call (create, duplicate, delete, sign-off,
// workflow): on failure it is reported, not retried.
func (m *Model) action(what string, run func(Store) (model.Assessment, error), onOK func(*Model, model.Assessment)) tea.Cmd {
	return m.submit(saveJob{what: what, run: run, onOK: onOK})
}
