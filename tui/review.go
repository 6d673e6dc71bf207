package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// reviewScreen shows the gaps, the risk and responsibility summaries, and
// takes sign-offs and workflow steps.
type reviewScreen struct {
	cursor  int
	signing bool
	field   int                // 0 meaning, 1 role
	inputs  [2]textinput.Model // meaning, role
}

// nextWorkflow is the step w takes: draft → in review → final → draft.
var nextWorkflow = map[model.Workflow]model.Workflow{
	model.WorkflowDraft: model.WorkflowInReview, model.WorkflowInReview: model.WorkflowFinal, model.WorkflowFinal: model.WorkflowDraft,
}

// matrixStatuses are the risk matrix's columns, worst first.
var matrixStatuses = []model.Status{model.StatusUnanswered, model.StatusNotImplemented, model.StatusPartial, model.StatusPlanned, model.StatusImplemented, model.StatusNotApplicable}

var riskMarks = map[model.Risk]string{model.RiskHigh: "▲ high  ", model.RiskMedium: "■ medium", model.RiskLow: "▽ low   "}

func (r *reviewScreen) typing() bool { return r.signing }

// gaps lists the review's gaps, high risk first, catalog order within.
func (r *reviewScreen) gaps(m *Model) []model.Gap {
	out := make([]model.Gap, 0, len(m.review.Gaps))
	for rank := 0; rank < 3; rank++ {
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
	if r.signing {
		return r.updateSign(m, msg)
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if !isKey {
		return nil
	}
	gaps := r.gaps(m)
	switch {
	case key.Matches(k, m.keys.Up):
		r.cursor = max(0, r.cursor-1)
	case key.Matches(k, m.keys.Down):
		r.cursor = max(0, min(len(gaps)-1, r.cursor+1))
	case key.Matches(k, m.keys.PageUp):
		r.cursor = max(0, r.cursor-10)
	case key.Matches(k, m.keys.PageDown):
		r.cursor = max(0, min(len(gaps)-1, r.cursor+10))
	case key.Matches(k, m.keys.Enter):
		if r.cursor < len(gaps) {
			if g := gaps[r.cursor]; g.Control != "" {
				m.enter(screenQuestions)
				m.questions.jump(g.Control)
			} else {
				m.enter(screenSupplier)
				m.supplier.jump(m, g.Source)
			}
		}
	case key.Matches(k, m.keys.Sign):
		r.signing, r.field = true, 0
		r.inputs[0] = newInput("")
		r.inputs[0].Placeholder = "e.g. reviewed and approved"
		r.inputs[1] = newInput("")
		r.inputs[1].Placeholder = "e.g. QA reviewer"
		return r.inputs[0].Focus()
	case key.Matches(k, m.keys.Workflow):
		next := nextWorkflow[m.a.Workflow]
		if next == "" {
			next = model.WorkflowInReview
		}
		id := m.a.ID
		return m.action("workflow "+string(next), func(st Store) (model.Assessment, error) { return st.SetWorkflow(id, next, "") }, nil)
	case key.Matches(k, m.keys.Export):
		id, name := m.a.ID, m.a.Name
		m.enter(screenHome)
		m.home.mode = homeExport
		m.home.export = newExportForm(m, id, name)
		return tea.Batch(m.loadSummaries(), m.home.export.input.Focus())
	case key.Matches(k, m.keys.Back):
		m.enter(screenQuestions)
	}
	return nil
}

func (r *reviewScreen) updateSign(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			r.signing = false
			return nil
		case "up", "down", "tab", "shift+tab":
			r.inputs[r.field].Blur()
			r.field = 1 - r.field
			return r.inputs[r.field].Focus()
		case "enter":
			meaning, role := strings.TrimSpace(r.inputs[0].Value()), strings.TrimSpace(r.inputs[1].Value())
			if meaning == "" {
				m.setError("NOT SAVED: say what the signature means, e.g. reviewed and approved")
				return nil
			}
			id := m.a.ID
			// A signature is an act: on failure it is not retried behind the
			// signer's back; the form stays open for them to sign again.
			return m.action("signed: "+meaning, func(st Store) (model.Assessment, error) {
				return st.SignOff(id, model.SignOff{Meaning: meaning, Role: role})
			}, func(m *Model, _ model.Assessment) { m.reviewS.signing = false })
		}
	}
	var cmd tea.Cmd
	r.inputs[r.field], cmd = r.inputs[r.field].Update(msg)
	return cmd
}

func (r *reviewScreen) keys(m *Model) []key.Binding {
	k := m.keys
	if r.signing {
		sign := k.Enter
		sign.SetHelp("enter", "sign")
		return []key.Binding{k.FieldUp, k.FieldDown, sign, k.Back}
	}
	open := k.Enter
	open.SetHelp("enter", "open")
	return []key.Binding{k.Move, open, k.Sign, k.Workflow, k.Export, k.Back}
}

