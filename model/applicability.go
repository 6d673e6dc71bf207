package model

import "slices"

// Applies reports whether a control applies to a solution with this scope
// and these selected services.
func (c *Catalog) Applies(ctrl Control, scope Scope, sels []SelectedService) bool {
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
	if len(w.ServicesAny) == 0 && len(w.CategoriesAny) == 0 && len(w.ModelsAny) == 0 {
		return true
	}
	// Service conditions: any selected service matching any listed id,
	// category or model makes the control apply.
	for _, sel := range sels {
		svc, ok := c.Service(sel.ID)
		if !ok {
			continue
		}
		if slices.Contains(w.ServicesAny, svc.ID) || slices.Contains(w.CategoriesAny, svc.Category) || slices.Contains(w.ModelsAny, svc.Model) {
			return true
		}
	}
	return false
}

// citesChosenFramework: a control applies when it cites at least one chosen
// framework. No framework chosen means every framework; a control citing no
// framework at all (a house control) always applies.
func (c *Catalog) citesChosenFramework(ctrl Control, chosen []string) bool {
	if len(chosen) == 0 || len(ctrl.Refs) == 0 {
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
	var out []Control
	for _, ctrl := range c.Controls {
		if c.Applies(ctrl, scope, sels) {
			out = append(out, ctrl)
		}
	}
	return out
}
