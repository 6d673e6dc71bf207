package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// The evidence register in the wizard, both ways: on a question, the
// control's evidence chain (the documents its answer links, the AWS
// reports its AWS part expects, each with its currency), linked from a
// filtered list of the register; on the Evidence screen (r), every piece
// of evidence with its currency, the controls it supports and what goes
// wrong with them. The changes are the store's (AddEntry, SetLinks, ...),
// queued and undone like every other.

// ---- changes ----

func setLinksEdit(control string, links []model.EvidenceLink) edit {
	return edit{
		apply: func(a *model.Assessment) {
			ans := a.Answer(control)
			ans.Links = links
			setAnswer(a, ans)
		},
		save:    func(st Store, id, _ string) (model.Assessment, error) { return st.SetLinks(id, control, links) },
		control: control,
	}
}

// setLinks changes one control's links, undone by setting them back.
func (m *Model) setLinks(control string, links []model.EvidenceLink, what string) tea.Cmd {
	prev := m.cur.Answer(control).Links
	key := "links/" + control
	return m.apply(change{key: key, entry: key, what: what, do: setLinksEdit(control, links), undo: setLinksEdit(control, prev)})
}

// putEntryEdit adds (isNew) or replaces a register entry.
func putEntryEdit(e model.EvidenceEntry, isNew bool) edit {
	return edit{
		apply: func(a *model.Assessment) {
			reg := slices.Clone(a.Register)
			if i := slices.IndexFunc(reg, func(x model.EvidenceEntry) bool { return x.ID == e.ID }); i >= 0 {
				reg[i] = e
			} else {
				reg = append(reg, e)
				a.RegisterIssued = max(a.RegisterIssued, model.EntryNumber(e.ID))
			}
			a.Register = reg
		},
		save: func(st Store, id, _ string) (model.Assessment, error) {
			if isNew {
				return st.AddEntry(id, e)
			}
			return st.EditEntry(id, e)
		},
	}
}

// removeEntryEdit removes an entry and every link to it.
func removeEntryEdit(entry string) edit {
	return edit{
		apply: func(a *model.Assessment) {
			a.Register = slices.DeleteFunc(slices.Clone(a.Register), func(x model.EvidenceEntry) bool { return x.ID == entry })
			unlinkAll(a, entry)
		},
		save: func(st Store, id, _ string) (model.Assessment, error) { return st.RemoveEntry(id, entry) },
	}
}

func unlinkAll(a *model.Assessment, entry string) {
	for _, c := range a.LinkedFrom(entry) {
		ans := a.Answers[c]
		ans.Links = slices.DeleteFunc(slices.Clone(ans.Links), func(l model.EvidenceLink) bool { return l.Entry == entry })
		a.Answers[c] = ans
	}
}

// nextEntryID is the id the next entry added will have, queued ones
// counted (the queue saves in order).
func (m *Model) nextEntryID() string { return model.EntryID(m.cur.RegisterIssued + 1) }

// removeEntry asks, saying where the entry is linked, and removes it.
// An entry's id is never used again, so the removal is not undone.
func (m *Model) removeEntry(e model.EvidenceEntry) {
	q := fmt.Sprintf("Remove %s %s from the register? It supports no control.", e.ID, safetext.Line(e.Title))
	if from := m.cur.LinkedFrom(e.ID); len(from) > 0 {
		q = fmt.Sprintf("Remove %s %s from the register? %s; removing it unlinks it from each. The audit trail keeps both.",
			e.ID, safetext.Line(e.Title), model.LinkedPhrase(from))
	}
	m.confirm("Remove evidence?", q, func(m *Model) tea.Cmd {
		m.undo = append(m.undo, undoStep{aid: m.a.ID, what: "the removal of " + e.ID})
		key := "evidence/" + e.ID
		r := removeEntryEdit(e.ID)
		return m.submit(saveJob{aid: m.a.ID, key: key, what: "removed " + e.ID, apply: r.apply, keep: true,
			run: func(st Store) (model.Assessment, error) { return r.save(st, m.a.ID, "") }})
	})
}

// ---- the chain on a question ----

// markStale notes the controls that rely on stale evidence, which the
// list marks ⚠.
func (q *questionsScreen) markStale(m *Model) {
	q.stale = map[string]bool{}
	for _, g := range m.review.Gaps {
		if g.Kind == model.GapStaleEvidence {
			q.stale[g.Control] = true
		}
	}
}

// linkedOf is a control's links: the evidence list moves over them (the
// first pieces of its chain, in the same order).
func linkedOf(m *Model, control string) []model.EvidenceLink { return m.cur.Answer(control).Links }

// itemLine is a piece of evidence in a line: id, title, document, version.
func itemLine(it model.EvidenceItem) string {
	parts := []string{it.ID + " " + it.Title}
	if it.DocumentID != "" {
		parts = append(parts, it.DocumentID)
	}
	if it.Version != "" {
		parts = append(parts, model.VersionLabel(it.Version))
	}
	return strings.Join(parts, " ")
}

