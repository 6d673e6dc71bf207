package model

import "slices"

// Applies reports whether a control applies to a solution with this scope
// and these selected services. See Conditions for the rules.
func (c *Catalog) Applies(ctrl Control, scope Scope, sels []SelectedService) bool {
	return c.applies(ctrl, scope, c.known(sels))
}

// applies is Applies for selections whose services the catalog knows.
func (c *Catalog) applies(ctrl Control, scope Scope, known []SelectedService) bool {
	if !c.citesChosenFramework(ctrl, scope.Frameworks) {
		return false
	}
	w := ctrl.AppliesWhen
	if w.MultiTenant && !scope.MultiTenant {
		return false
	}
	if w.OpenSystem && !scope.OpenSystem {
		return false
	}
	if w.InternetFacing && !scope.InternetFacing {
		return false
	}
	if w.ESignatures && !scope.ESignatures {
		return false
	}
	if w.MinImpact != "" && scope.Impact.Rank() < w.MinImpact.Rank() {
		return false
	}
	if len(known) > 0 && !slices.ContainsFunc(known, func(sel SelectedService) bool { return c.takesPart(sel, ctrl) }) {
		return false // no selected service has the control's subject
	}
	serviceConds := len(w.ServicesAny) > 0 || len(w.CategoriesAny) > 0 || len(w.ModelsAny) > 0 || len(w.LayerOwners) > 0
	if !serviceConds && len(w.DataAny) == 0 {
		return true
	}
	if len(w.DataAny) > 0 && scope.HasData(w.DataAny) {
		return true
	}
	return serviceConds && slices.ContainsFunc(known, func(sel SelectedService) bool { return c.qualifies(w, sel) })
}

// qualifies reports whether one selected service meets a control's service
// conditions: it matches one of the service lists (when any is given) and
// resolves one of the named layers to one of the named owners (when any is
// given).
func (c *Catalog) qualifies(w Conditions, sel SelectedService) bool {
	svc, _ := c.Service(sel.ID)
	if len(w.ServicesAny) > 0 || len(w.CategoriesAny) > 0 || len(w.ModelsAny) > 0 {
		if !slices.Contains(w.ServicesAny, svc.ID) && !slices.Contains(w.CategoriesAny, svc.Category) && !slices.Contains(w.ModelsAny, svc.Model) {
			return false
		}
	}
	if len(w.LayerOwners) == 0 {
		return true
	}
	for layer, owners := range w.LayerOwners {
		if own, _, _, _ := c.Owner(sel, layer); slices.Contains(owners, own) {
			return true
		}
	}
	return false
}

// takesPart reports whether a service has the layer a control is about: its
// first layer. A network takes part in network segmentation and in
// patching nothing, since it has no operating system.
func (c *Catalog) takesPart(sel SelectedService, ctrl Control) bool {
	for _, l := range ctrl.Layers {
		if _, ok := c.Layer(l); ok {
			own, _, _, _ := c.Owner(sel, l)
			return own.Exists()
		}
	}
	return false
}

// known keeps the selections whose service the catalog knows.
func (c *Catalog) known(sels []SelectedService) []SelectedService {
	var out []SelectedService
	for _, s := range sels {
		if _, ok := c.Service(s.ID); ok {
			out = append(out, s)
		}
	}
	return out
}

// citesChosenFramework: a control applies when it cites at least one chosen
// framework. No framework chosen means every framework; a control citing no
// framework at all (a house control), or one the catalog marks as part of
// the GxP baseline, always applies.
func (c *Catalog) citesChosenFramework(ctrl Control, chosen []string) bool {
	if len(chosen) == 0 || len(ctrl.Refs) == 0 || ctrl.GxPBaseline {
		return true
	}
	for _, r := range ctrl.Refs {
		if slices.Contains(chosen, r.Framework) {
			return true
		}
	}
	return false
}

// Applicable lists the controls that apply, in catalog order.
func (c *Catalog) Applicable(scope Scope, sels []SelectedService) []Control {
	known := c.known(sels)
	var out []Control
	for _, ctrl := range c.Controls {
		if c.applies(ctrl, scope, known) {
			out = append(out, ctrl)
		}
	}
	return out
}
