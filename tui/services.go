package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// servicesScreen picks the services the solution uses: grouped by model,
// fuzzy-filtered, space toggles and saves; the side panel previews the
// highlighted service's stack.
type servicesScreen struct {
	order     []model.Service // catalog services grouped by model
	cursor    int
	filtering bool
	filter    textinput.Model
}

func newServicesScreen(cat *model.Catalog) servicesScreen {
	s := servicesScreen{filter: newInput("")}
	for _, m := range model.ServiceModels {
		for _, svc := range cat.Services {
			if svc.Model == m {
				s.order = append(s.order, svc)
			}
		}
	}
	return s
}

func (s *servicesScreen) typing() bool { return s.filtering }

func (s *servicesScreen) visible() []model.Service {
	q := s.filter.Value()
	if q == "" {
		return s.order
	}
	var out []model.Service
	for _, svc := range s.order {
		if fuzzy(q, svc.ID+" "+svc.Name+" "+string(svc.Category)) {
			out = append(out, svc)
		}
	}
	// Best matches first (an exact id before a scattered fuzzy hit), the
	// model grouping kept within each rank.
	slices.SortStableFunc(out, func(a, b model.Service) int { return matchRank(q, a) - matchRank(q, b) })
	return out
}

// matchRank: 0 exact id, 1 id prefix, 2 substring of id or name, 3 fuzzy.
func matchRank(q string, svc model.Service) int {
	q = strings.ToLower(strings.TrimSpace(q))
	id, name := strings.ToLower(svc.ID), strings.ToLower(svc.Name)
	switch {
	case id == q:
		return 0
	case strings.HasPrefix(id, q):
		return 1
	case strings.Contains(id, q), strings.Contains(name, q):
		return 2
	}
	return 3
}

func selected(a *model.Assessment, id string) bool {
	return a != nil && slices.ContainsFunc(a.Services, func(s model.SelectedService) bool { return s.ID == id })
}

func (s *servicesScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, isKey := msg.(tea.KeyPressMsg)
	if s.filtering {
		if isKey && (k.String() == "enter" || k.String() == "esc" || k.String() == "down" || k.String() == "up") {
			if k.String() == "esc" {
				s.filter.SetValue("")
			}
			s.filtering = false
			s.filter.Blur()
			return nil
		}
		var cmd tea.Cmd
		s.filter, cmd = s.filter.Update(msg)
		s.cursor = 0
		return cmd
	}
	if !isKey || m.a == nil {
		return nil
	}
	vis := s.visible()
	switch {
	case key.Matches(k, m.keys.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, m.keys.Down):
		s.cursor = min(len(vis)-1, s.cursor+1)
	case key.Matches(k, m.keys.PageUp):
		s.cursor = max(0, s.cursor-10)
	case key.Matches(k, m.keys.PageDown):
		s.cursor = min(len(vis)-1, s.cursor+10)
	case key.Matches(k, m.keys.Filter):
		s.filtering = true
		return s.filter.Focus()
	case key.Matches(k, m.keys.Back):
		if s.filter.Value() != "" {
			s.filter.SetValue("")
			return nil
		}
		m.enter(screenSupplier)
	case key.Matches(k, m.keys.Toggle), key.Matches(k, m.keys.Enter):
		if s.cursor < 0 || s.cursor >= len(vis) {
			return nil
		}
		svc, id := vis[s.cursor], m.a.ID
		if selected(m.a, svc.ID) {
			return m.save("removed "+svc.Name, func(st Store) (model.Assessment, error) { return st.DeselectServices(id, []string{svc.ID}) }, nil)
		}
		return m.save("added "+svc.Name, func(st Store) (model.Assessment, error) { return st.SelectServices(id, []string{svc.ID}) }, nil)
	}
	return nil
}

func (s *servicesScreen) keys(m *Model) []key.Binding {
	k := m.keys
	if s.filtering {
		return []key.Binding{k.Enter, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Toggle, k.Filter, k.Back}
}

func (s *servicesScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	listW := min(48, w/2)
	panelW := w - listW - 2
	var left []string
	head := st.Title.Render("Services") + st.Muted.Render(fmt.Sprintf("  %d selected", len(m.a.Services)))
	left = append(left, head)
	if s.filtering || s.filter.Value() != "" {
		left = append(left, "filter: "+s.filter.View())
	} else {
		left = append(left, st.Muted.Render("/ to filter · space selects"))
	}
	vis := s.visible()
	rows := h - len(left)
	// Group headings take rows too; draw a window around the cursor.
	off := scrollOffset(s.cursor, 0, max(1, rows-3), len(vis))
	var lastModel model.ServiceModel
	for i := off; i < len(vis) && len(left) < h; i++ {
		svc := vis[i]
		if svc.Model != lastModel {
			lastModel = svc.Model
			left = append(left, st.Muted.Render("── "+string(svc.Model)+" ──"))
			if len(left) >= h {
				break
			}
		}
		mark := "[ ]"
		if selected(m.a, svc.ID) {
			mark = "[x]"
		}
		line := fmt.Sprintf("%s %-17s %s", mark, cell(svc.ID, 17), cell(svc.Name, max(0, listW-26)))
		if i == s.cursor {
			line = st.Selected.Render(ansi.Truncate("▸"+line, listW, "…"))
		} else {
			line = " " + line
		}
		left = append(left, line)
	}
	if len(vis) == 0 {
		left = append(left, st.Muted.Render("no service matches"))
	}
	var right []string
	if s.cursor >= 0 && s.cursor < len(vis) && panelW >= 20 {
		svc := vis[s.cursor]
		var sel model.SelectedService
		if i := slices.IndexFunc(m.a.Services, func(x model.SelectedService) bool { return x.ID == svc.ID }); i >= 0 {
			sel = m.a.Services[i]
		} else {
			sel = model.SelectedService{ID: svc.ID}
		}
		if stk, err := m.cfg.Catalog.ServiceStack(sel); err == nil {
			right = append(right, cell(svc.Name+" · "+string(svc.Model)+" · "+string(svc.Category), panelW))
			right = append(right, wrap(svc.Description, panelW)...)
			right = append(right, "")
			right = append(right, strings.Split(stacks.Service(stk, stacks.Options{Width: panelW, Theme: st.Stacks, Notes: true}), "\n")...)
		}
	}
	return sideBySide(left, right, listW, 2, h)
}

// sideBySide joins two columns line by line.
func sideBySide(left, right []string, leftW, gap, h int) string {
	n := min(h, max(len(left), len(right)))
	var b strings.Builder
	for i := range n {
		var l, r string
		if i < len(left) {
			l = ansi.Truncate(left[i], leftW, "…")
		}
		if i < len(right) {
			r = right[i]
		}
		pad := max(0, leftW-ansi.StringWidth(l)) + gap
		b.WriteString(l + strings.Repeat(" ", pad) + r)
		if i < n-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
