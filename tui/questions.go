package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
	"github.com/onus-gxp/onus/store"
)

type qMode int

const (
	qBrowse qMode = iota
	qEvidenceList
	qLayers
)

// questionsScreen asks the controls that apply, grouped by domain: the
// list on the left (filtered with /), the question and its answer on the
// right, which scrolls when it does not fit.
type questionsScreen struct {
	plainScreen
	order  []string // control ids, grouped by domain
	vis    []string // order as the filter keeps it
	cursor int      // in vis
	filter listFilter
	mode   qMode
	scroll int // first line of the detail shown
	evCur  int // highlighted evidence reference
	// layerOf is the first service shown in the layers drill-down.
	layerOf int
	search  map[string]string // a control's fixed text to filter on, lower case
	stale   map[string]bool   // controls relying on stale evidence (markStale)
	narrow  narrowing         // of order, as the answers stood at the last sync
	saved   int               // applicable controls answered in the file (countSaved)
	w, h    int
}

// scrollKeys stands for J and K together in the help.
var scrollKeys = key.NewBinding(key.WithKeys("J", "K"), key.WithHelp("J/K", ""))

// statusKeys are the answers the number keys give at once; 5 (not
// applicable) asks for the justification first.
var statusKeys = map[string]model.Status{"1": model.StatusImplemented, "2": model.StatusPartial, "3": model.StatusPlanned, "4": model.StatusNotImplemented}

// sync rebuilds the question order from what the user sees, keeping the
// cursor on the same control when it still applies.
func (q *questionsScreen) sync(m *Model) {
	cur := q.current()
	q.order = q.order[:0]
	cat := m.catalog()
	byDomain := make([][]string, len(cat.Domains)+1) // the last: a domain the catalog does not list
	for _, c := range m.review.Applicable {
		d := cat.DomainIndex(c.Domain)
		if d < 0 {
			d = len(cat.Domains)
		}
		byDomain[d] = append(byDomain[d], c.ID)
	}
	for _, ids := range byDomain {
		q.order = append(q.order, ids...)
	}
	q.markStale(m)
	q.countSaved(m)
	q.narrow = narrowing{} // the rows' text holds their answers
	q.refilter(m, cur)
}

// answered takes one control's new answer: its stale mark, and the
// filter, whose rows' text holds the answers.
func (q *questionsScreen) answered(m *Model, id string) {
	if q.stale == nil {
		q.stale = map[string]bool{}
	}
	if slices.ContainsFunc(m.review.GapsOf(id), func(g model.Gap) bool { return g.Kind == model.GapStaleEvidence }) {
		q.stale[id] = true
	} else {
		delete(q.stale, id)
	}
	q.narrow = narrowing{}
	if q.filter.active() {
		q.refilter(m, q.current())
	}
}

// refilter applies the filter, keeping the cursor on control at, or at
// its row when that control went.
func (q *questionsScreen) refilter(m *Model, at string) {
	if !q.filter.active() {
		q.vis = q.order
	} else {
		terms := q.filter.terms()
		rows := narrowRows(&q.narrow, q.order, func(id string) string { return q.searchText(m, id) },
			strings.ToLower(q.filter.text()), func(text string) bool { return containsAll(text, terms) }, nil)
		q.vis = make([]string, len(rows))
		for k, i := range rows {
			q.vis[k] = q.order[i]
		}
	}
	if i := slices.Index(q.vis, at); i >= 0 {
		q.cursor = i
	}
	q.cursor = max(0, min(q.cursor, len(q.vis)-1))
}

