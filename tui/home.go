package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// homeScreen lists the assessments.
type homeScreen struct {
	plainScreen
	cursor int
	filter listFilter
	rows   int // list rows on screen, for pgup/pgdn
	narrow narrowing
	sys    struct { // the system column's width, worked out once per list
		of    []model.Summary
		width int
	}
}

func newHomeScreen() homeScreen { return homeScreen{filter: newFilter()} }

func (h *homeScreen) typing() bool { return h.filter.on }

// shown is the assessments the filter leaves: all of the list, or the
// rows it keeps.
type shown struct {
	all      []model.Summary
	rows     []int // with filtered, indexes into all
	filtered bool
}

func (s shown) len() int {
	if s.filtered {
		return len(s.rows)
	}
	return len(s.all)
}

func (s shown) at(i int) model.Summary {
	if s.filtered {
		return s.all[s.rows[i]]
	}
	return s.all[i]
}

func (h *homeScreen) visible(m *Model) shown {
	if !h.filter.active() {
		return shown{all: m.summaries}
	}
	terms := h.filter.terms()
	rows := narrowRows(&h.narrow, m.summaries, func(s model.Summary) string {
		return s.Name + " " + s.System + " " + s.Organisation + " " + string(s.Workflow)
	}, strings.ToLower(h.filter.text()), func(text string) bool { return containsAll(text, terms) }, nil)
	return shown{all: m.summaries, rows: rows, filtered: true}
}

// relist takes a new list, the cursor staying on the same assessment.
func (h *homeScreen) relist(m *Model, list []model.Summary) {
	was, _ := h.selected(m)
	m.summaries = list
	v := h.visible(m)
	for i := range v.len() {
		if v.at(i).ID == was.ID {
			h.cursor = i
			break
		}
	}
	h.cursor = max(0, min(h.cursor, v.len()-1))
}

func (h *homeScreen) selected(m *Model) (model.Summary, bool) {
	v := h.visible(m)
	if h.cursor < 0 || h.cursor >= v.len() {
		return model.Summary{}, false
	}
	return v.at(h.cursor), true
}

// systemWidth is what the longest system name of the list needs: of the
// whole list, so that the columns stay put while a filter narrows it.
func (h *homeScreen) systemWidth(m *Model) int {
	if len(m.summaries) > 0 && len(h.sys.of) == len(m.summaries) && &h.sys.of[0] == &m.summaries[0] {
		return h.sys.width
	}
	h.sys.of, h.sys.width = m.summaries, 6
	for _, s := range m.summaries {
		h.sys.width = max(h.sys.width, width(safetext.Line(s.System)))
	}
	return h.sys.width
}

func (h *homeScreen) setSize(_ *Model, w, ht int) {
	h.filter.setWidth(w - 14)
	h.rows = max(1, ht-4)
}

func (h *homeScreen) actions(m *Model) []action {
	k := m.keys
	refilter := func(m *Model) { h.cursor = 0 }
	if h.filter.on {
		return h.filter.actions(m, refilter)
	}
	if len(m.summaries) == 0 {
		return []action{editing(act(k.New, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openNewAssessment("", restored{}) }))}
	}
	acts := listKeys(k, &h.cursor, h.visible(m).len(), h.rows, nil)
	acts = append(acts,
		actAs(k.Open, "open", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return h.openSelected(m) }),
		editing(act(k.New, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openNewAssessment("", restored{}) })),
		h.filter.openAction(m),
		editing(act(k.Duplicate, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			s, ok := h.selected(m)
			if !ok {
				return nil
			}
			id, name := s.ID, s.Name+" (baseline)"
			return m.action("duplicated as "+name, nil, func(st Store) (model.Assessment, error) { return st.Duplicate(id, name) }, nil)
		})),
		editing(act(k.Delete, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			s, ok := h.selected(m)
			if !ok {
				return nil
			}
			id, name := s.ID, s.Name
			m.confirm("Delete?", fmt.Sprintf("Delete %q? It stays in the file with its audit trail: onus restore %s brings it back.", safetext.Line(name), id),
				func(m *Model) tea.Cmd {
					return m.action("deleted "+name+" (restore with onus restore "+id+")", nil, func(st Store) (model.Assessment, error) {
						return st.Delete(id, "deleted from the wizard")
					}, nil)
				})
			return nil
		})),
		act(k.Export, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if s, ok := h.selected(m); ok {
				return m.openExport(s.ID, s.Name)
			}
			return nil
		}),
	)
	if h.filter.active() {
		acts = append(acts, h.filter.clearAction(m, refilter))
	}
	return acts
}

func (h *homeScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if !h.filter.on {
		return nil
	}
	changed, cmd := h.filter.update(m, msg)
	if changed {
		h.cursor = 0
	}
	return cmd
}

func (h *homeScreen) openSelected(m *Model) tea.Cmd {
	if s, ok := h.selected(m); ok {
		return m.open(s.ID)
	}
	return nil
}

