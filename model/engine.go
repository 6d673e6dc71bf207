package model

import (
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
	// Varies is set when the services that take part in the control do
	// not all have the same share of it (see Solution.Shares): such a
	// control is stated per service where a document states shares.
	Varies bool

	// What Reason needs: the solution that resolved the control, the
	// control (the catalog's) and the services that take part in it.
	sol       *Solution
	ctrl      *Control
	concerned []int
}

// Reason is what a consultant reads aloud: why the control falls where it
// does in this solution. It is written when asked, as a review resolves
// every applicable control and shows the reason of one at a time; empty
// for a Resolution the engine did not make.
func (r Resolution) Reason() string {
	if r.sol == nil {
		return ""
	}
	return r.sol.reason(r.ctrl, r.concerned, r.Responsibility)
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
// services. Resolving many controls for one selection, Solve once and
// resolve each through the Solution.
func (c *Catalog) Resolve(ctrl Control, sels []SelectedService) Resolution {
	return c.Solve(sels).Resolve(ctrl)
}

// PerService is how each selected service divides a control (see
// Solution.PerService).
func (c *Catalog) PerService(ctrl Control, sels []SelectedService) []ServiceResolution {
	return c.Solve(sels).PerService(&ctrl)
}

// join adds one service's share to the solution's so far.
func join(all, r Responsibility) Responsibility {
	switch {
	case r == NotApplicable:
		return all
	case all == NotApplicable:
		return r
	case r != all:
		return Shared
	}
	return all
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

func article(m ServiceModel) string {
	if m == ModelInfrastructure || m == ModelAbstracted {
		return "an " + string(m)
	}
	return "a " + string(m)
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
