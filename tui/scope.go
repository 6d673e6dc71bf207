package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/internal/plural"
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
	fInternetFacing
	fESignatures
	fDataCategories
	fClassification
	fieldCount
)

var fieldLabels = [...]string{"Name", "Organisation", "System", "GxP impact", "Frameworks", "Multi-tenant", "Open system",
	"Internet-facing", "E-signatures", "Data categories", "Data classification"}

var fieldHelp = [...]string{
	"What this assessment is called in lists and reports (required).",
	"The regulated company.",
	"The computerised system under assessment.",
	"Direct: affects patient safety, product quality or data integrity directly; indirect: supports such a process; none.",
	"Which regulations, in which edition, the controls must answer to; none ticked means each one's edition in force (drafts only when ticked). One edition per regulation.",
	"Serves several tenants whose data, identities and keys must be kept apart.",
	"Access to the system is not controlled by the people responsible for its records' content, e.g. a third party administers the accounts (21 CFR 11.3(b)(9)); brings 11.30. A cloud system your organisation controls access to is closed, even if internet-facing.",
	"Some endpoint (web front end, API, file transfer) can be reached from the public internet; brings protection of public endpoints (SEC-09). It does not make the system open.",
	"Electronic signatures are applied to records (brings in 11.50–11.300 and Annex 11 clause 14).",
	"Kinds of data with obligations of their own, whatever the services: health data (patient health information) brings the business associate addendum and eligible services (SUP-09); personal data is recorded in the scope and the reports.",
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
	field    scopeField
	fwPick   int // highlighted regulation (framework family) inside the frameworks row
	dataPick int // highlighted data category
	editing  bool
	input    lineField
	from     restored
	width    int
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
	switch s.field {
	case fFrameworks:
		return append(acts, editing(actAs(k.Toggle, "tick, next edition, untick", choose)), editing(actAs(k.Choose, "pick a regulation", choose)))
	case fDataCategories:
		return append(acts, editing(actAs(k.Toggle, "tick or untick", choose)), editing(actAs(k.Choose, "pick a category", choose)))
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
		fams := m.catalog().Families()
		if k == "space" && s.fwPick < len(fams) {
			sc.Frameworks = m.catalog().CycleEdition(sc.Frameworks, fams[s.fwPick].ID)
			return m.saveScope(sc, "frameworks")
		}
		s.fwPick = movePick(s.fwPick, k, len(fams))
		return nil
	case fDataCategories:
		if k == "space" {
			d := model.DataCategories[s.dataPick]
			sc.DataCategories = slices.Clone(sc.DataCategories)
			if i := slices.Index(sc.DataCategories, d); i >= 0 {
				sc.DataCategories = slices.Delete(sc.DataCategories, i, i+1)
			} else {
				sc.DataCategories = append(sc.DataCategories, d)
			}
			return m.saveScope(sc, "data categories")
		}
		s.dataPick = movePick(s.dataPick, k, len(model.DataCategories))
		return nil
	case fMultiTenant, fOpenSystem, fInternetFacing, fESignatures:
		flag := map[scopeField]*bool{fMultiTenant: &sc.MultiTenant, fOpenSystem: &sc.OpenSystem, fInternetFacing: &sc.InternetFacing,
			fESignatures: &sc.ESignatures}[s.field]
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
			val = s.frameworks(m, sc, f == s.field, fieldW)
		case f == fDataCategories:
			var labels []string
			var on []bool
			for _, d := range model.DataCategories {
				labels, on = append(labels, d.Label()), append(on, slices.Contains(sc.DataCategories, d))
			}
			val = tickRow(labels, on, s.dataPick, f == s.field, fieldW, "", st)
		default:
			on := map[scopeField]bool{fMultiTenant: sc.MultiTenant, fOpenSystem: sc.OpenSystem, fInternetFacing: sc.InternetFacing,
				fESignatures: sc.ESignatures}[f]
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
		var inEffect []string
		for _, f := range m.catalog().EditionsInEffect(sc) {
			inEffect = append(inEffect, f.ID)
		}
		hint = "←/→ picks a regulation; space ticks it, then its next edition. " + hint + " In effect: " + strings.Join(inEffect, ", ") + "."
	case s.field == fDataCategories:
		hint = "←/→ picks a category, space ticks it; saved at once. " + hint
	default:
		hint = "space or ←/→ changes it; saved at once. " + hint
	}
	for _, line := range wrap(hint, w-2) {
		lines = append(lines, st.Muted.Render(line))
	}
	apply := "apply"
	if len(m.review.Applicable) == 1 {
		apply = "applies"
	}
	lines = append(lines, "", st.Muted.Render(fmt.Sprintf("With this scope and %s, %s %s.", plural.Count(len(m.cur.Services), "selected service", "selected services"),
		plural.Count(len(m.review.Applicable), "control", "controls"), apply)))
	return strings.Join(lines, "\n")
}

