package model

// AlcoaCoverage is how well one ALCOA+ attribute is covered in an
// assessment: the applicable controls that protect it, how many of them
// are answered and how many are implemented.
type AlcoaCoverage struct {
	Attribute   Alcoa
	Controls    []string // applicable controls tagged with the attribute, in catalog order
	Answered    int
	Implemented int
}

// AlcoaCoverage gives the coverage of every ALCOA+ attribute, in the usual
// order, for an assessment as it stands.
func (c *Catalog) AlcoaCoverage(a *Assessment) []AlcoaCoverage {
	return AlcoaCoverageOf(c.Applicable(a.Scope, a.Services), a)
}

// AlcoaCoverageOf is AlcoaCoverage over the controls that apply to the
// assessment, already resolved (Review.Applicable), so that a report does
// not resolve them again.
func AlcoaCoverageOf(applicable []*Control, a *Assessment) []AlcoaCoverage {
	out := make([]AlcoaCoverage, len(AlcoaAttributes))
	at := make(map[Alcoa]*AlcoaCoverage, len(AlcoaAttributes))
	for i, attr := range AlcoaAttributes {
		out[i].Attribute = attr
		at[attr] = &out[i]
	}
	for _, ctrl := range applicable {
		st := a.Answer(ctrl.ID).Status
		for _, attr := range ctrl.Alcoa {
			cov, ok := at[attr]
			if !ok {
				continue
			}
			cov.Controls = append(cov.Controls, ctrl.ID)
			if st != StatusUnanswered {
				cov.Answered++
			}
			if st == StatusImplemented {
				cov.Implemented++
			}
		}
	}
	return out
}
