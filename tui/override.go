package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// overrideDialog moves one layer of a selected service to another owner
// for this assessment, with the justification an auditor will read, or
// puts it back where the catalog has it.
type overrideDialog struct {
	service string
	layer   int // index into the catalog's layers
	layerID string
	owner   model.Owner // "" keeps the catalog's owner: no override
	field   int
	why     textField
	from    restored
	w, h    int
}

const (
	ovLayer = iota
	ovOwner
	ovWhy
	ovFields
)

const formOverride = "override"

var overrideFieldLabels = [ovFields]string{"Layer", "Owner", "Justification"}

// openOverride opens the form on a selected service; target is the
// service id, or "service/layer" with fields (owner, justification) for
// a draft.
func (m *Model) openOverride(target string, fields []string, from restored) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	service, layer, _ := strings.Cut(target, "/")
	if _, ok := selection(m.cur, service); !ok {
		return nil
	}
	if m.screen != screenServices {
		m.show(place{screen: screenServices})
	}
	m.services.clearFilter()
	m.services.seek(m, service)
	d := &overrideDialog{service: service, from: from}
	if i := m.catalog().LayerIndex(layer); i >= 0 {
		d.layer = i
	}
	d.load(m)
	if len(fields) == 2 {
		d.owner = model.Owner(fields[0])
		d.why.set(fields[1])
	}
	m.openDialog(d)
	return nil
}

// load shows the layer's override, if the assessment has one.
func (d *overrideDialog) load(m *Model) {
	sel, _ := selection(m.cur, d.service)
	layer := m.catalog().Layers[d.layer].ID
	d.layerID = layer
	d.owner = ""
	why := ""
	for _, o := range sel.Overrides {
		if o.Layer == layer {
			d.owner, why = o.Owner, o.Justification
		}
	}
	d.why = newTextField("Justification", why, store.MaxTextBytes, m.styles)
	d.why.setSize(d.w, d.h)
	if d.field == ovWhy {
		d.why.focus()
	}
}

func (d *overrideDialog) title() string { return "Override a layer for this assessment" }
func (d *overrideDialog) typing() bool  { return d.field == ovWhy }

func (d *overrideDialog) setSize(_ *Model, w, h int) {
	d.w, d.h = w-2, max(2, min(4, h-5))
	d.why.setSize(d.w, d.h)
}

func (d *overrideDialog) draft() *store.Draft {
	if !d.why.changed() {
		return nil
	}
	return &store.Draft{Form: formOverride, Target: d.service + "/" + d.layerID, Fields: []string{string(d.owner), d.why.text()}}
}

// ownerChoices are the owner row's options; the first keeps the catalog's.
func (d *overrideDialog) ownerChoices(m *Model) []string {
	own, _, _, _ := m.catalog().Owner(model.SelectedService{ID: d.service}, m.catalog().Layers[d.layer].ID)
	return []string{"as the catalog: " + string(own), string(model.OwnerAWS), string(model.OwnerShared), string(model.OwnerCustomer)}
}

func (d *overrideDialog) ownerChoice(m *Model) string {
	if d.owner == "" {
		return d.ownerChoices(m)[0]
	}
	return string(d.owner)
}

func (d *overrideDialog) focus(i int) tea.Cmd {
	d.field = (i + ovFields) % ovFields
	if d.field == ovWhy {
		return d.why.focus()
	}
	d.why.ta.Blur()
	return nil
}

