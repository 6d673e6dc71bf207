package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

type homeMode int

const (
	homeBrowse homeMode = iota
	homeFilter
	homeNewName
	homeConfirmDelete
	homeExport
)

// homeScreen lists the assessments.
type homeScreen struct {
	cursor int
	mode   homeMode
	filter string
	input  textinput.Model
	export exportForm
}

func newHomeScreen() homeScreen {
	return homeScreen{input: newInput("")}
}

func newInput(value string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	// A steady cursor: no blink timer to redraw for, and calmer on a projector.
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	ti.CharLimit = 200
	ti.SetValue(safetext.Line(value))
	return ti
}

func (h *homeScreen) typing() bool {
	return h.mode == homeFilter || h.mode == homeNewName || h.mode == homeExport
}

func (h *homeScreen) visible(m *Model) []model.Summary {
	if h.filter == "" {
		return m.summaries
	}
	var out []model.Summary
	for _, s := range m.summaries {
		if fuzzy(h.filter, s.Name+" "+s.System+" "+s.Organisation) {
			out = append(out, s)
		}
	}
	return out
}

func (h *homeScreen) clamp(n int) {
	h.cursor = max(0, min(h.cursor, n-1))
}

func (h *homeScreen) selected(m *Model) (model.Summary, bool) {
	v := h.visible(m)
	if h.cursor < 0 || h.cursor >= len(v) {
		return model.Summary{}, false
	}
	return v[h.cursor], true
}

func (h *homeScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	k, isKey := msg.(tea.KeyPressMsg)
	switch h.mode {
	case homeFilter:
		if isKey && (k.String() == "enter" || k.String() == "esc") {
			if k.String() == "esc" {
				h.filter = ""
			}
			h.mode = homeBrowse
			h.input.Blur()
			return nil
		}
		var cmd tea.Cmd
		h.input, cmd = h.input.Update(msg)
		h.filter = h.input.Value()
		h.cursor = 0
		return cmd
	case homeNewName:
		if isKey && k.String() == "esc" {
			h.mode = homeBrowse
			h.input.Blur()
			return nil
		}
		if isKey && k.String() == "enter" {
			name := strings.TrimSpace(h.input.Value())
			if name == "" {
				m.setError("NOT SAVED: an assessment needs a name")
				return nil
			}
			cat := m.catalog()
			a := model.Assessment{Name: name, Scope: model.Scope{Impact: model.ImpactDirect},
				Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}}
			// The form stays open, with the name, until the store has it.
			return m.action("created "+name, func(s Store) (model.Assessment, error) { return s.Create(a) },
				func(m *Model, a model.Assessment) {
					m.home.mode = homeBrowse
					m.home.input.Blur()
					m.questions = questionsScreen{}
					m.setAssessment(a)
					m.enter(screenScope)
				})
		}
		var cmd tea.Cmd
		h.input, cmd = h.input.Update(msg)
		return cmd
	case homeConfirmDelete:
		if !isKey {
			return nil
		}
		h.mode = homeBrowse
		if s, ok := h.selected(m); ok && key.Matches(k, m.keys.Yes) {
			id := s.ID
			return m.action("deleted "+s.Name+" (restore with onus restore "+id+")", func(st Store) (model.Assessment, error) {
				return st.Delete(id, "deleted from the wizard")
			}, nil)
		}
		return nil
	case homeExport:
		done, cmd := h.export.update(m, msg)
		if done {
			h.mode = homeBrowse
		}
		return cmd
	}
	if !isKey {
		return nil
	}
	n := len(h.visible(m))
	switch {
	case key.Matches(k, m.keys.Up):
		h.cursor = max(0, h.cursor-1)
	case key.Matches(k, m.keys.Down):
		h.cursor = max(0, min(n-1, h.cursor+1))
	case key.Matches(k, m.keys.Filter):
		h.mode = homeFilter
		h.input = newInput(h.filter)
		return h.input.Focus()
	case key.Matches(k, m.keys.Back):
		h.filter = ""
	case key.Matches(k, m.keys.New):
		h.mode = homeNewName
		h.input = newInput("")
		h.input.Placeholder = "e.g. LIMS on AWS"
		return h.input.Focus()
	case key.Matches(k, m.keys.Enter):
		if s, ok := h.selected(m); ok {
			to := screenScope
			if s.Services > 0 {
				to = screenQuestions
			}
			return m.open(s.ID, to)
		}
	case key.Matches(k, m.keys.Duplicate):
		if s, ok := h.selected(m); ok {
			id, name := s.ID, s.Name+" (baseline)"
			return m.action("duplicated as "+name, func(st Store) (model.Assessment, error) { return st.Duplicate(id, name) }, nil)
		}
	case key.Matches(k, m.keys.Delete):
		if _, ok := h.selected(m); ok {
			h.mode = homeConfirmDelete
		}
	case key.Matches(k, m.keys.Export):
		if s, ok := h.selected(m); ok {
			h.mode = homeExport
			h.export = newExportForm(m, s.ID, s.Name)
			return h.export.input.Focus()
		}
	}
	return nil
}