// searchText is what the filter looks in: id, title, question, clauses,
// who owns it, the answer's status, and its evidence on file (what the
// evidence screen's filter looks in for each piece), so that "CS-12" or
// "stale" finds the controls resting on it.
func (q *questionsScreen) searchText(m *Model, id string) string {
	if q.search == nil {
		q.search = map[string]string{}
	}
	fixed, ok := q.search[id]
	if !ok {
		c, _ := m.catalog().Control(id)
		var refs []string
		for _, r := range c.Refs {
			refs = append(refs, r.String())
		}
		fixed = strings.ToLower(c.ID + " " + c.Title + " " + c.Question + " " + strings.Join(refs, " ") + " " + string(c.Criticality))
		q.search[id] = fixed
	}
	res := m.review.Resolutions[id]
	text := fixed + " " + string(res.Responsibility) + " " + strings.ToLower(res.Responsibility.Label()) + " " + m.cur.Answer(id).Status.Label()
	for _, ci := range m.review.Chains[id] {
		if it, ok := m.review.ItemOf(ci); ok {
			text += " " + strings.ToLower(itemSearch(it))
		}
	}
	return text
}

func (q *questionsScreen) current() string {
	if q.cursor < 0 || q.cursor >= len(q.vis) {
		return ""
	}
	return q.vis[q.cursor]
}

func (q *questionsScreen) typing() bool { return q.filter.on }

func (q *questionsScreen) place(*Model) string { return q.current() }

func (q *questionsScreen) seek(m *Model, at string) {
	if at != "" {
		q.seekControl(m, at)
	}
}

// seekControl puts the cursor on a control, clearing a filter that hides
// it; false when the control does not apply.
func (q *questionsScreen) seekControl(m *Model, id string) bool {
	if !slices.Contains(q.order, id) {
		return false
	}
	if !slices.Contains(q.vis, id) {
		q.clearFilter()
		q.refilter(m, id)
	}
	q.cursor = slices.Index(q.vis, id)
	q.mode, q.scroll = qBrowse, 0
	return true
}

func (q *questionsScreen) clearFilter() {
	q.filter.clear()
	q.vis = q.order
}

func (q *questionsScreen) setSize(m *Model, w, h int) {
	q.w, q.h = w, h
	q.filter.setWidth(q.listWidth(m, w))
}

// listWidth: the list takes two fifths of a wide screen, for the titles;
// in projector mode a quarter, so the question has the room.
func (q *questionsScreen) listWidth(m *Model, w int) int {
	if m.projector {
		return max(20, min(32, w/4))
	}
	return max(30, min(72, w*2/5))
}

// answer saves an answer at once.
func (m *Model) answer(ans model.Answer, what string) tea.Cmd {
	if err := store.ValidateAnswer(ans); err != nil {
		m.flashError("NOT SAVED: " + err.Error())
		return nil
	}
	prev := m.cur.Answer(ans.Control)
	set := func(ans model.Answer) edit {
		return edit{
			apply:   func(a *model.Assessment) { setAnswer(a, ans) },
			save:    func(st Store, id, reason string) (model.Assessment, error) { return st.Answer(id, ans, reason) },
			control: ans.Control,
		}
	}
	key := "answer/" + ans.Control
	return m.apply(change{key: key, entry: key, what: what, do: set(ans), undo: set(prev)})
}

// countSaved counts the applicable controls answered in the file: the
// questions' count moves when an answer is saved, not when it is given
// (the list shows it at once). answerSaved keeps it per answer.
func (q *questionsScreen) countSaved(m *Model) {
	q.saved = 0
	for _, c := range m.review.Applicable {
		q.saved += answeredCount(m.a.Answer(c.ID))
	}
}

func (q *questionsScreen) firstUnanswered(m *Model) string {
	for _, id := range q.order {
		if m.cur.Answer(id).Status == model.StatusUnanswered {
			return id
		}
	}
	if len(q.order) > 0 {
		return q.order[0]
	}
	return ""
}

func (q *questionsScreen) nextUnanswered(m *Model) {
	for i := 1; i <= len(q.vis); i++ {
		j := (q.cursor + i) % len(q.vis)
		if m.cur.Answer(q.vis[j]).Status == model.StatusUnanswered {
			q.cursor, q.scroll = j, 0
			return
		}
	}
	m.setStatus("every applicable control is answered")
}

