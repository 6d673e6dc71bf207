package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

type qMode int

const (
	qBrowse qMode = iota
	qJustify
	qNotes
	qEvidenceList
	qEvidenceForm
	qLayers
)

// questionsScreen asks the controls that apply, grouped by domain.
type questionsScreen struct {
	order  []string // control ids, grouped by domain
	cursor int
	mode   qMode

	input   textinput.Model // justification or notes
	evCur   int             // highlighted evidence reference
	evEdit  int             // index being edited, -1 for a new one
	evField int
	evForm  [6]textinput.Model // title, doc id, version, date, location, supplier
	layerOf int                // horizontal page of the layers drill-down
}

var evidenceLabels = [...]string{"Title", "Document id", "Version", "Date (YYYY-MM-DD)", "Location", "Supplier (aws/customer/third-party)"}

// sync rebuilds the question order from the open assessment, keeping the
// cursor on the same control when it still applies.
func (q *questionsScreen) sync(m *Model) {
	cur := q.current()
	q.order = q.order[:0]
	for _, d := range m.cfg.Catalog.Domains {
		for _, c := range m.review.Applicable {
			if c.Domain == d.ID {
				q.order = append(q.order, c.ID)
			}
		}
	}
	for _, c := range m.review.Applicable { // controls in a domain the catalog does not list
		if !slices.Contains(q.order, c.ID) {
			q.order = append(q.order, c.ID)
		}
	}
	if i := slices.Index(q.order, cur); i >= 0 {
		q.cursor = i
	}
	q.cursor = max(0, min(q.cursor, len(q.order)-1))
}

func (q *questionsScreen) current() string {
	if q.cursor < 0 || q.cursor >= len(q.order) {
		return ""
	}
	return q.order[q.cursor]
}

func (q *questionsScreen) typing() bool {
	return q.mode == qJustify || q.mode == qNotes || q.mode == qEvidenceForm
}

// jump moves the cursor to a control (used by the review screen).
func (q *questionsScreen) jump(id string) {
	if i := slices.Index(q.order, id); i >= 0 {
		q.cursor = i
	}
}

func (m *Model) answerCmd(ans model.Answer, what string, onOK func(*Model)) tea.Cmd {
	id := m.a.ID
	return m.save(what, func(st Store) (model.Assessment, error) { return st.Answer(id, ans, "") }, func(m *Model) {
		m.questions.sync(m)
		if onOK != nil {
			onOK(m)
		}
	})
}

