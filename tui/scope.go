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
	"github.com/onus-gxp/onus/store"
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

var impacts = []model.GxPImpact{model.ImpactDirect, model.ImpactIndirect, model.ImpactNone}

// scopeScreen edits the assessment's description and scope. Text fields
// take typing directly and are saved when the field is left; choices are
// saved when they are made.
type scopeScreen struct {
	field  scopeField
	fwPick int // highlighted framework inside the frameworks row
	inputs [fieldCount]textinput.Model
}

func newScopeScreen(m *Model) scopeScreen {
	s := scopeScreen{}
	if m.a == nil {
		return s
	}
	in, sc := m.infoOf(), m.scopeOf()
	s.inputs[fName] = newInput(in.Name)
	s.inputs[fOrg] = newInput(in.Organisation)
	s.inputs[fSystem] = newInput(in.System)
	s.inputs[fClassification] = newInput(sc.DataClassification)
	s.inputs[fName].Focus()
	return s
}

func isText(f scopeField) bool {
	return f == fName || f == fOrg || f == fSystem || f == fClassification
}

func (s *scopeScreen) typing() bool { return isText(s.field) }

func (s *scopeScreen) value(f scopeField) string { return strings.TrimSpace(s.inputs[f].Value()) }

func (s *scopeScreen) info() model.Info {
	return model.Info{Name: s.value(fName), Organisation: s.value(fOrg), System: s.value(fSystem)}
}

// validation is the inline message for the typed values, or "".
func (s *scopeScreen) validation() string {
	if s.value(fName) == "" {
		return "Name is required."
	}
	for _, f := range []scopeField{fName, fOrg, fSystem, fClassification} {
		if n := len(s.value(f)); n > store.MaxNameBytes {
			return fmt.Sprintf("%s is too long (%d bytes; at most %d).", fieldLabels[f], n, store.MaxNameBytes)
		}
	}
	return ""
}

// commit saves the text fields that changed; nil when none did.
func (s *scopeScreen) commit(m *Model) tea.Cmd {
	if m.a == nil {
		return nil
	}
	in, was := s.info(), m.infoOf()
	infoChanged := in != model.Info{Name: safetext.Line(was.Name), Organisation: safetext.Line(was.Organisation), System: safetext.Line(was.System)}
	sc := m.scopeOf()
	class := s.value(fClassification)
	classChanged := class != safetext.Line(sc.DataClassification)
	if !infoChanged && !classChanged {
		return nil
	}
	if v := s.validation(); v != "" {
		m.setError("NOT SAVED: " + v)
		return nil
	}
	var cmds []tea.Cmd
	if infoChanged {
		cmds = append(cmds, m.change("info", "name, organisation and system", in,
			func(st Store, id string) (model.Assessment, error) { return st.UpdateInfo(id, in, "") }, nil))
	}
	if classChanged {
		sc.DataClassification = class
		cmds = append(cmds, m.saveScope(sc, "data classification"))
	}
	return tea.Batch(cmds...)
}

func (m *Model) saveScope(sc model.Scope, what string) tea.Cmd {
	return m.change("scope", what, sc, func(st Store, id string) (model.Assessment, error) { return st.UpdateScope(id, sc, "") }, nil)
}

func (s *scopeScreen) move(m *Model, to scopeField) tea.Cmd {
	cmd := s.commit(m)
	if isText(s.field) {
		s.inputs[s.field].Blur()
	}
	s.field = (to + fieldCount) % fieldCount
	if isText(s.field) {
		return tea.Batch(cmd, s.inputs[s.field].Focus())
	}
	return cmd
}

func (s *scopeScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if m.a == nil {
		return nil
	}
	k, isKey := msg.(tea.KeyPressMsg)
	if !isKey {
		if isText(s.field) {
			var cmd tea.Cmd
			s.inputs[s.field], cmd = s.inputs[s.field].Update(msg)
			return cmd
		}
		return nil
	}
	switch k.String() {
	case "up":
		return s.move(m, s.field-1)
	case "down":
		return s.move(m, s.field+1)
	case "enter":
		if isText(s.field) {
			return s.move(m, s.field+1)
		}
	case "tab": // from a text field; the root handles it elsewhere
		cmd := s.commit(m)
		m.enter(screenSupplier)
		return cmd
	case "esc":
		cmd := s.commit(m)
		m.enter(screenHome)
		return tea.Batch(cmd, m.loadSummaries())
	}
	if isText(s.field) {
		var cmd tea.Cmd
		s.inputs[s.field], cmd = s.inputs[s.field].Update(msg)
		return cmd
	}
	switch k.String() {
	case "k":
		return s.move(m, s.field-1)
	case "j":
		return s.move(m, s.field+1)
	}
	return s.choose(m, k.String())
}

