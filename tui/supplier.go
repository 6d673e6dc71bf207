package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// supplierScreen records the supplier assessment of AWS: which reports were
// obtained, for which period, reviewed by whom; stale ones are flagged.
type supplierScreen struct {
	cursor  int
	confirm bool // d pressed on a record: y removes it
	editing bool
	field   int // 0..4 text inputs, 5 status
	inputs  [5]textinput.Model
	status  model.SupplierStatus
	source  string
}

const (
	supObtained = iota
	supFrom
	supTo
	supVersion
	supReviewer
	supStatus
)

var supplierFieldLabels = [...]string{"Obtained (YYYY-MM-DD)", "Period from", "Period to", "Version / report date", "Reviewer", "Status"}

// typing: the form has focus, so its keys (tab too) are its own.
func (s *supplierScreen) typing() bool { return s.editing }

// jump puts the cursor on a source (used by the review screen).
func (s *supplierScreen) jump(m *Model, source string) {
	for i, src := range m.catalog().AWSSources() {
		if src.ID == source {
			s.cursor = i
		}
	}
}

func record(a *model.Assessment, source string) (model.SupplierRecord, bool) {
	for _, r := range a.Supplier {
		if r.Source == source {
			return r, true
		}
	}
	return model.SupplierRecord{Source: source}, false
}

func (s *supplierScreen) startEdit(m *Model, src model.EvidenceSource) tea.Cmd {
	r, ok := m.supplierOf(src.ID)
	if !ok {
		r.Obtained = m.now.Format(time.DateOnly)
		r.Reviewer = m.cfg.Store.Actor()
		r.Status = model.SupplierReviewed
	}
	s.editing, s.field, s.source, s.status = true, 0, src.ID, r.Status
	for i, v := range []string{r.Obtained, r.PeriodStart, r.PeriodEnd, r.Version, r.Reviewer} {
		s.inputs[i] = newInput(v)
	}
	return s.inputs[0].Focus()
}

func (s *supplierScreen) focus(i int) tea.Cmd {
	for j := range s.inputs {
		s.inputs[j].Blur()
	}
	s.field = (i + len(supplierFieldLabels)) % len(supplierFieldLabels)
	if s.field < len(s.inputs) {
		return s.inputs[s.field].Focus()
	}
	return nil
}

func (s *supplierScreen) record() model.SupplierRecord {
	v := func(i int) string { return strings.TrimSpace(s.inputs[i].Value()) }
	return model.SupplierRecord{Source: s.source, Obtained: v(supObtained), PeriodStart: v(supFrom), PeriodEnd: v(supTo),
		Version: v(supVersion), Reviewer: v(supReviewer), Status: s.status}
}

// validation is the inline message for the form, or "".
func (s *supplierScreen) validation() string {
	r := s.record()
	if r.Obtained == "" {
		return "Obtained: when did you get this copy? (YYYY-MM-DD)"
	}
	for i, d := range []string{r.Obtained, r.PeriodStart, r.PeriodEnd} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return fmt.Sprintf("%s: %q is not a date as YYYY-MM-DD.", supplierFieldLabels[i], d)
		}
	}
	if r.PeriodStart != "" && r.PeriodEnd != "" && r.PeriodEnd < r.PeriodStart {
		return "The period ends before it starts."
	}
	return ""
}

func (s *supplierScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if m.a == nil {
		return nil
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if s.editing {
		return s.updateForm(m, msg)
	}
	if !isKey {
		return nil
	}
	srcs := m.catalog().AWSSources()
	if s.confirm {
		s.confirm = false
		if key.Matches(k, m.keys.Yes) && s.cursor < len(srcs) {
			src := srcs[s.cursor]
			return m.change("supplier/"+src.ID, "removed the record of "+src.Name, nil,
				func(st Store, id string) (model.Assessment, error) { return st.RemoveSupplierRecord(id, src.ID) }, nil)
		}
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Delete):
		if s.cursor < len(srcs) {
			_, s.confirm = m.supplierOf(srcs[s.cursor].ID)
		}
	case key.Matches(k, m.keys.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, m.keys.Down):
		s.cursor = max(0, min(len(srcs)-1, s.cursor+1))
	case key.Matches(k, m.keys.PageUp):
		s.cursor = max(0, s.cursor-10)
	case key.Matches(k, m.keys.PageDown):
		s.cursor = max(0, min(len(srcs)-1, s.cursor+10))
	case key.Matches(k, m.keys.Enter):
		if s.cursor < len(srcs) {
			return s.startEdit(m, srcs[s.cursor])
		}
	case key.Matches(k, m.keys.Back):
		m.enter(screenScope)
	}
	return nil
}

func (s *supplierScreen) updateForm(m *Model, msg tea.Msg) tea.Cmd {
	k, isKey := msg.(tea.KeyPressMsg)
	if isKey {
		switch k.String() {
		case "esc":
			s.editing = false
			return nil
		case "up", "shift+tab":
			return s.focus(s.field - 1)
		case "down", "tab":
			return s.focus(s.field + 1)
		case "enter":
			if v := s.validation(); v != "" {
				m.setError("NOT SAVED: " + v)
				return nil
			}
			rec, source := s.record(), s.source
			// The form stays open until the store has the record.
			return m.change("supplier/"+source, "supplier evidence "+source, rec,
				func(st Store, id string) (model.Assessment, error) { return st.SetSupplierRecord(id, rec) },
				func(m *Model, _ model.Assessment) {
					if m.supplier.source == source {
						m.supplier.editing = false
					}
				})
		}
		if s.field == supStatus {
			i := slices.Index(model.SupplierStatuses, s.status)
			n := len(model.SupplierStatuses)
			switch k.String() {
			case "left", "h":
				s.status = model.SupplierStatuses[(i+n-1)%n]
			case "right", "l", "space":
				s.status = model.SupplierStatuses[(i+1)%n]
			}
			return nil
		}
	}
	if s.field < len(s.inputs) {
		var cmd tea.Cmd
		s.inputs[s.field], cmd = s.inputs[s.field].Update(msg)
		return cmd
	}
	return nil
}

