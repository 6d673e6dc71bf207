package model

// Matrix is the responsibility matrix of a solution: for each control that
// applies to the scope and the selected services, who owns it, what each
// party does, who supplies which evidence and why. It is what a customer
// hands an auditor as its customer responsibility matrix, and what a
// subject-matter expert reviews the catalog by.
type Matrix struct {
	Scope    Scope
	Services []MatrixService
	Rows     []MatrixRow
}

// MatrixService is one selected service as the matrix lists it.
type MatrixService struct {
	Service Service
	// GAMPCategory is the effective GAMP 5 software category, GAMPReason
	// why, and GAMPByAssessment whether the assessment chose it.
	GAMPCategory     int
	GAMPReason       string
	GAMPByAssessment bool
	// Overrides are the layers the catalog or the assessment moves away
	// from the service model, with their reasons.
	Overrides []StackLayer
}

// MatrixRow is one applicable control and its resolution: the owner
// (Resolution.Responsibility), the customer's and AWS's parts, the
// evidence each supplies and the reason, and each service's part.
type MatrixRow struct {
	Control    Control
	Resolution Resolution
	PerService []ServiceResolution
}

// Matrix builds the responsibility matrix for a scope and a selection,
// in catalog order. Selections the catalog does not know are left out.
func (c *Catalog) Matrix(scope Scope, sels []SelectedService) Matrix {
	m := Matrix{Scope: scope}
	for _, sel := range c.known(sels) {
		st, _ := c.ServiceStack(sel)
		ms := MatrixService{Service: st.Service, GAMPCategory: st.GAMP, GAMPReason: st.GAMPReason, GAMPByAssessment: st.GAMPByAssessment}
		for _, l := range st.Layers {
			if l.Overridden {
				ms.Overrides = append(ms.Overrides, l)
			}
		}
		m.Services = append(m.Services, ms)
	}
	sol := c.Solve(sels)
	for _, ctrl := range sol.Applicable(scope) {
		m.Rows = append(m.Rows, MatrixRow{Control: *ctrl, Resolution: sol.Resolve(*ctrl), PerService: sol.PerService(ctrl)})
	}
	return m
}
