package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// paletteDialog jumps anywhere by typing: to a control (by id, title or
// question), a service, a piece of evidence in the register, an AWS
// report, a step, or, on the home screen, an assessment. The jump is a move like any other: esc comes back.
type paletteDialog struct {
	query  lineField
	items  []jumpItem
	cursor int
	rows   int
	narrow narrowing
	all    []int // every item, while nothing is typed
	kindW  int   // the widest kind, worked out once
}

type jumpItem struct {
	kind, label string
	text        string // what the query is matched against, lower case
	to          func(m *Model) tea.Cmd
}

func (m *Model) openPalette() tea.Cmd {
	p := &paletteDialog{query: newLineField("Jump", "", 200), items: m.jumpItems()}
	m.openDialog(p)
	return p.query.focus()
}

// jumpItems are the places the palette offers, in the order the wizard
// shows them.
func (m *Model) jumpItems() []jumpItem {
	var out []jumpItem
	add := func(kind, label, text string, to func(m *Model) tea.Cmd) {
		out = append(out, jumpItem{kind: kind, label: label, text: strings.ToLower(kind + " " + label + " " + text), to: to})
	}
	if m.a == nil {
		for _, s := range m.summaries {
			id := s.ID
			add("assessment", s.Name, s.System+" "+s.Organisation+" "+s.ID, func(m *Model) tea.Cmd { return m.openByID(id) })
		}
		return out
	}
	for _, s := range m.steps()[1:] {
		p := place{screen: s.id}
		add("step", s.name, "", func(m *Model) tea.Cmd { return m.goTo(p) })
	}
	for _, v := range views {
		p := place{screen: v.id}
		add("view", v.name, "", func(m *Model) tea.Cmd { return m.goTo(p) })
	}
	cat := m.catalog()
	for _, id := range m.questions.order {
		c, _ := cat.Control(id)
		var refs []string
		for _, r := range c.Refs {
			refs = append(refs, r.String())
		}
		p := place{screen: screenQuestions, at: id}
		add("control", c.ID+" "+c.Title, c.Question+" "+strings.Join(refs, " "), func(m *Model) tea.Cmd {
			m.questions.clearFilter()
			return m.goTo(p)
		})
	}
	for _, svc := range cat.Services {
		p := place{screen: screenServices, at: svc.ID}
		add("service", svc.ID+" "+svc.Name, string(svc.Category), func(m *Model) tea.Cmd {
			m.services.clearFilter()
			return m.goTo(p)
		})
	}
	for _, it := range m.review.Register {
		p := place{screen: screenEvidence, at: it.ID}
		add("evidence", it.ID+" "+it.Title, it.DocumentID+" "+it.Location, func(m *Model) tea.Cmd {
			m.evidence.filter.clear()
			return m.goTo(p)
		})
	}
	for _, src := range cat.AWSSources() {
		p := place{screen: screenSupplier, at: src.ID}
		add("AWS report", src.Name, src.ID, func(m *Model) tea.Cmd {
			m.supplier.filter.clear()
			return m.goTo(p)
		})
	}
	return out
}

// matches are the items with every word of the query, as indexes into
// p.items.
func (p *paletteDialog) matches() []int {
	terms := strings.Fields(strings.ToLower(p.query.text()))
	if len(terms) == 0 {
		if p.all == nil {
			p.all = make([]int, len(p.items))
			for i := range p.all {
				p.all[i] = i
			}
		}
		return p.all
	}
	return narrowRows(&p.narrow, p.items, func(it jumpItem) string { return it.text }, strings.ToLower(p.query.text()),
		func(text string) bool { return containsAll(text, terms) }, nil)
}

// containsAll reports whether s (lower case) holds every term.
func containsAll(s string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return true
}

func (p *paletteDialog) title() string { return "Jump to" }
func (p *paletteDialog) typing() bool  { return true }

// paletteRows is as many results as the palette shows at most: enough to
// pick from, little enough to keep the screen in sight above it.
const paletteRows = 10

func (p *paletteDialog) setSize(_ *Model, w, h int) {
	p.query.setWidth(w - 2)
	p.rows = max(1, min(paletteRows, h-3))
}

func (p *paletteDialog) actions(m *Model) []action {
	k := m.keys
	move := func(d int) func(*Model, tea.KeyPressMsg) tea.Cmd {
		return func(*Model, tea.KeyPressMsg) tea.Cmd {
			p.cursor = max(0, min(len(p.matches())-1, p.cursor+d))
			return nil
		}
	}
	up, down := k.PrevField, k.NextField
	up.SetKeys("up", "shift+tab")
	up.SetHelp("↑", "previous")
	down.SetKeys("down", "tab")
	down.SetHelp("↓", "next")
	return []action{
		act(up, move(-1)), act(down, move(+1)),
		quiet(act(k.PageUp, move(-p.rows))), quiet(act(k.PageDown, move(p.rows))),
		actAs(k.Save, "go there", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			hits := p.matches()
			if p.cursor >= len(hits) {
				m.flashError("nothing matches " + safetext.Line(p.query.text()))
				return nil
			}
			m.closeDialog()
			return p.items[hits[p.cursor]].to(m)
		}),
		actAs(k.Cancel, "close", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.closeDialog(); return nil }),
	}
}

func (p *paletteDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	before := p.query.text()
	cmd := p.query.update(m, msg)
	if p.query.text() != before {
		p.cursor = 0
	}
	return cmd
}

func (p *paletteDialog) view(m *Model, w, h int) string {
	st := m.styles
	hits := p.matches()
	lines := []string{"> " + p.query.view(w-2), ""}
	rows := max(1, min(paletteRows, h-3))
	off := scrollOffset(p.cursor, 0, rows, len(hits))
	if p.kindW == 0 {
		for _, it := range p.items {
			p.kindW = max(p.kindW, len(it.kind))
		}
	}
	kindW := p.kindW
	for i := off; i < len(hits) && i < off+rows; i++ {
		it := p.items[hits[i]]
		line := fmt.Sprintf("%-*s  %s", kindW, it.kind, cell(it.label, max(1, w-kindW-4)))
		if i == p.cursor {
			lines = append(lines, st.Selected.Render("▸ "+line))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	if len(hits) == 0 {
		lines = append(lines, st.Muted.Render("  nothing matches"))
	}
	for len(lines) < rows+2 {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, st.Muted.Render(fmt.Sprintf("%d of %d · type to narrow · enter goes there · esc closes", len(hits), len(p.items)))), "\n")
}

// openByID opens an assessment from the home list by its id.
func (m *Model) openByID(id string) tea.Cmd {
	v := m.home.visible(m)
	for i := range v.len() {
		if v.at(i).ID == id {
			m.home.cursor = i
		}
	}
	return m.open(id)
}

// placeOf is the default place of an assessment that has none kept: the
// scope until services are chosen, then the first question not answered.
func placeOf(m *Model, a model.Assessment) place {
	if len(a.Services) == 0 {
		return place{screen: screenScope}
	}
	return place{screen: screenQuestions, at: m.questions.firstUnanswered(m)}
}