func (s *supplierScreen) keys(m *Model) []key.Binding {
	k := m.keys
	if s.editing {
		save := k.Enter
		save.SetHelp("enter", "save")
		return []key.Binding{k.FieldUp, k.FieldDown, k.Choose, save, k.Back}
	}
	if s.confirm {
		return []key.Binding{k.Yes, k.No}
	}
	remove := k.Delete
	remove.SetHelp("d", "remove record")
	return []key.Binding{k.Move, k.Edit, remove, k.Back}
}

func (s *supplierScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	head := st.Title.Render("Supplier assessment of AWS") + st.Muted.Render("  evidence from AWS Artifact, documentation and agreements")
	if s.editing {
		return head + "\n" + s.formView(m, w)
	}
	srcs := m.catalog().AWSSources()
	lines := []string{head, ""}
	nameW := max(12, w-63)
	lines = append(lines, st.Muted.Render(fmt.Sprintf("  %-*s %-13s %-10s %-10s %-14s %s", nameW, "SOURCE", "STATUS", "OBTAINED", "PERIOD TO", "REVIEWER", "CURRENCY")))
	var rule []string // how the highlighted source goes stale, under its name
	if s.cursor < len(srcs) {
		rule = wrap(srcs[s.cursor].FreshnessRule(), w)
	}
	rows := max(1, h-len(lines)-3-len(rule))
	off := scrollOffset(s.cursor, 0, rows, len(srcs))
	recorded, stale := 0, 0
	for i, src := range srcs {
		r, ok := m.supplierOf(src.ID)
		currency := "—"
		if ok {
			recorded++
			if bad, why := model.SupplierStale(src, r, m.now); bad {
				currency = "⚠ STALE: " + why
				stale++
			} else {
				currency = "✔ current"
			}
			if m.isDraft("supplier/" + src.ID) {
				currency = "NOT SAVED"
			}
		}
		if i < off || i >= off+rows {
			continue
		}
		status := "not recorded"
		if ok {
			status = string(r.Status)
		}
		line := fmt.Sprintf("%-*s %-13s %-10s %-10s %-14s %s", nameW, cell(src.Name, nameW), status, cell(r.Obtained, 10),
			cell(r.PeriodEnd, 10), cell(r.Reviewer, 14), currency)
		switch {
		case i == s.cursor:
			lines = append(lines, st.Selected.Render("▸ "+line))
		case strings.HasPrefix(currency, "⚠"):
			lines = append(lines, "  "+st.Warn.Render(line))
		default:
			lines = append(lines, "  "+line)
		}
	}
	lines = append(lines, "", st.Muted.Render(fmt.Sprintf("%d of %d sources recorded · %d stale · enter records or edits one", recorded, len(srcs), stale)))
	if s.confirm && s.cursor < len(srcs) {
		lines = append(lines, st.Warn.Render(cell(fmt.Sprintf("Remove the record of %s? y removes it (the audit trail keeps it), n keeps it.", srcs[s.cursor].Name), w)))
	}
	if s.cursor < len(srcs) {
		src := srcs[s.cursor]
		lines = append(lines, st.Title.Render(cell(src.Name, w)))
		for _, l := range rule {
			lines = append(lines, st.Muted.Render(l))
		}
	}
	return strings.Join(lines, "\n")
}

func (s *supplierScreen) formView(m *Model, w int) string {
	st := m.styles
	src, _ := m.catalog().EvidenceSource(s.source)
	lines := []string{"", st.Title.Render(cell(src.Name, w))}
	lines = append(lines, wrap(src.Description, w)...)
	for _, l := range wrap(src.FreshnessRule(), w) {
		lines = append(lines, st.Muted.Render(l))
	}
	lines = append(lines, "")
	const labelW = 24
	for i, label := range supplierFieldLabels {
		cur := "  "
		if i == s.field {
			cur = st.Cursor.Render("▸ ")
		}
		var val string
		if i < len(s.inputs) {
			in := s.inputs[i]
			in.SetWidth(max(10, w-labelW-4))
			val = in.View()
		} else {
			var opts []string
			for _, o := range model.SupplierStatuses {
				opts = append(opts, string(o))
			}
			val = choiceRow(opts, string(s.status), i == s.field, w-labelW-2, st)
		}
		lines = append(lines, fmt.Sprintf("%s%-*s%s", cur, labelW, label, val))
	}
	lines = append(lines, "")
	if v := s.validation(); v != "" {
		lines = append(lines, st.Error.Render("✘ "+v))
	}
	lines = append(lines, st.Muted.Render("enter saves · esc cancels · ↑/↓ or tab move · ←/→ change the status"))
	return strings.Join(lines, "\n")
}
