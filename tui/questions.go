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
	"github.com/onus-gxp/onus/store"
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
	form   int // counts forms opened, so a late save closes only its own

	input   textinput.Model // justification or notes
	evCur   int             // highlighted evidence reference
	evEdit  int             // index being edited, -1 for a new one
	evField int
	evForm  [5]textinput.Model // title, document id, version, date, location
	evSup   model.Supplier
	layerOf int // first service shown in the layers drill-down
}

var evidenceLabels = [...]string{"Title", "Document id", "Version", "Date (YYYY-MM-DD)", "Location", "Supplied by"}

var suppliers = []model.Supplier{model.SupplierCustomer, model.SupplierAWS, model.SupplierThirdParty}

// statusKeys are the answers the number keys give at once; 5 (not
// applicable) asks for the justification first.
var statusKeys = map[string]model.Status{"1": model.StatusImplemented, "2": model.StatusPartial, "3": model.StatusPlanned, "4": model.StatusNotImplemented}

// sync rebuilds the question order from the open assessment, keeping the
// cursor on the same control when it still applies.
func (q *questionsScreen) sync(m *Model) {
	cur := q.current()
	q.order = q.order[:0]
	for _, d := range m.catalog().Domains {
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
	q.mode = qBrowse
}

// answer saves an answer at once; a form that asked for it closes when
// the store has it, and stays open with its text when not.
func (m *Model) answer(ans model.Answer, what string, closeForm bool) tea.Cmd {
	if err := store.ValidateAnswer(ans); err != nil {
		m.setError("NOT SAVED: " + err.Error())
		return nil
	}
	form := m.questions.form
	return m.change("answer/"+ans.Control, what, ans,
		func(st Store, id string) (model.Assessment, error) { return st.Answer(id, ans, "") },
		func(m *Model, _ model.Assessment) {
			if closeForm && m.questions.form == form {
				m.questions.closeForm()
			}
		})
}

func (q *questionsScreen) openForm(mode qMode) {
	q.mode = mode
	q.form++
}

func (q *questionsScreen) closeForm() {
	switch q.mode {
	case qEvidenceForm:
		q.mode = qEvidenceList
	case qJustify, qNotes:
		q.mode = qBrowse
	}
}

func (q *questionsScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if m.a == nil {
		return nil
	}
	switch q.mode {
	case qJustify, qNotes:
		return q.updateText(m, msg)
	case qEvidenceForm:
		return q.updateEvidenceForm(m, msg)
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if !isKey {
		return nil
	}
	switch q.mode {
	case qEvidenceList:
		return q.updateEvidenceList(m, k)
	case qLayers:
		q.updateLayers(m, k)
		return nil
	}
	return q.updateBrowse(m, k)
}

func (q *questionsScreen) updateBrowse(m *Model, k tea.KeyPressMsg) tea.Cmd {
	id := q.current()
	ans := m.answerOf(id)
	last := len(q.order) - 1
	switch {
	case key.Matches(k, m.keys.Up):
		q.cursor = max(0, q.cursor-1)
	case key.Matches(k, m.keys.Down), key.Matches(k, m.keys.Skip):
		q.cursor = min(last, q.cursor+1)
	case key.Matches(k, m.keys.PageUp):
		q.cursor = max(0, q.cursor-10)
	case key.Matches(k, m.keys.PageDown):
		q.cursor = min(last, q.cursor+10)
	case key.Matches(k, m.keys.NextUnanswered):
		q.nextUnanswered(m)
	case key.Matches(k, m.keys.Back):
		m.enter(screenServices)
	case id == "":
	case statusKeys[k.String()] != "":
		next := ans
		next.Status, next.Justification = statusKeys[k.String()], ""
		return m.answer(next, id+" "+string(next.Status), false)
	case key.Matches(k, m.keys.Status5):
		q.openForm(qJustify)
		q.input = newInput(ans.Justification)
		q.input.CharLimit = 4000
		q.input.Placeholder = "why this control does not apply"
		return q.input.Focus()
	case key.Matches(k, m.keys.Clear):
		next := ans
		next.Status, next.Justification = model.StatusUnanswered, ""
		return m.answer(next, id+" cleared", false)
	case key.Matches(k, m.keys.Note):
		q.openForm(qNotes)
		q.input = newInput(ans.Notes)
		q.input.CharLimit = 8000
		q.input.Placeholder = "notes for the reviewer"
		return q.input.Focus()
	case key.Matches(k, m.keys.Evidence):
		q.mode, q.evCur = qEvidenceList, 0
		if len(ans.Evidence) == 0 {
			return q.openEvidenceForm(-1, model.EvidenceRef{Supplier: model.SupplierCustomer})
		}
	case key.Matches(k, m.keys.Layers):
		q.mode, q.layerOf = qLayers, 0
	}
	return nil
}

func (q *questionsScreen) nextUnanswered(m *Model) {
	for i := 1; i <= len(q.order); i++ {
		j := (q.cursor + i) % len(q.order)
		if m.answerOf(q.order[j]).Status == model.StatusUnanswered {
			q.cursor = j
			return
		}
	}
	m.setStatus("every applicable control is answered")
}

// updateText edits the justification or the notes.
func (q *questionsScreen) updateText(m *Model, msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			q.mode = qBrowse
			return nil
		case "enter":
			id := q.current()
			next := m.answerOf(id)
			text := strings.TrimSpace(q.input.Value())
			if q.mode == qNotes {
				next.Notes = text
				return m.answer(next, id+" notes", true)
			}
			if text == "" {
				m.setError("NOT SAVED: not applicable needs a justification")
				return nil
			}
			next.Status, next.Justification = model.StatusNotApplicable, text
			return m.answer(next, id+" not applicable", true)
		}
	}
	var cmd tea.Cmd
	q.input, cmd = q.input.Update(msg)
	return cmd
}

