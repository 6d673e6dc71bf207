package model

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"
)

// Solution is the engine's view of one selection of services: the owner of
// every layer of every selected service the catalog knows, resolved once.
// Who owns a layer of a service does not depend on the control asked
// about, so every control reuses the same table: resolving a review costs
// controls × services × the control's layers lookups, not the catalog
// walks of resolving each owner again. A Solution is read-only once made
// and may be shared between goroutines.
type Solution struct {
	cat   *Catalog
	known []SelectedService // the selections whose service the catalog knows
	svcs  []*Service        // known[i]'s service, in the catalog
	cells []ownerCell       // known[i]'s owner of layer j at i*len(cat.Layers)+j
	rank  []int             // known[i]'s name's position among the names, sorted
	names []string          // the distinct names, sorted
}

// ownerCell is Catalog.Owner's answer for one service and layer.
type ownerCell struct {
	owner                    Owner
	reason                   string
	overridden, byAssessment bool
}

// Solve resolves the owner of every layer of every selected service.
func (c *Catalog) Solve(sels []SelectedService) *Solution {
	ix := c.idx()
	s := &Solution{cat: c}
	for _, sel := range sels {
		if i, ok := ix.service[sel.ID]; ok {
			s.known = append(s.known, sel)
			s.svcs = append(s.svcs, &c.Services[i])
		}
	}
	nl := len(c.Layers)
	s.cells = make([]ownerCell, len(s.known)*nl)
	for i, sel := range s.known {
		for j := range c.Layers {
			s.cells[i*nl+j] = c.ownerIn(sel, s.svcs[i], &c.Layers[j])
		}
	}
	for _, svc := range s.svcs {
		s.names = append(s.names, svc.Name)
	}
	slices.Sort(s.names)
	s.names = slices.Compact(s.names)
	s.rank = make([]int, len(s.svcs))
	for i, svc := range s.svcs {
		s.rank[i], _ = slices.BinarySearch(s.names, svc.Name)
	}
	return s
}

// ownerIn is Owner for a service and layer the catalog knows.
func (c *Catalog) ownerIn(sel SelectedService, svc *Service, l *Layer) ownerCell {
	for _, o := range sel.Overrides {
		if o.Layer == l.ID {
			return ownerCell{o.Owner, o.Justification, true, true}
		}
	}
	for _, o := range svc.Overrides {
		if o.Layer == l.ID {
			return ownerCell{o.Owner, o.Reason, true, false}
		}
	}
	if own, ok := l.Owners[svc.Model]; ok {
		return ownerCell{owner: own}
	}
	return ownerCell{owner: OwnerCustomer}
}

// Known is the selections whose service the catalog knows, in order.
func (s *Solution) Known() []SelectedService { return s.known }

// cell is service i's owner of layer j (an index into the catalog's layers).
func (s *Solution) cell(i, j int) ownerCell { return s.cells[i*len(s.cat.Layers)+j] }

// ownerOf is service i's owner of a layer by id: Catalog.Owner, from the
// table when the catalog knows the layer.
func (s *Solution) ownerOf(i int, layerID string) ownerCell {
	if j := s.cat.LayerIndex(layerID); j >= 0 {
		return s.cell(i, j)
	}
	own, why, over, byA := s.cat.Owner(s.known[i], layerID)
	return ownerCell{own, why, over, byA}
}

// layersOf gives the catalog's index of each of the control's layers it
// knows, in the control's order, and the control's own position of each.
func (s *Solution) layersOf(ctrl *Control) (idx, pos []int) {
	for p, lid := range ctrl.Layers {
		if j := s.cat.LayerIndex(lid); j >= 0 {
			idx, pos = append(idx, j), append(pos, p)
		}
	}
	return idx, pos
}

// takesPart reports whether service i has the layer a control is about:
// its first layer the catalog knows. A network takes part in network
// segmentation and in patching nothing, since it has no operating system.
func (s *Solution) takesPart(i int, layers []int) bool {
	return len(layers) > 0 && s.cell(i, layers[0]).owner.Exists()
}