func (q *questionsScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if m.a == nil {
		return nil
	}
	if len(q.order) == 0 {
		q.sync(m)
	}
	k, isKey := msg.(tea.KeyPressMsg)
	id := q.current()
	ans := m.a.Answer(id)
	switch q.mode {
	case qJustify, qNotes:
		if isKey && k.String() == "esc" {
			q.mode = qBrowse
			return nil
		}
		if isKey && k.String() == "enter" {
			text := strings.TrimSpace(q.input.Value())
			next := ans
			what := id + " notes"
			if q.mode == qJustify {
				if text == "" {
					m.setError("NOT SAVED: not applicable needs a justification")
					return nil
				}
				next.Status, next.Justification = model.StatusNotApplicable, text
				what = id + " not applicable"
			} else {
				next.Notes = text
			}
			return m.answerCmd(next, what, func(m *Model) { m.questions.mode = qBrowse })
		}
		var cmd tea.Cmd
		q.input, cmd = q.input.Update(msg)
		return cmd
	case qEvidenceForm:
		return q.updateEvidenceForm(m, msg, ans)
	case qEvidenceList:
		if !isKey {
			return nil
		}
		switch {
		case key.Matches(k, m.keys.Back):
			q.mode = qBrowse
		case key.Matches(k, m.keys.Up):
			q.evCur = max(0, q.evCur-1)
		case key.Matches(k, m.keys.Down):
			q.evCur = min(len(ans.Evidence)-1, q.evCur+1)
		case key.Matches(k, m.keys.Add):
			return q.openEvidenceForm(-1, model.EvidenceRef{Supplier: model.SupplierCustomer})
		case key.Matches(k, m.keys.Edit):
			if q.evCur < len(ans.Evidence) {
				return q.openEvidenceForm(q.evCur, ans.Evidence[q.evCur])
			}
		case key.Matches(k, m.keys.Remove):
			if q.evCur < len(ans.Evidence) {
				next := ans
				next.Evidence = slices.Delete(slices.Clone(ans.Evidence), q.evCur, q.evCur+1)
				return m.answerCmd(next, id+" evidence removed", func(m *Model) { m.questions.evCur = max(0, m.questions.evCur-1) })
			}
		}
		return nil
	case qLayers:
		if isKey {
			switch {
			case key.Matches(k, m.keys.Left):
				q.layerOf = max(0, q.layerOf-3)
			case key.Matches(k, m.keys.Right):
				q.layerOf += 3
			default:
				q.mode = qBrowse
			}
		}
		return nil
	}
	if !isKey {
		return nil
	}
	status := map[string]model.Status{"1": model.StatusImplemented, "2": model.StatusPartial, "3": model.StatusPlanned, "4": model.StatusNotImplemented}
	switch {
	case key.Matches(k, m.keys.Up):
		q.cursor = max(0, q.cursor-1)
	case key.Matches(k, m.keys.Down), key.Matches(k, m.keys.Skip):
		q.cursor = min(len(q.order)-1, q.cursor+1)
	case key.Matches(k, m.keys.PageUp):
		q.cursor = max(0, q.cursor-10)
	case key.Matches(k, m.keys.PageDown):
		q.cursor = min(len(q.order)-1, q.cursor+10)
	case key.Matches(k, m.keys.NextUnanswered):
		for i := 1; i <= len(q.order); i++ {
			j := (q.cursor + i) % len(q.order)
			if m.a.Answer(q.order[j]).Status == model.StatusUnanswered {
				q.cursor = j
				return nil
			}
		}
		m.setStatus("every applicable control is answered")
	case status[k.String()] != "" && id != "":
		next := ans
		next.Status, next.Justification = status[k.String()], ""
		return m.answerCmd(next, id+" "+string(next.Status), nil)
	case key.Matches(k, m.keys.Status5) && id != "":
		q.mode = qJustify
		q.input = newInput(ans.Justification)
		q.input.CharLimit = 4000
		q.input.Placeholder = "why this control does not apply"
		return q.input.Focus()
	case key.Matches(k, m.keys.Clear) && id != "":
		next := ans
		next.Status, next.Justification = model.StatusUnanswered, ""
		return m.answerCmd(next, id+" cleared", nil)
	case key.Matches(k, m.keys.Note) && id != "":
		q.mode = qNotes
		q.input = newInput(ans.Notes)
		q.input.CharLimit = 8000
		return q.input.Focus()
	case key.Matches(k, m.keys.Evidence) && id != "":
		q.mode, q.evCur = qEvidenceList, 0
		if len(ans.Evidence) == 0 {
			return q.openEvidenceForm(-1, model.EvidenceRef{Supplier: model.SupplierCustomer})
		}
	case key.Matches(k, m.keys.Layers) && id != "":
		q.mode, q.layerOf = qLayers, 0
	case key.Matches(k, m.keys.Back):
		m.enter(screenServices)
	}
	return nil
}

func (q *questionsScreen) openEvidenceForm(i int, e model.EvidenceRef) tea.Cmd {
	q.mode, q.evEdit, q.evField = qEvidenceForm, i, 0
	for j, v := range []string{e.Title, e.DocumentID, e.Version, e.Date, e.Location, string(e.Supplier)} {
		q.evForm[j] = newInput(v)
		q.evForm[j].CharLimit = 2000
	}
	return q.evForm[0].Focus()
}

