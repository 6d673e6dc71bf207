package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// StackLayer is one layer of one service's stack with its resolved owner.
type StackLayer struct {
	Layer Layer
	Owner Owner
	// Overridden is set when the service (catalog) or the assessment moved
	// this layer away from the model's default; Reason says why.
	Overridden bool
	// ByAssessment is set when the override is the assessment's own.
	ByAssessment bool
	Reason       string
}

// ServiceStack is the responsibility stack of one service.
type ServiceStack struct {
	Service Service
	Layers  []StackLayer
	// Line is the number of layers above the of/in-the-cloud line: every
	// layer at or below index Line is AWS's alone.
	Line int
	// GAMP is the service's effective GAMP 5 software category in the
	// assessment, GAMPReason why, and GAMPByAssessment whether the
	// assessment chose it (Catalog.GAMPCategory).
	GAMP             int
	GAMPReason       string
	GAMPByAssessment bool
}

// SolutionLayer is one layer of the whole solution's stack.
type SolutionLayer struct {
	Layer Layer
	Owner Owner // the strongest customer obligation across the selected services
	// CausedBy lists the services that put Owner on this layer (only when
	// Owner is customer or shared).
	CausedBy []string
}

// SolutionStack is the stack of the whole solution.
type SolutionStack struct {
	Layers []SolutionLayer
	Line   int
}

// Select turns service ids into selections without assessment overrides.
func Select(ids ...string) []SelectedService {
	out := make([]SelectedService, len(ids))
	for i, id := range ids {
		out[i] = SelectedService{ID: id}
	}
	return out
}

// Owner returns who owns a layer of a selected service: the assessment's
// justified override first, then the catalog's service override, then the
// service model's default. The reason is empty for a plain default.
func (c *Catalog) Owner(sel SelectedService, layerID string) (owner Owner, reason string, overridden, byAssessment bool) {
	for _, o := range sel.Overrides {
		if o.Layer == layerID {
			return o.Owner, o.Justification, true, true
		}
	}
	svc, ok := c.Service(sel.ID)
	if !ok {
		return OwnerCustomer, "", false, false
	}
	for _, o := range svc.Overrides {
		if o.Layer == layerID {
			return o.Owner, o.Reason, true, false
		}
	}
	l, ok := c.Layer(layerID)
	if !ok {
		return OwnerCustomer, "", false, false
	}
	if own, ok := l.Owners[svc.Model]; ok {
		return own, "", false, false
	}
	return OwnerCustomer, "", false, false
}

// ServiceStack resolves every layer of one selected service.
func (c *Catalog) ServiceStack(sel SelectedService) (ServiceStack, error) {
	svc, ok := c.Service(sel.ID)
	if !ok {
		return ServiceStack{}, c.UnknownServiceError(sel.ID)
	}
	st := ServiceStack{Service: svc, Layers: make([]StackLayer, len(c.Layers))}
	for i, l := range c.Layers {
		own, why, over, byA := c.Owner(sel, l.ID)
		st.Layers[i] = StackLayer{Layer: l, Owner: own, Overridden: over, ByAssessment: byA, Reason: why}
	}
	st.Line = lineOf(len(st.Layers), func(i int) Owner { return st.Layers[i].Owner })
	st.GAMP, st.GAMPReason, st.GAMPByAssessment = c.GAMPCategory(sel)
	return st, nil
}

// lineOf places the of/in-the-cloud line just below the lowest layer that
// is wholly or partly the customer's.
func lineOf(n int, owner func(int) Owner) int {
	for i := n - 1; i >= 0; i-- {
		if owner(i).Weight() > 0 {
			return i + 1
		}
	}
	return 0
}

// SolutionStack combines the selected services: each layer takes the
// strongest customer obligation any service puts on it. A layer none of the
// services has is none; with no service selected every layer is AWS's.
func (c *Catalog) SolutionStack(sels []SelectedService) SolutionStack {
	known := c.known(sels)
	st := SolutionStack{Layers: make([]SolutionLayer, len(c.Layers))}
	for i, l := range c.Layers {
		sl := SolutionLayer{Layer: l, Owner: OwnerAWS}
		if len(known) > 0 {
			sl.Owner = OwnerNone
		}
		for _, sel := range known {
			own, _, _, _ := c.Owner(sel, l.ID)
			switch {
			case own.Weight() > sl.Owner.Weight():
				sl.Owner, sl.CausedBy = own, nil
				if own.Weight() > 0 {
					sl.CausedBy = []string{sel.ID}
				}
			case own.Weight() == sl.Owner.Weight() && own.Weight() > 0:
				sl.CausedBy = append(sl.CausedBy, sel.ID)
			}
		}
		st.Layers[i] = sl
	}
	st.Line = lineOf(len(st.Layers), func(i int) Owner { return st.Layers[i].Owner })
	return st
}

