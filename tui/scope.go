package tui

import (
	"fmt"
	"slices"
	"strings"

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

const formScope = "scope"

// scopeScreen edits the assessment's description and scope. A text field
// is edited explicitly: enter starts, enter saves, esc gives up; so ?, q
// and the other keys keep their meaning on this screen. Choices are saved
// as they are made.
type scopeScreen struct {
	plainScreen
	field   scopeField
	fwPick  int // highlighted framework inside the frameworks row
	editing bool
	input   lineField
	from    restored
	width   int
}

func newScopeScreen() scopeScreen { return scopeScreen{} }

func isText(f scopeField) bool {
	return f == fName || f == fOrg || f == fSystem || f == fClassification
}

func (s *scopeScreen) typing() bool        { return s.editing }
func (s *scopeScreen) place(*Model) string { return fieldLabels[s.field] }

func (s *scopeScreen) seek(_ *Model, at string) {
	if i := slices.Index(fieldLabels[:], at); i >= 0 {
		s.field = scopeField(i)
	}
}

func (s *scopeScreen) setSize(_ *Model, w, _ int) {
	s.width = w
	s.input.setWidth(max(10, w-23))
}

// textOf is a text field's value as the user sees it.
func textOf(a *model.Assessment, f scopeField) string {
	switch f {
	case fName:
		return a.Name
	case fOrg:
		return a.Organisation
	case fSystem:
		return a.System
	case fClassification:
		return a.Scope.DataClassification
	}
	return ""
}

func (s *scopeScreen) startEdit(m *Model, text string, r restored) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	s.editing, s.from = true, r
	s.input = newLineField(fieldLabels[s.field], textOf(m.cur, s.field), store.MaxNameBytes)
	if r.at.IsZero() {
		text = s.input.text()
	}
	s.input.set(text)
	s.input.setWidth(max(10, s.width-23))
	return s.input.focus()
}

// editRestored reopens a field with a draft's text.
func (s *scopeScreen) editRestored(m *Model, label, text string, r restored) tea.Cmd {
	i := slices.Index(fieldLabels[:], label)
	if i < 0 || !isText(scopeField(i)) {
		return nil
	}
	m.show(place{screen: screenScope})
	s.field = scopeField(i)
	return s.startEdit(m, text, r)
}

func (s *scopeScreen) draft() *store.Draft {
	if !s.editing || !s.input.changed() {
		return nil
	}
	return &store.Draft{Form: formScope, Target: fieldLabels[s.field], Fields: []string{s.input.text()}}
}

func (s *scopeScreen) actions(m *Model) []action {
	k := m.keys
	if s.editing {
		return []action{
			actAs(k.Save, "save", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return s.commit(m) }),
			actAs(k.Cancel, "cancel", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
				if !s.input.changed() {
					s.editing = false
					return nil
				}
				m.confirm("Discard?", "Discard what you typed? y discards it; n or esc goes back to it.", func(m *Model) tea.Cmd {
					s.editing = false
					return nil
				})
				return nil
			}),
		}
	}
	acts := listKeys(k, &s.field, int(fieldCount), int(fieldCount), nil)
	if isText(s.field) {
		return append(acts, editing(actAs(k.Open, "edit", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return s.startEdit(m, "", restored{}) })))
	}
	choose := func(m *Model, key tea.KeyPressMsg) tea.Cmd { return s.choose(m, key.String()) }
	if s.field == fFrameworks {
		return append(acts, editing(actAs(k.Toggle, "tick or untick", choose)), editing(actAs(k.Choose, "pick a framework", choose)))
	}
	return append(acts, editing(actAs(k.Toggle, "change", choose)), editing(actAs(k.Choose, "change", choose)), editing(quiet(actAs(k.Open, "change", choose))))
}

func (s *scopeScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if s.editing {
		return s.input.update(m, msg)
	}
	return nil
}