// currencyLine says whether a piece of evidence is current.
func currencyLine(it model.EvidenceItem) string {
	var parts []string
	if it.IsSupplier() {
		parts = append(parts, string(it.Review))
	}
	switch {
	case it.Stale:
		parts = append(parts, "⚠ STALE: "+it.Why)
	case it.ValidUntil != "":
		parts = append(parts, "current until "+it.ValidUntil)
	default:
		parts = append(parts, "current")
	}
	return strings.Join(parts, " · ")
}

// chainView is the control's evidence chain under its answer: the
// documents it links (the evidence list moves over them), then what AWS
// supplies for it, and the optional reports in one line.
func (q *questionsScreen) chainView(m *Model, id string, w int) []string {
	st := m.styles
	chain := m.review.Chains[id]
	links := linkedOf(m, id)
	head := fmt.Sprintf("Evidence: %d linked", len(links))
	if q.mode == qEvidenceList {
		head += st.Muted.Render("  n link · enter note · d unlink · esc done")
	} else if len(links) == 0 {
		head += st.Muted.Render("  e links a document")
	}
	out := []string{truncate(head, w, "…")}
	line := func(prefix string, it model.EvidenceItem, ok bool, note, missing string) string {
		text := missing
		if ok {
			text = itemLine(it)
			if note != "" {
				text += " · " + note
			}
			text += " · " + currencyLine(it)
		}
		return cell(prefix+text, w)
	}
	for i, ci := range chain {
		if !ci.Linked {
			continue
		}
		it, ok := m.review.ItemOf(ci)
		l := line("  • ", it, ok, ci.Note, ci.ID+" (not in the register)")
		switch {
		case q.mode == qEvidenceList && i == q.evCur:
			l = st.Selected.Render(line("  ▸ ", it, ok, ci.Note, ci.ID))
		case ok && it.Stale:
			l = st.Warn.Render(l)
		}
		out = append(out, l)
	}
	var optional []string
	aws := false
	for _, ci := range chain {
		if ci.Linked {
			continue
		}
		it, ok := m.review.ItemOf(ci)
		src, _ := m.catalog().EvidenceSource(strings.TrimPrefix(ci.ID, model.SupplierPrefix))
		switch {
		case !ok && !ci.Relevant:
			optional = append(optional, shortNames([]model.EvidenceSource{src})[0])
			continue
		case !aws:
			out = append(out, "AWS supplies:")
			aws = true
		}
		l := line("  • ", it, ok, "", ci.ID+" "+safetext.Line(src.Name)+" · not on file (Supplier step)")
		if !ok || it.Stale {
			l = st.Warn.Render(l)
		}
		out = append(out, l)
	}
	if len(optional) > 0 {
		for _, l := range wrap("  optional, not on file: "+strings.Join(optional, ", "), w) {
			out = append(out, st.Muted.Render(l))
		}
	}
	return out
}

// evidenceActions are the keys of the question's evidence list: link from
// the register, a note on a link, unlink.
func (q *questionsScreen) evidenceActions(m *Model) []action {
	k := m.keys
	id := q.current()
	links := linkedOf(m, id)
	acts := listKeys(k, &q.evCur, len(links), 5, nil)
	return append(acts,
		editing(actAs(k.New, "link evidence", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openPicker(id) })),
		editing(actAs(k.Open, "note on the link", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if q.evCur >= len(links) {
				return nil
			}
			return m.openLinkNote(id, links[q.evCur].Entry, "", restored{})
		})),
		editing(actAs(k.Delete, "unlink", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if q.evCur >= len(links) {
				return nil
			}
			gone := links[q.evCur].Entry
			next := slices.Delete(slices.Clone(links), q.evCur, q.evCur+1)
			q.evCur = max(0, min(q.evCur, len(next)-1))
			return m.setLinks(id, next, id+" unlinked "+gone)
		})),
		actAs(k.Back, "done", func(*Model, tea.KeyPressMsg) tea.Cmd { q.mode = qBrowse; return nil }),
	)
}

func indexOf(links []model.EvidenceLink, entry string) int {
	return slices.IndexFunc(links, func(l model.EvidenceLink) bool { return l.Entry == entry })
}

// ---- picking from the register ----

// pickerDialog links a control to a piece of evidence picked from the
// register, filtered as the user types; its first row adds a new entry.
type pickerDialog struct {
	control string
	query   lineField
	cursor  int
	rows    int
	narrow  narrowing // of the register, by query
}

func (m *Model) openPicker(control string) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	p := &pickerDialog{control: control, query: newLineField("Filter", "", 200)}
	m.questions.mode = qEvidenceList
	m.openDialog(p)
	return p.query.focus()
}

func (p *pickerDialog) title() string { return "Link evidence to " + p.control }
func (p *pickerDialog) typing() bool  { return true }