func (q *questionsScreen) actions(m *Model) []action {
	if m.cur == nil {
		return nil
	}
	k := m.keys
	if q.filter.on {
		return q.filter.actions(m, func(m *Model) { q.refilter(m, q.current()) })
	}
	switch q.mode {
	case qEvidenceList:
		return q.evidenceActions(m)
	case qLayers:
		closeLayers := func(*Model, tea.KeyPressMsg) tea.Cmd { q.mode = qBrowse; return nil }
		return []action{
			actAs(k.Choose, "more services", func(m *Model, key tea.KeyPressMsg) tea.Cmd {
				if key.String() == "left" {
					q.layerOf = max(0, q.layerOf-1)
				} else {
					q.layerOf = max(0, min(len(m.cur.Services)-1, q.layerOf+1))
				}
				return nil
			}),
			actAs(k.Back, "close", closeLayers), quiet(actAs(k.Layers, "close", closeLayers)),
		}
	}
	acts := listKeys(k, &q.cursor, len(q.vis), max(1, q.h-4), func(*Model) { q.scroll = 0 })
	id := q.current()
	if id != "" {
		ans := m.cur.Answer(id)
		acts = append(acts,
			editing(act(k.Status, func(m *Model, key tea.KeyPressMsg) tea.Cmd {
				next := ans
				next.Status, next.Justification = statusKeys[key.String()], ""
				return m.answer(next, id+" "+string(next.Status))
			})),
			editing(act(k.NotApplicable, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
				return m.openTextDialog(formJustification, ans.Justification, restored{})
			})),
			editing(quiet(act(k.Clear, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
				next := ans
				next.Status, next.Justification = model.StatusUnanswered, ""
				return m.answer(next, id+" cleared")
			}))),
			quiet(act(k.Skip, func(*Model, tea.KeyPressMsg) tea.Cmd {
				q.cursor, q.scroll = min(len(q.vis)-1, q.cursor+1), 0
				return nil
			})),
			editing(act(k.Evidence, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
				q.mode, q.evCur = qEvidenceList, 0
				if len(ans.Links) == 0 {
					return m.openPicker(id)
				}
				return nil
			})),
			editing(act(k.Notes, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openTextDialog(formNotes, ans.Notes, restored{}) })),
			editing(quiet(actAs(k.RaiseAction, "raise an action on it", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openActionForm(id, "", nil, restored{}) }))),
			act(k.NextUnanswered, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { q.nextUnanswered(m); return nil }),
			act(k.Layers, func(*Model, tea.KeyPressMsg) tea.Cmd { q.mode, q.layerOf = qLayers, 0; return nil }),
			quiet(helpOnly(scrollKeys, "scroll the question's detail")),
			hidden(act(k.ScrollDown, func(*Model, tea.KeyPressMsg) tea.Cmd { q.scrollBy(m, +1); return nil })),
			hidden(act(k.ScrollUp, func(*Model, tea.KeyPressMsg) tea.Cmd { q.scrollBy(m, -1); return nil })),
		)
	}
	acts = append(acts, q.filter.openAction(m))
	if q.filter.active() {
		acts = append(acts, q.filter.clearAction(m, func(m *Model) { q.refilter(m, q.current()) }))
	}
	return acts
}

func (q *questionsScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if !q.filter.on {
		return nil
	}
	at := q.current()
	changed, cmd := q.filter.update(m, msg)
	if changed {
		q.refilter(m, at)
		q.scroll = 0
	}
	return cmd
}

// scrollBy scrolls the detail, within what it holds.
func (q *questionsScreen) scrollBy(m *Model, d int) {
	lines := q.detail(m, q.w-q.listWidth(m, q.w)-2)
	q.scroll = max(0, min(q.scroll+d, len(lines)-(q.h-1)))
}