// commit saves the field being edited, if it changed.
func (s *scopeScreen) commit(m *Model) tea.Cmd {
	v := s.input.value()
	if s.field == fName && v == "" {
		m.flashError("NOT SAVED: Name is required")
		return nil
	}
	s.editing = false
	if !s.input.changed() {
		return nil
	}
	if s.field == fClassification {
		sc := m.cur.Scope
		sc.Frameworks = slices.Clone(sc.Frameworks)
		sc.DataClassification = v
		return m.saveScope(sc, "data classification")
	}
	in := model.Info{Name: m.cur.Name, Organisation: m.cur.Organisation, System: m.cur.System}
	switch s.field {
	case fName:
		in.Name = v
	case fOrg:
		in.Organisation = v
	case fSystem:
		in.System = v
	}
	return m.saveInfo(in, strings.ToLower(fieldLabels[s.field]))
}

func (m *Model) saveInfo(in model.Info, what string) tea.Cmd {
	prev := model.Info{Name: m.cur.Name, Organisation: m.cur.Organisation, System: m.cur.System}
	set := func(in model.Info) edit {
		return edit{
			apply: func(a *model.Assessment) { a.Name, a.Organisation, a.System = in.Name, in.Organisation, in.System },
			save:  func(st Store, id, reason string) (model.Assessment, error) { return st.UpdateInfo(id, in, reason) },
		}
	}
	return m.apply(change{key: "info", entry: "info", what: what, do: set(in), undo: set(prev)})
}

func (m *Model) saveScope(sc model.Scope, what string) tea.Cmd {
	prev := m.cur.Scope
	set := func(sc model.Scope) edit {
		return edit{
			apply: func(a *model.Assessment) { a.Scope = sc },
			save:  func(st Store, id, reason string) (model.Assessment, error) { return st.UpdateScope(id, sc, reason) },
		}
	}
	return m.apply(change{key: "scope", entry: "scope", what: what, do: set(sc), undo: set(prev)})
}

// choose changes a choice field and saves it at once.
func (s *scopeScreen) choose(m *Model, k string) tea.Cmd {
	sc := m.cur.Scope
	sc.Frameworks = slices.Clone(sc.Frameworks)
	switch s.field {
	case fImpact:
		i := max(0, slices.Index(impacts, sc.Impact))
		if k == "left" || k == "h" {
			i = (i + len(impacts) - 1) % len(impacts)
		} else {
			i = (i + 1) % len(impacts)
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
		case "space":
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
		*flag = !*flag
		return m.saveScope(sc, strings.ToLower(fieldLabels[s.field]))
	}
	return nil
}

func (s *scopeScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	sc := m.cur.Scope
	lines := []string{st.Title.Render("Scope") + st.Muted.Render("  what is assessed, and under which rules"), ""}
	const labelW = 21
	fieldW := max(10, w-labelW-2)
	for f := scopeField(0); f < fieldCount; f++ {
		var val string
		switch {
		case isText(f):
			if f == s.field && s.editing {
				val = s.input.view(fieldW)
			} else {
				val = cell(textOf(m.cur, f), fieldW)
				if m.isDraft(map[bool]string{true: "info", false: "scope"}[f != fClassification]) {
					val += " " + st.NotSaved.Render("NOT SAVED")
				}
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
		f := f
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd {
			if m.scope.field == f && isText(f) && !m.scope.editing {
				return m.scope.startEdit(m, "", restored{})
			}
			if !m.scope.editing {
				m.scope.field = f
			}
			return nil
		})
		lines = append(lines, cursor+label+val)
	}
	lines = append(lines, "")
	if b := s.from.banner(m); b != "" && s.editing {
		lines = append(lines, b)
	}
	hint := fieldHelp[s.field]
	switch {
	case s.editing:
		hint = "Editing " + fieldLabels[s.field] + ": enter saves · esc gives up · at most " + size(store.MaxNameBytes) + ". " + hint
	case isText(s.field):
		hint = "enter edits " + fieldLabels[s.field] + ". " + hint
	case s.field == fFrameworks:
		hint = "←/→ picks a framework, space ticks it. " + hint
	default:
		hint = "space or ←/→ changes it; saved at once. " + hint
	}
	for _, line := range wrap(hint, w-2) {
		lines = append(lines, st.Muted.Render(line))
	}
	lines = append(lines, "", st.Muted.Render(fmt.Sprintf("With this scope and %d selected services, %d controls apply.", len(m.cur.Services), len(m.review.Applicable))))
	return strings.Join(lines, "\n")
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