// Responsibility is who carries a control for the whole solution, in the
// vocabulary AWS uses.
type Responsibility string

const (
	Inherited Responsibility = "inherited" // AWS carries it; the customer relies on AWS's evidence
	Shared    Responsibility = "shared"    // each party does its part on its own layers
	Customer  Responsibility = "customer"  // customer-specific
	// NotApplicable is a service's share of a control when the service has
	// none of the control's layers, such as a VPC and operating-system
	// hardening. A control is never applicable with every service so.
	NotApplicable Responsibility = "not-applicable"
)

// Label is the responsibility as a word for people.
func (r Responsibility) Label() string {
	switch r {
	case Inherited:
		return "Inherited from AWS"
	case Shared:
		return "Shared"
	case Customer:
		return "Customer"
	case NotApplicable:
		return "Not applicable"
	}
	return string(r)
}

// ServiceResolution is how one selected service divides a control.
type ServiceResolution struct {
	Service        string
	Responsibility Responsibility
	Layers         []StackLayer // the control's layers for this service
}

// Resolution is the answer to "who owns this control, who evidences it, and why".
type Resolution struct {
	Control        string
	Responsibility Responsibility
	Suppliers      []Supplier // who supplies the evidence: aws, customer or both
	AWSEvidence    []string   // evidence source ids expected from AWS (when AWS supplies)
	CustEvidence   []string   // evidence source ids expected from the customer
	// CustomerPart and AWSPart say what each party does for this control in
	// this solution; each is empty when that party has no part.
	CustomerPart string
	AWSPart      string
	Reason       string // what a consultant reads aloud
	PerService   []ServiceResolution
}

func responsibilityOf(owners []Owner) Responsibility {
	var present []Owner
	for _, o := range owners {
		if o.Exists() {
			present = append(present, o)
		}
	}
	all := func(o Owner) bool {
		for _, x := range present {
			if x != o {
				return false
			}
		}
		return true
	}
	switch {
	case len(owners) == 0:
		return Customer // the control names no known layer
	case len(present) == 0:
		return NotApplicable
	case all(OwnerAWS):
		return Inherited
	case all(OwnerCustomer):
		return Customer
	}
	return Shared
}