func (p *pickerDialog) setSize(_ *Model, w, h int) {
	p.query.setWidth(w - 10)
	p.rows = max(1, h-4)
}

// choices are the register's items the control does not link yet, as
// the filter keeps them; nil stands for "a new entry", always first.
func (p *pickerDialog) choices(m *Model) []*model.EvidenceItem {
	out := []*model.EvidenceItem{nil}
	links := linkedOf(m, p.control)
	query := strings.ToLower(p.query.text())
	terms := strings.Fields(query)
	for _, i := range narrowRows(&p.narrow, m.review.Register, itemSearch, query, func(text string) bool { return containsAll(text, terms) }, nil) {
		if it := &m.review.Register[i]; indexOf(links, it.ID) < 0 {
			out = append(out, it)
		}
	}
	return out
}

// itemSearch is what a filter looks in for a piece of evidence.
func itemSearch(it model.EvidenceItem) string {
	return strings.Join([]string{it.ID, it.Title, it.DocumentID, it.Version, it.Date, it.Location, string(it.Owner), string(it.Kind),
		currencyLine(it)}, " ")
}

func (p *pickerDialog) actions(m *Model) []action {
	k := m.keys
	n := len(p.choices(m))
	move := func(d int) func(*Model, tea.KeyPressMsg) tea.Cmd {
		return func(*Model, tea.KeyPressMsg) tea.Cmd { p.cursor = max(0, min(n-1, p.cursor+d)); return nil }
	}
	return formFirst([]action{
		actAs(k.Save, "link", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			cs := p.choices(m)
			m.closeDialog()
			if p.cursor >= len(cs) || cs[p.cursor] == nil {
				return m.openEntry("", p.control, nil, restored{})
			}
			it := cs[p.cursor]
			links := append(slices.Clone(linkedOf(m, p.control)), model.EvidenceLink{Entry: it.ID})
			m.questions.evCur = len(links) - 1
			return m.setLinks(p.control, links, p.control+" linked "+it.ID)
		}),
		actAs(k.NextField, "down the list", move(+1)),
		actAs(k.PrevField, "up the list", move(-1)),
		m.cancelAction(false),
	})
}

func (p *pickerDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	before := p.query.text()
	cmd := p.query.update(m, msg)
	if p.query.text() != before {
		p.cursor = 0
	}
	return cmd
}

func (p *pickerDialog) view(m *Model, w, h int) string {
	st := m.styles
	cs := p.choices(m)
	p.cursor = max(0, min(p.cursor, len(cs)-1))
	lines := []string{"filter: " + p.query.view(w-8)}
	rows := max(1, h-3)
	off := scrollOffset(p.cursor, 0, rows, len(cs))
	for i := off; i < len(cs) && i < off+rows; i++ {
		text := "+ a new entry in the register…"
		if it := cs[i]; it != nil {
			text = fmt.Sprintf("%s · %s · %s", itemLine(*it), strings.TrimSpace(string(it.Owner)+" "+string(it.Kind)), currencyLine(*it))
		}
		if i == p.cursor {
			lines = append(lines, st.Selected.Render(cell("▸ "+text, w)))
		} else {
			lines = append(lines, cell("  "+text, w))
		}
	}
	if len(cs) == 1 && p.query.text() != "" {
		lines = append(lines, st.Muted.Render("  nothing else matches: enter adds a new entry"))
	}
	return strings.Join(append(lines, st.Muted.Render(cell(fmt.Sprintf("%d in the register · type to filter · ↑↓ choose · enter links", len(m.review.Register)), w))), "\n")
}

// ---- one line of text: a link's note, a report's reason ----

// lineDialog asks for one line of text and hands it to save; required
// refuses an empty one. Its draft is kept under form and target.
type lineDialog struct {
	heading, prompt string
	form, target    string
	required        bool
	field           lineField
	from            restored
	save            func(m *Model, text string) tea.Cmd
}

const (
	formLinkNote     = "link-note"     // target CONTROL#ENTRY
	formReportReason = "report-reason" // target SOURCE
	// formEvidenceRef is the free-text evidence form of the wizard before
	// the register (target CONTROL#INDEX): its drafts open as new entries.
	formEvidenceRef = "evidence"
)

func (m *Model) openLine(d *lineDialog, stored, text string) tea.Cmd {
	d.field = newLineField(d.heading, stored, store.MaxTextBytes)
	if !d.from.at.IsZero() {
		d.field.set(text)
	}
	m.openDialog(d)
	return d.field.focus()
}

