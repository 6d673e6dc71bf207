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

// Family is a regulation or guide with its editions, in catalog order.
type Family struct {
	ID       string
	Editions []Framework
}

// Families groups the catalog's frameworks by family, in the order the
// catalog first names each.
func (c *Catalog) Families() []Family {
	var out []Family
	for _, f := range c.Frameworks {
		i := slices.IndexFunc(out, func(x Family) bool { return x.ID == f.FamilyID() })
		if i < 0 {
			out, i = append(out, Family{ID: f.FamilyID()}), len(out)
		}
		out[i].Editions = append(out[i].Editions, f)
	}
	return out
}

// CycleEdition is a choice of frameworks with one family moved on by one
// step: from none of its editions to its first, from each to the next,
// from the last to none. The choice keeps one edition per family.
func (c *Catalog) CycleEdition(chosen []string, family string) []string {
	var editions []Framework
	for _, fam := range c.Families() {
		if fam.ID == family {
			editions = fam.Editions
		}
	}
	out := slices.Clone(chosen)
	at := -1
	for i, f := range editions {
		if j := slices.Index(out, f.ID); j >= 0 {
			out = slices.Delete(out, j, j+1)
			if at < 0 {
				at = i
			}
		}
	}
	if next := at + 1; next < len(editions) {
		out = append(out, editions[next].ID)
	}
	return out
}