// Resolve decides the responsibility for a control given the selected
// services. With no service selected yet it reasons from the layers alone,
// taking the strongest obligation any service model could put on them.
func (c *Catalog) Resolve(ctrl Control, sels []SelectedService) Resolution {
	res := Resolution{Control: ctrl.ID}
	known := c.known(sels)
	if len(known) == 0 {
		var all []Owner
		for _, lid := range ctrl.Layers {
			all = append(all, c.strongestAnyModel(lid))
		}
		res.Responsibility = responsibilityOf(all)
	} else {
		var per []Responsibility
		for _, sel := range known {
			sr := ServiceResolution{Service: sel.ID}
			var owners []Owner
			for _, lid := range ctrl.Layers {
				l, ok := c.Layer(lid)
				if !ok {
					continue
				}
				own, why, over, byA := c.Owner(sel, lid)
				owners = append(owners, own)
				sr.Layers = append(sr.Layers, StackLayer{Layer: l, Owner: own, Overridden: over, ByAssessment: byA, Reason: why})
			}
			sr.Responsibility = responsibilityOf(owners)
			if !c.takesPart(sel, ctrl) {
				sr.Responsibility = NotApplicable
			}
			per = append(per, sr.Responsibility)
			res.PerService = append(res.PerService, sr)
		}
		res.Responsibility = combine(per)
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
	res.Reason = c.reason(ctrl, known, &res)
	return res
}

// combine merges per-service responsibilities into the solution's; services
// without the control's layers do not take part.
func combine(per []Responsibility) Responsibility {
	first := NotApplicable
	for _, r := range per {
		switch {
		case r == NotApplicable:
		case first == NotApplicable:
			first = r
		case r != first:
			return Shared
		}
	}
	return first
}

func (c *Catalog) strongestAnyModel(layerID string) Owner {
	l, ok := c.Layer(layerID)
	if !ok {
		return OwnerCustomer
	}
	best := OwnerAWS
	for _, m := range ServiceModels {
		if o := l.Owners[m]; o.Weight() > best.Weight() {
			best = o
		}
	}
	return best
}

// sameForAllModels reports whether a layer has one owner whatever the model.
func (l Layer) sameForAllModels() (Owner, bool) {
	var first Owner
	for i, m := range ServiceModels {
		o := l.Owners[m]
		if i == 0 {
			first = o
		} else if o != first {
			return "", false
		}
	}
	return first, true
}

// reason writes what a consultant reads aloud, and fills in the parts of
// res. The customer's part comes from the control (or else from its layer
// with the strongest customer obligation), AWS's part from the control (or
// else from the layer where AWS does the most); the services that put the
// strongest obligation on the customer, and their overrides' reasons, say
// why.
func (c *Catalog) reason(ctrl Control, known []SelectedService, res *Resolution) string {
	if res.Responsibility == NotApplicable {
		return "None of the selected services has the layer this control is about, so there is nothing to do for it."
	}
	var concerned []SelectedService
	for _, sel := range known {
		if c.takesPart(sel, ctrl) {
			concerned = append(concerned, sel)
		}
	}
	// weights gives the strongest and the weakest customer obligation the
	// concerned services put on a layer (-1, -1 when none of them has it).
	weights := func(lid string) (strongest, weakest int) {
		if len(concerned) == 0 {
			w := c.strongestAnyModel(lid).Weight()
			return w, w
		}
		strongest, weakest = -1, 3
		for _, sel := range concerned {
			own, _, _, _ := c.Owner(sel, lid)
			if own.Exists() {
				strongest, weakest = max(strongest, own.Weight()), min(weakest, own.Weight())
			}
		}
		if strongest < 0 {
			return -1, -1
		}
		return strongest, weakest
	}
	// decide is the layer whose owner explains the customer's part: the
	// control's subject when the customer has a part in it, else the layer
	// with the strongest customer obligation. awsSide is where AWS does the
	// most.
	var decide, awsSide Layer
	best, least := -1, 3
	for i, lid := range ctrl.Layers {
		l, ok := c.Layer(lid)
		if !ok {
			continue
		}
		strongest, weakest := weights(lid)
		if strongest < 0 {
			continue
		}
		if strongest > best || i == 0 && strongest > 0 {
			best, decide = strongest, l
			if i == 0 && strongest > 0 {
				best = 3 // the subject wins
			}
		}
		if weakest < least {
			least, awsSide = weakest, l
		}
	}
	if best < 0 {
		return "This control names no known layer, so Onus treats it as yours until the catalog is fixed."
	}
	cust := orDefault(ctrl.CustomerPart, orDefault(decide.CustomerDuty, strings.ToLower(decide.Name)))
	aws := orDefault(ctrl.AWSPart, orDefault(awsSide.AWSDuty, "runs "+strings.ToLower(awsSide.Name)))
	switch res.Responsibility {
	case Customer:
		res.CustomerPart = cust
	case Inherited:
		res.AWSPart = aws
	default:
		res.CustomerPart, res.AWSPart = cust, aws
	}
	own, same := decide.sameForAllModels()
	universal := same && !c.anyOverride(concerned, decide.ID)
	// A control that is wholly the customer's although one of its layers is
	// usually AWS's is explained by that layer (a cluster in your own data
	// centre makes its resilience wholly yours).
	if res.Responsibility == Customer && universal {
		for _, lid := range ctrl.Layers {
			l, ok := c.Layer(lid)
			if o, same := l.sameForAllModels(); ok && (!same || o != OwnerCustomer) {
				decide, universal = l, false
				break
			}
		}
	}
	// A control that applies by who owns a layer is explained by the
	// services that made it apply, through that layer.
	cause := concerned
	if w := ctrl.AppliesWhen; len(w.LayerOwners) > 0 {
		var q []SelectedService
		for _, sel := range concerned {
			if c.qualifies(w, sel) {
				q = append(q, sel)
			}
		}
		for _, lid := range ctrl.Layers {
			if _, ok := w.LayerOwners[lid]; ok && len(q) > 0 {
				decide, _ = c.Layer(lid)
				cause, universal = q, false
				break
			}
		}
	}

	if res.Responsibility == Inherited {
		if universal || len(concerned) == 0 {
			return upperFirst(fmt.Sprintf("whatever the service, AWS %s, so you inherit this and rely on AWS's audit reports.", aws))
		}
		return fmt.Sprintf("For %s, AWS %s, so you inherit this and rely on AWS's audit reports.", c.nameList(concerned), aws)
	}
	// mine is the customer's part with what follows it: alone when the
	// control is the customer's, with AWS's part when it is shared.
	mine := "this is yours: " + cust + "."
	if res.Responsibility == Shared {
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
	groups := map[Owner][]SelectedService{}
	for _, sel := range cause {
		o, _, _, _ := c.Owner(sel, decide.ID)
		groups[o] = append(groups[o], sel)
	}
	if custs := groups[OwnerCustomer]; len(custs) > 0 {
		return fmt.Sprintf("%s, so %s", c.because(custs, decide), mine)
	}
	shared := groups[OwnerShared]
	if why, svc, ok := c.overrideReason(shared, decide.ID); ok {
		return fmt.Sprintf("For %s, %s. You and AWS share this: your part is %s; AWS %s.", svc.Name, strings.TrimSuffix(lowerFirst(why), "."), cust, aws)
	}
	if len(shared) == 0 {
		shared = cause
	}
	return fmt.Sprintf("For %s, you and AWS share this: your part is %s; AWS %s.", c.nameList(shared), cust, aws)
}

func (c *Catalog) anyOverride(sels []SelectedService, layerID string) bool {
	for _, sel := range sels {
		if _, _, over, _ := c.Owner(sel, layerID); over {
			return true
		}
	}
	return false
}

// overrideReason finds the first of these services whose owner of the
// layer is an override with a reason.
func (c *Catalog) overrideReason(sels []SelectedService, layerID string) (string, Service, bool) {
	for _, sel := range sels {
		if _, why, over, _ := c.Owner(sel, layerID); over && strings.TrimSpace(why) != "" {
			svc, _ := c.Service(sel.ID)
			return why, svc, true
		}
	}
	return "", Service{}, false
}

// because explains why these services put the layer on the customer: an
// override's own reason, or the service model.
func (c *Catalog) because(sels []SelectedService, layer Layer) string {
	if why, svc, ok := c.overrideReason(sels, layer.ID); ok {
		return fmt.Sprintf("For %s, %s", svc.Name, strings.TrimSuffix(lowerFirst(why), "."))
	}
	svc, _ := c.Service(sels[0].ID)
	if len(sels) == 1 {
		return fmt.Sprintf("%s is %s service", svc.Name, article(svc.Model))
	}
	models := map[ServiceModel]bool{}
	for _, s := range sels {
		sv, _ := c.Service(s.ID)
		models[sv.Model] = true
	}
	if len(models) == 1 {
		return fmt.Sprintf("%s are %s services", c.nameList(sels), svc.Model)
	}
	return fmt.Sprintf("%s leave %s to you", c.nameList(sels), strings.ToLower(layer.Name))
}

func article(m ServiceModel) string {
	if m == ModelInfrastructure || m == ModelAbstracted {
		return "an " + string(m)
	}
	return "a " + string(m)
}

// nameList names up to four services, or three and counts the rest.
func (c *Catalog) nameList(sels []SelectedService) string {
	names := make([]string, 0, len(sels))
	for _, s := range sels {
		if sv, ok := c.Service(s.ID); ok {
			names = append(names, sv.Name)
		}
	}
	sort.Strings(names)
	names = slices.Compact(names)
	if len(names) > 4 {
		return fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
	}
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// lowerFirst lowers the first letter of a sentence so it can continue
// another, unless the first word is a name or an acronym ("AWS", "Amazon
// EKS", "IAM").
func lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if first == "" || first == "Amazon" || strings.HasPrefix(first, "AWS") {
		return s
	}
	if len(first) > 1 && strings.ToLower(first[1:]) != first[1:] {
		return s // an acronym or a product name: "IAM", "DataSync"
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