func (q *questionsScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	if len(q.order) == 0 {
		return st.Title.Render("Questions") + "\n\n" + strings.Join(wrap("No control applies with this scope and these services. Check the scope and the services (shift+tab).", w), "\n")
	}
	if q.mode == qLayers { // the drill-down takes the whole width
		return strings.Join(q.layers(m, w), "\n")
	}
	listW := q.listWidth(m, w)
	detailW := w - listW - 2
	left := q.list(m, hs, listW, h)
	right := q.detail(m, detailW)
	if len(right) > h { // the detail scrolls, and says where it is
		start := max(0, min(q.scroll, len(right)-(h-1)))
		end := min(len(right), start+h-1)
		right = append(right[start:end:end], st.Muted.Render(cell(fmt.Sprintf("lines %d–%d of %d · J/K scroll", start+1, end, len(right)), detailW)))
	}
	hs.pane(0, h, listW+2, w, func(m *Model, d int) tea.Cmd { m.questions.scrollBy(m, d); return nil })
	return sideBySide(left, right, listW, 2, h)
}

// list is the left column: the progress, the filter, and the controls
// in a window around the cursor, under their domains' headings.
func (q *questionsScreen) list(m *Model, hs *hits, w, h int) []string {
	st := m.styles
	head := []string{st.Title.Render(fmt.Sprintf("Questions %d/%d", q.saved, len(m.review.Applicable)))}
	if q.filter.active() {
		head[0] += st.Muted.Render(fmt.Sprintf("  %d match", len(q.vis)))
		head = append(head, q.filter.view(m, w))
	}
	rows := max(1, h-len(head))
	if len(q.vis) == 0 {
		return append(head, st.Muted.Render("nothing matches (esc clears the filter)"))
	}
	var pos string
	if len(q.vis) > rows-4 { // headings take rows too: the list may not fit
		rows = max(1, rows-1)
		pos = st.Muted.Render(fmt.Sprintf("%d of %d", q.cursor+1, len(q.vis)))
	}
	// Headings take rows too: start as low as keeps the cursor in sight.
	off := scrollOffset(q.cursor, 0, rows, len(q.vis))
	var lines []string
	for {
		var shown []int
		lines, shown = q.listFrom(m, nil, off, w, rows)
		if off >= q.cursor || slices.Contains(shown, q.cursor) {
			break
		}
		off++
	}
	if hs != nil { // drawn again, now saying where clicks go
		lines, _ = q.listFrom(m, hs.at(0, len(head)), off, w, rows)
	}
	if pos != "" {
		for len(lines) < rows {
			lines = append(lines, "")
		}
		lines = append(lines, pos)
	}
	return append(head, lines...)
}

// listFrom draws the list from item off in rows lines; shown are the
// items drawn.
func (q *questionsScreen) listFrom(m *Model, hs *hits, off, w, rows int) ([]string, []int) {
	st := m.styles
	var lines []string
	var shown []int
	lastDomain := ""
	if off > 0 {
		c, _ := m.catalog().Control(q.vis[off-1])
		lastDomain = c.Domain
	}
	for i := off; i < len(q.vis) && len(lines) < rows; i++ {
		c, _ := m.catalog().Control(q.vis[i])
		if c.Domain != lastDomain {
			lastDomain = c.Domain
			d, _ := m.catalog().Domain(c.Domain)
			lines = append(lines, st.Muted.Render(cell("── "+d.Name, w)))
			if len(lines) >= rows {
				break
			}
		}
		glyph := []rune(statusMark(m.cur.Answer(c.ID).Status))[0]
		if m.isDraft("answer/" + c.ID) {
			glyph = '!'
		}
		mark := ' '
		if q.stale[c.ID] {
			mark = '⚠' // relies on stale evidence
		}
		line := fmt.Sprintf("%c%c%s", glyph, mark, cell(c.ID+" "+c.Title, w-3))
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd {
			m.questions.cursor, m.questions.scroll, m.questions.mode = i, 0, qBrowse
			return nil
		})
		if i == q.cursor {
			lines = append(lines, st.Selected.Render("▸"+line))
		} else {
			lines = append(lines, " "+line)
		}
		shown = append(shown, i)
	}
	return lines, shown
}