func (q *questionsScreen) updateEvidenceForm(m *Model, msg tea.Msg, ans model.Answer) tea.Cmd {
	k, isKey := msg.(tea.KeyPressMsg)
	focus := func(i int) tea.Cmd {
		q.evForm[q.evField].Blur()
		q.evField = (i + len(q.evForm)) % len(q.evForm)
		return q.evForm[q.evField].Focus()
	}
	if isKey {
		switch k.String() {
		case "esc":
			q.mode = qEvidenceList
			return nil
		case "up", "shift+tab":
			return focus(q.evField - 1)
		case "down", "tab":
			return focus(q.evField + 1)
		case "enter":
			v := func(i int) string { return strings.TrimSpace(q.evForm[i].Value()) }
			ref := model.EvidenceRef{Title: v(0), DocumentID: v(1), Version: v(2), Date: v(3), Location: v(4), Supplier: model.Supplier(v(5))}
			if ref.Title == "" {
				m.setError("NOT SAVED: evidence needs a title")
				return nil
			}
			if !ref.Supplier.Valid() {
				m.setError("NOT SAVED: supplier must be aws, customer or third-party")
				return nil
			}
			next := ans
			next.Evidence = slices.Clone(ans.Evidence)
			if q.evEdit >= 0 && q.evEdit < len(next.Evidence) {
				next.Evidence[q.evEdit] = ref
			} else {
				next.Evidence = append(next.Evidence, ref)
			}
			return m.answerCmd(next, q.current()+" evidence "+ref.Title, func(m *Model) { m.questions.mode = qEvidenceList })
		}
	}
	var cmd tea.Cmd
	q.evForm[q.evField], cmd = q.evForm[q.evField].Update(msg)
	return cmd
}