// openLinkNote edits the note of a control's link to an entry: the
// section of the document that applies.
func (m *Model) openLinkNote(control, entry, text string, from restored) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	i := indexOf(linkedOf(m, control), entry)
	if i < 0 {
		return nil
	}
	stored := linkedOf(m, control)[i].Note
	d := &lineDialog{heading: "Note on the link", prompt: fmt.Sprintf("%s cites %s: which section applies? (optional)", control, entry),
		form: formLinkNote, target: control + "#" + entry, from: from,
		save: func(m *Model, note string) tea.Cmd {
			links := slices.Clone(linkedOf(m, control))
			i := indexOf(links, entry)
			if i < 0 || links[i].Note == note {
				return nil
			}
			links[i].Note = note
			return m.setLinks(control, links, control+" note on "+entry)
		}}
	return m.openLine(d, stored, text)
}

func (d *lineDialog) title() string { return d.heading }
func (d *lineDialog) typing() bool  { return true }

func (d *lineDialog) setSize(_ *Model, w, _ int) { d.field.setWidth(w - 2) }

func (d *lineDialog) draft() *store.Draft {
	if !d.field.changed() {
		return nil
	}
	return &store.Draft{Form: d.form, Target: d.target, Fields: []string{d.field.text()}}
}

func (d *lineDialog) actions(m *Model) []action {
	return formFirst([]action{
		act(m.keys.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			text := d.field.value()
			if d.required && strings.TrimSpace(text) == "" {
				m.flashError("NOT SAVED: " + d.prompt)
				return nil
			}
			m.closeDialog()
			return d.save(m, text)
		}),
		m.cancelAction(d.field.changed()),
	})
}

func (d *lineDialog) update(m *Model, msg tea.Msg) tea.Cmd { return d.field.update(m, msg) }

func (d *lineDialog) view(m *Model, w, _ int) string {
	var lines []string
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	lines = append(lines, wrap(d.prompt, w)...)
	lines = append(lines, "▸ "+d.field.view(w-2), m.styles.Muted.Render("enter saves · esc cancels"))
	return strings.Join(lines, "\n")
}

// ---- a register entry ----

// entryDialog adds an entry to the register (and links it to the control
// it was opened from, if any) or edits one; an edit reaches every control
// that cites the entry.
type entryDialog struct {
	id      string // "" for a new entry
	control string // link the new entry here
	field   int
	inputs  [8]lineField
	owner   model.Supplier
	kind    model.DocKind
	from    restored
	// base is the entry as the form's unchanged fields show it: as
	// opened, then as another person last saved it (onus serve).
	base  model.EvidenceEntry
	under *entryUnder
	width int
}

const formEntry = "entry"

const (
	enTitle = iota
	enDoc
	enVersion
	enDate
	enLocation
	enFrom
	enTo
	enValid
	enOwner
	enKind
)

var entryLabels = [...]string{"Title", "Document no.", "Version", "Date (YYYY-MM-DD)", "Location (DMS, URL…)", "Period from", "Period to",
	"Valid until", "Owner", "Kind"}

var owners = []model.Supplier{model.SupplierCustomer, model.SupplierAWS, model.SupplierThirdParty}

// openEntry opens entry id ("" for a new one, linked to control when
// given); fields, when given, are a draft's (eight texts, owner, kind).
func (m *Model) openEntry(id, control string, fields []string, from restored) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	e := model.EvidenceEntry{Owner: model.SupplierCustomer}
	if id != "" {
		var ok bool
		if e, ok = m.cur.Entry(id); !ok {
			return nil
		}
	}
	d := &entryDialog{id: id, control: control, owner: e.Owner, kind: e.Kind, from: from, base: e}
	for i, v := range []string{e.Title, e.DocumentID, e.Version, e.Date, e.Location, e.PeriodStart, e.PeriodEnd, e.ValidUntil} {
		limit := store.MaxTextBytes
		if i == enDate || i >= enFrom {
			limit = len("YYYY-MM-DD")
		}
		d.inputs[i] = newLineField(entryLabels[i], v, limit)
		if i < len(fields) {
			d.inputs[i].set(fields[i])
		}
	}
	if len(fields) > enOwner && model.Supplier(fields[enOwner]).Valid() {
		d.owner = model.Supplier(fields[enOwner])
	}
	if len(fields) > enKind && (fields[enKind] == "" || model.DocKind(fields[enKind]).Valid()) {
		d.kind = model.DocKind(fields[enKind])
	}
	m.openDialog(d)
	return d.inputs[0].focus()
}

func (d *entryDialog) title() string {
	if d.id == "" {
		return "New evidence entry"
	}
	return "Evidence " + d.id + ": every control citing it shows the change"
}

func (d *entryDialog) typing() bool { return d.field < len(d.inputs) }

func (d *entryDialog) setSize(_ *Model, w, _ int) {
	d.width = w
	for i := range d.inputs {
		d.inputs[i].setWidth(w - 24)
	}
}

func (d *entryDialog) changed() bool {
	return slices.ContainsFunc(d.inputs[:], func(f lineField) bool { return f.changed() })
}

func (d *entryDialog) draft() *store.Draft {
	if !d.changed() {
		return nil
	}
	var fields []string
	for i := range d.inputs {
		fields = append(fields, d.inputs[i].text())
	}
	return &store.Draft{Form: formEntry, Target: d.id + "#" + d.control, Fields: append(fields, string(d.owner), string(d.kind))}
}