func (r *reviewScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	rv := m.review
	lines := []string{
		st.Title.Render("Review") + st.Muted.Render(fmt.Sprintf("  workflow: %s · sign-offs: %d · answered %d of %d",
			m.a.Workflow, len(m.a.SignOffs), rv.Answered, len(rv.Applicable))),
		fmt.Sprintf("Responsibility  %s %d · %s %d · %s %d",
			st.ownerBadge(model.Customer), rv.ByResponsibility[model.Customer], st.ownerBadge(model.Shared), rv.ByResponsibility[model.Shared],
			st.ownerBadge(model.Inherited), rv.ByResponsibility[model.Inherited]),
		"",
	}
	lines = append(lines, r.matrix(m, w)...)
	lines = append(lines, st.Muted.Render(cell("S signs off · w moves the workflow: draft → in-review → final · x exports", w)), "")
	if n := len(m.a.SignOffs); n > 0 {
		s := m.a.SignOffs[n-1]
		by := s.By
		if s.Role != "" {
			by += " (" + s.Role + ")"
		}
		lines = append(lines, cell(fmt.Sprintf("Last sign-off: %s, %s UTC: %s", by, s.At.UTC().Format("2006-01-02 15:04"), s.Meaning), w))
	}
	if r.signing {
		lines = append(lines, r.signView(m, w)...)
	}
	lines = append(lines, st.Title.Render(fmt.Sprintf("Gaps (%d)", len(rv.Gaps)))+
		st.Muted.Render(fmt.Sprintf("  ▲ high %d · ■ medium %d · ▽ low %d · enter opens it",
			rv.RiskCounts[model.RiskHigh], rv.RiskCounts[model.RiskMedium], rv.RiskCounts[model.RiskLow])))
	gaps := r.gaps(m)
	rows := max(1, h-len(lines))
	off := scrollOffset(r.cursor, 0, rows, len(gaps))
	for i := off; i < len(gaps) && i < off+rows; i++ {
		g := gaps[i]
		subject := g.Control
		if subject == "" {
			subject = g.Source
		} else if c, ok := m.catalog().Control(g.Control); ok {
			subject += " " + c.Title
		}
		line := fmt.Sprintf("%s %-16s %s", riskMarks[g.Risk], gapLabel(g.Kind), subject+" — "+g.Detail)
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

// gapLabel names a kind of gap in at most sixteen cells.
func gapLabel(k model.GapKind) string {
	switch k {
	case model.GapStaleSupplier:
		return "stale evidence"
	case model.GapMissingAWS:
		return "AWS report absent"
	case model.GapNoEvidence:
		return "no evidence"
	case model.GapNotImplemented:
		return "not implemented"
	case model.GapOpen:
		return "open"
	}
	return string(k)
}

// matrix counts the applicable controls by criticality and answer status.
func (r *reviewScreen) matrix(m *Model, w int) []string {
	st := m.styles
	heads := []string{"unanswered", "not impl.", "partial", "planned", "impl.", "n/a"}
	const labelW = 14
	head := fmt.Sprintf("%-*s", labelW, "criticality")
	for _, h := range heads {
		head += fmt.Sprintf("%*s", len(h)+2, h)
	}
	out := []string{st.Muted.Render(cell(head, w))}
	for _, c := range []model.Criticality{model.CriticalityHigh, model.CriticalityMedium, model.CriticalityLow} {
		counts := map[model.Status]int{}
		total := 0
		for _, ctrl := range m.review.Applicable {
			if ctrl.Criticality == c {
				counts[m.a.Answer(ctrl.ID).Status]++
				total++
			}
		}
		row := fmt.Sprintf("%-*s", labelW, fmt.Sprintf("%s (%d)", c, total))
		for i, s := range matrixStatuses {
			n := "·"
			if counts[s] > 0 {
				n = fmt.Sprint(counts[s])
			}
			row += fmt.Sprintf("%*s", len(heads[i])+2, n)
		}
		out = append(out, cell(row, w))
	}
	return out
}

func (r *reviewScreen) signView(m *Model, w int) []string {
	st := m.styles
	out := []string{st.Title.Render("Sign off as "+cell(m.cfg.Store.Actor(), 30)) +
		st.Muted.Render("  your name and the time are recorded with the meaning (21 CFR 11.50)")}
	for i, label := range []string{"Meaning", "Role"} {
		cur := "  "
		if i == r.field {
			cur = st.Cursor.Render("▸ ")
		}
		in := r.inputs[i]
		in.SetWidth(max(5, w-14))
		out = append(out, fmt.Sprintf("%s%-10s %s", cur, label, in.View()))
	}
	return append(out, "")
}