// heading is the control's id, title, clauses and criticality.
func heading(m *Model, c model.Control, w int) []string {
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
	out := heading(m, c, w)
	out = append(out, "", st.Title.Render("Layers this control lives on, per selected service")+"  "+st.ownerBadge(res.Responsibility))
	text, _ := stacks.ControlLayers(m.catalog(), m.review.Solution.PerService(&c), stacks.Options{Width: w, Offset: q.layerOf, Theme: st.Stacks, Notes: true})
	out = append(out, strings.Split(text, "\n")...)
	return append(out, "", st.Muted.Render("←/→ more services · esc closes"))
}

// detail is the right-hand side in full: the current question and its
// answer; the view shows a window of it.
func (q *questionsScreen) detail(m *Model, w int) []string {
	st := m.styles
	c, _ := m.catalog().Control(q.current())
	ans := m.cur.Answer(c.ID)
	res := m.review.Resolutions[c.ID]
	var sup []string
	for _, s := range res.Suppliers {
		sup = append(sup, string(s))
	}
	var out []string
	if m.projector { // for the room: the question, the owner and why first, in bold
		out = append(out, st.Title.Render(cell(c.ID+" · "+c.Title, w)), "")
		for _, l := range wrap(c.Question, w) {
			out = append(out, st.Title.Render(l))
		}
		out = append(out, "", st.ownerBadge(res.Responsibility)+"  evidence from: "+strings.Join(sup, " + "))
		for _, l := range wrap("Why: "+res.Reason(), w) {
			out = append(out, st.Title.Render(l))
		}
		out = append(out, heading(m, c, w)[1])
	} else {
		out = heading(m, c, w)
		out = append(out, "")
		out = append(out, wrap(c.Question, w)...)
		out = append(out, "")
		out = append(out, st.ownerBadge(res.Responsibility)+"  evidence from: "+strings.Join(sup, " + "))
		out = append(out, wrap("Why: "+res.Reason(), w)...)
	}
	for _, l := range wrap(q.expected(m, res), w) {
		out = append(out, st.Muted.Render(l))
	}
	for _, l := range safetext.Wrap(integrityText(c), w) {
		out = append(out, st.Muted.Render(l))
	}
	out = append(out, "")
	status := "Status: " + st.Title.Render(statusMark(ans.Status))
	if m.isDraft("answer/" + c.ID) {
		status += "  " + st.NotSaved.Render("NOT SAVED")
	} else if ans.UpdatedBy != "" {
		status += "  " + st.Muted.Render("by "+safetext.Line(ans.UpdatedBy)+" "+ans.UpdatedAt.UTC().Format("2006-01-02 15:04"))
	}
	out = append(out, status)
	if here := m.hereToo(c.ID); here != "" {
		out = append(out, st.Warn.Render(here))
	}
	if ans.Justification != "" {
		out = append(out, wrap("Justification: "+ans.Justification, w)...)
	}
	if q.mode == qBrowse {
		for _, l := range wrap("1 implemented · 2 partial · 3 planned · 4 not implemented · 5 not applicable · 0 clear", w) {
			out = append(out, st.Muted.Render(l))
		}
	}
	out = append(out, q.chainView(m, c.ID, w)...)
	if ans.Notes != "" {
		out = append(out, wrap("Notes: "+ans.Notes, w)...)
	}
	out = append(out, controlActions(m, c.ID, w)...)
	if c.Guidance != "" {
		out = append(out, "")
		for _, l := range wrap("Good evidence: "+c.Guidance, w) {
			out = append(out, st.Muted.Render(l))
		}
	}
	return out
}