func (d *entryDialog) focus(i int) tea.Cmd {
	for j := range d.inputs {
		d.inputs[j].blur()
	}
	d.field = (i + len(entryLabels)) % len(entryLabels)
	if d.field < len(d.inputs) {
		return d.inputs[d.field].focus()
	}
	return nil
}

func (d *entryDialog) entry(id string) model.EvidenceEntry {
	v := func(i int) string { return d.inputs[i].value() }
	return model.EvidenceEntry{ID: id, Title: v(enTitle), DocumentID: v(enDoc), Version: v(enVersion), Date: v(enDate), Location: v(enLocation),
		Owner: d.owner, Kind: d.kind, PeriodStart: v(enFrom), PeriodEnd: v(enTo), ValidUntil: v(enValid)}
}

func (d *entryDialog) validation() string {
	if err := model.ValidateEntry(d.entry("E0")); err != nil {
		return err.Error()
	}
	return ""
}

var kindChoices = append([]string{"—"}, func() []string {
	out := make([]string, len(model.DocKinds))
	for i, k := range model.DocKinds {
		out[i] = string(k)
	}
	return out
}()...)

func kindLabel(k model.DocKind) string {
	if k == "" {
		return "—"
	}
	return string(k)
}

func (d *entryDialog) actions(m *Model) []action {
	k := m.keys
	acts := []action{
		act(k.NextField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
		act(k.PrevField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
	}
	cycle := func(n int, i *int, key tea.KeyPressMsg) {
		if key.String() == "left" {
			*i = (*i + n - 1) % n
		} else {
			*i = (*i + 1) % n
		}
	}
	switch d.field {
	case enOwner:
		acts = append(acts, actAs(k.Choose, "owner", func(_ *Model, key tea.KeyPressMsg) tea.Cmd {
			i := slices.Index(owners, d.owner)
			cycle(len(owners), &i, key)
			d.owner = owners[i]
			return nil
		}))
	case enKind:
		acts = append(acts, actAs(k.Choose, "kind", func(_ *Model, key tea.KeyPressMsg) tea.Cmd {
			i := slices.Index(kindChoices, kindLabel(d.kind))
			cycle(len(kindChoices), &i, key)
			d.kind = model.DocKind(strings.TrimPrefix(kindChoices[i], "—"))
			return nil
		}))
	}
	if d.under.conflicts(d) {
		acts = append(acts, act(k.TakeTheirs, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.takeTheirs(m) }))
	}
	return formFirst(append(acts,
		act(k.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if d.under != nil && d.under.removed {
				m.flashError("NOT SAVED: " + safetext.Line(d.under.by) + " removed " + d.id + " meanwhile; esc closes the form")
				return nil
			}
			if v := d.validation(); v != "" {
				m.flashError("NOT SAVED: " + v)
				return nil
			}
			m.closeDialog()
			return d.save(m)
		}),
		m.cancelAction(d.changed()),
	))
}

func (d *entryDialog) save(m *Model) tea.Cmd {
	if d.id != "" {
		old, _ := m.cur.Entry(d.id)
		e := d.entry(d.id)
		if e == old {
			return nil
		}
		key := "evidence/" + d.id
		return m.apply(change{key: key, entry: key, what: "evidence " + d.id + " edited", do: putEntryEdit(e, false), undo: putEntryEdit(old, false)})
	}
	e := d.entry(m.nextEntryID())
	key := "evidence/" + e.ID
	cmd := m.apply(change{key: key, entry: key, what: "evidence " + e.ID + " added", do: putEntryEdit(e, true), undo: removeEntryEdit(e.ID)})
	if d.control == "" {
		m.evidence.seekID = e.ID
		return cmd
	}
	links := append(slices.Clone(linkedOf(m, d.control)), model.EvidenceLink{Entry: e.ID})
	m.questions.evCur = len(links) - 1
	return tea.Batch(cmd, m.setLinks(d.control, links, d.control+" linked "+e.ID))
}

func (d *entryDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	if d.field < len(d.inputs) {
		return d.inputs[d.field].update(m, msg)
	}
	return nil
}