// choose changes a choice field and saves it at once.
func (s *scopeScreen) choose(m *Model, k string) tea.Cmd {
	sc := m.scopeOf()
	sc.Frameworks = slices.Clone(sc.Frameworks)
	switch s.field {
	case fImpact:
		i := max(0, slices.Index(impacts, sc.Impact))
		switch k {
		case "left", "h":
			i = (i + len(impacts) - 1) % len(impacts)
		case "right", "l", "space":
			i = (i + 1) % len(impacts)
		default:
			return nil
		}
		sc.Impact = impacts[i]
		return m.saveScope(sc, "GxP impact "+string(sc.Impact))
	case fFrameworks:
		fws := m.catalog().Frameworks
		switch k {
		case "left", "h":
			s.fwPick = max(0, s.fwPick-1)
		case "right", "l":
			s.fwPick = max(0, min(len(fws)-1, s.fwPick+1))
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
		flag := map[scopeField]*bool{fMultiTenant: &sc.MultiTenant, fOpenSystem: &sc.OpenSystem, fESignatures: &sc.ESignatures}[s.field]
		switch k {
		case "y":
			*flag = true
		case "n":
			*flag = false
		case "space", "left", "right", "h", "l":
			*flag = !*flag
		default:
			return nil
		}
		return m.saveScope(sc, strings.ToLower(fieldLabels[s.field]))
	}
	return nil
}

func (s *scopeScreen) keys(m *Model) []key.Binding {
	k := m.keys
	if isText(s.field) {
		return []key.Binding{k.FieldUp, k.FieldDown, k.Next, k.Back}
	}
	return []key.Binding{k.Move, k.Toggle, k.Choose, k.Back}
}

func (s *scopeScreen) view(m *Model, w, h int) string {
	if m.a == nil {
		return ""
	}
	st := m.styles
	sc := m.scopeOf()
	var b strings.Builder
	b.WriteString(st.Title.Render("Scope") + st.Muted.Render("  what is assessed, and under which rules") + "\n\n")
	const labelW = 21
	fieldW := max(10, w-labelW-3)
	for f := scopeField(0); f < fieldCount; f++ {
		var val string
		switch {
		case isText(f):
			in := s.inputs[f]
			in.SetWidth(fieldW - 1)
			if f == s.field {
				val = in.View()
			} else {
				val = cell(in.Value(), fieldW)
			}
		case f == fImpact:
			var opts []string
			for _, o := range impacts {
				opts = append(opts, string(o))
			}
			val = choiceRow(opts, string(sc.Impact), f == s.field, fieldW, st)
		case f == fFrameworks:
			val = s.frameworks(m, sc, f == s.field)
		default:
			on := map[scopeField]bool{fMultiTenant: sc.MultiTenant, fOpenSystem: sc.OpenSystem, fESignatures: sc.ESignatures}[f]
			val = "[ ] no"
			if on {
				val = "[x] yes"
			}
			if f == s.field {
				val = st.Selected.Render(val)
			}
		}
		cursor, label := "  ", fmt.Sprintf("%-*s", labelW, fieldLabels[f])
		if f == s.field {
			cursor, label = st.Cursor.Render("▸ "), st.Title.Render(label)
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
	b.WriteString("\n" + st.Muted.Render(fmt.Sprintf("With this scope and %d selected services, %d controls apply.", len(m.a.Services), len(m.review.Applicable))))
	return b.String()
}

func (s *scopeScreen) frameworks(m *Model, sc model.Scope, active bool) string {
	var parts []string
	for i, fw := range m.catalog().Frameworks {
		mark := "[ ]"
		if slices.Contains(sc.Frameworks, fw.ID) {
			mark = "[x]"
		}
		label := mark + " " + safetext.Line(fw.ID)
		if active && i == s.fwPick {
			label = m.styles.Selected.Render(label)
		}
		parts = append(parts, label)
	}
	val := strings.Join(parts, "  ")
	if len(sc.Frameworks) == 0 {
		val += m.styles.Muted.Render("  (none: all apply)")
	}
	return val
}
