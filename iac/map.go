package iac

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// The two families of resource types the catalog maps.
const (
	cfnTypes = "cloudformation"
	tfTypes  = "terraform"
)

// lookup finds a property of a resource by its path. vals are its literal
// values (one, or each element of a list); expr names what could not be
// read when the value is not a literal (an intrinsic function, a
// variable); ok is false when the property is not there.
type lookup func(path []string) (vals []string, expr string, ok bool)

// noProps is the lookup of a resource without readable properties.
func noProps([]string) ([]string, string, bool) { return nil, "", false }

// candidate is one catalog entry for a resource type.
type candidate struct {
	entry   model.ResourceEntry
	service model.Service
}

// mapper resolves resource types to services by the catalog's entries.
type mapper struct {
	// index holds, by family and type, the entries with a condition in
	// catalog order, then the one without.
	index map[string]map[string][]candidate
}

func newMapper(cat *model.Catalog) *mapper {
	m := &mapper{index: map[string]map[string][]candidate{cfnTypes: {}, tfTypes: {}}}
	var plain []struct {
		format string
		c      candidate
	}
	for _, s := range cat.Services {
		for _, format := range []string{cfnTypes, tfTypes} {
			for _, e := range s.Resources.Entries(format) {
				c := candidate{e, s}
				if e.Conditional() {
					m.index[format][e.Type] = append(m.index[format][e.Type], c)
				} else {
					plain = append(plain, struct {
						format string
						c      candidate
					}{format, c})
				}
			}
		}
	}
	for _, p := range plain {
		m.index[p.format][p.c.entry.Type] = append(m.index[p.format][p.c.entry.Type], p.c)
	}
	return m
}

// resolve says which service a resource of a type means, and why; an
// empty service means none, and why says so.
func (m *mapper) resolve(format, typ string, props lookup) (service, why string) {
	cands := m.index[format][typ]
	switch {
	case len(cands) > 0:
	case format == cfnTypes && !strings.HasPrefix(typ, "AWS::"):
		return "", typ + " is not an AWS resource type: a custom resource or a third-party extension, whose own resources are what the solution uses"
	case format == tfTypes && !strings.HasPrefix(typ, "aws_"):
		return "", typ + " is not a resource of the Terraform AWS provider"
	default:
		return "", "no catalog service lists " + typ
	}
	type aside struct{ service, text string }
	var asides []aside
	finish := func(c candidate, first string) (string, string) {
		parts := []string{first}
		for _, a := range asides {
			if a.service != c.service.ID {
				parts = append(parts, a.text)
			}
		}
		return c.service.ID, strings.Join(parts, "; ")
	}
	for _, c := range cands {
		if !c.entry.Conditional() {
			return finish(c, fmt.Sprintf("%s is listed under %s (%s)", typ, c.service.ID, c.service.Name))
		}
		path := c.entry.Path
		vals, expr, ok := props(strings.Split(path, "."))
		switch {
		case holds(c.entry, vals, ok):
			return finish(c, fmt.Sprintf("%s where %s is listed under %s (%s)", typ, c.entry.Condition(), c.service.ID, c.service.Name))
		case expr != "":
			asides = append(asides, aside{c.service.ID, fmt.Sprintf("%s could not be read (%s), so %s was not considered: check it", path, expr, c.service.ID)})
		case !ok:
			asides = append(asides, aside{c.service.ID, fmt.Sprintf("not %s, since %s is not set", c.service.ID, path)})
		default:
			asides = append(asides, aside{c.service.ID, fmt.Sprintf("not %s, since %s is %s", c.service.ID, path, strings.Join(vals, ", "))})
		}
	}
	texts := make([]string, len(asides))
	for i, a := range asides {
		texts[i] = a.text
	}
	return "", fmt.Sprintf("%s means a service only under a condition, and none held: %s", typ, strings.Join(texts, "; "))
}

// holds reports whether an entry's condition holds for a property's
// values: present at all, equal to the value, or starting with it.
func holds(e model.ResourceEntry, vals []string, ok bool) bool {
	if !ok {
		return false
	}
	if e.Value == "" && !e.Prefix {
		return true
	}
	for _, v := range vals {
		if v == e.Value || (e.Prefix && strings.HasPrefix(v, e.Value)) {
			return true
		}
	}
	return false
}
