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
	override  *overrideForm // open on a selected service, else nil
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

func (s *servicesScreen) typing() bool { return s.filtering || s.override != nil }

// selection is a selected service as the assessment has it, overrides
// included.
func selection(a *model.Assessment, id string) (model.SelectedService, bool) {
	if i := slices.IndexFunc(a.Services, func(x model.SelectedService) bool { return x.ID == id }); i >= 0 {
		return a.Services[i], true
	}
	return model.SelectedService{ID: id}, false
}

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

// selectedIDs is the set of an assessment's selected services.
func selectedIDs(a *model.Assessment) map[string]bool {
	set := make(map[string]bool, len(a.Services))
	for _, s := range a.Services {
		set[s.ID] = true
	}
	return set
}

func (s *servicesScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, isKey := msg.(tea.KeyPressMsg)
	if s.filtering {
		if isKey && (k.String() == "enter" || k.String() == "esc" || k.String() == "down" || k.String() == "up") {
			if k.String() == "esc" {
				s.clearFilter()
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
	if s.override != nil && m.a != nil {
		sel, _ := selection(m.a, s.override.service)
		cmd, done := s.override.update(m, sel, msg)
		if done {
			s.override = nil
		}
		return cmd
	}
	if !isKey || m.a == nil {
		return nil
	}
	vis := s.visible()
	switch {
	case key.Matches(k, m.keys.Override):
		if s.cursor < 0 || s.cursor >= len(vis) {
			return nil
		}
		sel, ok := selection(m.a, vis[s.cursor].ID)
		if !ok {
			m.setError("select " + vis[s.cursor].Name + " first (space): overrides belong to the services the solution uses")
			return nil
		}
		s.override = newOverrideForm(m, sel)
		return nil
	case key.Matches(k, m.keys.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, m.keys.Down):
		s.cursor = max(0, min(len(vis)-1, s.cursor+1))
	case key.Matches(k, m.keys.PageUp):
		s.cursor = max(0, s.cursor-10)
	case key.Matches(k, m.keys.PageDown):
		s.cursor = max(0, min(len(vis)-1, s.cursor+10))
	case key.Matches(k, m.keys.Filter):
		s.filtering = true
		return s.filter.Focus()
	case key.Matches(k, m.keys.Back):
		if s.filter.Value() != "" {
			s.clearFilter()
			return nil
		}
		m.enter(screenSupplier)
	case key.Matches(k, m.keys.Toggle), key.Matches(k, m.keys.Enter):
		if s.cursor < 0 || s.cursor >= len(vis) {
			return nil
		}
		return m.toggleService(vis[s.cursor])
	}
	return nil
}

// clearFilter shows every service again, the highlighted one kept.
func (s *servicesScreen) clearFilter() {
	var id string
	if vis := s.visible(); s.cursor >= 0 && s.cursor < len(vis) {
		id = vis[s.cursor].ID
	}
	s.filter.SetValue("")
	s.cursor = max(0, slices.IndexFunc(s.order, func(x model.Service) bool { return x.ID == id }))
}

// toggleService selects or deselects a service and saves it at once.
func (m *Model) toggleService(svc model.Service) tea.Cmd {
	on, id := !m.isSelected(svc.ID, nil), svc.ID
	if on {
		return m.change("services/"+id, "added "+svc.Name, true,
			func(st Store, aid string) (model.Assessment, error) { return st.SelectServices(aid, []string{id}) }, nil)
	}
	return m.change("services/"+id, "removed "+svc.Name, false,
		func(st Store, aid string) (model.Assessment, error) { return st.DeselectServices(aid, []string{id}) }, nil)
}

func (s *servicesScreen) keys(m *Model) []key.Binding {
	k := m.keys
	if s.filtering {
		return []key.Binding{k.Enter, k.Back}
	}
	if s.override != nil {
		save := k.Enter
		save.SetHelp("enter", "save")
		return []key.Binding{k.FieldUp, k.FieldDown, k.Choose, save, k.Back}
	}
	return []key.Binding{k.Move, k.Toggle, k.Filter, k.Override, k.Back}
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
	idW := 3
	for _, svc := range vis[off:min(len(vis), off+rows)] {
		idW = max(idW, min(12, len(svc.ID)))
	}
	var lastModel model.ServiceModel
	grouped := s.filter.Value() == "" // a filter ranks matches, so groups would repeat
	sel := selectedIDs(m.a)
	for i := off; i < len(vis) && len(left) < h; i++ {
		svc := vis[i]
		if grouped && svc.Model != lastModel {
			lastModel = svc.Model
			left = append(left, st.Muted.Render("── "+string(svc.Model)+" ──"))
			if len(left) >= h {
				break
			}
		}
		left = append(left, s.line(m, svc, m.isSelected(svc.ID, sel), i == s.cursor, idW, listW))
	}
	if len(vis) == 0 {
		left = append(left, st.Muted.Render("no service matches"))
	}
	var right []string
	if s.cursor >= 0 && s.cursor < len(vis) && panelW >= 20 {
		svc := vis[s.cursor]
		sel, _ := selection(m.a, svc.ID)
		if stk, err := m.catalog().ServiceStack(sel); err == nil {
			right = append(right, cell(svc.Name+" · "+string(svc.Model)+" · "+string(svc.Category), panelW))
			if s.override != nil && s.override.service == svc.ID {
				right = append(right, s.override.view(m, panelW)...)
			} else {
				right = append(right, wrap(svc.Description, panelW)...)
				right = append(right, "")
			}
			right = append(right, strings.Split(stacks.Service(stk, stacks.Options{Width: panelW, Theme: st.Stacks, Notes: true}), "\n")...)
		}
	}
	return sideBySide(left, right, listW, 2, h)
}

// line is one service: selection mark, id, name and its service model,
// the model abbreviated when the list is narrow.
func (s *servicesScreen) line(m *Model, svc model.Service, on, current bool, idW, w int) string {
	mark := "[ ]"
	if on {
		mark = "[x]"
	}
	tag := string(svc.Model)
	if w < 48 {
		tag = map[model.ServiceModel]string{model.ModelInfrastructure: "infra.", model.ModelContainer: "contr.", model.ModelAbstracted: "abstr."}[svc.Model]
	}
	tagW := max(6, len(tag))
	nameW := max(0, w-1-len(mark)-1-idW-1-tagW-1)
	line := fmt.Sprintf("%s %-*s %-*s %s", mark, idW, cell(svc.ID, idW), nameW, cell(svc.Name, nameW), cell(tag, tagW))
	if current {
		return m.styles.Selected.Render(ansi.Truncate("▸"+line, w, "…"))
	}
	return " " + line
}

// sideBySide joins two columns line by line.
func sideBySide(left, right []string, leftW, gap, h int) string {
	n := min(h, max(len(left), len(right)))
	var b strings.Builder
	for i := range n {
		var l, r string
		if i < len(left) {
			l = truncate(left[i], leftW, "…")
		}
		if i < len(right) {
			r = right[i]
		}
		pad := max(0, leftW-width(l)) + gap
		b.WriteString(l + strings.Repeat(" ", pad) + r)
		if i < n-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