func (q *questionsScreen) updateEvidenceList(m *Model, k tea.KeyPressMsg) tea.Cmd {
	id := q.current()
	ans := m.answerOf(id)
	switch {
	case key.Matches(k, m.keys.Back):
		q.mode = qBrowse
	case key.Matches(k, m.keys.Up):
		q.evCur = max(0, q.evCur-1)
	case key.Matches(k, m.keys.Down):
		q.evCur = max(0, min(len(ans.Evidence)-1, q.evCur+1))
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
			q.evCur = max(0, q.evCur-1)
			return m.answer(next, id+" evidence removed", false)
		}
	}
	return nil
}

func (q *questionsScreen) updateLayers(m *Model, k tea.KeyPressMsg) {
	switch {
	case key.Matches(k, m.keys.Left):
		q.layerOf = max(0, q.layerOf-1)
	case key.Matches(k, m.keys.Right):
		q.layerOf = max(0, min(len(m.a.Services)-1, q.layerOf+1))
	default:
		q.mode = qBrowse
	}
}

func (q *questionsScreen) openEvidenceForm(i int, e model.EvidenceRef) tea.Cmd {
	q.openForm(qEvidenceForm)
	q.evEdit, q.evField, q.evSup = i, 0, e.Supplier
	for j, v := range []string{e.Title, e.DocumentID, e.Version, e.Date, e.Location} {
		q.evForm[j] = newInput(v)
		q.evForm[j].CharLimit = 2000
	}
	return q.evForm[0].Focus()
}

func (q *questionsScreen) focusEvidence(i int) tea.Cmd {
	if q.evField < len(q.evForm) {
		q.evForm[q.evField].Blur()
	}
	q.evField = (i + len(evidenceLabels)) % len(evidenceLabels)
	if q.evField < len(q.evForm) {
		return q.evForm[q.evField].Focus()
	}
	return nil
}

func (q *questionsScreen) evidenceRef() model.EvidenceRef {
	v := func(i int) string { return strings.TrimSpace(q.evForm[i].Value()) }
	return model.EvidenceRef{Title: v(0), DocumentID: v(1), Version: v(2), Date: v(3), Location: v(4), Supplier: q.evSup}
}