func (d *entryDialog) view(m *Model, w, _ int) string {
	st := m.styles
	var lines []string
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	if d.control != "" {
		c, _ := m.catalog().Control(d.control)
		lines = append(lines, st.Title.Render(cell("for "+c.ID+" · "+c.Title, w)))
	}
	lines = append(lines, d.under.notice(m, d, w)...)
	const labelW = 21
	for i, l := range entryLabels {
		cur := "  "
		if i == d.field {
			cur = st.Cursor.Render("▸ ")
		}
		var val string
		switch {
		case i < len(d.inputs):
			val = d.inputs[i].view(w - labelW - 3)
		case i == enOwner:
			var opts []string
			for _, o := range owners {
				opts = append(opts, string(o))
			}
			val = choiceRow(opts, string(d.owner), i == d.field, w-labelW-3, st)
		default:
			val = choiceRow(kindChoices, kindLabel(d.kind), i == d.field, w-labelW-3, st)
		}
		lines = append(lines, fmt.Sprintf("%s%-*s %s", cur, labelW, l, val))
		if theirs, ok := d.under.theirsAt(d, i); ok {
			lines = append(lines, st.Warn.Render(cell(fmt.Sprintf("  %-*s %s", labelW, "  theirs:", orDash(safetext.Line(theirs))), w)))
		}
	}
	if v := d.validation(); v != "" {
		lines = append(lines, problemLines(st.Error, "✘ "+v, w)...)
	} else {
		lines = append(lines, st.Muted.Render(cell("Valid until: when it is due for review or replacement; after it, every control citing it is flagged.", w)))
	}
	return strings.Join(lines, "\n")
}

// ---- the Evidence screen ----

// evidenceScreen is the register: every piece of evidence (the entries,
// then the supplier records), its currency, the controls it supports
// and, for the highlighted one, what goes wrong with them.
type evidenceScreen struct {
	plainScreen
	cursor int
	filter listFilter
	rows   int
	seekID string // the entry just added: the cursor goes to it
	narrow narrowing
	shown  struct { // what items last returned, for its register and query
		of    []model.EvidenceItem
		query string
		list  []model.EvidenceItem
	}
	widths struct { // the columns, for a register (columns)
		of              []model.EvidenceItem
		id, owner, kind int
	}
}

func (s *evidenceScreen) typing() bool { return s.filter.on }

// items is the register as the filter keeps it: a piece of evidence is
// found by its own text and by the controls it supports.
func (s *evidenceScreen) items(m *Model) []model.EvidenceItem {
	all, query := m.review.Register, strings.ToLower(s.filter.text())
	if !s.filter.active() || len(all) == 0 {
		return all
	}
	if len(s.shown.of) == len(all) && &s.shown.of[0] == &all[0] && s.shown.query == query {
		return s.shown.list
	}
	terms := strings.Fields(query)
	rows := narrowRows(&s.narrow, all, func(it model.EvidenceItem) string {
		var text strings.Builder
		text.WriteString(itemSearch(it))
		for _, sp := range it.Supports {
			text.WriteString(" " + sp.Control + " " + sp.Note)
		}
		return text.String()
	}, query, func(text string) bool { return containsAll(text, terms) }, nil)
	out := make([]model.EvidenceItem, len(rows))
	for k, i := range rows {
		out[k] = all[i]
	}
	s.shown.of, s.shown.query, s.shown.list = all, query, out
	return out
}

func (s *evidenceScreen) selected(m *Model) (model.EvidenceItem, bool) {
	its := s.items(m)
	if s.seekID != "" {
		if i := slices.IndexFunc(its, func(it model.EvidenceItem) bool { return it.ID == s.seekID }); i >= 0 {
			s.cursor = i
			s.seekID = ""
		}
	}
	if s.cursor < 0 || s.cursor >= len(its) {
		return model.EvidenceItem{}, false
	}
	return its[s.cursor], true
}

func (s *evidenceScreen) place(m *Model) string {
	it, _ := s.selected(m)
	return it.ID
}

func (s *evidenceScreen) seek(m *Model, at string) { s.seekID = at; s.selected(m) }

func (s *evidenceScreen) setSize(m *Model, w, h int) {
	s.filter.setWidth(w - 30)
	s.rows = max(1, h-10)
	s.cursor = max(0, min(s.cursor, len(s.items(m))-1))
}

func (s *evidenceScreen) actions(m *Model) []action {
	if m.cur == nil {
		return nil
	}
	k := m.keys
	refilter := func(*Model) { s.cursor = 0 }
	if s.filter.on {
		return s.filter.actions(m, refilter)
	}
	acts := listKeys(k, &s.cursor, len(s.items(m)), s.rows, nil)
	acts = append(acts,
		editing(actAs(k.New, "new entry", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openEntry("", "", nil, restored{}) })),
		editing(actAs(k.Open, "edit", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			it, ok := s.selected(m)
			switch {
			case !ok:
				return nil
			case it.IsSupplier(): // on the Supplier step, esc comes back here
				return tea.Batch(m.goTo(place{screen: screenSupplier, at: it.Source}), m.openSupplierRecord(it.Source, nil, restored{}))
			}
			return m.openEntry(it.ID, "", nil, restored{})
		})),
		editing(actAs(k.Delete, "remove…", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			it, ok := s.selected(m)
			switch {
			case !ok:
			case it.IsSupplier():
				m.removeRecord(it.Source)
			default:
				m.removeEntry(it.EvidenceEntry)
			}
			return nil
		})),
		s.filter.openAction(m),
	)
	if s.filter.active() {
		acts = append(acts, s.filter.clearAction(m, refilter))
	}
	return acts
}

