package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// stacksScreen shows the responsibility stacks: the selected services side
// by side (paged left and right), or the whole solution. The column
// headings stay on screen while the layers below them scroll.
type stacksScreen struct {
	plainScreen
	solution bool
	offset   int // first service shown
	scroll   int // first line shown below the headings
	w, h     int
}

func (s *stacksScreen) setSize(_ *Model, w, h int) { s.w, s.h = w, h }

func (s *stacksScreen) place(*Model) string {
	if s.solution {
		return "solution"
	}
	return ""
}

func (s *stacksScreen) seek(_ *Model, at string) { s.solution = at == "solution" }

func (s *stacksScreen) actions(m *Model) []action {
	if m.cur == nil {
		return nil
	}
	k := m.keys
	head, body, _ := s.body(m, s.w)
	rows := s.rows(len(head))
	last := max(0, len(body)-rows)
	scroll := func(d int) func(*Model, tea.KeyPressMsg) tea.Cmd {
		return func(*Model, tea.KeyPressMsg) tea.Cmd { s.scroll = max(0, min(last, s.scroll+d)); return nil }
	}
	return []action{
		actAs(k.Toggle, "per service / solution", func(*Model, tea.KeyPressMsg) tea.Cmd {
			s.solution, s.scroll = !s.solution, 0
			return nil
		}),
		actAs(k.Choose, "more services", func(m *Model, key tea.KeyPressMsg) tea.Cmd {
			if key.String() == "left" {
				s.offset = max(0, s.offset-1)
			} else {
				s.offset = max(0, min(len(m.cur.Services)-1, s.offset+1))
			}
			return nil
		}),
		helpOnly(k.Move, "scroll"),
		quiet(act(k.Up, scroll(-1))), quiet(act(k.Down, scroll(+1))),
		quiet(act(k.PageUp, scroll(-rows))), quiet(act(k.PageDown, scroll(rows))),
		quiet(act(k.Top, scroll(-len(body)))), quiet(act(k.Bottom, scroll(len(body)))),
	}
}

// rows is the room for the scrolling part under head heading lines.
func (s *stacksScreen) rows(head int) int { return max(1, s.h-2-head) }

// body draws the stacks in full, split into the headings that stay and
// the layers that scroll, with the title above them.
func (s *stacksScreen) body(m *Model, w int) (head, body []string, title string) {
	opt := stacks.Options{Width: w, Offset: s.offset, Theme: m.styles.Stacks, Legend: true, Notes: true}
	var lines []string
	keep := 1
	if s.solution {
		lines = strings.Split(stacks.Solution(m.catalog(), m.catalog().SolutionStack(m.cur.Services), opt), "\n")
	} else {
		var sts []model.ServiceStack
		for _, sel := range m.cur.Services {
			if stk, err := m.catalog().ServiceStack(sel); err == nil {
				sts = append(sts, stk)
			}
		}
		text, shown := stacks.SideBySide(sts, opt)
		lines = strings.Split(text, "\n")
		keep = 3 // the services' names, models and GAMP categories
		title = fmt.Sprintf("Stacks per service (%d)", len(sts))
		if shown < len(sts) {
			title += fmt.Sprintf(" · showing %d–%d, ←/→ for more", s.offset+1, s.offset+shown)
		}
	}
	keep = min(keep, len(lines))
	return lines[:keep], lines[keep:], title
}

func (s *stacksScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	if len(m.cur.Services) == 0 {
		return st.Title.Render("Stacks") + "\n\nSelect services first (the Services step)."
	}
	head, body, title := s.body(m, w)
	out := []string{st.Title.Render(cell(title, w))}
	out = append(out, head...)
	rows := max(1, h-len(out)-1)
	start := max(0, min(s.scroll, len(body)-rows))
	end := min(len(body), start+rows)
	out = append(out, body[start:end]...)
	if len(body) > rows {
		out = append(out, st.Muted.Render(fmt.Sprintf("lines %d–%d of %d · ↑↓ scroll · pgup/pgdn", start+1, end, len(body))))
	}
	hs.pane(1+len(head), h, 0, w, func(m *Model, d int) tea.Cmd {
		m.stacksV.scroll = max(0, min(len(body)-rows, m.stacksV.scroll+d))
		return nil
	})
	return strings.Join(out, "\n")
}
