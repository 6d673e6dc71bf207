package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// reviewScreen shows the gaps, the risk and responsibility summaries, and
// takes sign-offs and workflow steps.
type reviewScreen struct {
	plainScreen
	cursor int
	filter listFilter
	rows   int
	narrow narrowing
	shown  struct { // what gaps last returned, for its list and query
		of    []model.Gap
		query string
		list  []model.Gap
	}
	// widths are the gap list's columns (risk, kind, id), as wide as
	// every gap of the review needs: worked out once per list of gaps.
	widths struct {
		of                []model.Gap
		risk, kind, ident int
	}
}

// nextWorkflow is the step w takes: between draft and in review. Final
// comes only with a signature, and leaves only by a reopening.
var nextWorkflow = map[model.Workflow]model.Workflow{
	model.WorkflowDraft: model.WorkflowInReview, model.WorkflowInReview: model.WorkflowDraft,
}

// matrixStatuses are the risk matrix's columns, worst first.
var matrixStatuses = []model.Status{model.StatusUnanswered, model.StatusNotImplemented, model.StatusPartial, model.StatusPlanned, model.StatusImplemented, model.StatusNotApplicable}

var riskMarks = map[model.Risk]string{model.RiskHigh: "▲ high", model.RiskMedium: "■ medium", model.RiskLow: "▽ low"}

func (r *reviewScreen) typing() bool { return r.filter.on }

// gaps lists the review's gaps, high risk first, catalog order within,
// as the filter keeps them.
func (r *reviewScreen) gaps(m *Model) []model.Gap {
	all, query := m.review.Gaps, strings.ToLower(r.filter.text())
	if len(all) == 0 {
		return nil
	}
	if len(r.shown.of) == len(all) && &r.shown.of[0] == &all[0] && r.shown.query == query {
		return r.shown.list
	}
	terms := strings.Fields(query)
	rows := narrowRows(&r.narrow, all, func(g model.Gap) string { return r.gapText(m, g) }, query,
		func(text string) bool { return containsAll(text, terms) },
		func(rows []int) {
			slices.SortFunc(rows, func(a, b int) int { return cmp.Or(all[a].Risk.Rank()-all[b].Risk.Rank(), a-b) })
		})
	out := make([]model.Gap, len(rows))
	for k, i := range rows {
		out[k] = all[i]
	}
	r.shown.of, r.shown.query, r.shown.list = all, query, out
	return out
}

func (r *reviewScreen) gapText(m *Model, g model.Gap) string {
	subject := g.Source
	if c, ok := m.catalog().Control(g.Control); ok {
		subject = c.ID + " " + c.Title
	}
	return strings.ToLower(string(g.Risk) + " " + gapLabel(g.Kind) + " " + subject + " " + g.Detail)
}

func gapKey(g model.Gap) string { return string(g.Kind) + "/" + g.Control + g.Source }

func (r *reviewScreen) place(m *Model) string {
	if gs := r.gaps(m); r.cursor < len(gs) {
		return gapKey(gs[r.cursor])
	}
	return ""
}

func (r *reviewScreen) seek(m *Model, at string) {
	if i := slices.IndexFunc(r.gaps(m), func(g model.Gap) bool { return gapKey(g) == at }); i >= 0 {
		r.cursor = i
	}
}

func (r *reviewScreen) setSize(m *Model, w, h int) {
	r.filter.setWidth(w - 20)
	r.rows = max(1, h-12)
	r.cursor = max(0, min(r.cursor, len(r.gaps(m))-1))
}

func (r *reviewScreen) actions(m *Model) []action {
	if m.cur == nil {
		return nil
	}
	k := m.keys
	refilter := func(*Model) { r.cursor = 0 }
	if r.filter.on {
		return r.filter.actions(m, refilter)
	}
	acts := listKeys(k, &r.cursor, len(r.gaps(m)), r.rows, nil)
	acts = append(acts,
		actAs(k.Open, "open the gap", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return r.openGap(m) }),
		act(k.Sign, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openSign(nil, restored{}) }),
		editing(act(k.Workflow, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.setWorkflow(nextWorkflow[m.cur.Workflow]) })),
		editing(act(k.Milestone, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openMilestone(nil, restored{}) })),
		r.filter.openAction(m),
	)
	if m.canReopen() {
		acts = append(acts, act(k.Reopen, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openReopen(nil, restored{}) }))
	}
	if r.filter.active() {
		acts = append(acts, r.filter.clearAction(m, refilter))
	}
	return acts
}

func (r *reviewScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if !r.filter.on {
		return nil
	}
	changed, cmd := r.filter.update(m, msg)
	if changed {
		r.cursor = 0
	}
	return cmd
}

// openGap goes to the question or the supplier record a gap is about;
// esc comes back here, to the same row.
func (r *reviewScreen) openGap(m *Model) tea.Cmd {
	gaps := r.gaps(m)
	if r.cursor >= len(gaps) {
		return nil
	}
	g := gaps[r.cursor]
	if g.Control != "" {
		m.questions.clearFilter()
		m.questions.refilter(m, g.Control)
		return m.goTo(place{screen: screenQuestions, at: g.Control})
	}
	m.supplier.filter.clear()
	return m.goTo(place{screen: screenSupplier, at: g.Source})
}