func (q *questionsScreen) updateEvidenceForm(m *Model, msg tea.Msg) tea.Cmd {
	k, isKey := msg.(tea.KeyPressMsg)
	if isKey {
		switch k.String() {
		case "esc":
			q.mode = qEvidenceList
			return nil
		case "up", "shift+tab":
			return q.focusEvidence(q.evField - 1)
		case "down", "tab":
			return q.focusEvidence(q.evField + 1)
		case "enter":
			id := q.current()
			ans := m.answerOf(id)
			ref := q.evidenceRef()
			next := ans
			next.Evidence = slices.Clone(ans.Evidence)
			if q.evEdit >= 0 && q.evEdit < len(next.Evidence) {
				next.Evidence[q.evEdit] = ref
			} else {
				next.Evidence = append(next.Evidence, ref)
			}
			return m.answer(next, id+" evidence "+ref.Title, true)
		}
		if q.evField == len(q.evForm) { // supplied by: a choice
			i := slices.Index(suppliers, q.evSup)
			switch k.String() {
			case "left", "h":
				q.evSup = suppliers[(i+len(suppliers)-1)%len(suppliers)]
			case "right", "l", "space":
				q.evSup = suppliers[(i+1)%len(suppliers)]
			}
			return nil
		}
	}
	if q.evField < len(q.evForm) {
		var cmd tea.Cmd
		q.evForm[q.evField], cmd = q.evForm[q.evField].Update(msg)
		return cmd
	}
	return nil
}

func (q *questionsScreen) keys(m *Model) []key.Binding {
	k := m.keys
	save := k.Enter
	save.SetHelp("enter", "save")
	switch q.mode {
	case qJustify, qNotes:
		return []key.Binding{save, k.Back}
	case qEvidenceForm:
		return []key.Binding{k.FieldUp, k.FieldDown, save, k.Back}
	case qEvidenceList:
		return []key.Binding{k.Move, k.Add, k.Edit, k.Remove, k.Back}
	case qLayers:
		page := k.Choose
		page.SetHelp("←/→", "more services")
		return []key.Binding{page, k.Back}
	}
	st := k.Status1
	st.SetHelp("1-5", "status")
	return []key.Binding{k.Move, st, k.NextUnanswered, k.Evidence, k.Note, k.Layers, k.Back}
}

func (q *questionsScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	if len(q.order) == 0 {
		return st.Title.Render("Questions") + "\n\n" + strings.Join(wrap("No control applies with this scope and these services. Check the scope and the services (shift+tab).", w), "\n")
	}
	if q.mode == qLayers { // the drill-down takes the whole width
		return strings.Join(q.layers(m, w), "\n")
	}
	listW := min(44, w/3)
	var left []string
	left = append(left, st.Title.Render(fmt.Sprintf("Questions %d/%d", m.review.Answered, len(m.review.Applicable))))
	off := scrollOffset(q.cursor, 0, max(1, h-1-4), len(q.order))
	lastDomain := ""
	for i := off; i < len(q.order) && len(left) < h; i++ {
		c, _ := m.catalog().Control(q.order[i])
		if c.Domain != lastDomain {
			lastDomain = c.Domain
			d, _ := m.catalog().Domain(c.Domain)
			left = append(left, st.Muted.Render(cell("── "+d.Name, listW)))
			if len(left) >= h {
				break
			}
		}
		glyph := []rune(statusMark(m.answerOf(c.ID).Status))[0]
		line := fmt.Sprintf("%c %s", glyph, cell(c.ID+" "+c.Title, listW-4))
		if i == q.cursor {
			left = append(left, st.Selected.Render("▸"+line))
		} else {
			left = append(left, " "+line)
		}
	}
	return sideBySide(left, q.detail(m, w-listW-2, h), listW, 2, h)
}

// heading is the control's id, title, clauses and criticality.
func (q *questionsScreen) heading(m *Model, c model.Control, w int) []string {
	st := m.styles
	var refs []string
	for _, r := range c.Refs {
		refs = append(refs, r.String())
	}
	return []string{
		st.Title.Render(cell(c.ID+" · "+c.Title, w)),
		st.Muted.Render(cell(strings.Join(refs, " · ")+" · criticality "+string(c.Criticality), w)),
	}
}

// layers is the drill-down: the layers the control lives on, per service.
func (q *questionsScreen) layers(m *Model, w int) []string {
	st := m.styles
	c, _ := m.catalog().Control(q.current())
	res := m.review.Resolutions[c.ID]
	out := q.heading(m, c, w)
	out = append(out, "", st.Title.Render("Layers this control lives on, per selected service")+"  "+st.ownerBadge(res.Responsibility))
	text, _ := stacks.ControlLayers(m.catalog(), res, stacks.Options{Width: w, Offset: q.layerOf, Theme: st.Stacks, Notes: true})
	out = append(out, strings.Split(text, "\n")...)
	return append(out, "", st.Muted.Render("←/→ more services · any other key closes"))
}

