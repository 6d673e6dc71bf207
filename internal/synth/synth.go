// Package synth builds large synthetic catalogs from a real one, so that
// benchmarks and users can reproduce how Onus behaves with catalogs ten or
// a hundred times the default size.
package synth

import (
	"fmt"

	"github.com/onus-gxp/onus/model"
)

// Scale returns a catalog with factor times the services and controls of
// base: copy k of each item gets the id suffix "-xK" (copy 0 keeps the
// original), and references between copies stay inside the same copy, so
// the result validates like the original. Layers, frameworks, domains,
// evidence sources and programmes are shared; resource types stay with
// the originals, as a type can mean only one service.
func Scale(base *model.Catalog, factor int) *model.Catalog {
	if factor < 1 {
		factor = 1
	}
	out := &model.Catalog{
		Schema:      base.Schema,
		Version:     fmt.Sprintf("%s-x%d", base.Version, factor),
		Name:        fmt.Sprintf("%s (synthetic, x%d)", base.Name, factor),
		Description: base.Description,
		Layers:      base.Layers,
		Frameworks:  base.Frameworks,
		Domains:     base.Domains,
		Evidence:    base.Evidence,
		Programmes:  base.Programmes,
	}
	suffix := func(id string, k int) string {
		if k == 0 {
			return id
		}
		return fmt.Sprintf("%s-x%d", id, k)
	}
	for k := range factor {
		for _, s := range base.Services {
			s.ID = suffix(s.ID, k)
			if k > 0 {
				s.Name = fmt.Sprintf("%s (copy %d)", s.Name, k)
				// A resource type means one service: the original's.
				s.Resources = model.ResourceTypes{Unmapped: "a synthetic copy; " + suffix(s.ID, 0) + "'s original lists the resource types"}
			}
			out.Services = append(out.Services, s)
		}
		for _, c := range base.Controls {
			c.ID = suffix(c.ID, k)
			if len(c.AppliesWhen.ServicesAny) > 0 {
				ids := make([]string, len(c.AppliesWhen.ServicesAny))
				for i, id := range c.AppliesWhen.ServicesAny {
					ids[i] = suffix(id, k)
				}
				c.AppliesWhen.ServicesAny = ids
			}
			out.Controls = append(out.Controls, c)
		}
	}
	return out
}
