package tui

import (
	"errors"
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

// Messages from commands: every read and write of the store, and every
// file written, happens in a command and comes back as one of these. The
// ones the next keys depend on (opening, creating, the trail, an export)
// unblock the keys that waited for them (see handle).
type (
	summariesMsg struct {
		list []model.Summary
		err  error
	}
	openedMsg struct {
		a        model.Assessment
		resolved *model.Resolved
		review   model.Review // of a, with resolved
		state    store.WizardState
		broken   error // the check every change makes: failed, it opens read-only
		err      error
	}
	// resolvedMsg brings the resolution of an assessment's scope and
	// services (resolveLater).
	resolvedMsg struct {
		aid string
		r   *model.Resolved
	}
	savedMsg struct {
		id     int // the saveJob
		a      model.Assessment
		err    error
		blocks bool
	}
	trailMsg struct {
		id      string
		entries []model.AuditEntry
		verify  store.VerifyResult // the full check, as onus verify makes it
		sigs    []sign.Result      // each signature, checked against the allowed signers
		sigErr  error              // why signatures could not be checked
		err     error
	}
)

func (openedMsg) unblocks() bool    { return true }
func (trailMsg) unblocks() bool     { return true }
func (s savedMsg) unblocks() bool   { return s.blocks }
func (summariesMsg) unblocks() bool { return false }

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

// open reads an assessment and where the user last was in it, and works
// out its resolution (which waits for the catalog, when it is still
// loading); the keys pressed meanwhile wait, as they are meant for it.
// When the home list has already read it (prefetch.go), that copy is
// taken, or waited for.
func (m *Model) open(id string) tea.Cmd {
	m.waiting++
	if cmd, ok := m.openPrefetched(id); ok {
		return cmd
	}
	read := m.reader()
	return func() tea.Msg { return read(id) }
}

// errCatalogNotLoaded is an open's answer when the catalog being read
// did not load; the read ahead may start before that is known.
var errCatalogNotLoaded = errors.New("the catalog did not load")

// reader returns what open runs in its command, as of now: the store's
// reads and the review.
func (m *Model) reader() func(id string) openedMsg {
	st, catalog, now := m.cfg.Store, m.cfg.Catalog, m.now
	return func(id string) openedMsg {
		a, err := st.Get(id)
		if err != nil {
			return openedMsg{err: err}
		}
		s, serr := st.WizardState(id)
		if serr != nil {
			s = store.WizardState{} // the place and the draft are a convenience; the assessment opens
		}
		// The review too: at ten times the default catalog it is more
		// than an Update may take. It is judged as of the key that opened
		// (supplier evidence goes stale by the day).
		cat := catalog()
		if cat == nil { // a catalog file that failed to load after its check: the wizard is stopping (catalogload.go)
			return openedMsg{err: errCatalogNotLoaded}
		}
		r := cat.ResolveAll(a.Scope, a.Services)
		return openedMsg{a: a, resolved: r, review: cat.ReviewResolved(r, &a, now), state: s, broken: st.Check(id)}
	}
}

// resolveLater works out, off the event loop, the resolution of the scope
// and services the user sees, when the one the review has is for others:
// at ten times the default catalog that takes longer than a key may. The
// screens show the last one until it comes.
func (m *Model) resolveLater() tea.Cmd {
	if m.cur == nil || m.resolving || m.resolved.Holds(m.catalog(), m.cur.Scope, m.cur.Services) {
		return nil
	}
	m.resolving = true
	cat, id := m.catalog(), m.cur.ID
	// The command reads copies: the queued changes replace these values
	// while it runs.
	scope, sels := m.cur.Scope, slices.Clone(m.cur.Services)
	scope.Frameworks, scope.DataCategories = slices.Clone(scope.Frameworks), slices.Clone(scope.DataCategories)
	for i := range sels {
		sels[i].Overrides = slices.Clone(sels[i].Overrides)
	}
	return func() tea.Msg { return resolvedMsg{aid: id, r: cat.ResolveAll(scope, sels)} }
}

// resolvedIn takes a resolution: the newest there is, even if the user has
// changed the scope or the services again (resolveLater then asks for
// another).
func (m *Model) resolvedIn(msg resolvedMsg) tea.Cmd {
	m.resolving = false
	if m.a == nil || m.a.ID != msg.aid {
		return nil
	}
	m.resolved = msg.r
	m.refresh()
	return nil
}

// loadTrail reads the trail and checks it as onus verify does: every
// entry, the stored assessment against it, and every signature against
// the organisation's allowed-signers file.
func (m *Model) loadTrail() tea.Cmd {
	st, id, allowed := m.cfg.Store, m.a.ID, m.cfg.AllowedSigners
	m.waiting++
	m.trail.loaded = false
	return func() tea.Msg {
		e, err := st.History(id)
		if err != nil {
			return trailMsg{id: id, err: err}
		}
		msg := trailMsg{id: id, entries: e, verify: st.Verify(id)}
		signers, err := allowed()
		if err != nil {
			msg.sigErr = fmt.Errorf("the allowed-signers file: %w", err)
		}
		if sigs, err := sign.Verify(e, signers); err != nil {
			msg.sigErr = err
		} else {
			msg.sigs = sigs
		}
		return msg
	}
}

func (m *Model) listed(msg summariesMsg) tea.Cmd {
	m.listIn = true
	show := m.showFirstScreen()
	if msg.err != nil {
		m.flashError("could not list assessments: " + msg.err.Error())
		return show
	}
	m.home.relist(m, msg.list)
	if !m.listedOnce {
		m.listedOnce = true
		return tea.Batch(show, m.afterFirstScreen(), m.readHomeState())
	}
	return show
}

// opened shows an assessment where the user left it, with the draft they
// had not saved, if any.
func (m *Model) opened(msg openedMsg) tea.Cmd {
	if msg.err != nil {
		m.flashError("could not open: " + msg.err.Error())
		return nil
	}
	m.state.read(msg.a.ID, msg.state)
	m.reviewed = &msg.review
	cmd := m.openAssessment(msg.a, msg.resolved, func(m *Model) place {
		if id, ok := screenNamed(msg.state.Step); ok {
			return place{screen: id, at: msg.state.At}
		}
		return placeOf(m, msg.a)
	})
	if msg.broken != nil {
		m.broken = brokenWhy(msg.a.ID, msg.broken)
	}
	if m.readOnly() != "" {
		return cmd // no form opens where nothing can be saved; the draft is kept for later
	}
	return tea.Batch(cmd, m.restoreDraft(msg.state.Draft), m.compareCatalogs(msg.a))
}

func (m *Model) trailLoaded(msg trailMsg) tea.Cmd {
	if m.a == nil || m.a.ID != msg.id {
		return nil
	}
	if msg.err != nil {
		m.flashError("could not read the audit trail: " + msg.err.Error())
		return nil
	}
	m.trail.load(msg)
	return nil
}
