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

// recordsScreen is the Part 11 record inventory: which of the system's
// records are Part 11 records, by the predicate rule that requires them
// (21 CFR 11.1(b)), how long and where they are kept, and how an FDA
// inspector can see them (11.1(e)). It is a step while Part 11 is in
// effect.
type recordsScreen struct {
	plainScreen
	cursor int
	rows   int
}

func (s *recordsScreen) setSize(m *Model, _, h int) {
	s.rows = max(1, h-10)
	if m.cur != nil {
		s.cursor = max(0, min(s.cursor, len(m.cur.Records)-1))
	}
}

func (s *recordsScreen) place(m *Model) string {
	if r, ok := s.selected(m); ok {
		return r.DataClass
	}
	return ""
}

func (s *recordsScreen) seek(m *Model, at string) {
	if i := slices.IndexFunc(m.cur.Records, func(r model.RecordEntry) bool { return r.DataClass == at }); i >= 0 {
		s.cursor = i
	}
}

func (s *recordsScreen) selected(m *Model) (model.RecordEntry, bool) {
	if m.cur == nil || s.cursor < 0 || s.cursor >= len(m.cur.Records) {
		return model.RecordEntry{}, false
	}
	return m.cur.Records[s.cursor], true
}

func (s *recordsScreen) actions(m *Model) []action {
	if m.cur == nil {
		return nil
	}
	k := m.keys
	acts := listKeys(k, &s.cursor, len(m.cur.Records), s.rows, nil)
	acts = append(acts,
		actAs(k.New, "add a data class", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openRecord("", nil, restored{}) }),
		actAs(k.Open, "edit", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if r, ok := s.selected(m); ok {
				return m.openRecord(r.DataClass, nil, restored{})
			}
			return nil
		}),
		actAs(k.Delete, "remove", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			r, ok := s.selected(m)
			if !ok {
				return nil
			}
			m.confirm("Remove?", fmt.Sprintf("Remove %q from the record inventory? The audit trail keeps it.", safetext.Line(r.DataClass)),
				func(m *Model) tea.Cmd {
					return m.apply(change{key: "records/" + r.DataClass, entry: "records/" + r.DataClass, what: "removed " + r.DataClass,
						do: removeRecordEntry(r.DataClass), undo: putRecordEntry(r, "")})
				})
			return nil
		}),
	)
	return acts
}

// putRecordEntry adds an entry, or replaces the one whose class was was
// (a rename when the classes differ).
func putRecordEntry(r model.RecordEntry, was string) edit {
	return edit{
		apply: func(a *model.Assessment) {
			key := r.DataClass
			if was != "" {
				key = was
			}
			if i := slices.IndexFunc(a.Records, func(x model.RecordEntry) bool { return x.DataClass == key }); i >= 0 {
				a.Records[i] = r
				return
			}
			a.Records = append(a.Records, r)
		},
		save: func(st Store, id, _ string) (model.Assessment, error) { return st.SetRecord(id, was, r) },
	}
}

func removeRecordEntry(class string) edit {
	return edit{
		apply: func(a *model.Assessment) {
			a.Records = slices.DeleteFunc(a.Records, func(x model.RecordEntry) bool { return x.DataClass == class })
		},
		save: func(st Store, id, _ string) (model.Assessment, error) { return st.RemoveRecord(id, class) },
	}
}