// detail is the right-hand side: the current question and its answer.
func (q *questionsScreen) detail(m *Model, w, h int) []string {
	st := m.styles
	c, _ := m.catalog().Control(q.current())
	ans := m.answerOf(c.ID)
	res := m.review.Resolutions[c.ID]
	out := q.heading(m, c, w)
	out = append(out, "")
	out = append(out, wrap(c.Question, w)...)
	out = append(out, "")
	var sup []string
	for _, s := range res.Suppliers {
		sup = append(sup, string(s))
	}
	out = append(out, st.ownerBadge(res.Responsibility)+"  evidence from: "+strings.Join(sup, " + "))
	out = append(out, wrap("Why: "+res.Reason, w)...)
	for _, l := range wrap(q.expected(m, res), w) {
		out = append(out, st.Muted.Render(l))
	}
	out = append(out, "")
	status := "Status: " + st.Title.Render(statusMark(ans.Status))
	if m.isDraft("answer/" + c.ID) {
		status += "  " + st.NotSaved.Render("NOT SAVED")
	}
	out = append(out, status)
	if ans.Justification != "" {
		out = append(out, wrap("Justification: "+ans.Justification, w)...)
	}
	switch q.mode {
	case qJustify:
		out = append(out, st.Warn.Render("Not applicable: why? (required)")+" enter saves · esc cancels", q.inputView(w))
	case qNotes:
		out = append(out, st.Title.Render("Notes:")+" enter saves · esc cancels", q.inputView(w))
	case qEvidenceForm:
		out = append(out, q.evidenceFormView(m, w)...)
	default:
		for _, l := range wrap("1 implemented · 2 partial · 3 planned · 4 not implemented · 5 not applicable · 0 clear", w) {
			out = append(out, st.Muted.Render(l))
		}
		out = append(out, q.evidenceView(m, ans, w)...)
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

func (q *questionsScreen) evidenceView(m *Model, ans model.Answer, w int) []string {
	st := m.styles
	head := fmt.Sprintf("Evidence (%d):", len(ans.Evidence))
	if q.mode == qEvidenceList {
		head += st.Muted.Render("  a add · enter edit · x remove · esc done")
	}
	out := []string{head}
	for i, e := range ans.Evidence {
		on := i == q.evCur && q.mode == qEvidenceList
		text := strings.TrimSpace(strings.Join([]string{"[" + string(e.Supplier) + "]", e.Title, e.DocumentID, e.Version, e.Date}, " "))
		if on {
			out = append(out, st.Selected.Render(cell("  ▸ "+text, w)))
		} else {
			out = append(out, cell("  • "+text, w))
		}
	}
	return out
}

func (q *questionsScreen) evidenceFormView(m *Model, w int) []string {
	st := m.styles
	out := []string{st.Title.Render("Evidence reference") + " enter saves · esc cancels"}
	const labelW = 18
	for i, l := range evidenceLabels {
		cur := "  "
		if i == q.evField {
			cur = st.Cursor.Render("▸ ")
		}
		var val string
		if i < len(q.evForm) {
			in := q.evForm[i]
			in.SetWidth(max(5, w-labelW-4))
			val = in.View()
		} else {
			var opts []string
			for _, s := range suppliers {
				opts = append(opts, string(s))
			}
			val = choiceRow(opts, string(q.evSup), i == q.evField, w-labelW-3, st)
		}
		out = append(out, fmt.Sprintf("%s%-*s %s", cur, labelW, l, val))
	}
	if q.evidenceRef().Title == "" {
		out = append(out, st.Muted.Render("A title is required."))
	}
	return out
}

func (q *questionsScreen) inputView(w int) string {
	in := q.input
	in.SetWidth(max(5, w-3))
	return "> " + in.View()
}

// expected names the evidence each party is expected to supply.
func (q *questionsScreen) expected(m *Model, res model.Resolution) string {
	names := func(ids []string) string {
		var out []string
		for _, id := range ids {
			if e, ok := m.catalog().EvidenceSource(id); ok {
				out = append(out, safetext.Line(e.Name))
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