// qualifies reports whether service i meets a control's service
// conditions: it matches one of the service lists (when any is given) and
// resolves one of the named layers to one of the named owners (when any is
// given).
func (s *Solution) qualifies(w Conditions, i int) bool {
	svc := s.svcs[i]
	if len(w.ServicesAny) > 0 || len(w.CategoriesAny) > 0 || len(w.ModelsAny) > 0 {
		if !slices.Contains(w.ServicesAny, svc.ID) && !slices.Contains(w.CategoriesAny, svc.Category) && !slices.Contains(w.ModelsAny, svc.Model) {
			return false
		}
	}
	if len(w.LayerOwners) == 0 {
		return true
	}
	for layer, owners := range w.LayerOwners {
		if slices.Contains(owners, s.ownerOf(i, layer).owner) {
			return true
		}
	}
	return false
}

// Applies reports whether a control applies to this solution with this
// scope. See Conditions for the rules.
func (s *Solution) Applies(ctrl Control, scope Scope) bool {
	return s.appliesTo(&ctrl, scope)
}

// appliesTo is Applies without copying the control.
func (s *Solution) appliesTo(ctrl *Control, scope Scope) bool {
	layers, _ := s.layersOf(ctrl)
	return s.applies(ctrl, scope, layers)
}

func (s *Solution) applies(ctrl *Control, scope Scope, layers []int) bool {
	if !s.cat.citesChosenFramework(ctrl, scope.Frameworks) {
		return false
	}
	w := ctrl.AppliesWhen
	if w.MultiTenant && !scope.MultiTenant || w.OpenSystem && !scope.OpenSystem ||
		w.InternetFacing && !scope.InternetFacing || w.ESignatures && !scope.ESignatures {
		return false
	}
	if w.MinImpact != "" && scope.Impact.Rank() < w.MinImpact.Rank() {
		return false
	}
	if len(s.known) > 0 {
		part := false
		for i := range s.known {
			if part = s.takesPart(i, layers); part {
				break
			}
		}
		if !part {
			return false // no selected service has the control's subject
		}
	}
	serviceConds := len(w.ServicesAny) > 0 || len(w.CategoriesAny) > 0 || len(w.ModelsAny) > 0 || len(w.LayerOwners) > 0
	if !serviceConds && len(w.DataAny) == 0 {
		return true
	}
	if len(w.DataAny) > 0 && scope.HasData(w.DataAny) {
		return true
	}
	if serviceConds {
		for i := range s.known {
			if s.qualifies(w, i) {
				return true
			}
		}
	}
	return false
}

// Applicable lists the controls that apply with this scope, in catalog
// order: the catalog's own, shared and read-only, never copied (a Control
// is large, and at ten times the default catalog copying the applicable
// ones made a third of what ResolveAll allocated).
func (s *Solution) Applicable(scope Scope) []*Control {
	var out []*Control
	for i := range s.cat.Controls {
		if ctrl := &s.cat.Controls[i]; s.appliesTo(ctrl, scope) {
			out = append(out, ctrl)
		}
	}
	return out
}

// share is service i's part in a control: from the owners of the
// control's layers, not applicable when it lacks the control's subject.
func (s *Solution) share(i int, layers []int) Responsibility {
	if !s.takesPart(i, layers) {
		return NotApplicable
	}
	// As responsibilityOf, without a slice of owners.
	present, allAWS, allCust := false, true, true
	for _, j := range layers {
		o := s.cell(i, j).owner
		if !o.Exists() {
			continue
		}
		present = true
		allAWS, allCust = allAWS && o == OwnerAWS, allCust && o == OwnerCustomer
	}
	switch {
	case len(layers) == 0:
		return Customer
	case !present:
		return NotApplicable
	case allAWS:
		return Inherited
	case allCust:
		return Customer
	}
	return Shared
}

// Resolve decides the responsibility for a control in this solution.
// With no service selected it reasons from the layers alone, taking the
// strongest obligation any service model could put on them.
func (s *Solution) Resolve(ctrl Control) Resolution {
	return s.resolve(&ctrl, nil)
}

// sharesOf is what the services' shares of a control come to, which
// depends only on the control's layers: the services that take part, the
// responsibility they join to, and whether it varies between them.
type sharesOf struct {
	concerned []int // read-only: shared by every control with these layers
	resp      Responsibility
	varies    bool
}

// sharePasses counts the passes over the services that sharesFor makes,
// for the test that ResolveAll makes one per distinct list of layers.
var sharePasses atomic.Int64