func (q *questionsScreen) keys(m *Model) []key.Binding {
	k := m.keys
	switch q.mode {
	case qJustify, qNotes:
		return []key.Binding{k.Enter, k.Back}
	case qEvidenceForm:
		return []key.Binding{k.Up, k.Down, k.Enter, k.Back}
	case qEvidenceList:
		return []key.Binding{k.Up, k.Down, k.Add, k.Edit, k.Remove, k.Back}
	case qLayers:
		return []key.Binding{k.Left, k.Right, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Status1, k.Status5, k.NextUnanswered, k.Evidence, k.Note, k.Layers}
}

func (q *questionsScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	if len(q.order) == 0 {
		q.sync(m)
	}
	st := m.styles
	if len(q.order) == 0 {
		return st.Title.Render("Questions") + "\n\nNo control applies with this scope and these services. Check the scope (shift+tab) and the services."
	}
	listW := min(26, w/3)
	detailW := w - listW - 2
	// Left: the questions, grouped by domain, a window around the cursor.
	var left []string
	left = append(left, st.Title.Render(fmt.Sprintf("Questions %d/%d", m.review.Answered, len(m.review.Applicable))))
	rows := h - 1
	off := scrollOffset(q.cursor, 0, max(1, rows-4), len(q.order))
	lastDomain := ""
	for i := off; i < len(q.order) && len(left) < h; i++ {
		c, _ := m.cfg.Catalog.Control(q.order[i])
		if c.Domain != lastDomain {
			lastDomain = c.Domain
			d, _ := m.cfg.Catalog.Domain(c.Domain)
			left = append(left, st.Muted.Render(cell("── "+d.Name, listW)))
			if len(left) >= h {
				break
			}
		}
		glyph := []rune(statusMark(m.a.Answer(c.ID).Status))[0]
		line := fmt.Sprintf(" %c %s", glyph, cell(c.ID+" "+c.Title, listW-4))
		if i == q.cursor {
			line = st.Selected.Render(fmt.Sprintf("▸%c %s", glyph, cell(c.ID+" "+c.Title, listW-4)))
		}
		left = append(left, line)
	}
	return sideBySide(left, q.detail(m, detailW, h), listW, 2, h)
}

// detail is the right-hand side: the current question and its answer.
func (q *questionsScreen) detail(m *Model, w, h int) []string {
	st := m.styles
	c, _ := m.cfg.Catalog.Control(q.current())
	ans := m.a.Answer(c.ID)
	res := m.review.Resolutions[c.ID]
	var out []string
	out = append(out, st.Title.Render(cell(c.ID+" · "+c.Title, w)))
	var refs []string
	for _, r := range c.Refs {
		refs = append(refs, safetext.Line(r.String()))
	}
	out = append(out, st.Muted.Render(cell(strings.Join(refs, " · ")+" · criticality "+string(c.Criticality), w)))
	if q.mode == qLayers {
		out = append(out, "", st.Title.Render("Layers this control lives on, per selected service"))
		text, _ := stacks.ControlLayers(m.cfg.Catalog, res, stacks.Options{Width: w, Offset: q.layerOf, Theme: st.Stacks, Notes: true})
		out = append(out, strings.Split(text, "\n")...)
		out = append(out, st.Muted.Render("←/→ more services · any other key closes"))
		return out
	}
	out = append(out, "")
	out = append(out, wrap(c.Question, w)...)
	out = append(out, "")
	owner := st.ownerBadge(res.Responsibility)
	var sup []string
	for _, s := range res.Suppliers {
		sup = append(sup, string(s))
	}
	out = append(out, owner+"  evidence from: "+strings.Join(sup, " + "))
	for _, l := range wrap("Why: "+res.Reason, w) {
		out = append(out, l)
	}
	if exp := q.expected(m, res); exp != "" {
		for _, l := range wrap(exp, w) {
			out = append(out, st.Muted.Render(l))
		}
	}
	out = append(out, "")
	out = append(out, "Status: "+st.Title.Render(statusMark(ans.Status))+st.Muted.Render("   1 impl · 2 partial · 3 planned · 4 not impl · 5 n/a · 0 clear"))
	if ans.Justification != "" {
		out = append(out, wrap("Justification: "+ans.Justification, w)...)
	}
	switch q.mode {
	case qJustify:
		out = append(out, st.Warn.Render("Not applicable: why? (required)")+" enter saves · esc cancels", q.inputView(w))
	case qNotes:
		out = append(out, st.Title.Render("Notes:")+" enter saves · esc cancels", q.inputView(w))
	case qEvidenceForm:
		out = append(out, st.Title.Render("Evidence reference")+" enter saves · esc cancels")
		for i, l := range evidenceLabels {
			cur := "  "
			if i == q.evField {
				cur = st.Cursor.Render("▸ ")
			}
			in := q.evForm[i]
			in.SetWidth(max(5, w-24))
			out = append(out, fmt.Sprintf("%s%-20s %s", cur, cellLabel(l), in.View()))
		}
	default:
		out = append(out, fmt.Sprintf("Evidence (%d):", len(ans.Evidence)))
		for i, e := range ans.Evidence {
			line := fmt.Sprintf("  %s [%s] %s %s %s", bullet(i == q.evCur && q.mode == qEvidenceList), e.Supplier, e.Title, e.DocumentID, e.Version)
			if i == q.evCur && q.mode == qEvidenceList {
				line = st.Selected.Render(cell(line, w))
			} else {
				line = cell(line, w)
			}
			out = append(out, line)
		}
		if ans.Notes != "" {
			out = append(out, wrap("Notes: "+ans.Notes, w)...)
		}
		if len(out) < h-4 && c.Guidance != "" {
			out = append(out, "")
			for _, l := range wrap("Good evidence: "+c.Guidance, w) {
				out = append(out, st.Muted.Render(l))
			}
		}
	}
	return out
}

func cellLabel(s string) string { return safetext.Truncate(s, 20) }

func bullet(on bool) string {
	if on {
		return "▸"
	}
	return "•"
}

func (q *questionsScreen) inputView(w int) string {
	in := q.input
	in.SetWidth(max(5, w-2))
	return "> " + in.View()
}

// expected names the evidence each party is expected to supply.
func (q *questionsScreen) expected(m *Model, res model.Resolution) string {
	names := func(ids []string) string {
		var out []string
		for _, id := range ids {
			if e, ok := m.cfg.Catalog.EvidenceSource(id); ok {
				out = append(out, e.Name)
			}
		}
		return strings.Join(out, ", ")
	}
	var parts []string
	if s := names(res.AWSEvidence); s != "" {
		parts = append(parts, "Expected from AWS: "+s+".")
	}
	if s := names(res.CustEvidence); s != "" {
		parts = append(parts, "Expected from you: "+s+".")
	}
	return strings.Join(parts, " ")
}
