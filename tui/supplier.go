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
	editing bool
	field   int // 0..4 text inputs, 5 status
	inputs  [5]textinput.Model
	status  model.SupplierStatus
	source  string
}

var supplierFieldLabels = [...]string{"Obtained (YYYY-MM-DD)", "Period from", "Period to", "Version / report date", "Reviewer", "Status"}

func newSupplierScreen() supplierScreen { return supplierScreen{} }

func (s *supplierScreen) typing() bool { return s.editing && s.field < len(s.inputs) }

func record(a *model.Assessment, source string) (model.SupplierRecord, bool) {
	for _, r := range a.Supplier {
		if r.Source == source {
			return r, true
		}
	}
	return model.SupplierRecord{Source: source}, false
}

func (s *supplierScreen) startEdit(m *Model, src model.EvidenceSource) tea.Cmd {
	r, ok := record(m.a, src.ID)
	if !ok {
		r.Obtained = m.cfg.Now().Format(time.DateOnly)
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

func (s *supplierScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if m.a == nil {
		return nil
	}
	srcs := m.cfg.Catalog.AWSSources()
	k, isKey := msg.(tea.KeyPressMsg)
	if s.editing {
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
				rec := model.SupplierRecord{Source: s.source, Obtained: strings.TrimSpace(s.inputs[0].Value()),
					PeriodStart: strings.TrimSpace(s.inputs[1].Value()), PeriodEnd: strings.TrimSpace(s.inputs[2].Value()),
					Version: strings.TrimSpace(s.inputs[3].Value()), Reviewer: strings.TrimSpace(s.inputs[4].Value()), Status: s.status}
				id := m.a.ID
				// The form stays open until the save succeeds, so a
				// refused date loses nothing.
				return m.save("supplier evidence "+s.source, func(st Store) (model.Assessment, error) { return st.SetSupplierRecord(id, rec) },
					func(m *Model) { m.supplier.editing = false })
			}
			if s.field == len(s.inputs) {
				i := slices.Index(model.SupplierStatuses, s.status)
				switch k.String() {
				case "left", "h":
					s.status = model.SupplierStatuses[(i+len(model.SupplierStatuses)-1)%len(model.SupplierStatuses)]
				case "right", "l", "space":
					s.status = model.SupplierStatuses[(i+1)%len(model.SupplierStatuses)]
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
	if !isKey {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, m.keys.Down):
		s.cursor = min(len(srcs)-1, s.cursor+1)
	case key.Matches(k, m.keys.Enter):
		if s.cursor < len(srcs) {
			return s.startEdit(m, srcs[s.cursor])
		}
	case key.Matches(k, m.keys.Back):
		m.enter(screenScope)
	}
	return nil
}

func (s *supplierScreen) keys(m *Model) []key.Binding {
	k := m.keys
	if s.editing {
		return []key.Binding{k.Up, k.Down, k.Left, k.Right, k.Enter, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Edit, k.Back}
}

func (s *supplierScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	srcs := m.cfg.Catalog.AWSSources()
	var lines []string
	lines = append(lines, st.Title.Render("Supplier assessment of AWS")+st.Muted.Render("  evidence from AWS Artifact, documentation and agreements"))
	if s.editing {
		src, _ := m.cfg.Catalog.EvidenceSource(s.source)
		lines = append(lines, "", st.Title.Render(cell(src.Name, w)))
		lines = append(lines, wrap(src.Description, w)...)
		lines = append(lines, "")
		for i, label := range supplierFieldLabels {
			cur := "  "
			if i == s.field {
				cur = st.Cursor.Render("▸ ")
			}
			var val string
			if i < len(s.inputs) {
				in := s.inputs[i]
				in.SetWidth(max(10, w-28))
				val = in.View()
			} else {
				var opts []string
				for _, o := range model.SupplierStatuses {
					opts = append(opts, string(o))
				}
				val = choiceRow(opts, string(s.status), i == s.field, st)
			}
			lines = append(lines, fmt.Sprintf("%s%-24s%s", cur, label, val))
		}
		lines = append(lines, "", st.Muted.Render("enter saves · esc cancels · dates as YYYY-MM-DD"))
		return strings.Join(lines, "\n")
	}
	lines = append(lines, "")
	nameW := max(12, w-62)
	lines = append(lines, st.Muted.Render(fmt.Sprintf("  %-*s %-13s %-10s %-10s %-14s %s", nameW, "SOURCE", "STATUS", "OBTAINED", "PERIOD TO", "REVIEWER", "CURRENCY")))
	rows := h - len(lines) - 2
	off := scrollOffset(s.cursor, 0, rows, len(srcs))
	stale := 0
	for i, src := range srcs {
		r, ok := record(m.a, src.ID)
		currency := "—"
		if ok {
			if bad, why := model.SupplierStale(src, r, m.cfg.Now()); bad {
				currency = "⚠ STALE: " + why
				stale++
			} else {
				currency = "current"
			}
		}
		if i < off || i >= off+rows {
			continue
		}
		status := "not recorded"
		if ok {
			status = string(r.Status)
		}
		line := fmt.Sprintf("%-*s %-13s %-10s %-10s %-14s %s", nameW, cell(src.Name, nameW), status, cell(r.Obtained, 10), cell(r.PeriodEnd, 10), cell(r.Reviewer, 14), currency)
		if i == s.cursor {
			lines = append(lines, st.Selected.Render("▸ "+line))
		} else if strings.HasPrefix(currency, "⚠") {
			lines = append(lines, "  "+st.Warn.Render(line))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	lines = append(lines, "", st.Muted.Render(fmt.Sprintf("%d of %d sources recorded · %d stale · enter records or edits one", len(m.a.Supplier), len(srcs), stale)))
	return strings.Join(lines, "\n")
}
