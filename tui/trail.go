package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// trailScreen shows the assessment's audit trail, newest first, with the
// highlighted entry in full underneath.
type trailScreen struct {
	entries []model.AuditEntry // newest first
	loaded  bool
	chain   error  // the chain check, done once when the trail arrives
	head    string // hash of the newest entry
	cursor  int
}

// load takes the trail in store order and checks its chain once.
func (t *trailScreen) load(entries []model.AuditEntry) {
	t.chain, t.head, t.loaded = model.VerifyChain(entries), model.Head(entries), true
	t.entries = slices.Clone(entries)
	slices.Reverse(t.entries)
	t.cursor = 0
}

func (t *trailScreen) typing() bool { return false }

func (t *trailScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	last := max(0, len(t.entries)-1)
	switch {
	case key.Matches(k, m.keys.Back):
		m.screen = m.returnTo
	case key.Matches(k, m.keys.Up):
		t.cursor = max(0, t.cursor-1)
	case key.Matches(k, m.keys.Down):
		t.cursor = min(last, t.cursor+1)
	case key.Matches(k, m.keys.PageUp):
		t.cursor = max(0, t.cursor-10)
	case key.Matches(k, m.keys.PageDown):
		t.cursor = min(last, t.cursor+10)
	}
	return nil
}

func (t *trailScreen) keys(m *Model) []key.Binding {
	return []key.Binding{m.keys.Move, m.keys.PageUp, m.keys.PageDown, m.keys.Back}
}

// short is the first characters of a hash, enough to compare by eye.
func short(hash string) string { return hash[:min(len(hash), 8)] }

func (t *trailScreen) view(m *Model, w, h int) string {
	st := m.styles
	if !t.loaded {
		return st.Title.Render("Audit trail") + "\n\nloading…"
	}
	status := st.Saved.Render("  ✔ chain intact") + st.Muted.Render(" · head "+short(t.head))
	if t.chain != nil {
		status = st.Error.Render("  ✘ " + t.chain.Error())
	}
	lines := []string{st.Title.Render(fmt.Sprintf("Audit trail  %d entries", len(t.entries))) + status, ""}
	const (
		seqW, timeW, actorW, actionW, targetW, hashW = 4, 16, 10, 12, 16, 8
	)
	restW := max(0, w-2-seqW-timeW-actorW-actionW-targetW-hashW-6)
	row := func(seq, time, actor, action, target, hash, rest string) string {
		return fmt.Sprintf("%-*s %-*s %-*s %-*s %-*s %-*s %s", seqW, seq, timeW, time, actorW, cell(actor, actorW),
			actionW, cell(action, actionW), targetW, cell(target, targetW), hashW, hash, cell(rest, restW))
	}
	lines = append(lines, st.Muted.Render("  "+row("SEQ", "TIME (UTC)", "ACTOR", "ACTION", "TARGET", "HASH", "REASON")))
	const detailH = 6
	rows := max(1, h-len(lines)-detailH)
	off := scrollOffset(t.cursor, 0, rows, len(t.entries))
	for i := off; i < len(t.entries) && i < off+rows; i++ {
		e := t.entries[i]
		line := row(fmt.Sprint(e.Seq), e.Time.UTC().Format("2006-01-02 15:04"), e.Actor, e.Action, e.Target, short(e.Hash), e.Reason)
		if i == t.cursor {
			lines = append(lines, st.Selected.Render(cell("▸ "+line, w)))
		} else {
			lines = append(lines, cell("  "+line, w))
		}
	}
	if t.cursor < len(t.entries) {
		lines = append(lines, "")
		lines = append(lines, t.detail(m, t.entries[t.cursor], w, detailH-1)...)
	}
	return strings.Join(lines, "\n")
}

// detail shows one entry in full: when, who, why, the new value and the links.
func (t *trailScreen) detail(m *Model, e model.AuditEntry, w, h int) []string {
	st := m.styles
	out := []string{
		st.Title.Render(cell(fmt.Sprintf("#%d %s %s by %s at %s UTC", e.Seq, e.Action, e.Target, e.Actor, e.Time.UTC().Format("2006-01-02 15:04:05")), w)),
		cell("reason: "+orDash(e.Reason), w),
		cell("old: "+orDash(string(e.Old)), w),
		cell("new: "+orDash(string(e.New)), w),
		st.Muted.Render(cell("hash "+e.Hash+" · previous "+short(e.PrevHash), w)),
	}
	return out[:min(len(out), h)]
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
