package model

import "sync/atomic"

// catalogIndex holds the catalog's lookups, built once when it is loaded so
// that screens redrawn on every key never scan the whole catalog.
type catalogIndex struct {
	layer     map[string]int
	service   map[string]int
	control   map[string]int
	evidence  map[string]int
	domain    map[string]int
	framework map[string]int
	programme map[string]int
	// progress remembers Progress's last applicable controls; it is
	// swapped whole, so concurrent callers each see one.
	progress atomic.Pointer[progressMemo]
}

func (c *Catalog) idx() *catalogIndex {
	if c.index == nil {
		c.buildIndex()
	}
	return c.index
}

// newIndex makes an index with room for c's ids, and none in it.
func newIndex(c *Catalog) *catalogIndex {
	return &catalogIndex{
		layer:     make(map[string]int, len(c.Layers)),
		service:   make(map[string]int, len(c.Services)),
		control:   make(map[string]int, len(c.Controls)),
		evidence:  make(map[string]int, len(c.Evidence)),
		domain:    make(map[string]int, len(c.Domains)),
		framework: make(map[string]int, len(c.Frameworks)),
		programme: make(map[string]int, len(c.Programmes)),
	}
}

// buildIndex indexes a catalog that was not loaded (loading takes the
// index its validation built).
func (c *Catalog) buildIndex() {
	ix := newIndex(c)
	for i, l := range c.Layers {
		ix.layer[l.ID] = i
	}
	for i, s := range c.Services {
		ix.service[s.ID] = i
	}
	for i, k := range c.Controls {
		ix.control[k.ID] = i
	}
	for i, e := range c.Evidence {
		ix.evidence[e.ID] = i
	}
	for i, d := range c.Domains {
		ix.domain[d.ID] = i
	}
	for i, f := range c.Frameworks {
		ix.framework[f.ID] = i
	}
	for i, p := range c.Programmes {
		ix.programme[p.ID] = i
	}
	c.index = ix
}

// LayerIndex gives the position of a layer in the stack (0 = top), or -1.
func (c *Catalog) LayerIndex(id string) int {
	if i, ok := c.idx().layer[id]; ok {
		return i
	}
	return -1
}

// Layer finds a layer by id.
func (c *Catalog) Layer(id string) (Layer, bool) {
	if i, ok := c.idx().layer[id]; ok {
		return c.Layers[i], true
	}
	return Layer{}, false
}

// Service finds a service by id.
func (c *Catalog) Service(id string) (Service, bool) {
	if i, ok := c.idx().service[id]; ok {
		return c.Services[i], true
	}
	return Service{}, false
}

// Control finds a control by id.
func (c *Catalog) Control(id string) (Control, bool) {
	if i, ok := c.idx().control[id]; ok {
		return c.Controls[i], true
	}
	return Control{}, false
}

// EvidenceSource finds an evidence source by id.
func (c *Catalog) EvidenceSource(id string) (EvidenceSource, bool) {
	if i, ok := c.idx().evidence[id]; ok {
		return c.Evidence[i], true
	}
	return EvidenceSource{}, false
}

// DomainIndex gives the position of a domain in the catalog's list, or -1.
func (c *Catalog) DomainIndex(id string) int {
	if i, ok := c.idx().domain[id]; ok {
		return i
	}
	return -1
}

// Domain finds a domain by id.
func (c *Catalog) Domain(id string) (Domain, bool) {
	if i, ok := c.idx().domain[id]; ok {
		return c.Domains[i], true
	}
	return Domain{}, false
}

// Framework finds a framework by id.
func (c *Catalog) Framework(id string) (Framework, bool) {
	if i, ok := c.idx().framework[id]; ok {
		return c.Frameworks[i], true
	}
	return Framework{}, false
}

// Programme finds a compliance programme by id.
func (c *Catalog) Programme(id string) (Programme, bool) {
	if i, ok := c.idx().programme[id]; ok {
		return c.Programmes[i], true
	}
	return Programme{}, false
}

// AWSSources lists the evidence sources AWS supplies, in catalog order: the
// rows of a supplier assessment.
func (c *Catalog) AWSSources() []EvidenceSource {
	var out []EvidenceSource
	for _, e := range c.Evidence {
		if e.Supplier == SupplierAWS {
			out = append(out, e)
		}
	}
	return out
}