// sharesFor sums up the services' shares of a control with these layers,
// once per distinct list of layers when memo is given: a catalog has many
// controls and few lists of layers, so resolving a review does not walk
// every service for every control.
func (s *Solution) sharesFor(layers []int, memo map[string]sharesOf) sharesOf {
	var key []byte
	if memo != nil {
		key = make([]byte, 0, 2*len(layers))
		for _, j := range layers {
			key = append(key, byte(j>>8), byte(j))
		}
		if sum, ok := memo[string(key)]; ok {
			return sum
		}
	}
	sharePasses.Add(1)
	sum := sharesOf{concerned: make([]int, 0, len(s.known)), resp: NotApplicable}
	first := NotApplicable
	for i := range s.known {
		if r := s.share(i, layers); r != NotApplicable || s.takesPart(i, layers) {
			sum.resp = join(sum.resp, r)
			sum.concerned = append(sum.concerned, i)
			if first == NotApplicable {
				first = r
			}
			sum.varies = sum.varies || r != NotApplicable && r != first
		}
	}
	if memo != nil {
		memo[string(key)] = sum
	}
	return sum
}

// resolve is Resolve, the services' shares taken from memo when it holds
// them for the control's layers (and kept there when not).
func (s *Solution) resolve(ctrl *Control, memo map[string]sharesOf) Resolution {
	c := s.cat
	res := Resolution{Control: ctrl.ID}
	layers, pos := s.layersOf(ctrl)
	if len(s.known) == 0 {
		all := make([]Owner, len(ctrl.Layers))
		for i, lid := range ctrl.Layers {
			all[i] = c.strongestAnyModel(lid)
		}
		res.Responsibility = responsibilityOf(all)
	}
	// concerned are the services that take part in the control.
	var concerned []int
	if len(s.known) > 0 {
		sum := s.sharesFor(layers, memo)
		concerned, res.Responsibility, res.Varies = sum.concerned, sum.resp, sum.varies
	}
	switch res.Responsibility {
	case Inherited:
		res.Suppliers = []Supplier{SupplierAWS}
		res.AWSEvidence = ctrl.AWSEvidence
	case Customer:
		res.Suppliers = []Supplier{SupplierCustomer}
		res.CustEvidence = ctrl.CustomerEvidence
	case Shared:
		res.Suppliers = []Supplier{SupplierAWS, SupplierCustomer}
		res.AWSEvidence, res.CustEvidence = ctrl.AWSEvidence, ctrl.CustomerEvidence
	}
	if p := s.partsOf(ctrl, layers, pos, concerned); p.found && res.Responsibility != NotApplicable {
		switch res.Responsibility {
		case Customer:
			res.CustomerPart = p.cust
		case Inherited:
			res.AWSPart = p.aws
		case Shared:
			res.CustomerPart, res.AWSPart = p.cust, p.aws
		}
	}
	res.sol, res.ctrl, res.concerned = s, ctrl, concerned
	return res
}

// Shares is each selected service's share of a control, in the order of
// Known: PerService without the layers.
func (s *Solution) Shares(ctrl *Control) []Responsibility {
	layers, _ := s.layersOf(ctrl)
	out := make([]Responsibility, len(s.known))
	for i := range s.known {
		out[i] = s.share(i, layers)
	}
	return out
}

// PerService is how each selected service divides a control: the detail
// behind a resolution, built only where it is shown (the questions'
// drill-down, the OSCAL documents that state each service's part).
func (s *Solution) PerService(ctrl *Control) []ServiceResolution {
	layers, _ := s.layersOf(ctrl)
	out := make([]ServiceResolution, len(s.known))
	for i, sel := range s.known {
		sr := ServiceResolution{Service: sel.ID, Responsibility: s.share(i, layers), Layers: make([]StackLayer, len(layers))}
		for k, j := range layers {
			o := s.cell(i, j)
			sr.Layers[k] = StackLayer{Layer: s.cat.Layers[j], Owner: o.owner, Overridden: o.overridden, ByAssessment: o.byAssessment, Reason: o.reason}
		}
		out[i] = sr
	}
	return out
}