func (h *homeScreen) view(m *Model, hs *hits, w, ht int) string {
	st := m.styles
	head := st.Title.Render("Assessments")
	list := h.visible(m)
	if h.filter.active() {
		head += "   " + h.filter.view(m, w-14) + st.Muted.Render(fmt.Sprintf("  %d of %d", list.len(), len(m.summaries)))
	}
	lines := []string{head, ""}
	if !m.listedOnce {
		return strings.Join(lines, "\n") // not read yet: no claim either way
	}
	if len(m.summaries) == 0 {
		lines = append(lines, "No assessments yet. Press n to start one.", "")
		lines = append(lines, st.Muted.Render("An assessment records, for every control that applies to your solution on AWS,"),
			st.Muted.Render("who is responsible, who supplies the evidence, and your answer."))
		return strings.Join(lines, "\n")
	}
	// Fixed columns first; the name takes what is left, the system up to
	// what its longest value needs.
	const statusW, progressW, changeW = 10, 9, 16
	sysW := h.systemWidth(m)
	rest := w - 2 - statusW - progressW - changeW - 4
	sysW = min(sysW, max(6, rest/3))
	nameW := max(8, rest-sysW-1)
	row := func(name, system, status, progress, change string) string {
		return fmt.Sprintf("%-*s %-*s %-*s %-*s %s", nameW, name, sysW, system, statusW, status, progressW, progress, change)
	}
	lines = append(lines, st.Muted.Render("  "+row("NAME", "SYSTEM", "STATUS", "PROGRESS", "LAST CHANGE")))
	rows := max(1, ht-len(lines))
	off := scrollOffset(h.cursor, 0, rows, list.len())
	for i := off; i < list.len() && i < off+rows; i++ {
		s := list.at(i)
		line := row(cell(s.Name, nameW), cell(s.System, sysW), string(s.Workflow),
			fmt.Sprintf("%4d/%-4d", s.Answered, s.Applicable), s.UpdatedAt.Local().Format("2006-01-02 15:04"))
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd {
			if m.home.cursor == i {
				return m.home.openSelected(m)
			}
			m.home.cursor = i
			return nil
		})
		if i == h.cursor {
			lines = append(lines, st.Selected.Render("▸ "+line))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	if list.len() == 0 {
		lines = append(lines, st.Muted.Render("  nothing matches the filter (esc clears it)"))
	}
	if n := list.len(); n > rows {
		lines = append(lines[:min(len(lines), ht-1)], st.Muted.Render(fmt.Sprintf("  %d–%d of %d", off+1, min(n, off+rows), n)))
	}
	return strings.Join(lines, "\n")
}

// newAssessmentDialog asks for the new assessment's name.
type newAssessmentDialog struct {
	name lineField
	from restored
}

// restored marks a form reopened from a draft: when it was kept.
type restored struct{ at time.Time }

func (r restored) banner(m *Model) string {
	if r.at.IsZero() {
		return ""
	}
	return m.styles.NotSaved.Render("UNSAVED DRAFT") + m.styles.Warn.Render(" from "+r.at.Local().Format("2006-01-02 15:04")+
		": enter saves it, esc discards it")
}

const formNewAssessment = "new"

func (m *Model) openNewAssessment(name string, r restored) tea.Cmd {
	d := &newAssessmentDialog{name: newLineField("Name", "", store.MaxNameBytes), from: r}
	d.name.set(name)
	m.openDialog(d)
	return d.name.focus()
}

func (d *newAssessmentDialog) title() string { return "New assessment" }
func (d *newAssessmentDialog) typing() bool  { return true }

func (d *newAssessmentDialog) setSize(_ *Model, w, _ int) { d.name.setWidth(w - 6) }

func (d *newAssessmentDialog) draft() *store.Draft {
	if d.name.text() == "" {
		return nil
	}
	return &store.Draft{Form: formNewAssessment, Fields: []string{d.name.text()}}
}

func (d *newAssessmentDialog) actions(m *Model) []action {
	k := m.keys
	return []action{
		actAs(k.Save, "create and open it", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			name := d.name.value()
			if name == "" {
				m.flashError("NOT SAVED: an assessment needs a name")
				return nil
			}
			m.closeDialog()
			cat := m.catalog()
			a := model.Assessment{Name: name, Scope: model.Scope{Impact: model.ImpactDirect},
				Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}}
			// The command that creates it works out its resolution too
			// (onOK reads it once the command is done).
			var resolved *model.Resolved
			return m.submit(saveJob{what: "created " + name, blocks: true,
				run: func(s Store) (model.Assessment, error) {
					a, err := s.Create(a)
					if err == nil {
						resolved = cat.ResolveAll(a.Scope, a.Services)
					}
					return a, err
				},
				onOK: func(m *Model, a model.Assessment) {
					m.state.read(a.ID, store.WizardState{})
					m.openAssessment(a, resolved, func(*Model) place { return place{screen: screenScope} })
				}})
		}),
		m.cancelAction(d.name.changed()),
	}
}

func (d *newAssessmentDialog) update(m *Model, msg tea.Msg) tea.Cmd { return d.name.update(m, msg) }

func (d *newAssessmentDialog) view(m *Model, w, _ int) string {
	lines := []string{}
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	lines = append(lines, "Name: "+d.name.view(w-6), m.styles.Muted.Render("for example: LIMS on AWS · enter creates it and opens its scope"))
	return strings.Join(lines, "\n")
}

// cancelAction is esc in a form: it closes the form, asking first when
// text was typed, which would otherwise be lost.
func (m *Model) cancelAction(typed bool) action {
	return actAs(m.keys.Cancel, "cancel", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
		if !typed {
			m.closeDialog()
			return nil
		}
		m.confirm("Discard?", "Discard what you typed? y discards it; n or esc goes back to it.", func(m *Model) tea.Cmd {
			m.closeDialog()
			return nil
		})
		return nil
	})
}
