package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// stacksScreen shows the responsibility stacks: the selected services side
// by side (paged left and right), or the whole solution.
type stacksScreen struct {
	solution bool
	offset   int // first service shown
	scroll   int // first line shown
}

func (s *stacksScreen) typing() bool { return false }

func (s *stacksScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || m.a == nil {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.screen = m.returnTo
	case key.Matches(k, m.keys.Toggle):
		s.solution, s.scroll = !s.solution, 0
	case key.Matches(k, m.keys.Left):
		s.offset = max(0, s.offset-1)
	case key.Matches(k, m.keys.Right):
		s.offset = max(0, min(len(m.a.Services)-1, s.offset+1))
	case key.Matches(k, m.keys.Up):
		s.scroll = max(0, s.scroll-1)
	case key.Matches(k, m.keys.Down):
		lines, _ := s.body(m, m.width)
		s.scroll = max(0, min(len(lines)-(m.height-6), s.scroll+1))
	}
	return nil
}

func (s *stacksScreen) keys(m *Model) []key.Binding {
	k := m.keys
	t := k.Toggle
	t.SetHelp("space", "per service / solution")
	page := k.Right
	page.SetHelp("←/→", "more services")
	return []key.Binding{t, page, k.Move, k.Back}
}

// body draws the stacks in full; the view shows a window of it.
func (s *stacksScreen) body(m *Model, w int) ([]string, string) {
	opt := stacks.Options{Width: w, Offset: s.offset, Theme: m.styles.Stacks, Legend: true, Notes: true}
	if s.solution {
		return strings.Split(stacks.Solution(m.catalog(), m.catalog().SolutionStack(m.a.Services), opt), "\n"), ""
	}
	var sts []model.ServiceStack
	for _, sel := range m.a.Services {
		if stk, err := m.catalog().ServiceStack(sel); err == nil {
			sts = append(sts, stk)
		}
	}
	text, shown := stacks.SideBySide(sts, opt)
	title := fmt.Sprintf("Stacks per service (%d)", len(sts))
	if shown < len(sts) {
		title += fmt.Sprintf(" · showing %d–%d, ←/→ for more", s.offset+1, s.offset+shown)
	}
	return strings.Split(text, "\n"), title
}

func (s *stacksScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	if len(m.a.Services) == 0 {
		return st.Title.Render("Stacks") + "\n\nSelect services first (the Services step)."
	}
	lines, title := s.body(m, w)
	var out []string
	if title != "" {
		out = append(out, st.Title.Render(cell(title, w)))
	}
	rows := max(1, h-len(out)-1)
	start := max(0, min(s.scroll, len(lines)-rows))
	end := min(len(lines), start+rows)
	out = append(out, lines[start:end]...)
	if end < len(lines) {
		out = append(out, st.Muted.Render(fmt.Sprintf("↓ %d more lines", len(lines)-end)))
	}
	return strings.Join(out, "\n")
}
