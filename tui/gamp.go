package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// gampDialog sets the GAMP 5 software category of a selected service for
// this assessment, with the justification an auditor will read, or puts
// it back to the catalog's.
type gampDialog struct {
	service  string
	category int // 0 keeps the catalog's category
	field    int
	why      textField
	from     restored
	w, h     int
}

const (
	gpCategory = iota
	gpWhy
	gpFields
)

const formGAMP = "gamp"

// gampCategories are the categories GAMP 5 uses, in the order offered.
var gampCategories = []int{model.GAMPInfrastructure, model.GAMPNonConfigured, model.GAMPConfigured, model.GAMPCustom}

// openGAMP opens the form on a selected service; fields, when given, are
// a draft's (the category, the justification).
func (m *Model) openGAMP(service string, fields []string, from restored) tea.Cmd {
	sel, ok := selection(m.cur, service)
	if !ok {
		return nil
	}
	if m.screen != screenServices {
		m.show(place{screen: screenServices})
	}
	m.services.clearFilter()
	m.services.seek(m, service)
	d := &gampDialog{service: service, from: from}
	why := ""
	if sel.GAMP != nil {
		d.category, why = sel.GAMP.Category, sel.GAMP.Justification
	}
	d.why = newTextField("Justification", why, store.MaxTextBytes, m.styles)
	if len(fields) == 2 {
		if n, err := strconv.Atoi(fields[0]); err == nil && (n == 0 || model.ValidGAMPCategory(n)) {
			d.category = n
		}
		d.why.set(fields[1])
	}
	m.openDialog(d)
	return nil
}

func (d *gampDialog) title() string { return "GAMP 5 category for this assessment" }
func (d *gampDialog) typing() bool  { return d.field == gpWhy }

func (d *gampDialog) setSize(_ *Model, w, h int) {
	d.w, d.h = w-2, max(2, min(4, h-6))
	d.why.setSize(d.w, d.h)
}

func (d *gampDialog) draft() *store.Draft {
	if !d.why.changed() {
		return nil
	}
	return &store.Draft{Form: formGAMP, Target: d.service, Fields: []string{strconv.Itoa(d.category), d.why.text()}}
}

// catalogs is the service's category as the catalog has it.
func (d *gampDialog) catalogs(m *Model) (int, string) {
	n, why, _ := m.catalog().GAMPCategory(model.SelectedService{ID: d.service})
	return n, why
}

// choices are the category row's options; the first keeps the catalog's.
func (d *gampDialog) choices(m *Model) []string {
	n, _ := d.catalogs(m)
	out := []string{fmt.Sprintf("as the catalog: %d", n)}
	for _, c := range gampCategories {
		out = append(out, strconv.Itoa(c))
	}
	return out
}

func (d *gampDialog) choice(m *Model) string {
	if d.category == 0 {
		return d.choices(m)[0]
	}
	return strconv.Itoa(d.category)
}

func (d *gampDialog) focus(i int) tea.Cmd {
	d.field = (i + gpFields) % gpFields
	if d.field == gpWhy {
		return d.why.focus()
	}
	d.why.ta.Blur()
	return nil
}

func (d *gampDialog) actions(m *Model) []action {
	k := m.keys
	next, prev := k.fieldKeys(d.field == gpWhy)
	acts := []action{
		act(next, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
		act(prev, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
	}
	if d.field == gpCategory {
		acts = append(acts, actAs(k.Choose, "category", func(m *Model, key tea.KeyPressMsg) tea.Cmd {
			opts := d.choices(m)
			step := 1
			if key.String() == "left" {
				step = -1
			}
			i := (slices.Index(opts, d.choice(m)) + step + len(opts)) % len(opts)
			d.category = 0
			if i > 0 {
				d.category = gampCategories[i-1]
			}
			return nil
		}))
	} else {
		acts = append(acts, quiet(helpOnly(k.Newline, "new line")))
	}
	return formFirst(append(acts, act(k.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.save(m) }), m.cancelAction(d.why.changed())))
}

func (d *gampDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	if d.field == gpWhy {
		return d.why.update(m, msg)
	}
	return nil
}

// setGAMP sets (g non-nil) or clears a selected service's category.
func setGAMP(service string, g *model.GAMPOverride) edit {
	return edit{
		apply: func(a *model.Assessment) {
			if i := slices.IndexFunc(a.Services, func(s model.SelectedService) bool { return s.ID == service }); i >= 0 {
				a.Services[i].GAMP = g
			}
		},
		save: func(st Store, id, _ string) (model.Assessment, error) { return st.SetGAMP(id, service, g) },
	}
}

// save sets the category, or clears the assessment's own; the form
// closes at once and the change is saved behind it.
func (d *gampDialog) save(m *Model) tea.Cmd {
	sel, _ := selection(m.cur, d.service)
	prev := sel.GAMP
	key := "gamp/" + d.service
	if d.category == 0 {
		m.closeDialog()
		if prev == nil {
			return nil
		}
		return m.apply(change{key: key, entry: "services", what: d.service + " · GAMP category back to the catalog's",
			do: setGAMP(d.service, nil), undo: setGAMP(d.service, prev)})
	}
	g := &model.GAMPOverride{Category: d.category, Justification: d.why.value()}
	if strings.TrimSpace(g.Justification) == "" {
		m.flashError("NOT SAVED: a GAMP category of the assessment's own needs a justification: why does this service take it here?")
		return d.focus(gpWhy)
	}
	m.closeDialog()
	if prev != nil && *prev == *g {
		return nil
	}
	return m.apply(change{key: key, entry: "services", what: fmt.Sprintf("%s · GAMP category %d", d.service, g.Category),
		do: setGAMP(d.service, g), undo: setGAMP(d.service, prev)})
}

func (d *gampDialog) view(m *Model, w, _ int) string {
	st := m.styles
	var lines []string
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	svc, _ := m.catalog().Service(d.service)
	n, why := d.catalogs(m)
	lines = append(lines, st.Muted.Render(cell(svc.Name+": the catalog gives "+model.GAMPCategoryLabel(n)+".", w)))
	for _, l := range wrap(why, w) {
		lines = append(lines, st.Muted.Render(l))
	}
	const labelW = 15
	cur := func(i int) string {
		if i == d.field {
			return st.Cursor.Render("▸ ")
		}
		return "  "
	}
	lines = append(lines, fmt.Sprintf("%s%-*s%s", cur(gpCategory), labelW, "Category", choiceRow(d.choices(m), d.choice(m), d.field == gpCategory, w-labelW-2, st)))
	label := "1 infrastructure · 3 non-configured product · 4 configured product · 5 custom"
	if d.category != 0 {
		label = model.GAMPCategoryLabel(d.category)
	}
	lines = append(lines, st.Muted.Render(cell(strings.Repeat(" ", labelW+2)+safetext.Line(label), w)))
	lines = append(lines, fmt.Sprintf("%s%-*s%s", cur(gpWhy), labelW, "Justification", st.Muted.Render(d.why.position())))
	lines = append(lines, strings.Split(d.why.view(), "\n")...)
	return strings.Join(lines, "\n")
}
