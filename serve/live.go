package serve

import (
	"slices"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

// hub is the in-process broadcast: each saved change is handed to every
// other session as it is committed, from the goroutine that saved it.
type hub struct {
	mu       sync.Mutex
	sessions map[*session]struct{}
	leader   *session // the facilitator everyone follows, if any
	lockedBy string   // the facilitator who locked answering, if any
}

// session is one connected person's wizard.
type session struct {
	person Person
	p      *tea.Program
	model  *tui.Model

	mu sync.Mutex
	// pending holds the changes not yet handed to the program, the latest
	// of each assessment only: each carries the whole assessment, so a
	// later one makes an earlier one moot, and a slow screen never holds
	// up the person who saved.
	pending map[string]tui.Changed
	moved   bool          // someone joined, left or moved: send the presence again
	control []tea.Msg     // the facilitator's follow and lock, in order
	place   tui.Place     // where this person is
	wake    chan struct{} // one token: there is something pending
	done    chan struct{} // closed when the session ends
}

func newSession(who Person) *session {
	return &session{person: who, pending: map[string]tui.Changed{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

func (h *hub) join(s *session) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sessions == nil {
		h.sessions = map[*session]struct{}{}
	}
	h.sessions[s] = struct{}{}
}

func (h *hub) leave(s *session) {
	h.mu.Lock()
	delete(h.sessions, s)
	if h.leader == s {
		h.leader = nil
	}
	h.mu.Unlock()
}

// each calls fn for every session connected now.
func (h *hub) each(fn func(*session)) {
	h.mu.Lock()
	list := make([]*session, 0, len(h.sessions))
	for s := range h.sessions {
		list = append(list, s)
	}
	h.mu.Unlock()
	for _, s := range list {
		fn(s)
	}
}

// publish hands a change to every session but the one that made it (its
// own wizard has it from the save).
func (h *hub) publish(from *session, c tui.Changed) {
	h.each(func(s *session) {
		if s != from {
			s.post(c)
		}
	})
}

// Publish hands every session a change made outside the wizards: by a
// headless command onus serve ran for someone (package relay).
func (s *Server) Publish(a model.Assessment, by string) {
	s.hub.publish(nil, tui.Changed{Assessment: a, By: by})
}

// moved tells every session but from that the presence changed.
func (h *hub) moved(from *session) {
	h.each(func(s *session) {
		if s != from {
			s.mu.Lock()
			s.moved = true
			s.mu.Unlock()
			s.nudge()
		}
	})
}

// presence is everyone connected but s, in name order.
func (h *hub) presence(s *session) tui.Presence {
	var out tui.Presence
	h.each(func(o *session) {
		if o != s {
			o.mu.Lock()
			out = append(out, tui.Present{Name: o.person.Name, Role: string(o.person.Role), Place: o.place})
			o.mu.Unlock()
		}
	})
	slices.SortFunc(out, func(a, b tui.Present) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// at records where s now is (tui.Config.OnMove: never blocks); the
// others go there too when s leads.
func (h *hub) at(s *session, p tui.Place) {
	s.mu.Lock()
	s.place = p
	s.mu.Unlock()
	h.moved(s)
	h.mu.Lock()
	leads := h.leader == s
	h.mu.Unlock()
	if leads {
		h.tell(s, tui.Follow{Place: p, By: s.person.Name})
	}
}

// tell hands a facilitator's message to every session but from's;
// a lock reaches only those it locks (not facilitators).
func (h *hub) tell(from *session, msg tea.Msg) {
	_, lock := msg.(tui.Locked)
	h.each(func(s *session) {
		if s == from || (lock && s.person.Role == Facilitator) {
			return
		}
		s.mu.Lock()
		s.control = append(s.control, msg)
		s.mu.Unlock()
		s.nudge()
	})
}

// follow makes s the leader (on) or releases everyone (off).
func (h *hub) follow(s *session, on bool) {
	h.mu.Lock()
	switch {
	case on:
		h.leader = s
	case h.leader == s:
		h.leader = nil
	}
	h.mu.Unlock()
	if on {
		s.mu.Lock()
		p := s.place
		s.mu.Unlock()
		h.tell(s, tui.Follow{Place: p, By: s.person.Name})
	}
}

// lock closes answering to everyone but facilitators (on) or opens it.
func (h *hub) lock(s *session, on bool) {
	by := ""
	if on {
		by = s.person.Name
	}
	h.mu.Lock()
	h.lockedBy = by
	h.mu.Unlock()
	h.tell(s, tui.Locked{By: by})
}

func (s *session) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *session) post(c tui.Changed) {
	s.mu.Lock()
	id := c.Assessment.ID
	if old, ok := s.pending[id]; !ok || !c.Assessment.UpdatedAt.Before(old.Assessment.UpdatedAt) {
		s.pending[id] = c
	}
	s.mu.Unlock()
	s.nudge()
}

// forward hands pending changes, and the presence when it changed, to
// the program until the session ends.
func (s *session) forward(h *hub) {
	for {
		select {
		case <-s.done:
			return
		case <-s.wake:
		}
		s.mu.Lock()
		batch, moved, control := s.pending, s.moved, s.control
		s.pending, s.moved, s.control = map[string]tui.Changed{}, false, nil
		s.mu.Unlock()
		for _, c := range batch {
			s.p.Send(c) // returns at once once the program has stopped
		}
		for _, msg := range control {
			s.p.Send(msg)
		}
		if moved {
			s.p.Send(h.presence(s))
		}
	}
}

// liveStore is a participant's handle on the open file: their changes
// are recorded as theirs, and each one saved is published.
type liveStore struct {
	*store.DB
	hub *hub
	s   *session
}

func (l liveStore) pub(a model.Assessment, err error) (model.Assessment, error) {
	if err == nil {
		l.hub.publish(l.s, tui.Changed{Assessment: a.Clone(), By: l.Actor()})
	}
	return a, err
}

func (l liveStore) Create(a model.Assessment) (model.Assessment, error) {
	return l.pub(l.DB.Create(a))
}
func (l liveStore) UpdateInfo(id string, in model.Info, reason string) (model.Assessment, error) {
	return l.pub(l.DB.UpdateInfo(id, in, reason))
}
func (l liveStore) UpdateScope(id string, sc model.Scope, reason string) (model.Assessment, error) {
	return l.pub(l.DB.UpdateScope(id, sc, reason))
}
func (l liveStore) SelectServices(id string, ids []string) (model.Assessment, error) {
	return l.pub(l.DB.SelectServices(id, ids))
}
func (l liveStore) DeselectServices(id string, ids []string) (model.Assessment, error) {
	return l.pub(l.DB.DeselectServices(id, ids))
}
func (l liveStore) SetOverride(id, service string, o model.ServiceOverride) (model.Assessment, error) {
	return l.pub(l.DB.SetOverride(id, service, o))
}
func (l liveStore) ClearOverride(id, service, layer string) (model.Assessment, error) {
	return l.pub(l.DB.ClearOverride(id, service, layer))
}
func (l liveStore) SetSupplierRecord(id string, r model.SupplierRecord) (model.Assessment, error) {
	return l.pub(l.DB.SetSupplierRecord(id, r))
}
func (l liveStore) RemoveSupplierRecord(id, source string) (model.Assessment, error) {
	return l.pub(l.DB.RemoveSupplierRecord(id, source))
}
func (l liveStore) Answer(id string, ans model.Answer, reason string) (model.Assessment, error) {
	return l.pub(l.DB.Answer(id, ans, reason))
}
func (l liveStore) SetWorkflow(id string, w model.Workflow, reason string) (model.Assessment, error) {
	return l.pub(l.DB.SetWorkflow(id, w, reason))
}
func (l liveStore) Sign(id string, req store.SignRequest, cat *model.Catalog, key store.Signer) (model.Assessment, error) {
	return l.pub(l.DB.Sign(id, req, cat, key))
}
func (l liveStore) Reopen(id, reason string) (model.Assessment, error) {
	return l.pub(l.DB.Reopen(id, reason))
}
func (l liveStore) Milestone(id, name string) (model.Assessment, error) {
	return l.pub(l.DB.Milestone(id, name))
}
func (l liveStore) Duplicate(id, newName string) (model.Assessment, error) {
	return l.pub(l.DB.Duplicate(id, newName))
}
func (l liveStore) Delete(id, reason string) (model.Assessment, error) {
	return l.pub(l.DB.Delete(id, reason))
}
func (l liveStore) RaiseAction(id string, it model.ActionItem, reason string) (model.Assessment, error) {
	return l.pub(l.DB.RaiseAction(id, it, reason))
}
func (l liveStore) UpdateAction(id string, it model.ActionItem, reason string) (model.Assessment, error) {
	return l.pub(l.DB.UpdateAction(id, it, reason))
}
