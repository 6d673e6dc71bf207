package model

import (
	"fmt"
	"slices"
)

// FamilyID names the regulation or guide a framework is an edition of.
func (f Framework) FamilyID() string {
	if f.Family != "" {
		return f.Family
	}
	return f.ID
}

// Title names the edition as a report prints it:
// "EU GMP Annex 11 (Computerised Systems) (2011)".
func (f Framework) Title() string {
	if f.Edition == "" {
		return f.Name
	}
	return f.Name + " (" + f.Edition + ")"
}

// EditionsInEffect names the framework editions an assessment with this
// scope answers to, in catalog order: the ones it chose, or, when it chose
// none, each family's edition in force. A draft is in effect only when
// chosen. Reports print these, so every report names the edition used.
func (c *Catalog) EditionsInEffect(s Scope) []Framework {
	var out []Framework
	if len(s.Frameworks) > 0 {
		for _, f := range c.Frameworks {
			if slices.Contains(s.Frameworks, f.ID) {
				out = append(out, f)
			}
		}
		return out
	}
	seen := map[string]bool{}
	for _, f := range c.Frameworks {
		if !f.Draft && !seen[f.FamilyID()] {
			seen[f.FamilyID()] = true
			out = append(out, f)
		}
	}
	return out
}

// InEffect reports whether any edition of a family is in effect for a
// scope, e.g. whether 21 CFR Part 11 is part of the assessment.
func (c *Catalog) InEffect(s Scope, family string) bool {
	return slices.ContainsFunc(c.EditionsInEffect(s), func(f Framework) bool { return f.FamilyID() == family })
}

// CheckFrameworks refuses a choice of frameworks that names one the
// catalog does not know, names one twice, or takes two editions of one
// family: an assessment answers to one edition of each regulation.
func (c *Catalog) CheckFrameworks(ids []string) error {
	chosen := map[string]string{} // family → framework id
	for i, id := range ids {
		f, ok := c.Framework(id)
		if !ok {
			return fmt.Errorf("unknown framework %q", id)
		}
		if slices.Contains(ids[:i], id) {
			return fmt.Errorf("framework %q is chosen twice", id)
		}
		if other, dup := chosen[f.FamilyID()]; dup {
			a, _ := c.Framework(other)
			return fmt.Errorf("%s and %s are editions of the same framework; choose one", a.Title(), f.Title())
		}
		chosen[f.FamilyID()] = id
	}
	return nil
}