func (s *evidenceScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	return s.filter.updateList(m, msg, &s.cursor)
}

func (s *evidenceScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	all := m.review.Register
	its := s.items(m)
	stale, unused := 0, 0
	for _, it := range all {
		if it.Stale {
			stale++
		}
		if len(it.Supports) == 0 {
			unused++
		}
	}
	verb := "support"
	if unused == 1 {
		verb = "supports"
	}
	head := st.Title.Render("Evidence register") + st.Muted.Render(fmt.Sprintf("  %s · %d stale · %d %s no applicable control", plural.Count(len(all), "piece", "pieces"), stale, unused, verb))
	if s.filter.active() {
		head = st.Title.Render("Evidence register") + "  " + s.filter.view(m, w-30) + st.Muted.Render(fmt.Sprintf("  %d of %d", len(its), len(all)))
	}
	lines := []string{truncate(head, w, "…"), ""}
	idW, ownW, kindW := s.columns(all)
	const ctlW = len("CTRLS")
	// The title and the currency share what the other columns leave.
	room := max(16, w-2-idW-ownW-kindW-ctlW-5)
	curW := max(8, min(40, room*2/5))
	titleW := max(8, room-curW)
	row := func(id, own, kind, title, cur, ctl string) string {
		return fmt.Sprintf("%-*s %-*s %-*s %-*s %-*s %*s", idW, cell(id, idW), ownW, own, kindW, kind, titleW, cell(title, titleW), curW, cell(cur, curW), ctlW, ctl)
	}
	lines = append(lines, st.Muted.Render(cell("  "+row("ID", "OWNER", "KIND", "TITLE", "CURRENCY", "CTRLS"), w)))
	sel, ok := s.selected(m)
	var detail []string
	if ok {
		detail = s.detail(m, sel, w)
	}
	rows := max(1, h-len(lines)-2-len(detail))
	off := scrollOffset(s.cursor, 0, rows, len(its))
	for i := off; i < len(its) && i < off+rows; i++ {
		it := its[i]
		title := it.Title
		if it.DocumentID != "" {
			title += " · " + it.DocumentID
		}
		line := row(it.ID, string(it.Owner), string(it.Kind), title, currencyLine(it), fmt.Sprint(len(it.Supports)))
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd { m.evidence.cursor = i; return nil })
		switch {
		case i == s.cursor:
			lines = append(lines, st.Selected.Render(cell("▸ "+line, w)))
		case it.Stale:
			lines = append(lines, "  "+st.Warn.Render(cell(line, w-2)))
		default:
			lines = append(lines, cell("  "+line, w))
		}
	}
	switch {
	case len(all) == 0:
		lines = append(lines, st.Muted.Render("  The register is empty: n adds a document; e on a question links one; the Supplier step records AWS's reports."))
	case len(its) == 0:
		lines = append(lines, st.Muted.Render("  nothing matches the filter (esc clears it)"))
	case len(its) > rows:
		lines = append(lines, st.Muted.Render(fmt.Sprintf("  rows %d–%d of %d", off+1, min(len(its), off+rows), len(its))))
	}
	lines = append(lines, "")
	return strings.Join(append(lines, detail...), "\n")
}

