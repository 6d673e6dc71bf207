package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// servicesScreen picks the services the solution uses: grouped by model,
// filtered, space toggles and saves; the side panel previews the
// highlighted service's stack.
type servicesScreen struct {
	plainScreen
	order  []*model.Service // catalog services grouped by model; read-only
	of     *model.Catalog   // the catalog order is of
	cursor int
	filter listFilter
	rows   int
	narrow narrowing
	shown  struct { // what visible last returned, for its query
		query string
		list  []*model.Service
	}
}

// newServicesScreen is the screen of a newly opened assessment; the order
// of the last one's (was) is kept when the catalog is the same: at ten
// times the default catalog, putting it in order is a cost every opening
// would pay.
func newServicesScreen(cat *model.Catalog, was servicesScreen) servicesScreen {
	s := servicesScreen{filter: newFilter(), of: cat}
	if was.of == cat {
		s.order, s.narrow = was.order, was.narrow
		return s
	}
	s.order = servicesInOrder(cat)
	return s
}

// servicesInOrder is the catalog's services grouped by model, as
// pointers into the catalog: copies of the services themselves took the
// first open of a fresh process milliseconds to write into memory it had
// not touched yet, at ten times the default catalog.
func servicesInOrder(cat *model.Catalog) []*model.Service {
	order := make([]*model.Service, 0, len(cat.Services))
	for _, m := range model.ServiceModels {
		for i := range cat.Services {
			if cat.Services[i].Model == m {
				order = append(order, &cat.Services[i])
			}
		}
	}
	return order
}

func (s *servicesScreen) typing() bool { return s.filter.on }

func (s *servicesScreen) place(*Model) string {
	if svc, ok := s.selected(); ok {
		return svc.ID
	}
	return ""
}

func (s *servicesScreen) seek(_ *Model, at string) {
	if i := slices.IndexFunc(s.visible(), func(x *model.Service) bool { return x.ID == at }); i >= 0 {
		s.cursor = i
	}
}

func (s *servicesScreen) setSize(_ *Model, w, h int) {
	s.filter.setWidth(max(min(48, w/2), min(72, w*2/5)))
	s.rows = max(1, h-5)
}

// selection is a selected service as the assessment has it, overrides
// included.
func selection(a *model.Assessment, id string) (model.SelectedService, bool) {
	if i := slices.IndexFunc(a.Services, func(x model.SelectedService) bool { return x.ID == id }); i >= 0 {
		return a.Services[i], true
	}
	return model.SelectedService{ID: id}, false
}

func (s *servicesScreen) visible() []*model.Service {
	q := s.filter.text()
	if strings.TrimSpace(q) == "" {
		return s.order
	}
	if s.shown.list != nil && s.shown.query == q {
		return s.shown.list
	}
	pattern := []rune(strings.ToLower(strings.TrimSpace(q)))
	rows := narrowRows(&s.narrow, s.order, func(svc *model.Service) string { return svc.ID + " " + svc.Name + " " + string(svc.Category) },
		strings.ToLower(q), func(text string) bool { return subsequence(pattern, text) },
		func(rows []int) {
			// Best matches first (an exact id before a scattered fuzzy
			// hit), the model grouping kept within each rank.
			rank := make(map[int]int, len(rows))
			for _, i := range rows {
				rank[i] = matchRank(q, s.order[i])
			}
			slices.SortFunc(rows, func(a, b int) int { return cmp.Or(rank[a]-rank[b], a-b) })
		})
	out := make([]*model.Service, len(rows))
	for k, i := range rows {
		out[k] = s.order[i]
	}
	s.shown.query, s.shown.list = q, out
	return out
}

func (s *servicesScreen) selected() (model.Service, bool) {
	vis := s.visible()
	if s.cursor < 0 || s.cursor >= len(vis) {
		return model.Service{}, false
	}
	return *vis[s.cursor], true
}

// matchRank: 0 exact id, 1 id prefix, 2 substring of id or name, 3 fuzzy.
func matchRank(q string, svc *model.Service) int {
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

// clearFilter shows every service again, the highlighted one kept.
func (s *servicesScreen) clearFilter() {
	svc, _ := s.selected()
	s.filter.clear()
	s.cursor = max(0, slices.IndexFunc(s.order, func(x *model.Service) bool { return x.ID == svc.ID }))
}

func (s *servicesScreen) actions(m *Model) []action {
	k := m.keys
	if s.filter.on {
		return s.filter.actions(m, func(m *Model) { s.cursor = 0 })
	}
	toggle := func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
		if svc, ok := s.selected(); ok {
			return m.toggleService(svc)
		}
		return nil
	}
	acts := listKeys(k, &s.cursor, len(s.visible()), s.rows, nil)
	acts = append(acts,
		editing(actAs(k.Toggle, "select", toggle)), editing(quiet(actAs(k.Open, "select", toggle))),
		s.filter.openAction(m),
		editing(act(k.Override, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			svc, ok := s.selected()
			if !ok {
				return nil
			}
			if _, on := selection(m.cur, svc.ID); !on {
				m.flashError("select " + svc.Name + " first (space): overrides belong to the services the solution uses")
				return nil
			}
			return m.openOverride(svc.ID, nil, restored{})
		})),
		editing(act(k.GAMP, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			svc, ok := s.selected()
			if !ok {
				return nil
			}
			if _, on := selection(m.cur, svc.ID); !on {
				m.flashError("select " + svc.Name + " first (space): a GAMP category belongs to the services the solution uses")
				return nil
			}
			return m.openGAMP(svc.ID, nil, restored{})
		})),
		editing(act(k.FromIaC, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openIaCPaths() })),
	)
	if s.filter.active() {
		acts = append(acts, actAs(k.Back, "clear the filter", func(*Model, tea.KeyPressMsg) tea.Cmd { s.clearFilter(); return nil }))
	}
	return acts
}

