package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// reviewScreen lists gaps and risks and takes sign-offs.
type reviewScreen struct {
	cursor  int
	signing bool
	input   textinput.Model
}

func (r *reviewScreen) typing() bool { return r.signing }

func (r *reviewScreen) gaps(m *Model) []model.Gap {
	out := make([]model.Gap, 0, len(m.review.Gaps))
	for rank := 0; rank < 3; rank++ { // high risk first, catalog order within
		for _, g := range m.review.Gaps {
			if g.Risk.Rank() == rank {
				out = append(out, g)
			}
		}
	}
	return out
}

func (r *reviewScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if m.a == nil {
		return nil
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if r.signing {
		if isKey && k.String() == "esc" {
			r.signing = false
			return nil
		}
		if isKey && k.String() == "enter" {
			meaning := strings.TrimSpace(r.input.Value())
			if meaning == "" {
				m.setError("NOT SAVED: say what the signature means, e.g. reviewed and approved")
				return nil
			}
			id := m.a.ID
			return m.save("signed: "+meaning, func(st Store) (model.Assessment, error) {
				return st.SignOff(id, model.SignOff{Meaning: meaning})
			}, func(m *Model) { m.reviewS.signing = false })
		}
		var cmd tea.Cmd
		r.input, cmd = r.input.Update(msg)
		return cmd
	}
	if !isKey {
		return nil
	}
	gaps := r.gaps(m)
	switch {
	case key.Matches(k, m.keys.Up):
		r.cursor = max(0, r.cursor-1)
	case key.Matches(k, m.keys.Down):
		r.cursor = min(len(gaps)-1, r.cursor+1)
	case key.Matches(k, m.keys.Enter):
		if r.cursor < len(gaps) {
			g := gaps[r.cursor]
			if g.Control != "" {
				m.enter(screenQuestions)
				m.questions.jump(g.Control)
			} else {
				m.enter(screenSupplier)
			}
		}
	case key.Matches(k, m.keys.Sign):
		r.signing = true
		r.input = newInput("")
		r.input.Placeholder = "meaning, e.g. reviewed and approved as quality assurance"
		return r.input.Focus()
	case key.Matches(k, m.keys.Workflow):
		next := map[model.Workflow]model.Workflow{model.WorkflowDraft: model.WorkflowInReview, model.WorkflowInReview: model.WorkflowFinal, model.WorkflowFinal: model.WorkflowDraft}[m.a.Workflow]
		if next == "" {
			next = model.WorkflowInReview
		}
		id := m.a.ID
		return m.save("workflow "+string(next), func(st Store) (model.Assessment, error) { return st.SetWorkflow(id, next, "") }, nil)
	case key.Matches(k, m.keys.Export):
		m.enter(screenHome)
		m.home.mode = homeExport
		m.home.export = newExportForm(m, m.a.ID, m.a.Name)
		return tea.Batch(m.loadSummaries(), m.home.export.input.Focus())
	case key.Matches(k, m.keys.Back):
		m.enter(screenQuestions)
	}
	return nil
}

func (r *reviewScreen) keys(m *Model) []key.Binding {
	k := m.keys
	if r.signing {
		return []key.Binding{k.Enter, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Enter, k.Sign, k.Workflow, k.Export}
}

func (r *reviewScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	rv := m.review
	var lines []string
	lines = append(lines, st.Title.Render("Review")+st.Muted.Render(fmt.Sprintf("  workflow: %s · %d sign-offs", m.a.Workflow, len(m.a.SignOffs))))
	lines = append(lines, fmt.Sprintf("Answered %d of %d · implemented %d · partial %d · planned %d · not implemented %d · n/a %d",
		rv.Answered, len(rv.Applicable), rv.ByStatus[model.StatusImplemented], rv.ByStatus[model.StatusPartial],
		rv.ByStatus[model.StatusPlanned], rv.ByStatus[model.StatusNotImplemented], rv.ByStatus[model.StatusNotApplicable]))
	lines = append(lines, fmt.Sprintf("Responsibility: %s %d · %s %d · %s %d",
		st.ownerBadge(model.Customer), rv.ByResponsibility[model.Customer], st.ownerBadge(model.Shared), rv.ByResponsibility[model.Shared],
		st.ownerBadge(model.Inherited), rv.ByResponsibility[model.Inherited]))
	lines = append(lines, fmt.Sprintf("Risks: ▲ high %d · ■ medium %d · ▽ low %d", rv.RiskCounts[model.RiskHigh], rv.RiskCounts[model.RiskMedium], rv.RiskCounts[model.RiskLow]))
	for _, s := range m.a.SignOffs {
		lines = append(lines, st.Muted.Render(cell(fmt.Sprintf("signed by %s at %s UTC: %s", s.By, s.At.UTC().Format("2006-01-02 15:04"), s.Meaning), w)))
	}
	if r.signing {
		in := r.input
		in.SetWidth(max(5, w-30))
		lines = append(lines, st.Title.Render("Sign off as "+cell(m.a.CreatedBy, 20)+" — what does it mean? ")+in.View())
	}
	lines = append(lines, "", st.Title.Render(fmt.Sprintf("Gaps (%d)", len(rv.Gaps)))+st.Muted.Render("  enter opens the question"))
	gaps := r.gaps(m)
	rows := h - len(lines)
	off := scrollOffset(r.cursor, 0, rows, len(gaps))
	for i := off; i < len(gaps) && i < off+rows; i++ {
		g := gaps[i]
		mark := map[model.Risk]string{model.RiskHigh: "▲ high  ", model.RiskMedium: "■ medium", model.RiskLow: "▽ low   "}[g.Risk]
		subject := g.Control
		if subject == "" {
			subject = g.Source
		} else if c, ok := m.cfg.Catalog.Control(g.Control); ok {
			subject += " " + c.Title
		}
		line := fmt.Sprintf("%s %-24s %s", mark, string(g.Kind), subject+" — "+g.Detail)
		if i == r.cursor {
			lines = append(lines, st.Selected.Render(cell("▸ "+line, w)))
		} else {
			lines = append(lines, cell("  "+line, w))
		}
	}
	if len(gaps) == 0 {
		lines = append(lines, "No gaps: every applicable control is answered, evidenced and current.")
	}
	return strings.Join(lines, "\n")
}