// detail is the highlighted piece of evidence in full: what it is, its
// currency, the controls it supports (with the notes of their links), and
// its gaps: the controls its staleness flags, or that it supports none.
func (s *evidenceScreen) detail(m *Model, it model.EvidenceItem, w int) []string {
	st := m.styles
	parts := []string{it.ID + " " + it.Title}
	for _, p := range []string{it.DocumentID, it.Version, it.Date, it.Location, string(it.Owner) + " " + string(it.Kind)} {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	if it.PeriodStart != "" || it.PeriodEnd != "" {
		parts = append(parts, "period "+orDash(it.PeriodStart)+" to "+orDash(it.PeriodEnd))
	}
	out := wrap(strings.Join(parts, " · "), w)
	cur := currencyLine(it)
	if it.Stale {
		out = append(out, st.Warn.Render(cell(cur, w)))
	} else {
		out = append(out, cell(cur, w))
	}
	var sup []string
	for _, sp := range it.Supports[:min(len(it.Supports), maxSupportsShown)] {
		t := sp.Control
		if sp.Note != "" {
			t += " (" + sp.Note + ")"
		}
		if !sp.Linked {
			t += "*"
		}
		sup = append(sup, t)
	}
	switch {
	case len(sup) == 0:
		out = append(out, st.Warn.Render(cell("Gap: supports no applicable control.", w)))
	default:
		text := fmt.Sprintf("Supports %d: %s", len(it.Supports), strings.Join(sup, ", "))
		if more := len(it.Supports) - len(sup); more > 0 {
			text += fmt.Sprintf(" and %d more (the questions' filter finds them by this id)", more)
		}
		if it.IsSupplier() {
			text += " (* expected from AWS by the catalog, no link needed)"
		}
		out = append(out, wrap(text, w)...)
		if it.Stale {
			flagged := fmt.Sprintf("each of the %d controls it supports is", len(it.Supports))
			if len(it.Supports) == 1 {
				flagged = "the control it supports is"
			}
			out = append(out, st.Warn.Render(cell("Gap: stale, so "+flagged+" flagged in the questions, the review and the reports.", w)))
		}
	}
	return out
}

// maxSupportsShown is how many of the controls a piece of evidence
// supports its detail names: an AWS report supports most controls, which
// would take more lines than the screen has.
const maxSupportsShown = 24

// columns sizes the register's columns (id, owner, kind) by every piece
// of evidence in it, once per register.
func (s *evidenceScreen) columns(all []model.EvidenceItem) (id, owner, kind int) {
	c := &s.widths
	if len(all) == 0 || len(c.of) != len(all) || &c.of[0] != &all[0] {
		c.of, c.id, c.owner, c.kind = all, len("ID"), len("OWNER"), len("KIND")
		for _, it := range all {
			c.id = max(c.id, width(safetext.Line(it.ID)))
			c.owner = max(c.owner, width(string(it.Owner)))
			c.kind = max(c.kind, width(string(it.Kind)))
		}
		c.id = min(c.id, 16)
	}
	return c.id, c.owner, c.kind
}

// ---- AWS reports that matter ----

// toggleNeed adds an optional AWS report, or dismisses a needed one, with
// a reason; a choice already made goes back to the catalog's rule.
func (m *Model) toggleNeed(source string) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	n, ok := m.review.Need(source)
	if !ok {
		return nil
	}
	set := func(c *model.ReportChoice) edit {
		return edit{
			apply: func(a *model.Assessment) {
				a.Reports = slices.DeleteFunc(slices.Clone(a.Reports), func(r model.ReportChoice) bool { return r.Source == source })
				if c != nil {
					a.Reports = append(a.Reports, *c)
				}
			},
			save: func(st Store, id, _ string) (model.Assessment, error) { return st.SetReportChoice(id, source, c) },
		}
	}
	key := "report/" + source
	if n.Choice != nil {
		return m.apply(change{key: key, entry: key, what: source + " back to the catalog's rule", do: set(nil), undo: set(n.Choice)})
	}
	src, _ := m.catalog().EvidenceSource(source)
	verb, heading := "dismissed", "Dismiss "+source
	prompt := fmt.Sprintf("Why is %s not needed here? The catalog asks for it: %s. The reason is recorded.", safetext.Line(src.Name), n.Rule)
	if !n.Relevant {
		verb, heading = "added", "Add "+source
		prompt = fmt.Sprintf("Why is %s needed here? The catalog makes it optional: %s. The reason is recorded.", safetext.Line(src.Name),
			strings.TrimPrefix(n.Rule, "optional: "))
	}
	d := &lineDialog{heading: heading, prompt: prompt,
		form: formReportReason, target: source, required: true,
		save: func(m *Model, reason string) tea.Cmd {
			c := &model.ReportChoice{Source: source, Relevant: !n.Relevant, Reason: reason}
			return m.apply(change{key: key, entry: key, what: source + " " + verb, do: set(c), undo: set(nil)})
		}}
	return m.openLine(d, "", "")
}

// needText says whether the assessment needs a source, and why.
func needText(n model.ReportNeed) string {
	switch {
	case n.Choice != nil && n.Choice.Relevant:
		return "Added by you: " + n.Choice.Reason + " (the catalog: " + n.Rule + ")"
	case n.Choice != nil:
		return "Dismissed by you: " + n.Choice.Reason + " (the catalog: " + n.Rule + ")"
	case n.Relevant:
		return "Needed: " + n.Rule
	}
	return "Optional: " + strings.TrimPrefix(n.Rule, "optional: ")
}

// removeRecord asks, saying which controls link it, and removes a
// supplier record (unlinking it first).
func (m *Model) removeRecord(source string) {
	src, _ := m.catalog().EvidenceSource(source)
	prev, ok := record(m.cur, source)
	if !ok {
		m.flashError("no record of " + src.Name + " to remove")
		return
	}
	q := fmt.Sprintf("Remove the record of %s? The audit trail keeps it.", safetext.Line(src.Name))
	if from := m.cur.LinkedFrom(model.SupplierEntryID(source)); len(from) > 0 {
		q = fmt.Sprintf("Remove the record of %s? %s; removing it unlinks it from each. The audit trail keeps both.",
			safetext.Line(src.Name), model.LinkedPhrase(from))
	}
	m.confirm("Remove?", q, func(m *Model) tea.Cmd {
		do := removeRecordEdit(source)
		return m.apply(change{key: "supplier/" + source, entry: "supplier/" + source, what: "removed the record of " + src.Name,
			do: do, undo: putRecord(prev)})
	})
}