// parts is what each party does for a control, and the layers that say
// so: decide, whose owner explains the customer's part (the control's
// subject when the customer has a part in it, else the layer with the
// strongest customer obligation), at dj among the catalog's layers; and
// awsSide, where AWS does the most. The customer's part comes from the
// control, else from decide; AWS's from the control, else from awsSide.
// found is false when the control names no layer the concerned services
// have.
type parts struct {
	decide, awsSide Layer
	dj              int
	cust, aws       string
	found           bool
}

// partsOf finds a control's parts. layers are the control's known layers,
// pos their places in the control's own list, concerned the services that
// take part in it.
func (s *Solution) partsOf(ctrl *Control, layers, pos, concerned []int) parts {
	c := s.cat
	// weights gives the strongest and the weakest customer obligation the
	// concerned services put on a layer (-1, -1 when none of them has it).
	weights := func(j int) (strongest, weakest int) {
		if len(concerned) == 0 {
			w := c.strongestAnyModel(c.Layers[j].ID).Weight()
			return w, w
		}
		strongest, weakest = -1, 3
		for _, i := range concerned {
			if own := s.cell(i, j).owner; own.Exists() {
				strongest, weakest = max(strongest, own.Weight()), min(weakest, own.Weight())
			}
		}
		if strongest < 0 {
			return -1, -1
		}
		return strongest, weakest
	}
	p := parts{dj: -1}
	best, least := -1, 3
	for k, j := range layers {
		l := c.Layers[j]
		strongest, weakest := weights(j)
		if strongest < 0 {
			continue
		}
		first := pos[k] == 0
		if strongest > best || first && strongest > 0 {
			best, p.decide, p.dj = strongest, l, j
			if first && strongest > 0 {
				best = 3 // the subject wins
			}
		}
		if weakest < least {
			least, p.awsSide = weakest, l
		}
	}
	if best < 0 {
		return p
	}
	p.found = true
	// The layers' own wording, lower-cased, only when the control has none.
	if p.cust = ctrl.CustomerPart; p.cust == "" {
		p.cust = orDefault(p.decide.CustomerDuty, strings.ToLower(p.decide.Name))
	}
	if p.aws = ctrl.AWSPart; p.aws == "" {
		p.aws = orDefault(p.awsSide.AWSDuty, "runs "+strings.ToLower(p.awsSide.Name))
	}
	return p
}

// reason writes what a consultant reads aloud for a control with this
// responsibility, concerned the services that take part in it: the
// services that put the strongest obligation on the customer, and their
// overrides' reasons, say why. It is written when asked (Resolution.Reason),
// since most resolutions of a review are counted, never read.
func (s *Solution) reason(ctrl *Control, concerned []int, resp Responsibility) string {
	c := s.cat
	if resp == NotApplicable {
		return "None of the selected services has the layer this control is about, so there is nothing to do for it."
	}
	layers, pos := s.layersOf(ctrl)
	p := s.partsOf(ctrl, layers, pos, concerned)
	if !p.found {
		return "This control names no known layer, so Onus treats it as yours until the catalog is fixed."
	}
	decide, dj, cust, aws := p.decide, p.dj, p.cust, p.aws
	owner := func(i int) ownerCell { // service i's owner of decide
		if dj >= 0 {
			return s.cell(i, dj)
		}
		return s.ownerOf(i, decide.ID)
	}
	own, same := decide.sameForAllModels()
	universal := same && !slices.ContainsFunc(concerned, func(i int) bool { return owner(i).overridden })
	// A control that is wholly the customer's although one of its layers is
	// usually AWS's is explained by that layer (a cluster in your own data
	// centre makes its resilience wholly yours).
	if resp == Customer && universal {
		for _, j := range layers {
			l := c.Layers[j]
			if o, same := l.sameForAllModels(); !same || o != OwnerCustomer {
				decide, dj, universal = l, j, false
				break
			}
		}
	}
	// A control that applies by who owns a layer is explained by the
	// services that made it apply, through that layer.
	cause := concerned
	if w := ctrl.AppliesWhen; len(w.LayerOwners) > 0 {
		var q []int
		for _, i := range concerned {
			if s.qualifies(w, i) {
				q = append(q, i)
			}
		}
		for _, lid := range ctrl.Layers {
			if _, ok := w.LayerOwners[lid]; ok && len(q) > 0 {
				decide, _ = c.Layer(lid)
				dj = c.LayerIndex(lid)
				cause, universal = q, false
				break
			}
		}
	}

	if resp == Inherited {
		if universal || len(concerned) == 0 {
			return upperFirst(fmt.Sprintf("whatever the service, AWS %s, so you inherit this and rely on AWS's audit reports.", aws))
		}
		return fmt.Sprintf("For %s, AWS %s, so you inherit this and rely on AWS's audit reports.", s.nameList(concerned), aws)
	}
	// mine is the customer's part with what follows it: alone when the
	// control is the customer's, with AWS's part when it is shared.
	mine := "this is yours: " + cust + "."
	if resp == Shared {
		mine = fmt.Sprintf("your part is %s; AWS %s.", cust, aws)
	}
	switch {
	case len(concerned) == 0:
		return "Until services are selected, Onus assumes the most you could owe, so " + mine
	case universal && own == OwnerCustomer:
		return "Whatever the service, " + mine
	case universal && own == OwnerShared:
		return fmt.Sprintf("You and AWS share this whatever the service: your part is %s; AWS %s.", cust, aws)
	}
	var custs, shared []int
	for _, i := range cause {
		switch owner(i).owner {
		case OwnerCustomer:
			custs = append(custs, i)
		case OwnerShared:
			shared = append(shared, i)
		}
	}
	if len(custs) > 0 {
		return fmt.Sprintf("%s, so %s", s.because(custs, decide, owner), mine)
	}
	if why, svc, ok := s.overrideReason(shared, owner); ok {
		return fmt.Sprintf("For %s, %s. You and AWS share this: your part is %s; AWS %s.", svc.Name, strings.TrimSuffix(lowerFirst(why), "."), cust, aws)
	}
	if len(shared) == 0 {
		shared = cause
	}
	return fmt.Sprintf("For %s, you and AWS share this: your part is %s; AWS %s.", s.nameList(shared), cust, aws)
}