func (h *homeScreen) keys(m *Model) []key.Binding {
	k := m.keys
	switch h.mode {
	case homeFilter, homeNewName:
		return []key.Binding{k.Enter, k.Back}
	case homeConfirmDelete:
		return []key.Binding{k.Yes, k.No}
	case homeExport:
		save := k.Enter
		save.SetHelp("enter", "write the file")
		format := k.Choose
		format.SetHelp("←/→", "format")
		return []key.Binding{format, save, k.Back}
	}
	open := k.Enter
	open.SetHelp("enter", "open")
	return []key.Binding{k.Move, open, k.New, k.Filter, k.Duplicate, k.Delete, k.Export}
}

func (h *homeScreen) view(m *Model, w, ht int) string {
	st := m.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Assessments"))
	if h.filter != "" || h.mode == homeFilter {
		fmt.Fprintf(&b, "   filter: %s", h.inputView(homeFilter))
	}
	b.WriteString("\n\n")
	switch h.mode {
	case homeNewName:
		b.WriteString("Name of the new assessment: " + h.input.View() + "\n")
		b.WriteString(st.Muted.Render("enter creates it and opens the scope; esc cancels") + "\n\n")
	case homeConfirmDelete:
		if s, ok := h.selected(m); ok {
			b.WriteString(st.Warn.Render(fmt.Sprintf("Delete %q? y deletes, n keeps it. (It stays in the file and its trail: onus restore brings it back.)", safetext.Line(s.Name))) + "\n\n")
		}
	case homeExport:
		b.WriteString(h.export.view(m, w) + "\n\n")
	}
	list := h.visible(m)
	if len(m.summaries) == 0 {
		b.WriteString("No assessments yet. Press n to start one.\n\n")
		b.WriteString(st.Muted.Render("An assessment records, for every control that applies to your solution on AWS,\nwho is responsible, who supplies the evidence, and your answer."))
		return b.String()
	}
	nameW := max(10, (w-40)/2)
	sysW := max(8, w-nameW-42)
	header := fmt.Sprintf("  %-*s %-*s %-10s %-9s %s", nameW, "NAME", sysW, "SYSTEM", "STATUS", "PROGRESS", "LAST CHANGE")
	b.WriteString(st.Muted.Render(header) + "\n")
	rows := ht - strings.Count(b.String(), "\n") - 1
	off := scrollOffset(h.cursor, 0, rows, len(list))
	for i := off; i < len(list) && i < off+rows; i++ {
		s := list[i]
		line := fmt.Sprintf("%-*s %-*s %-10s %4d/%-4d %s", nameW, cell(s.Name, nameW), sysW, cell(s.System, sysW),
			s.Workflow, s.Answered, s.Applicable, s.UpdatedAt.Local().Format("2006-01-02 15:04"))
		if i == h.cursor {
			b.WriteString(st.Selected.Render("▸ "+line) + "\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	if len(list) == 0 {
		b.WriteString(st.Muted.Render("  nothing matches the filter") + "\n")
	}
	return b.String()
}

func (h *homeScreen) inputView(mode homeMode) string {
	if h.mode == mode {
		return h.input.View()
	}
	return safetext.Line(h.filter)
}
