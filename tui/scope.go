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
)

// scopeField is one row of the scope form.
type scopeField int

const (
	fName scopeField = iota
	fOrg
	fSystem
	fImpact
	fFrameworks
	fMultiTenant
	fOpenSystem
	fESignatures
	fClassification
	fieldCount
)

var fieldLabels = [...]string{"Name", "Organisation", "System", "GxP impact", "Frameworks", "Multi-tenant", "Open system", "E-signatures", "Data classification"}

var fieldHelp = [...]string{
	"What this assessment is called in lists and reports (required).",
	"The regulated company.",
	"The computerised system under assessment.",
	"Direct: affects patient safety, product quality or data integrity directly; indirect: supports such a process; none.",
	"Which regulations the controls must answer to; none ticked means all.",
	"Serves several tenants whose data, identities and keys must be kept apart.",
	"Reachable from outside your organisation (21 CFR 11.30 adds encryption and signatures).",
	"Electronic signatures are applied to records (brings in 11.50–11.300 and Annex 11 clause 14).",
	"How the data is classified, e.g. GxP confidential, personal health data.",
}

// scopeScreen edits the assessment's description and scope. Text fields
// take typing directly; each change is saved when the field is left, and
// each choice when it is made.
type scopeScreen struct {
	field  scopeField
	fwPick int // highlighted framework inside the frameworks row
	inputs [fieldCount]textinput.Model
}

func newScopeScreen(a *model.Assessment) scopeScreen {
	s := scopeScreen{}
	if a == nil {
		return s
	}
	s.inputs[fName] = newInput(a.Name)
	s.inputs[fOrg] = newInput(a.Organisation)
	s.inputs[fSystem] = newInput(a.System)
	s.inputs[fClassification] = newInput(a.Scope.DataClassification)
	s.inputs[fName].Focus()
	return s
}

func (s *scopeScreen) isText(f scopeField) bool {
	return f == fName || f == fOrg || f == fSystem || f == fClassification
}

func (s *scopeScreen) typing() bool { return s.isText(s.field) }

func (s *scopeScreen) info() model.Info {
	return model.Info{Name: strings.TrimSpace(s.inputs[fName].Value()), Organisation: strings.TrimSpace(s.inputs[fOrg].Value()),
		System: strings.TrimSpace(s.inputs[fSystem].Value())}
}

// validation is the inline message for the current values, or "".
func (s *scopeScreen) validation() string {
	if s.info().Name == "" {
		return "Name is required."
	}
	return ""
}

// commit saves a text field that changed; it returns nil when nothing did.
func (s *scopeScreen) commit(m *Model) tea.Cmd {
	if m.a == nil {
		return nil
	}
	id := m.a.ID
	in := s.info()
	if in != (model.Info{Name: m.a.Name, Organisation: m.a.Organisation, System: m.a.System}) {
		if s.validation() != "" {
			m.setError("NOT SAVED: " + s.validation())
			return nil
		}
		return m.save("name, organisation and system", func(st Store) (model.Assessment, error) { return st.UpdateInfo(id, in, "") }, nil)
	}
	if c := strings.TrimSpace(s.inputs[fClassification].Value()); c != m.a.Scope.DataClassification {
		sc := m.a.Scope
		sc.DataClassification = c
		return m.saveScope(sc, "data classification")
	}
	return nil
}

func (m *Model) saveScope(sc model.Scope, what string) tea.Cmd {
	id := m.a.ID
	return m.save(what, func(st Store) (model.Assessment, error) { return st.UpdateScope(id, sc, "") }, nil)
}

func (s *scopeScreen) move(m *Model, to scopeField) tea.Cmd {
	cmd := s.commit(m)
	if s.isText(s.field) {
		s.inputs[s.field].Blur()
	}
	s.field = (to + fieldCount) % fieldCount
	if s.isText(s.field) {
		return tea.Batch(cmd, s.inputs[s.field].Focus())
	}
	return cmd
}