// overrideReason finds the first of these services whose owner of a
// layer (given by owner) is an override with a reason.
func (s *Solution) overrideReason(svcs []int, owner func(int) ownerCell) (string, *Service, bool) {
	for _, i := range svcs {
		if o := owner(i); o.overridden && strings.TrimSpace(o.reason) != "" {
			return o.reason, s.svcs[i], true
		}
	}
	return "", nil, false
}

// because explains why these services put the layer on the customer: an
// override's own reason, or the service model.
func (s *Solution) because(svcs []int, layer Layer, owner func(int) ownerCell) string {
	if why, svc, ok := s.overrideReason(svcs, owner); ok {
		return fmt.Sprintf("For %s, %s", svc.Name, strings.TrimSuffix(lowerFirst(why), "."))
	}
	svc := s.svcs[svcs[0]]
	if len(svcs) == 1 {
		return fmt.Sprintf("%s is %s service", svc.Name, article(svc.Model))
	}
	for _, i := range svcs {
		if s.svcs[i].Model != svc.Model {
			return fmt.Sprintf("%s leave %s to you", s.nameList(svcs), strings.ToLower(layer.Name))
		}
	}
	return fmt.Sprintf("%s are %s services", s.nameList(svcs), svc.Model)
}

// nameList names up to four services, or three and counts the rest, in
// alphabetical order; a name two services share counts once.
func (s *Solution) nameList(svcs []int) string {
	// The names' ranks as a bit set: sorted and without repeats, in one
	// pass over the services however many there are.
	set := make([]uint64, (len(s.names)+63)/64)
	for _, i := range svcs {
		set[s.rank[i]/64] |= 1 << (s.rank[i] % 64)
	}
	n := 0
	for _, w := range set {
		n += bits.OnesCount64(w)
	}
	first := make([]string, 0, min(n, 4))
	for wi, w := range set {
		for ; w != 0 && len(first) < 4; w &= w - 1 {
			first = append(first, s.names[wi*64+bits.TrailingZeros64(w)])
		}
	}
	switch {
	case n > 4:
		return fmt.Sprintf("%s and %d more", strings.Join(first[:3], ", "), n-3)
	case n <= 1:
		return strings.Join(first, "")
	}
	return strings.Join(first[:n-1], ", ") + " and " + first[n-1]
}
