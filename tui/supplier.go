package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// supplierScreen records the supplier assessment of AWS: which reports were
// obtained, for which period, reviewed by whom; stale ones are flagged.
type supplierScreen struct {
	plainScreen
	cursor int
	filter listFilter
	rows   int
}

func (s *supplierScreen) typing() bool { return s.filter.on }

// sources are the AWS reports the filter keeps.
func (s *supplierScreen) sources(m *Model) []model.EvidenceSource {
	all := m.catalog().AWSSources()
	if !s.filter.active() {
		return all
	}
	var out []model.EvidenceSource
	terms := s.filter.terms()
	for _, src := range all {
		r, ok := record(m.cur, src.ID)
		status := "not recorded"
		if ok {
			status = string(r.Status)
		}
		if n, _ := m.review.Need(src.ID); !ok && !n.Relevant {
			status = "optional"
		}
		if containsAll(strings.ToLower(src.ID+" "+src.Name+" "+status+" "+r.Reviewer), terms) {
			out = append(out, src)
		}
	}
	return out
}

func (s *supplierScreen) place(m *Model) string {
	src, _ := s.selected(m)
	return src.ID
}

func (s *supplierScreen) seek(m *Model, at string) {
	if i := slices.IndexFunc(s.sources(m), func(e model.EvidenceSource) bool { return e.ID == at }); i >= 0 {
		s.cursor = i
	}
}

func (s *supplierScreen) setSize(m *Model, w, h int) {
	s.filter.setWidth(w - 30)
	s.rows = max(1, h-8)
	s.cursor = max(0, min(s.cursor, len(s.sources(m))-1))
}

func record(a *model.Assessment, source string) (model.SupplierRecord, bool) {
	for _, r := range a.Supplier {
		if r.Source == source {
			return r, true
		}
	}
	return model.SupplierRecord{Source: source}, false
}

func (s *supplierScreen) selected(m *Model) (model.EvidenceSource, bool) {
	srcs := s.sources(m)
	if s.cursor < 0 || s.cursor >= len(srcs) {
		return model.EvidenceSource{}, false
	}
	return srcs[s.cursor], true
}

