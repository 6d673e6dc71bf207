package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// While the home list shows, the assessment under the cursor is read and
// reviewed ahead, in a command, as open would (prefetchLater): at ten
// times the default catalog that is most of the time between enter and
// its questions. Open takes that copy only while it is still what the file
// holds: no write transaction since it was read (Store.Commits: anyone's
// change, through this session, another's of onus serve, or a command
// relayed to it) and the same day (the review judges evidence by date);
// otherwise it reads again. An open of the assessment being read ahead
// waits for that read instead of making a second one beside it.

// prefetch is the open read ahead, one at a time.
type prefetch struct {
	id      string
	commits uint64    // Store.Commits before the read began
	at      time.Time // the clock the review was judged at
	msg     *openedMsg
	running bool // the command is in flight
	wanted  bool // an open waits for it (its keys too)
}

// prefetchedMsg brings the open read ahead.
type prefetchedMsg struct {
	id  string
	msg openedMsg
}

// prefetchLater starts reading ahead the highlighted assessment of the
// home list, when nothing is being read ahead and the copy there is (of
// another, or out of date) is of no use. Not while this session writes
// (the write would make the copy out of date at once), nor while the user
// types (in the filter each letter moves the highlight) or a dialog is
// open.
func (m *Model) prefetchLater() tea.Cmd {
	p := &m.pre
	// A catalog file known to be valid holds the keys until its hash is
	// computed, not the read ahead, which waits for the catalog in its
	// command: the first enter, pressed as the list shows, is then not
	// behind the hash and the assessment's read as well.
	held := m.waiting
	if m.catalogHeld && m.catalogOK {
		held--
	}
	if p.running || m.a != nil || m.screen != screenHome || held > 0 || m.quitting || m.catalogErr != nil ||
		m.saves.busy || m.state.busy || m.dialog() != nil || m.typing() {
		return nil
	}
	s, ok := m.home.selected(m)
	if !ok || (p.msg != nil && p.id == s.ID && p.fresh(m)) {
		return nil
	}
	read, id := m.reader(), s.ID
	m.pre = prefetch{id: id, commits: m.cfg.Store.Commits(), at: m.now, running: true}
	return func() tea.Msg { return prefetchedMsg{id: id, msg: read(id)} }
}

// fresh reports whether the copy read ahead is still what the file holds
// and judged on today's date.
func (p *prefetch) fresh(m *Model) bool {
	return p.commits == m.cfg.Store.Commits() && sameDay(p.at, m.now)
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly) &&
		a.Local().Format(time.DateOnly) == b.Local().Format(time.DateOnly)
}

// openPrefetched is open's use of the read ahead (the caller has counted
// the open as waiting): the copy brought as the open's reply, or, while
// the read of id is in flight, nothing yet (prefetched opens then).
func (m *Model) openPrefetched(id string) (tea.Cmd, bool) {
	p := &m.pre
	if p.id != id {
		return nil, false
	}
	if p.running {
		p.wanted = true
		return nil, true
	}
	if p.msg == nil || !p.fresh(m) || p.msg.err != nil {
		return nil, false
	}
	msg := *p.msg
	m.pre = prefetch{} // opening changes what it holds: never used twice
	return func() tea.Msg { return msg }, true
}

// prefetched keeps the open read ahead, and opens with it when an open
// waits for it.
func (m *Model) prefetched(msg prefetchedMsg) tea.Cmd {
	p := &m.pre
	if !p.running || p.id != msg.id {
		return nil
	}
	p.running, p.msg = false, &msg.msg
	if !p.wanted {
		return nil
	}
	m.waiting-- // the open that waited is done: with this copy, or by a read of its own
	if msg.msg.err == nil && p.fresh(m) {
		m.pre = prefetch{}
		return m.opened(msg.msg)
	}
	return m.open(msg.id)
}