// integrityText says which ALCOA+ attributes a control protects and
// whether automated checks can evidence its AWS-configuration part.
func integrityText(c model.Control) string {
	var parts []string
	if len(c.Alcoa) > 0 {
		names := make([]string, len(c.Alcoa))
		for i, a := range c.Alcoa {
			names[i] = a.Label()
		}
		parts = append(parts, "ALCOA+: "+strings.Join(names, ", ")+".")
	}
	var checks []string
	for _, t := range c.Checks.ByTool() {
		checks = append(checks, t.Tool+" "+strings.Join(t.IDs, ", "))
	}
	switch {
	case len(checks) > 0:
		parts = append(parts, "Automated evidence available: "+strings.Join(checks, "; ")+".")
	case c.Procedural:
		parts = append(parts, "Procedural: no automated check evidences it; documents, tests and records do.")
	}
	return strings.Join(parts, " ")
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

// textDialog edits a question's notes or its not-applicable
// justification in a several-line editor as large as the screen allows.
type textDialog struct {
	form    string // formNotes or formJustification
	control string
	text    textField
	from    restored
	under   *underYou // another person saved this text meanwhile (onus serve)
}

const (
	formNotes         = "notes"
	formJustification = "justification"
)

// openTextDialog opens the notes or the justification of the current
// control; a text the editor cannot hold unchanged is refused, not cut.
func (m *Model) openTextDialog(form, text string, from restored) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	id := m.questions.current()
	label := "Notes"
	if form == formJustification {
		label = "Justification"
	}
	stored := m.cur.Answer(id).Notes
	if form == formJustification {
		stored = m.cur.Answer(id).Justification
	}
	d := &textDialog{form: form, control: id, text: newTextField(label, stored, store.MaxTextBytes, m.styles), from: from}
	if d.text.cut {
		m.flashError(fmt.Sprintf("%s of %s has more lines than the editor holds: not opened, so nothing is cut (onus show %s --json shows it in full)", label, id, m.a.ID))
		return nil
	}
	if text != stored {
		d.text.set(text)
	}
	m.openDialog(d)
	return d.text.focus()
}

func (d *textDialog) title() string {
	if d.form == formJustification {
		return "Not applicable: why? (required)"
	}
	return "Notes"
}

func (d *textDialog) typing() bool { return true }

func (d *textDialog) setSize(_ *Model, w, h int) {
	extra := 3
	if !d.from.at.IsZero() {
		extra++
	}
	if d.text.altered {
		extra++
	}
	if d.under != nil {
		extra += 2
	}
	// Three fifths of the screen: the question stays in sight above it.
	d.text.setSize(w, max(3, h*3/5-extra))
}

func (d *textDialog) draft() *store.Draft {
	if !d.text.changed() {
		return nil
	}
	return &store.Draft{Form: d.form, Target: d.control, Fields: []string{d.text.text()}}
}

func (d *textDialog) actions(m *Model) []action {
	k := m.keys
	return []action{
		act(k.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			next := m.cur.Answer(d.control)
			text := d.text.value()
			if d.form == formNotes {
				m.closeDialog()
				if !d.text.changed() {
					return nil
				}
				next.Notes = text
				return m.answer(next, d.control+" notes")
			}
			if strings.TrimSpace(text) == "" {
				m.flashError("NOT SAVED: not applicable needs a justification")
				return nil
			}
			m.closeDialog()
			if !d.text.changed() && next.Status == model.StatusNotApplicable {
				return nil
			}
			next.Status, next.Justification = model.StatusNotApplicable, text
			return m.answer(next, d.control+" not applicable")
		}),
		helpOnly(k.Newline, "new line"),
		m.cancelAction(d.text.changed()),
	}
}

func (d *textDialog) update(m *Model, msg tea.Msg) tea.Cmd { return d.text.update(m, msg) }

func (d *textDialog) view(m *Model, w, _ int) string {
	st := m.styles
	c, _ := m.catalog().Control(d.control)
	lines := []string{st.Title.Render(cell(c.ID+" · "+c.Title, w))}
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	if d.text.altered {
		lines = append(lines, st.Warn.Render(cell("The stored text holds tabs or control characters the editor shows otherwise; saving a change stores it as shown.", w)))
	}
	lines = append(lines, d.under.view(m, w)...)
	lines = append(lines, strings.Split(d.text.view(), "\n")...)
	lines = append(lines, st.Muted.Render(cell(d.text.position()+" · enter saves · ctrl+j new line · esc cancels", w)))
	return strings.Join(lines, "\n")
}