func (d *overrideDialog) actions(m *Model) []action {
	k := m.keys
	next, prev := k.fieldKeys(d.field == ovWhy)
	acts := []action{
		act(next, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
		act(prev, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
	}
	if d.field != ovWhy {
		acts = append(acts, act(k.Choose, func(m *Model, key tea.KeyPressMsg) tea.Cmd {
			step := 1
			if key.String() == "left" {
				step = -1
			}
			if d.field == ovLayer {
				n := len(m.catalog().Layers)
				d.layer = (d.layer + step + n) % n
				d.load(m)
				return nil
			}
			opts := d.ownerChoices(m)
			i := (slices.Index(opts, d.ownerChoice(m)) + step + len(opts)) % len(opts)
			d.owner = model.Owner(opts[i])
			if i == 0 {
				d.owner = ""
			}
			return nil
		}))
	} else {
		acts = append(acts, quiet(helpOnly(k.Newline, "new line")))
	}
	return formFirst(append(acts, act(k.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.save(m) }), m.cancelAction(d.why.changed())))
}

func (d *overrideDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	if d.field == ovWhy {
		return d.why.update(m, msg)
	}
	return nil
}

// save sets the override, or clears the one there is; the form closes
// at once and the change is saved behind it.
func (d *overrideDialog) save(m *Model) tea.Cmd {
	layer := m.catalog().Layers[d.layer]
	sel, _ := selection(m.cur, d.service)
	var prev *model.ServiceOverride
	for _, o := range sel.Overrides {
		if o.Layer == layer.ID {
			prev = &o
		}
	}
	service := d.service
	key := "override/" + service + "/" + layer.ID
	set := func(o model.ServiceOverride) edit {
		return edit{
			apply: func(a *model.Assessment) { editOverrides(a, service, layer.ID, &o) },
			save:  func(st Store, id, _ string) (model.Assessment, error) { return st.SetOverride(id, service, o) },
		}
	}
	clear := edit{
		apply: func(a *model.Assessment) { editOverrides(a, service, layer.ID, nil) },
		save:  func(st Store, id, _ string) (model.Assessment, error) { return st.ClearOverride(id, service, layer.ID) },
	}
	if d.owner == "" {
		m.closeDialog()
		if prev == nil {
			return nil // nothing to change
		}
		return m.apply(change{key: key, entry: "services", what: fmt.Sprintf("%s · %s back to the catalog's owner", service, layer.Name),
			do: clear, undo: set(*prev)})
	}
	o := model.ServiceOverride{Layer: layer.ID, Owner: d.owner, Justification: d.why.value()}
	if strings.TrimSpace(o.Justification) == "" {
		m.flashError("NOT SAVED: an override needs a justification: why does this layer differ from the catalog here?")
		return d.focus(ovWhy)
	}
	m.closeDialog()
	undo := clear
	if prev != nil {
		undo = set(*prev)
	}
	return m.apply(change{key: key, entry: "services", what: fmt.Sprintf("%s · %s → %s", service, layer.Name, o.Owner), do: set(o), undo: undo})
}

// editOverrides sets (o non-nil) or clears a layer's override of a
// selected service, replacing the service's list.
func editOverrides(a *model.Assessment, service, layer string, o *model.ServiceOverride) {
	i := slices.IndexFunc(a.Services, func(s model.SelectedService) bool { return s.ID == service })
	if i < 0 {
		return
	}
	list := slices.DeleteFunc(slices.Clone(a.Services[i].Overrides), func(x model.ServiceOverride) bool { return x.Layer == layer })
	if o != nil {
		list = append(list, *o)
	}
	a.Services[i].Overrides = list
}

func (d *overrideDialog) view(m *Model, w, _ int) string {
	st := m.styles
	var lines []string
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	svc, _ := m.catalog().Service(d.service)
	lines = append(lines, st.Muted.Render(cell(svc.Name+": pick the layer and its owner with ←/→, then say why.", w)))
	const labelW = 15
	layerNames := make([]string, len(m.catalog().Layers))
	for i, l := range m.catalog().Layers {
		layerNames[i] = l.Name
	}
	for i, label := range overrideFieldLabels {
		cur := "  "
		if i == d.field {
			cur = st.Cursor.Render("▸ ")
		}
		switch i {
		case ovLayer:
			lines = append(lines, fmt.Sprintf("%s%-*s%s", cur, labelW, label, choiceRow(layerNames, layerNames[d.layer], i == d.field, w-labelW-2, st)))
		case ovOwner:
			lines = append(lines, fmt.Sprintf("%s%-*s%s", cur, labelW, label, choiceRow(d.ownerChoices(m), d.ownerChoice(m), i == d.field, w-labelW-2, st)))
		case ovWhy:
			lines = append(lines, fmt.Sprintf("%s%-*s%s", cur, labelW, label, st.Muted.Render(d.why.position())))
			lines = append(lines, strings.Split(d.why.view(), "\n")...)
		}
	}
	return strings.Join(lines, "\n")
}
