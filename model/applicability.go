package model

import "slices"

// Applies reports whether a control applies to a solution with this scope
// and these selected services. See Conditions for the rules.
func (c *Catalog) Applies(ctrl Control, scope Scope, sels []SelectedService) bool {
	return c.Solve(sels).Applies(ctrl, scope)
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
func (c *Catalog) citesChosenFramework(ctrl *Control, chosen []string) bool {
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
func (c *Catalog) Applicable(scope Scope, sels []SelectedService) []*Control {
	return c.Solve(sels).Applicable(scope)
}
