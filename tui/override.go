package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// overrideForm moves one layer of a selected service to another owner for
// this assessment, with the justification an auditor will read, or puts
// it back where the catalog has it.
type overrideForm struct {
	service string
	layer   int         // index into the catalog's layers
	owner   model.Owner // "" keeps the catalog's owner: no override
	field   int
	why     textinput.Model
}

const (
	ovLayer = iota
	ovOwner
	ovWhy
	ovFields
)

var overrideFieldLabels = [ovFields]string{"Layer", "Owner", "Justification"}

func newOverrideForm(m *Model, sel model.SelectedService) *overrideForm {
	f := &overrideForm{service: sel.ID}
	f.load(m, sel)
	return f
}

// load shows the layer's override, if the assessment has one.
func (f *overrideForm) load(m *Model, sel model.SelectedService) {
	layer := m.catalog().Layers[f.layer].ID
	f.owner, f.why = "", newInput("")
	f.why.CharLimit = 500
	for _, o := range sel.Overrides {
		if o.Layer == layer {
			f.owner, f.why = o.Owner, newInput(o.Justification)
		}
	}
	if f.field == ovWhy {
		f.why.Focus()
	}
}

// ownerChoices are the owner row's options; the first keeps the catalog's.
func (f *overrideForm) ownerChoices(m *Model) []string {
	own, _, _, _ := m.catalog().Owner(model.SelectedService{ID: f.service}, m.catalog().Layers[f.layer].ID)
	return []string{"as the catalog: " + string(own), string(model.OwnerAWS), string(model.OwnerShared), string(model.OwnerCustomer)}
}

func (f *overrideForm) ownerChoice(m *Model) string {
	if f.owner == "" {
		return f.ownerChoices(m)[0]
	}
	return string(f.owner)
}

// update handles a key; done reports that the form closed without saving.
func (f *overrideForm) update(m *Model, sel model.SelectedService, msg tea.Msg) (cmd tea.Cmd, done bool) {
	k, isKey := msg.(tea.KeyPressMsg)
	if isKey {
		switch k.String() {
		case "esc":
			return nil, true
		case "up", "shift+tab":
			return f.focus(f.field - 1), false
		case "down", "tab":
			return f.focus(f.field + 1), false
		case "enter":
			return f.save(m, sel)
		}
		step := map[string]int{"left": -1, "right": 1}[k.String()]
		switch {
		case f.field == ovLayer && step != 0:
			n := len(m.catalog().Layers)
			f.layer = (f.layer + step + n) % n
			f.load(m, sel)
			return nil, false
		case f.field == ovOwner && step != 0:
			opts := f.ownerChoices(m)
			i := 0
			for j, o := range opts {
				if o == f.ownerChoice(m) {
					i = j
				}
			}
			i = (i + step + len(opts)) % len(opts)
			f.owner = model.Owner(opts[i])
			if i == 0 {
				f.owner = ""
			}
			return nil, false
		}
	}
	if f.field == ovWhy {
		var cmd tea.Cmd
		f.why, cmd = f.why.Update(msg)
		return cmd, false
	}
	return nil, false
}

func (f *overrideForm) focus(i int) tea.Cmd {
	f.field = (i + ovFields) % ovFields
	if f.field == ovWhy {
		return f.why.Focus()
	}
	f.why.Blur()
	return nil
}

// save sets the override, or clears the one there is; the form stays open
// until the store has it.
func (f *overrideForm) save(m *Model, sel model.SelectedService) (tea.Cmd, bool) {
	layer := m.catalog().Layers[f.layer]
	had := false
	for _, o := range sel.Overrides {
		had = had || o.Layer == layer.ID
	}
	service, target := f.service, "override/"+f.service+"/"+layer.ID
	closeForm := func(m *Model, _ model.Assessment) {
		if o := m.services.override; o != nil && o.service == service {
			m.services.override = nil
		}
	}
	if f.owner == "" {
		if !had {
			return nil, true // nothing to change
		}
		return m.change(target, fmt.Sprintf("%s · %s back to the catalog's owner", service, layer.Name), nil,
			func(st Store, id string) (model.Assessment, error) { return st.ClearOverride(id, service, layer.ID) }, closeForm), false
	}
	o := model.ServiceOverride{Layer: layer.ID, Owner: f.owner, Justification: strings.TrimSpace(f.why.Value())}
	if o.Justification == "" {
		m.setError("NOT SAVED: an override needs a justification: why does this layer differ from the catalog here?")
		return f.focus(ovWhy), false
	}
	return m.change(target, fmt.Sprintf("%s · %s → %s", service, layer.Name, o.Owner), o,
		func(st Store, id string) (model.Assessment, error) { return st.SetOverride(id, service, o) }, closeForm), false
}

func (f *overrideForm) view(m *Model, w int) []string {
	st := m.styles
	lines := []string{st.Title.Render(cell("Override a layer for this assessment", w))}
	const labelW = 15
	layerNames := make([]string, len(m.catalog().Layers))
	for i, l := range m.catalog().Layers {
		layerNames[i] = l.Name
	}
	for i, label := range overrideFieldLabels {
		cur := "  "
		if i == f.field {
			cur = st.Cursor.Render("▸ ")
		}
		var val string
		switch i {
		case ovLayer:
			val = choiceRow(layerNames, layerNames[f.layer], i == f.field, w-labelW-2, st)
		case ovOwner:
			val = choiceRow(f.ownerChoices(m), f.ownerChoice(m), i == f.field, w-labelW-2, st)
		case ovWhy:
			in := f.why
			in.SetWidth(max(10, w-labelW-4))
			val = in.View()
		}
		lines = append(lines, fmt.Sprintf("%s%-*s%s", cur, labelW, label, val))
	}
	lines = append(lines, st.Muted.Render(cell("enter saves · esc cancels · ↑/↓ move · ←/→ choose", w)), "")
	return lines
}