func (m *Model) setWorkflow(w model.Workflow) tea.Cmd {
	set := func(w model.Workflow) edit {
		return edit{
			apply: func(a *model.Assessment) { a.Workflow = w },
			save:  func(st Store, id, reason string) (model.Assessment, error) { return st.SetWorkflow(id, w, reason) },
		}
	}
	return m.apply(change{key: "workflow", entry: "workflow", what: "workflow " + string(w), do: set(w), undo: set(m.cur.Workflow)})
}

func (r *reviewScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	rv := m.review
	lines := []string{
		st.Title.Render("Review") + st.Muted.Render(cell(fmt.Sprintf("  workflow: %s · sign-offs: %d · answered %d of %d",
			m.cur.Workflow, len(m.cur.SignOffs), rv.Answered, len(rv.Applicable)), w-6)),
		fmt.Sprintf("Responsibility  %s %d · %s %d · %s %d",
			st.ownerBadge(model.Customer), rv.ByResponsibility[model.Customer], st.ownerBadge(model.Shared), rv.ByResponsibility[model.Shared],
			st.ownerBadge(model.Inherited), rv.ByResponsibility[model.Inherited]),
		"",
	}
	lines = append(lines, r.matrix(m, w)...)
	hint := "S signs with your SSH key (final only by a signature) · w: draft ↔ in review · M records a milestone · c compares"
	if m.canReopen() {
		hint = "S signs · R reopens, with a reason (its signatures become superseded) · M records a milestone · c compares"
	}
	lines = append(lines, st.Muted.Render(cell(hint, w)), "")
	if n := len(m.cur.SignOffs); n > 0 {
		lines = append(lines, cell("Last sign-off: "+signOffLine(m.cur.SignOffs[n-1]), w))
	}
	gaps := r.gaps(m)
	head := st.Title.Render(fmt.Sprintf("Gaps (%d)", len(rv.Gaps))) +
		st.Muted.Render(fmt.Sprintf("  ▲ high %d · ■ medium %d · ▽ low %d · enter opens one",
			rv.RiskCounts[model.RiskHigh], rv.RiskCounts[model.RiskMedium], rv.RiskCounts[model.RiskLow]))
	if r.filter.active() {
		head = st.Title.Render(fmt.Sprintf("Gaps %d of %d", len(gaps), len(rv.Gaps))) + "  " + r.filter.view(m, w-20)
	}
	lines = append(lines, truncate(head, w, "…"))
	rows := max(1, h-len(lines))
	if len(gaps) > rows {
		rows = max(1, rows-1)
	}
	off := scrollOffset(r.cursor, 0, rows, len(gaps))
	riskW, kindW, idW := r.columns(rv.Gaps)
	for i := off; i < len(gaps) && i < off+rows; i++ {
		g := gaps[i]
		subject, title := g.Control, ""
		if c, ok := m.catalog().Control(g.Control); ok {
			title = c.Title + " — "
		} else if src, ok := m.catalog().EvidenceSource(g.Source); ok {
			subject, title = cell(g.Source, idW), src.Name+" — "
		}
		line := fmt.Sprintf("%-*s  %-*s  %-*s  %s", riskW, riskMarks[g.Risk], kindW, gapLabel(g.Kind), idW, subject, safetext.Line(title)+g.Detail)
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd {
			if m.reviewS.cursor == i {
				return m.reviewS.openGap(m)
			}
			m.reviewS.cursor = i
			return nil
		})
		if i == r.cursor {
			lines = append(lines, st.Selected.Render(cell("▸ "+line, w)))
		} else {
			lines = append(lines, cell("  "+line, w))
		}
	}
	switch {
	case len(rv.Gaps) == 0:
		lines = append(lines, "No gaps: every applicable control is answered, evidenced and current.")
	case len(gaps) == 0:
		lines = append(lines, st.Muted.Render("  nothing matches the filter (esc clears it)"))
	case len(gaps) > rows:
		lines = append(lines, st.Muted.Render(fmt.Sprintf("  gaps %d–%d of %d", off+1, min(len(gaps), off+rows), len(gaps))))
	}
	return strings.Join(lines, "\n")
}

// columns sizes the gap list's columns by what is in them, the same for
// every gap: the risk, the kind, the control's id (a report's id is cut
// to it, its name follows), then the title and what is missing.
func (r *reviewScreen) columns(gaps []model.Gap) (risk, kind, ident int) {
	c := &r.widths
	if len(gaps) == 0 || len(c.of) != len(gaps) || &c.of[0] != &gaps[0] {
		c.of, c.risk, c.kind, c.ident = gaps, 0, 0, 0
		for _, g := range gaps {
			c.risk = max(c.risk, width(riskMarks[g.Risk]))
			c.kind = max(c.kind, width(gapLabel(g.Kind)))
			c.ident = max(c.ident, width(g.Control))
		}
	}
	return c.risk, c.kind, c.ident
}

// gapLabel names a kind of gap for people.
func gapLabel(k model.GapKind) string {
	switch k {
	case model.GapStaleSupplier:
		return "stale evidence"
	case model.GapMissingAWS:
		return "AWS report absent"
	case model.GapStaleEvidence:
		return "relies on stale"
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
		counts := m.review.ByCriticality[c]
		total := 0
		for _, n := range counts {
			total += n
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