func (s *supplierScreen) actions(m *Model) []action {
	k := m.keys
	refilter := func(*Model) { s.cursor = 0 }
	if s.filter.on {
		return s.filter.actions(m, refilter)
	}
	acts := listKeys(k, &s.cursor, len(s.sources(m)), s.rows, nil)
	acts = append(acts,
		editing(actAs(k.Open, "record or edit", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if src, ok := s.selected(m); ok {
				return m.openSupplierRecord(src.ID, nil, restored{})
			}
			return nil
		})),
		editing(actAs(k.Delete, "remove the record", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if src, ok := s.selected(m); ok {
				m.removeRecord(src.ID)
			}
			return nil
		})),
		editing(actAs(k.Toggle, "needed / optional…", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if src, ok := s.selected(m); ok {
				return m.toggleNeed(src.ID)
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

func (s *supplierScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	return s.filter.updateList(m, msg, &s.cursor)
}

func putRecord(r model.SupplierRecord) edit {
	return edit{
		apply: func(a *model.Assessment) {
			a.Supplier = slices.DeleteFunc(a.Supplier, func(x model.SupplierRecord) bool { return x.Source == r.Source })
			a.Supplier = append(a.Supplier, r)
		},
		save: func(st Store, id, _ string) (model.Assessment, error) { return st.SetSupplierRecord(id, r) },
	}
}

func removeRecordEdit(source string) edit {
	return edit{
		apply: func(a *model.Assessment) {
			a.Supplier = slices.DeleteFunc(a.Supplier, func(x model.SupplierRecord) bool { return x.Source == source })
			unlinkAll(a, model.SupplierEntryID(source))
		},
		save: func(st Store, id, _ string) (model.Assessment, error) { return st.RemoveSupplierRecord(id, source) },
	}
}

// shortNames are the sources' names without the leading "AWS", which the
// screen's title says already, and with "ISO/IEC" as "ISO": neither tells
// one report from another, and what is left ("ISO 27017 certificate") does,
// even when cut.
func shortNames(srcs []model.EvidenceSource) []string {
	names := make([]string, len(srcs))
	for i, s := range srcs {
		names[i] = strings.Replace(strings.TrimPrefix(safetext.Line(s.Name), "AWS "), "ISO/IEC ", "ISO ", 1)
	}
	return names
}

// currency says whether a record is current; stale names why.
func (m *Model) currency(src model.EvidenceSource, r model.SupplierRecord, ok bool) (string, bool) {
	switch {
	case !ok:
		return "—", false
	case m.isDraft("supplier/" + src.ID):
		return "NOT SAVED", false
	}
	if bad, why := model.SupplierStale(src, r, m.now); bad {
		if rest, ok := strings.CutPrefix(why, "stale"); ok {
			return "⚠ STALE" + rest, true
		}
		return "⚠ STALE: " + why, true
	}
	return "✔ current", false
}

func (s *supplierScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	head := st.Title.Render("Supplier assessment of AWS") + st.Muted.Render("  reports from AWS Artifact and agreements")
	srcs := s.sources(m)
	if s.filter.active() {
		head = st.Title.Render("Supplier assessment of AWS") + "  " + s.filter.view(m, w-30) + st.Muted.Render(fmt.Sprintf("  %d of %d", len(srcs), len(m.catalog().AWSSources())))
	}
	lines := []string{truncate(head, w, "…"), ""}
	names := shortNames(srcs)
	currencies := make([]string, len(srcs))
	recorded, stale := 0, 0
	curW, revW, nameW := len("CURRENCY"), len("REVIEWER"), len("SOURCE")
	for i, src := range srcs {
		r, ok := record(m.cur, src.ID)
		c, bad := m.currency(src, r, ok)
		currencies[i] = c
		if ok {
			recorded++
			revW = max(revW, width(safetext.Line(r.Reviewer)))
		}
		if bad {
			stale++
		}
		curW = max(curW, width(c))
		nameW = max(nameW, width(names[i]))
	}
	// The currency (with why it is stale) and the source's name are what
	// tell rows apart; the reviewer and the obtained date give way first.
	const statusW, dateW = 12, 10
	showObtained := w-2-curW-statusW-dateW-6 >= 17+10+dateW+1
	fixed := 2 + statusW + dateW + curW + 4
	if showObtained {
		fixed += dateW + 1
	}
	room := max(0, w-fixed)
	revW = min(revW, max(8, room/3))
	nameW = min(nameW, max(12, room-revW))
	revW = max(4, min(revW, room-nameW))
	row := func(name, status, obtained, to, reviewer, currency string) string {
		out := fmt.Sprintf("%-*s %-*s ", nameW, name, statusW, status)
		if showObtained {
			out += fmt.Sprintf("%-*s ", dateW, obtained)
		}
		return out + fmt.Sprintf("%-*s %-*s %s", dateW, to, revW, reviewer, currency)
	}
	lines = append(lines, st.Muted.Render("  "+row("SOURCE", "STATUS", "OBTAINED", "PERIOD TO", "REVIEWER", "CURRENCY")))
	// The highlighted source's detail is never cut: the table gives way.
	var detail []string
	if src, ok := s.selected(m); ok {
		detail = s.detail(m, src, w)
	}
	rows := max(1, h-len(lines)-2-len(detail))
	off := scrollOffset(s.cursor, 0, rows, len(srcs))
	for i := off; i < len(srcs) && i < off+rows; i++ {
		r, ok := record(m.cur, srcs[i].ID)
		status := "not recorded"
		if n, _ := m.review.Need(srcs[i].ID); ok {
			status = string(r.Status)
		} else if !n.Relevant {
			status = "optional"
		}
		line := row(cell(names[i], nameW), status, cell(r.Obtained, dateW), cell(r.PeriodEnd, dateW), cell(r.Reviewer, revW), currencies[i])
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd {
			if m.supplier.cursor == i {
				if src, ok := m.supplier.selected(m); ok {
					return m.openSupplierRecord(src.ID, nil, restored{})
				}
			}
			m.supplier.cursor = i
			return nil
		})
		switch {
		case i == s.cursor:
			lines = append(lines, st.Selected.Render("▸ "+line))
		case strings.HasPrefix(currencies[i], "⚠"):
			lines = append(lines, "  "+st.Warn.Render(line))
		default:
			lines = append(lines, "  "+line)
		}
	}
	if len(srcs) == 0 {
		lines = append(lines, st.Muted.Render("  nothing matches the filter (esc clears it)"))
	}
	pos := ""
	if len(srcs) > rows {
		pos = fmt.Sprintf(" · rows %d–%d of %d", off+1, min(len(srcs), off+rows), len(srcs))
	}
	needed := 0
	for _, n := range m.review.Reports {
		if n.Relevant {
			needed++
		}
	}
	lines = append(lines, "", st.Muted.Render(cell(fmt.Sprintf("%d of %d sources recorded · %d stale · %d needed for this scope, the others optional%s",
		recorded, len(m.catalog().AWSSources()), stale, needed, pos), w)))
	lines = append(lines, detail...)
	return strings.Join(lines, "\n")
}

// detail is the highlighted source in full, wrapped, never cut: what was
// recorded, then its currency on a line of its own, then the source's rule.
func (s *supplierScreen) detail(m *Model, src model.EvidenceSource, w int) []string {
	r, ok := record(m.cur, src.ID)
	parts := []string{safetext.Line(src.Name)}
	if !ok {
		parts = append(parts, "not recorded: enter records it")
	} else {
		parts = append(parts, "obtained "+orDash(r.Obtained), "period "+orDash(r.PeriodStart)+" to "+orDash(r.PeriodEnd))
		if r.Reviewer != "" {
			parts = append(parts, "reviewed by "+safetext.Line(r.Reviewer)+" on "+orDash(r.ReviewedOn))
		}
	}
	lines := wrap(strings.Join(parts, " · "), w)
	if ok {
		c, _ := m.currency(src, r, ok)
		lines = append(lines, wrap(c, w)...)
	}
	if n, ok := m.review.Need(src.ID); ok {
		hint := "space adds it, with a reason"
		switch {
		case n.Choice != nil:
			hint = "space goes back to the catalog's rule"
		case n.Relevant:
			hint = "space dismisses it, with a reason"
		}
		lines = append(lines, wrap(needText(n)+" · "+hint, w)...)
	}
	if from := m.cur.LinkedFrom(model.SupplierEntryID(src.ID)); len(from) > 0 {
		lines = append(lines, wrap("Linked as "+model.SupplierEntryID(src.ID)+" from "+strings.Join(from, ", "), w)...)
	}
	return append(lines, wrap(src.FreshnessRule(), w)...)
}

// supplierDialog records or edits the record of one source.
type supplierDialog struct {
	source string
	field  int // 0..6 text fields, 7 status
	inputs [7]lineField
	status model.SupplierStatus
	from   restored
}

const (
	supObtained = iota
	supFrom
	supTo
	supSurveillance
	supVersion
	supReviewer
	supReviewedOn
	supStatus
)

const formSupplier = "supplier"

var supplierFieldLabels = [...]string{"Obtained (YYYY-MM-DD)", "Period from", "Period to", "Surveillance audit", "Version / report date", "Reviewer", "Reviewed on", "Status"}

// openSupplierRecord opens the form on a source's record; fields, when
// given, are a draft's (the seven texts, then the status; a draft from
// before the review date had five texts, one from before the surveillance
// date six).
func (m *Model) openSupplierRecord(source string, fields []string, from restored) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	src, ok := m.catalog().EvidenceSource(source)
	if !ok {
		return nil
	}
	if m.screen != screenSupplier {
		m.show(place{screen: screenSupplier})
	}
	m.supplier.filter.clear()
	m.supplier.seek(m, source)
	r, had := record(m.cur, src.ID)
	if !had {
		// A new record is pending: a review is recorded only when the
		// user enters it (the store refuses "reviewed" without a
		// reviewer and a review date).
		r.Obtained = m.now.Format(time.DateOnly)
		r.Status = model.SupplierPending
	}
	d := &supplierDialog{source: src.ID, status: r.Status, from: from}
	if len(fields) == 6 { // before the review date: no reviewed on
		fields = slices.Insert(slices.Clone(fields), 5, "")
	}
	if len(fields) == 7 { // before the surveillance date
		fields = slices.Insert(slices.Clone(fields), supSurveillance, "")
	}
	for i, v := range []string{r.Obtained, r.PeriodStart, r.PeriodEnd, r.Surveillance, r.Version, r.Reviewer, r.ReviewedOn} {
		limit := store.MaxTextBytes
		if i <= supSurveillance || i == supReviewedOn {
			limit = len("YYYY-MM-DD")
		}
		d.inputs[i] = newLineField(strings.Fields(supplierFieldLabels[i])[0], v, limit)
		if i < len(fields) {
			d.inputs[i].set(fields[i])
		}
	}
	if len(fields) > supStatus && slices.Contains(model.SupplierStatuses, model.SupplierStatus(fields[supStatus])) {
		d.status = model.SupplierStatus(fields[supStatus])
	}
	m.openDialog(d)
	return d.inputs[0].focus()
}

func (d *supplierDialog) title() string { return "Supplier record" }
func (d *supplierDialog) typing() bool  { return d.field < len(d.inputs) }

func (d *supplierDialog) setSize(_ *Model, w, _ int) {
	for i := range d.inputs {
		d.inputs[i].setWidth(w - 26)
	}
}

func (d *supplierDialog) changed() bool {
	for i := range d.inputs {
		if d.inputs[i].changed() {
			return true
		}
	}
	return false
}

func (d *supplierDialog) draft() *store.Draft {
	if !d.changed() {
		return nil
	}
	var fields []string
	for i := range d.inputs {
		fields = append(fields, d.inputs[i].text())
	}
	return &store.Draft{Form: formSupplier, Target: d.source, Fields: append(fields, string(d.status))}
}

func (d *supplierDialog) focus(i int) tea.Cmd {
	for j := range d.inputs {
		d.inputs[j].blur()
	}
	d.field = (i + len(supplierFieldLabels)) % len(supplierFieldLabels)
	if d.field < len(d.inputs) {
		return d.inputs[d.field].focus()
	}
	return nil
}

func (d *supplierDialog) record() model.SupplierRecord {
	v := func(i int) string { return d.inputs[i].value() }
	return model.SupplierRecord{Source: d.source, Obtained: v(supObtained), PeriodStart: v(supFrom), PeriodEnd: v(supTo),
		Surveillance: v(supSurveillance), Version: v(supVersion), Reviewer: v(supReviewer), ReviewedOn: v(supReviewedOn), Status: d.status}
}

// validation is the inline message for the form, or "".
func (d *supplierDialog) validation() string {
	r := d.record()
	if r.Obtained == "" {
		return "Obtained: when did you get this copy? (YYYY-MM-DD)"
	}
	for i, v := range []string{r.Obtained, r.PeriodStart, r.PeriodEnd, r.Surveillance, r.Version, r.Reviewer, r.ReviewedOn} {
		if _, err := time.Parse(time.DateOnly, v); (i <= supSurveillance || i == supReviewedOn) && v != "" && err != nil {
			return fmt.Sprintf("%s: %q is not a date as YYYY-MM-DD.", strings.Fields(supplierFieldLabels[i])[0], v)
		}
	}
	if r.PeriodStart != "" && r.PeriodEnd != "" && r.PeriodEnd < r.PeriodStart {
		return "The period ends before it starts."
	}
	if r.Status.Claims() && (r.Reviewer == "" || r.ReviewedOn == "") {
		return fmt.Sprintf("%s says the report was reviewed: enter who reviewed it and when (Reviewer, Reviewed on), or choose pending.", r.Status)
	}
	// The store's own rule, so the form refuses what the store would.
	if err := model.ValidateSupplierRecord(r); err != nil {
		return err.Error()
	}
	return ""
}

func (d *supplierDialog) actions(m *Model) []action {
	k := m.keys
	acts := []action{
		act(k.NextField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
		act(k.PrevField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
	}
	if d.field == supStatus {
		acts = append(acts, actAs(k.Choose, "status", func(_ *Model, key tea.KeyPressMsg) tea.Cmd {
			i, n := slices.Index(model.SupplierStatuses, d.status), len(model.SupplierStatuses)
			if key.String() == "left" {
				d.status = model.SupplierStatuses[(i+n-1)%n]
			} else {
				d.status = model.SupplierStatuses[(i+1)%n]
			}
			return nil
		}))
	}
	return formFirst(append(acts,
		act(k.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if v := d.validation(); v != "" {
				m.flashError("NOT SAVED: " + v)
				return nil
			}
			m.closeDialog()
			rec := d.record()
			prev, had := record(m.cur, d.source)
			undo := removeRecordEdit(d.source)
			if had {
				undo = putRecord(prev)
			}
			return m.apply(change{key: "supplier/" + d.source, entry: "supplier/" + d.source, what: "supplier evidence " + d.source,
				do: putRecord(rec), undo: undo})
		}),
		m.cancelAction(d.changed()),
	))
}

func (d *supplierDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	if d.field < len(d.inputs) {
		return d.inputs[d.field].update(m, msg)
	}
	return nil
}

func (d *supplierDialog) view(m *Model, w, _ int) string {
	st := m.styles
	src, _ := m.catalog().EvidenceSource(d.source)
	var lines []string
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	lines = append(lines, st.Title.Render(cell(src.Name, w)))
	for _, l := range wrap(src.FreshnessRule(), w) {
		lines = append(lines, st.Muted.Render(l))
	}
	const labelW = 24
	for i, label := range supplierFieldLabels {
		cur := "  "
		if i == d.field {
			cur = st.Cursor.Render("▸ ")
		}
		var val string
		if i < len(d.inputs) {
			val = d.inputs[i].view(w - labelW - 2)
		} else {
			var opts []string
			for _, o := range model.SupplierStatuses {
				opts = append(opts, string(o))
			}
			val = choiceRow(opts, string(d.status), i == d.field, w-labelW-2, st)
		}
		lines = append(lines, fmt.Sprintf("%s%-*s%s", cur, labelW, label, val))
	}
	if v := d.validation(); v != "" {
		lines = append(lines, problemLines(st.Error, "✘ "+v, w)...)
	}
	return strings.Join(lines, "\n")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
