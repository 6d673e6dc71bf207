package tui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// undoStep is one change the user made in this session and how to take it
// back: by an ordinary change that restores the value before, recorded in
// the audit trail like any other, with the reason "undo of entry N".
type undoStep struct {
	aid   string
	job   int    // the save that made the change
	key   string // what it changed
	entry string // the trail's target of that change
	what  string
	undo  edit
}

// undoLast takes back the user's newest change to the open assessment.
func (m *Model) undoLast() tea.Cmd {
	i := -1
	for j, s := range m.undo {
		if s.aid == m.a.ID {
			i = j
		}
	}
	if i < 0 {
		m.flashError("nothing to undo: you have not changed this assessment since the wizard started")
		return nil
	}
	s := m.undo[i]
	if s.undo.save == nil {
		m.flashError("your last change was " + s.what + ": it is not undone (a signature is superseded by reopening, with a reason)")
		return nil
	}
	m.undo = slices.Delete(m.undo, i, i+1)
	if w, ok := m.waitingJob(s.aid, s.key); ok && w.id == s.job {
		// It never reached the file: drop it, nothing to record.
		m.dropJob(w.id)
		m.refresh()
		m.setStatus("undone before it was saved: " + s.what)
		return nil
	}
	id, entry, u := s.aid, s.entry, s.undo
	return m.submit(saveJob{aid: id, key: s.key, what: "undo of " + s.what, apply: u.apply, control: u.control, keep: true,
		run: func(st Store) (model.Assessment, error) {
			reason := "undo"
			if n := newestEntry(st, id, entry); n > 0 {
				reason = fmt.Sprintf("undo of entry %d", n)
			}
			return u.save(st, id, reason)
		}})
}

// newestEntry is the number of the trail's newest entry on a target: the
// change being undone, which the queue saved before the undo runs.
func newestEntry(st Store, id, target string) uint64 {
	trail, err := st.History(id)
	if err != nil {
		return 0
	}
	for i := len(trail) - 1; i >= 0; i-- {
		if trail[i].Target == target {
			return trail[i].Seq
		}
	}
	return 0
}
