package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// stacksScreen shows the responsibility stacks: the selected services side
// by side, or the whole solution.
type stacksScreen struct {
	solution bool
	offset   int
	scroll   int
}

func (s *stacksScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
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
		if m.a != nil && s.offset < len(m.a.Services)-1 {
			s.offset++
		}
	case key.Matches(k, m.keys.Up):
		s.scroll = max(0, s.scroll-1)
	case key.Matches(k, m.keys.Down):
		s.scroll++
	}
	return nil
}

func (s *stacksScreen) keys(m *Model) []key.Binding {
	k := m.keys
	t := k.Toggle
	t.SetHelp("space", "per-service / solution")
	return []key.Binding{t, k.Left, k.Right, k.Up, k.Down, k.Back}
}

func (s *stacksScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	if len(m.a.Services) == 0 {
		return st.Title.Render("Stacks") + "\n\nSelect services first (Services step)."
	}
	opt := stacks.Options{Width: w, Offset: s.offset, Theme: st.Stacks, Legend: true, Notes: true}
	var body string
	if s.solution {
		body = st.Title.Render("Solution stack") + "\n" + stacks.Solution(m.cfg.Catalog, m.cfg.Catalog.SolutionStack(m.a.Services), opt)
	} else {
		var sts []model.ServiceStack
		for _, sel := range m.a.Services {
			if stk, err := m.cfg.Catalog.ServiceStack(sel); err == nil {
				sts = append(sts, stk)
			}
		}
		text, _ := stacks.SideBySide(sts, opt)
		body = st.Title.Render("Stacks per service") + "\n" + text
	}
	lines := strings.Split(body, "\n")
	start := min(s.scroll, max(0, len(lines)-h))
	return strings.Join(lines[start:], "\n")
}
