package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// trailScreen shows the assessment's audit trail, newest first.
type trailScreen struct {
	entries []model.AuditEntry
	cursor  int
}

func (t *trailScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.screen = m.returnTo
	case key.Matches(k, m.keys.Up):
		t.cursor = max(0, t.cursor-1)
	case key.Matches(k, m.keys.Down):
		t.cursor = min(len(t.entries)-1, t.cursor+1)
	case key.Matches(k, m.keys.PageUp):
		t.cursor = max(0, t.cursor-10)
	case key.Matches(k, m.keys.PageDown):
		t.cursor = min(len(t.entries)-1, t.cursor+10)
	}
	return nil
}

func (t *trailScreen) keys(m *Model) []key.Binding {
	return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Back}
}

func (t *trailScreen) view(m *Model, w, h int) string {
	st := m.styles
	var lines []string
	head := fmt.Sprintf("Audit trail  %d entries", len(t.entries))
	status := ""
	if len(t.entries) > 0 {
		if err := model.VerifyChain(t.entries); err != nil {
			status = st.Error.Render("  ✘ " + err.Error())
		} else {
			status = st.Saved.Render("  ✔ chain intact") + st.Muted.Render(" · head "+model.Head(t.entries)[:16])
		}
	}
	lines = append(lines, st.Title.Render(head)+status, "")
	lines = append(lines, st.Muted.Render("  "+fmt.Sprintf("%-4s %-19s %-12s %-12s %-22s %s", "SEQ", "TIME (UTC)", "ACTOR", "ACTION", "TARGET", "NEW VALUE / REASON")))
	rows := h - len(lines)
	off := scrollOffset(t.cursor, 0, rows, len(t.entries))
	for i := off; i < len(t.entries) && i < off+rows; i++ {
		e := t.entries[len(t.entries)-1-i]
		detail := string(e.New)
		if e.Reason != "" {
			detail = "reason: " + e.Reason + " · " + detail
		}
		pointer := "  "
		if i == t.cursor {
			pointer = "▸ "
		}
		line := pointer + fmt.Sprintf("%-4d %-19s %-12s %-12s %-22s %s", e.Seq, e.Time.UTC().Format("2006-01-02 15:04:05"),
			cell(e.Actor, 12), cell(e.Action, 12), cell(e.Target, 22), cell(detail, max(0, w-76)))
		if i == t.cursor {
			line = st.Selected.Render(cell(line, w))
		}
		lines = append(lines, line)
	}
	if len(t.entries) == 0 {
		lines = append(lines, "loading…")
	}
	return strings.Join(lines, "\n")
}