func (s *recordsScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	lines := []string{st.Title.Render("Record inventory") + st.Muted.Render(cell("  which records are Part 11 records, and how they are kept", max(0, w-16)))}
	if !m.catalog().InEffect(m.cur.Scope, part11) {
		lines = append(lines, st.Warn.Render(cell("21 CFR Part 11 is not in this assessment's scope; the inventory is kept as it is.", w)))
	}
	lines = append(lines, "")
	recs := m.cur.Records
	if len(recs) == 0 {
		for _, l := range wrap("No data class yet. n adds one: a kind of record the system holds, the predicate rule that requires it, "+
			"whether you rely on the electronic record to meet that rule (then it is a Part 11 record, 21 CFR 11.1(b)), "+
			"how long and where it is kept, and how an FDA inspector can see it (11.1(e)).", w) {
			lines = append(lines, st.Muted.Render(l))
		}
		return strings.Join(lines, "\n")
	}
	// The data class tells rows apart; the other columns share what is left.
	const partW = 7
	classW := max(12, min(30, w/4))
	rest := max(4*6, w-2-classW-partW-5)
	ruleW, retW, sysW := rest/4, rest/4, rest/4
	inspW := max(4, rest-ruleW-retW-sysW)
	row := func(class, rule, part, ret, sys, insp string) string {
		return fmt.Sprintf("%-*s %-*s %-*s %-*s %-*s %s", classW, cell(class, classW), ruleW, cell(rule, ruleW), partW, part,
			retW, cell(ret, retW), sysW, cell(sys, sysW), cell(insp, inspW))
	}
	lines = append(lines, st.Muted.Render("  "+row("DATA CLASS", "PREDICATE RULE", "PART 11", "RETENTION", "SYSTEM OF RECORD", "INSPECTION")))
	var detail []string
	if r, ok := s.selected(m); ok {
		detail = recordDetail(m, r, w)
	}
	rows := max(1, h-len(lines)-2-len(detail))
	off := scrollOffset(s.cursor, 0, rows, len(recs))
	for i := off; i < len(recs) && i < off+rows; i++ {
		r := recs[i]
		part := "no"
		if r.Part11 {
			part = "yes"
		}
		line := row(r.DataClass, r.PredicateRule, part, r.Retention, r.SystemOfRecord, r.Inspection)
		if m.isDraft("records/" + r.DataClass) {
			line = truncate(line, max(0, w-12), "…") + " " + st.NotSaved.Render("NOT SAVED")
		}
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd {
			if m.records.cursor == i {
				return m.openRecord(r.DataClass, nil, restored{})
			}
			m.records.cursor = i
			return nil
		})
		if i == s.cursor {
			lines = append(lines, st.Selected.Render("▸ "+line))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	part11s := 0
	for _, r := range recs {
		if r.Part11 {
			part11s++
		}
	}
	pos := ""
	if len(recs) > rows {
		pos = fmt.Sprintf(" · rows %d–%d of %d", off+1, min(len(recs), off+rows), len(recs))
	}
	lines = append(lines, "", st.Muted.Render(cell(fmt.Sprintf("%s · %s%s", plural.Count(len(recs), "data class", "data classes"),
		plural.Count(part11s, "Part 11 record", "Part 11 records"), pos), w)))
	return strings.Join(append(lines, detail...), "\n")
}

// recordDetail is the highlighted entry in full, wrapped, never cut.
func recordDetail(m *Model, r model.RecordEntry, w int) []string {
	what := "not a Part 11 record: the electronic record is not relied on to meet a predicate rule"
	if r.Part11 {
		what = "Part 11 record under " + orDash(r.PredicateRule)
	} else if r.PredicateRule != "" {
		what = "required by " + r.PredicateRule + ", but not a Part 11 record: the electronic record is not relied on to meet it"
	}
	parts := []string{r.DataClass + ": " + what, "kept " + r.Retention + " in " + r.SystemOfRecord}
	if r.Inspection != "" {
		parts = append(parts, "inspection: "+r.Inspection)
	}
	if r.Hybrid {
		parts = append(parts, "hybrid: signed by hand on paper executed to the electronic record (11.70)")
	}
	if r.Notes != "" {
		parts = append(parts, "notes: "+r.Notes)
	}
	return wrap(strings.Join(parts, " · "), w)
}

// recordDialog adds or edits one entry of the inventory.
type recordDialog struct {
	was    string // the data class being edited; "" for a new entry
	field  int
	inputs [rfCount]lineField // the text fields; the yes/no ones are unused
	part11 bool
	hybrid bool
	from   restored
}

const (
	rfClass = iota
	rfRule
	rfPart11
	rfRetention
	rfSystem
	rfInspection
	rfHybrid
	rfNotes
	rfCount
)

const formRecord = "record"

var recordFieldLabels = [rfCount]string{"Data class", "Predicate rule", "Part 11 record", "Retention", "System of record",
	"Inspection (11.1(e))", "Hybrid (11.70)", "Notes"}

var recordFieldHelp = [rfCount]string{
	"A kind of record the system holds, e.g. batch production record.",
	"The records requirement it meets, as cited, e.g. 21 CFR 211.188.",
	"Yes when the electronic record is relied on to meet the predicate rule (21 CFR 11.1(b)); then the rule and the inspection are required.",
	"How long it is kept, e.g. 1 year after batch expiry.",
	"Where the authoritative copy lives, e.g. MES database on Amazon RDS.",
	"How an FDA inspector can see it (11.1(e)), e.g. a read-only role and PDF export.",
	"Yes when it is signed by hand on paper executed to the electronic record (11.70).",
	"Anything else an auditor should know.",
}

func yesNoChoice(f int) bool { return f == rfPart11 || f == rfHybrid }

// openRecord opens the form on an entry (class "" for a new one); fields,
// when given, are a draft's: the texts in the order of the form, the two
// yes/no fields as "yes" or "no".
func (m *Model) openRecord(class string, fields []string, from restored) tea.Cmd {
	if m.screen != screenRecords {
		m.show(place{screen: screenRecords})
	}
	var r model.RecordEntry
	if class != "" {
		i := slices.IndexFunc(m.cur.Records, func(x model.RecordEntry) bool { return x.DataClass == class })
		if i < 0 {
			return nil
		}
		r = m.cur.Records[i]
		m.records.cursor = i
	}
	d := &recordDialog{was: class, part11: r.Part11, hybrid: r.Hybrid, from: from}
	values := [rfCount]string{rfClass: r.DataClass, rfRule: r.PredicateRule, rfRetention: r.Retention, rfSystem: r.SystemOfRecord,
		rfInspection: r.Inspection, rfNotes: r.Notes}
	for i := range d.inputs {
		limit := model.MaxRecordTextBytes
		if i == rfClass {
			limit = store.MaxNameBytes
		}
		d.inputs[i] = newLineField(recordFieldLabels[i], values[i], limit)
		if i < len(fields) {
			switch {
			case i == rfPart11:
				d.part11 = fields[i] == "yes"
			case i == rfHybrid:
				d.hybrid = fields[i] == "yes"
			default:
				d.inputs[i].set(fields[i])
			}
		}
	}
	m.openDialog(d)
	return d.inputs[rfClass].focus()
}

func (d *recordDialog) title() string {
	if d.was == "" {
		return "Add a data class"
	}
	return "Record inventory entry"
}

func (d *recordDialog) typing() bool { return !yesNoChoice(d.field) }

func (d *recordDialog) setSize(_ *Model, w, _ int) {
	for i := range d.inputs {
		d.inputs[i].setWidth(w - 24)
	}
}

func (d *recordDialog) changed() bool {
	for i := range d.inputs {
		if d.inputs[i].changed() {
			return true
		}
	}
	return false
}

func (d *recordDialog) draft() *store.Draft {
	if !d.changed() {
		return nil
	}
	fields := make([]string, rfCount)
	for i := range d.inputs {
		fields[i] = d.inputs[i].text()
	}
	fields[rfPart11], fields[rfHybrid] = yesNo(d.part11), yesNo(d.hybrid)
	return &store.Draft{Form: formRecord, Target: d.was, Fields: fields}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (d *recordDialog) focus(i int) tea.Cmd {
	for j := range d.inputs {
		d.inputs[j].blur()
	}
	d.field = (i + rfCount) % rfCount
	if !yesNoChoice(d.field) {
		return d.inputs[d.field].focus()
	}
	return nil
}

func (d *recordDialog) entry() model.RecordEntry {
	v := func(i int) string { return d.inputs[i].value() }
	return model.RecordEntry{DataClass: v(rfClass), PredicateRule: v(rfRule), Part11: d.part11, Retention: v(rfRetention),
		SystemOfRecord: v(rfSystem), Inspection: v(rfInspection), Hybrid: d.hybrid, Notes: v(rfNotes)}
}

// validation is the inline message for the form, or "".
func (d *recordDialog) validation(m *Model) string {
	r := d.entry()
	if strings.TrimSpace(r.DataClass) == "" {
		return "Data class: name the kind of record (required)."
	}
	if err := r.Validate(); err != nil {
		return err.Error()
	}
	if r.DataClass != d.was && slices.ContainsFunc(m.cur.Records, func(x model.RecordEntry) bool {
		return x.DataClass != d.was && strings.EqualFold(strings.TrimSpace(x.DataClass), strings.TrimSpace(r.DataClass))
	}) {
		return fmt.Sprintf("data class %q is listed already", r.DataClass)
	}
	return ""
}

func (d *recordDialog) actions(m *Model) []action {
	k := m.keys
	acts := []action{
		act(k.NextField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
		act(k.PrevField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
	}
	if yesNoChoice(d.field) {
		acts = append(acts, actAs(k.Choose, "yes or no", func(*Model, tea.KeyPressMsg) tea.Cmd {
			if d.field == rfPart11 {
				d.part11 = !d.part11
			} else {
				d.hybrid = !d.hybrid
			}
			return nil
		}))
	}
	return formFirst(append(acts, act(k.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.save(m) }), m.cancelAction(d.changed())))
}

// save closes the form and queues the change; the undo puts back the
// entry as it was (or removes the new one).
func (d *recordDialog) save(m *Model) tea.Cmd {
	if v := d.validation(m); v != "" {
		m.flashError("NOT SAVED: " + v)
		return nil
	}
	r := d.entry()
	m.closeDialog()
	undo := removeRecordEntry(r.DataClass)
	if d.was != "" {
		prev := m.cur.Records[slices.IndexFunc(m.cur.Records, func(x model.RecordEntry) bool { return x.DataClass == d.was })]
		if prev == r {
			return nil // nothing changed
		}
		undo = putRecordEntry(prev, r.DataClass)
	}
	m.records.cursor = len(m.cur.Records)
	if i := slices.IndexFunc(m.cur.Records, func(x model.RecordEntry) bool { return x.DataClass == d.was }); i >= 0 {
		m.records.cursor = i
	}
	return m.apply(change{key: "records/" + r.DataClass, entry: "records/" + r.DataClass, what: "record inventory: " + r.DataClass,
		do: putRecordEntry(r, d.was), undo: undo})
}

func (d *recordDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	if !yesNoChoice(d.field) {
		return d.inputs[d.field].update(m, msg)
	}
	return nil
}

func (d *recordDialog) view(m *Model, w, _ int) string {
	st := m.styles
	var lines []string
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	const labelW = 22
	for i, label := range recordFieldLabels {
		cur := "  "
		if i == d.field {
			cur = st.Cursor.Render("▸ ")
		}
		var val string
		switch i {
		case rfPart11:
			val = choiceRow([]string{"yes", "no"}, yesNo(d.part11), i == d.field, w-labelW-2, st)
		case rfHybrid:
			val = choiceRow([]string{"yes", "no"}, yesNo(d.hybrid), i == d.field, w-labelW-2, st)
		default:
			val = d.inputs[i].view(w - labelW - 2)
		}
		lines = append(lines, fmt.Sprintf("%s%-*s%s", cur, labelW, label, val))
	}
	for _, l := range wrap(recordFieldHelp[d.field], w) {
		lines = append(lines, st.Muted.Render(l))
	}
	if v := d.validation(m); v != "" {
		lines = append(lines, problemLines(st.Error, "✘ "+v, w)...)
	}
	return strings.Join(lines, "\n")
}