func (s *scopeScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if m.a == nil {
		return nil
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if isKey {
		switch k.String() {
		case "up":
			return s.move(m, s.field-1)
		case "down", "enter":
			if k.String() == "enter" && !s.isText(s.field) {
				break
			}
			return s.move(m, s.field+1)
		case "tab":
			cmd := s.commit(m)
			m.enter(screenSupplier)
			return cmd
		case "shift+tab":
			return s.commit(m)
		case "esc":
			cmd := s.commit(m)
			m.enter(screenHome)
			return tea.Batch(cmd, m.loadSummaries())
		}
		if !s.isText(s.field) {
			switch k.String() {
			case "k":
				return s.move(m, s.field-1)
			case "j":
				return s.move(m, s.field+1)
			}
			return s.choose(m, k.String())
		}
	}
	if s.isText(s.field) {
		var cmd tea.Cmd
		s.inputs[s.field], cmd = s.inputs[s.field].Update(msg)
		return cmd
	}
	return nil
}

// choose changes a choice field and saves it at once.
func (s *scopeScreen) choose(m *Model, k string) tea.Cmd {
	sc := m.a.Scope
	sc.Frameworks = slices.Clone(sc.Frameworks)
	switch s.field {
	case fImpact:
		order := []model.GxPImpact{model.ImpactDirect, model.ImpactIndirect, model.ImpactNone}
		i := max(0, slices.Index(order, sc.Impact))
		switch k {
		case "left", "h":
			i = (i + len(order) - 1) % len(order)
		case "right", "l", "space":
			i = (i + 1) % len(order)
		default:
			return nil
		}
		sc.Impact = order[i]
		return m.saveScope(sc, "GxP impact "+string(sc.Impact))
	case fFrameworks:
		fws := m.cfg.Catalog.Frameworks
		switch k {
		case "left", "h":
			s.fwPick = max(0, s.fwPick-1)
		case "right", "l":
			s.fwPick = min(len(fws)-1, s.fwPick+1)
		case "space", "x":
			if s.fwPick < len(fws) {
				id := fws[s.fwPick].ID
				if i := slices.Index(sc.Frameworks, id); i >= 0 {
					sc.Frameworks = slices.Delete(sc.Frameworks, i, i+1)
				} else {
					sc.Frameworks = append(sc.Frameworks, id)
				}
				return m.saveScope(sc, "frameworks")
			}
		}
		return nil
	case fMultiTenant, fOpenSystem, fESignatures:
		if k != "space" && k != "left" && k != "right" && k != "h" && k != "l" && k != "y" && k != "n" {
			return nil
		}
		flag := map[scopeField]*bool{fMultiTenant: &sc.MultiTenant, fOpenSystem: &sc.OpenSystem, fESignatures: &sc.ESignatures}[s.field]
		switch k {
		case "y":
			*flag = true
		case "n":
			*flag = false
		default:
			*flag = !*flag
		}
		return m.saveScope(sc, strings.ToLower(fieldLabels[s.field]))
	}
	return nil
}

func (s *scopeScreen) keys(m *Model) []key.Binding {
	k := m.keys
	if s.isText(s.field) {
		return []key.Binding{k.Up, k.Down, k.Next, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Toggle, k.Left, k.Right, k.Next, k.Back}
}

func (s *scopeScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Scope") + st.Muted.Render("  what is assessed, and under which rules") + "\n\n")
	labelW := 21
	fieldW := max(10, w-labelW-4)
	for f := scopeField(0); f < fieldCount; f++ {
		var val string
		switch {
		case s.isText(f):
			in := s.inputs[f]
			in.SetWidth(fieldW)
			if f == s.field {
				val = in.View()
			} else {
				val = cell(in.Value(), fieldW)
			}
		case f == fImpact:
			val = choiceRow([]string{"direct", "indirect", "none"}, string(m.a.Scope.Impact), f == s.field, st)
		case f == fFrameworks:
			var parts []string
			for i, fw := range m.cfg.Catalog.Frameworks {
				mark := "[ ]"
				if slices.Contains(m.a.Scope.Frameworks, fw.ID) {
					mark = "[x]"
				}
				label := mark + " " + safetext.Line(fw.ID)
				if f == s.field && i == s.fwPick {
					label = st.Selected.Render(label)
				}
				parts = append(parts, label)
			}
			val = strings.Join(parts, "  ")
			if len(m.a.Scope.Frameworks) == 0 {
				val += st.Muted.Render("  (none ticked: all apply)")
			}
		default:
			on := map[scopeField]bool{fMultiTenant: m.a.Scope.MultiTenant, fOpenSystem: m.a.Scope.OpenSystem, fESignatures: m.a.Scope.ESignatures}[f]
			val = "[ ] no"
			if on {
				val = "[x] yes"
			}
			if f == s.field {
				val = st.Selected.Render(val)
			}
		}
		cursor := "  "
		label := fmt.Sprintf("%-*s", labelW, fieldLabels[f])
		if f == s.field {
			cursor = st.Cursor.Render("▸ ")
			label = st.Title.Render(label)
		}
		b.WriteString(cursor + label + val + "\n")
	}
	b.WriteString("\n")
	if v := s.validation(); v != "" {
		b.WriteString(st.Error.Render("✘ "+v) + "\n")
	}
	for _, line := range wrap(fieldHelp[s.field], w-2) {
		b.WriteString(st.Muted.Render(line) + "\n")
	}
	applicable := len(m.review.Applicable)
	b.WriteString("\n" + st.Muted.Render(fmt.Sprintf("With this scope and %d selected services, %d controls apply.", len(m.a.Services), applicable)))
	return b.String()
}

func choiceRow(options []string, current string, active bool, st Styles) string {
	var parts []string
	for _, o := range options {
		label := "( ) " + o
		if o == current {
			label = "(•) " + o
			if active {
				label = st.Selected.Render(label)
			}
		}
		parts = append(parts, label)
	}
	return strings.Join(parts, "  ")
}