// frameworks is the frameworks row: one box per regulation, named by the
// edition ticked, or by the regulation when none is.
func (s *scopeScreen) frameworks(m *Model, sc model.Scope, active bool, w int) string {
	var labels []string
	var on []bool
	for _, fam := range m.catalog().Families() {
		label, ticked := fam.ID, false
		for _, f := range fam.Editions {
			if slices.Contains(sc.Frameworks, f.ID) {
				label, ticked = f.ID, true
			}
		}
		labels, on = append(labels, safetext.Line(label)), append(on, ticked)
	}
	note := ""
	if len(sc.Frameworks) == 0 {
		note = "(none: editions in force)"
	}
	return tickRow(labels, on, s.fwPick, active, w, note, m.styles)
}

// movePick moves a pick within n items by ←/→.
func movePick(pick int, k string, n int) int {
	switch k {
	case "left", "h":
		return max(0, pick-1)
	case "right", "l":
		return max(0, min(n-1, pick+1))
	}
	return pick
}

// tickRow shows items with a box each, the picked one highlighted when
// the row is active, and a muted note after them when there is room. When
// the items do not fit in w cells, it shows those around the pick, with ‹
// and › where there are more.
func tickRow(labels []string, on []bool, pick int, active bool, w int, note string, st Styles) string {
	items := make([]string, len(labels))
	for i, l := range labels {
		items[i] = "[ ] " + l
		if on[i] {
			items[i] = "[x] " + l
		}
	}
	paint := func(from, to int, sep string) string {
		parts := make([]string, 0, to-from)
		for i := from; i < to; i++ {
			p := items[i]
			if active && i == pick {
				p = st.Selected.Render(p)
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, sep)
	}
	width := func(from, to int, sep string) int {
		n := 0
		for i := from; i < to; i++ {
			n += ansi.StringWidth(items[i])
		}
		return n + max(0, to-from-1)*len(sep)
	}
	for _, sep := range []string{"  ", " "} {
		if n := width(0, len(items), sep); n <= w {
			row := paint(0, len(items), sep)
			if note != "" && n+2+ansi.StringWidth(note) <= w {
				row += "  " + st.Muted.Render(note)
			}
			return row
		}
	}
	// A window around the pick, grown while it fits with its arrows.
	from, to := pick, pick+1
	for {
		grown := false
		for _, cand := range [][2]int{{from, to + 1}, {from - 1, to}} {
			if cand[0] < 0 || cand[1] > len(items) {
				continue
			}
			extra := 0
			if cand[0] > 0 {
				extra += 2
			}
			if cand[1] < len(items) {
				extra += 2
			}
			if width(cand[0], cand[1], " ")+extra <= w {
				from, to, grown = cand[0], cand[1], true
				break
			}
		}
		if !grown {
			break
		}
	}
	row := paint(from, to, " ")
	if from > 0 {
		row = st.Muted.Render("‹ ") + row
	}
	if to < len(items) {
		row += st.Muted.Render(" ›")
	}
	return row
}
