package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// trailScreen shows the assessment's audit trail, newest first, with the
// highlighted entry in full underneath.
type trailScreen struct {
	plainScreen
	entries []model.AuditEntry // newest first
	loaded  bool
	chain   error  // the chain check, done once when the trail arrives
	head    string // hash of the newest entry
	cursor  int
	filter  listFilter
	rows    int
}

// load takes the trail in store order and checks its chain once.
func (t *trailScreen) load(entries []model.AuditEntry) {
	t.chain, t.head, t.loaded = model.VerifyChain(entries), model.Head(entries), true
	t.entries = slices.Clone(entries)
	slices.Reverse(t.entries)
	t.cursor = 0
}

func (t *trailScreen) typing() bool { return t.filter.on }

// visible are the entries the filter keeps.
func (t *trailScreen) visible() []model.AuditEntry {
	if !t.filter.active() {
		return t.entries
	}
	var out []model.AuditEntry
	for _, e := range t.entries {
		if t.filter.keep(strings.ToLower(fmt.Sprint(e.Seq) + " " + e.Actor + " " + e.Action + " " + e.Target + " " + e.Reason + " " + string(e.New))) {
			out = append(out, e)
		}
	}
	return out
}

func (t *trailScreen) setSize(_ *Model, w, h int) {
	t.filter.setWidth(w - 30)
	t.rows = max(1, h-9)
}

func (t *trailScreen) actions(m *Model) []action {
	refilter := func(*Model) { t.cursor = 0 }
	if t.filter.on {
		return t.filter.actions(m, refilter)
	}
	acts := append(listKeys(m.keys, &t.cursor, len(t.visible()), t.rows, nil), t.filter.openAction(m))
	if t.filter.active() {
		acts = append(acts, t.filter.clearAction(m, refilter))
	}
	return acts
}

func (t *trailScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if !t.filter.on {
		return nil
	}
	changed, cmd := t.filter.update(m, msg)
	if changed {
		t.cursor = 0
	}
	return cmd
}

// short is the first characters of a hash, enough to compare by eye.
func short(hash string) string { return hash[:min(len(hash), 8)] }

func (t *trailScreen) view(m *Model, hs *hits, w, h int) string {
	st := m.styles
	if !t.loaded {
		return st.Title.Render("Audit trail") + "\n\nloading…"
	}
	status := st.Saved.Render("  ✔ chain intact") + st.Muted.Render(" · head "+short(t.head))
	if t.chain != nil {
		status = st.Error.Render("  ✘ " + t.chain.Error())
	}
	list := t.visible()
	head := st.Title.Render(fmt.Sprintf("Audit trail  %d entries", len(t.entries))) + status
	if t.filter.active() {
		head = st.Title.Render(fmt.Sprintf("Audit trail  %d of %d", len(list), len(t.entries))) + "  " + t.filter.view(m, w-30)
	}
	lines := []string{truncate(head, w, "…"), ""}
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
	off := scrollOffset(t.cursor, 0, rows, len(list))
	for i := off; i < len(list) && i < off+rows; i++ {
		e := list[i]
		line := row(fmt.Sprint(e.Seq), e.Time.UTC().Format("2006-01-02 15:04"), e.Actor, e.Action, e.Target, short(e.Hash), e.Reason)
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd { m.trail.cursor = i; return nil })
		if i == t.cursor {
			lines = append(lines, st.Selected.Render(cell("▸ "+line, w)))
		} else {
			lines = append(lines, cell("  "+line, w))
		}
	}
	if len(list) > rows {
		lines = append(lines, st.Muted.Render(fmt.Sprintf("  entries %d–%d of %d", off+1, min(len(list), off+rows), len(list))))
	}
	if t.cursor < len(list) {
		lines = append(lines, "")
		lines = append(lines, t.detail(m, list[t.cursor], w, detailH-1)...)
	}
	return strings.Join(lines, "\n")
}

// detail shows one entry: when, who, why, the new value and the links.
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