func (s *servicesScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	return s.filter.updateList(m, msg, &s.cursor)
}

// toggleService selects or deselects a service and saves it at once.
func (m *Model) toggleService(svc model.Service) tea.Cmd {
	id := svc.ID
	sel := edit{
		apply: func(a *model.Assessment) {
			if !selected(a, id) {
				a.Services = append(a.Services, model.SelectedService{ID: id})
			}
		},
		save: func(st Store, aid, _ string) (model.Assessment, error) { return st.SelectServices(aid, []string{id}) },
	}
	desel := edit{
		apply: func(a *model.Assessment) {
			a.Services = slices.DeleteFunc(a.Services, func(s model.SelectedService) bool { return s.ID == id })
		},
		save: func(st Store, aid, _ string) (model.Assessment, error) { return st.DeselectServices(aid, []string{id}) },
	}
	c := change{key: "services/" + id, entry: "services", what: "added " + svc.Name, do: sel, undo: desel, toggle: true}
	if selected(m.cur, id) {
		c.what, c.do, c.undo = "removed "+svc.Name, desel, sel
	}
	return m.apply(c)
}

func (s *servicesScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	listW := max(min(48, w/2), min(72, w*2/5)) // a wide screen gives the names more room
	panelW := w - listW - 2
	left := []string{st.Title.Render("Services") + st.Muted.Render(fmt.Sprintf("  %d selected", len(m.cur.Services)))}
	if s.filter.active() {
		left = append(left, s.filter.view(m, listW))
	} else {
		hint := "/ filter · space selects · i from IaC"
		if m.readOnly() != "" {
			hint = "/ filter"
		}
		left = append(left, st.Muted.Render(hint))
	}
	vis := s.visible()
	rows := h - len(left)
	// Group headings take rows too; draw a window around the cursor.
	off := scrollOffset(s.cursor, 0, max(1, rows-4), len(vis))
	idW := 3
	for _, svc := range vis[off:min(len(vis), off+rows)] {
		idW = max(idW, min(12, len(svc.ID)))
	}
	var lastModel model.ServiceModel
	grouped := strings.TrimSpace(s.filter.text()) == "" // a filter ranks matches, so groups would repeat
	for i := off; i < len(vis) && len(left) < h-1; i++ {
		svc := vis[i]
		if grouped && svc.Model != lastModel {
			lastModel = svc.Model
			left = append(left, st.Muted.Render("── "+string(svc.Model)+" ──"))
			if len(left) >= h-1 {
				break
			}
		}
		i := i
		hs.row(len(left), 0, listW, func(m *Model) tea.Cmd {
			if m.services.cursor == i {
				if svc, ok := m.services.selected(); ok {
					return m.toggleService(svc)
				}
			}
			m.services.cursor = i
			return nil
		})
		left = append(left, s.line(m, *svc, selected(m.cur, svc.ID), i == s.cursor, !grouped, idW, listW))
	}
	if len(vis) == 0 {
		left = append(left, st.Muted.Render("no service matches"))
	} else if len(vis) > s.rows {
		left = append(left, st.Muted.Render(fmt.Sprintf("%d of %d", s.cursor+1, len(vis))))
	}
	var right []string
	if svc, ok := s.selected(); ok && panelW >= 20 {
		sel, _ := selection(m.cur, svc.ID)
		if stk, err := m.catalog().ServiceStack(sel); err == nil {
			right = append(right, cell(svc.Name+" · "+string(svc.Model)+" · "+string(svc.Category), panelW))
			right = append(right, wrap(svc.Description, panelW)...)
			right = append(right, "")
			right = append(right, strings.Split(stacks.Service(stk, stacks.Options{Width: panelW, Theme: st.Stacks, Notes: true}), "\n")...)
		}
	}
	return sideBySide(left, right, listW, 2, h)
}

// line is one service: selection mark, id and name, then with tagged
// its service model, in a column as wide as the widest model (abbreviated
// when the list is narrow), so that the names line up. Under the group
// headings the heading names the model, and the name has that room.
func (s *servicesScreen) line(m *Model, svc model.Service, on, current, tagged bool, idW, w int) string {
	mark := "[ ]"
	if on {
		mark = "[x]"
	}
	if m.isDraft("services/" + svc.ID) {
		mark = "[!]"
	}
	var tag string
	tagW := 0 // the model's column, with the space before it
	if tagged {
		tag, tagW = string(svc.Model), 1+len(model.ModelInfrastructure)
		if w < 48 {
			tag, tagW = map[model.ServiceModel]string{model.ModelInfrastructure: "infra.", model.ModelContainer: "contr.", model.ModelAbstracted: "abstr."}[svc.Model], 1+6
		}
		tag = " " + cell(tag, tagW-1)
	}
	nameW := max(0, w-1-len(mark)-1-idW-1-tagW)
	name := cell(svc.Name, nameW)
	if tagged {
		name += strings.Repeat(" ", max(0, nameW-width(name)))
	}
	line := fmt.Sprintf("%s %-*s %s%s", mark, idW, cell(svc.ID, idW), name, tag)
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
