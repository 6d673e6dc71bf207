package model

import (
	"fmt"
	"time"
)

// GapKind classifies what is missing from an assessment.
type GapKind string

const (
	GapUnanswered     GapKind = "unanswered"
	GapNotImplemented GapKind = "not-implemented"
	GapOpen           GapKind = "open"        // partial or planned
	GapNoEvidence     GapKind = "no-evidence" // the customer owes evidence and none is referenced
	GapStaleSupplier  GapKind = "stale-supplier-evidence"
	GapMissingAWS     GapKind = "aws-evidence-not-on-file"
)

// Risk is the level of a gap.
type Risk string

const (
	RiskHigh   Risk = "high"
	RiskMedium Risk = "medium"
	RiskLow    Risk = "low"
)

// Rank orders risks: high first.
func (r Risk) Rank() int {
	switch r {
	case RiskHigh:
		return 0
	case RiskMedium:
		return 1
	}
	return 2
}

// Gap is one thing a reviewer must look at.
type Gap struct {
	Kind    GapKind
	Risk    Risk
	Control string // empty for supplier gaps
	Source  string // evidence source id for supplier gaps
	Detail  string // one line for people
}

// Review summarises an assessment: progress, responsibilities and gaps.
type Review struct {
	Applicable       []Control
	Resolutions      map[string]Resolution
	Answered         int
	ByStatus         map[Status]int
	ByResponsibility map[Responsibility]int
	Gaps             []Gap
	RiskCounts       map[Risk]int
}

// riskOf rates a gap by the control's criticality and how bad the status is.
func riskOf(c Criticality, k GapKind) Risk {
	severe := k == GapNotImplemented || k == GapUnanswered
	switch {
	case c == CriticalityHigh && severe:
		return RiskHigh
	case c == CriticalityHigh, c == CriticalityMedium && severe:
		return RiskMedium
	}
	return RiskLow
}

// SupplierStale reports whether a supplier record has gone stale by now:
// older than its source's validity, counted from the end of the period it
// covers (or from when it was obtained).
func SupplierStale(src EvidenceSource, rec SupplierRecord, now time.Time) (bool, string) {
	if src.ValidMonths == 0 || rec.Status == SupplierNotNeeded {
		return false, ""
	}
	from := rec.PeriodEnd
	if from == "" {
		from = rec.Obtained
	}
	d, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return true, "no valid date recorded"
	}
	due := d.AddDate(0, src.ValidMonths, 0)
	if now.After(due) {
		return true, fmt.Sprintf("stale since %s", due.Format(time.DateOnly))
	}
	return false, ""
}

// Review computes the review of an assessment at time now.
func (c *Catalog) Review(a *Assessment, now time.Time) Review {
	r := Review{
		Applicable:       c.Applicable(a.Scope, a.Services),
		Resolutions:      map[string]Resolution{},
		ByStatus:         map[Status]int{},
		ByResponsibility: map[Responsibility]int{},
		RiskCounts:       map[Risk]int{},
	}
	onFile := map[string]SupplierRecord{}
	for _, rec := range a.Supplier {
		onFile[rec.Source] = rec
	}
	missingAWS := map[string][]string{} // source → controls relying on it
	for _, ctrl := range r.Applicable {
		res := c.Resolve(ctrl, a.Services)
		r.Resolutions[ctrl.ID] = res
		r.ByResponsibility[res.Responsibility]++
		ans := a.Answer(ctrl.ID)
		r.ByStatus[ans.Status]++
		if ans.Status != StatusUnanswered {
			r.Answered++
		}
		gap := func(k GapKind, detail string) {
			r.Gaps = append(r.Gaps, Gap{Kind: k, Risk: riskOf(ctrl.Criticality, k), Control: ctrl.ID, Detail: detail})
		}
		switch ans.Status {
		case StatusUnanswered:
			gap(GapUnanswered, "not answered yet")
		case StatusNotImplemented:
			gap(GapNotImplemented, "not implemented")
		case StatusPartial, StatusPlanned:
			gap(GapOpen, string(ans.Status))
		}
		if ans.Status == StatusImplemented || ans.Status == StatusPartial {
			if res.Responsibility != Inherited && !hasSupplier(ans.Evidence, SupplierCustomer) {
				gap(GapNoEvidence, fmt.Sprintf("%s control with no customer evidence referenced", lowerFirst(res.Responsibility.Label())))
			}
		}
		if ans.Status != StatusNotApplicable {
			for _, src := range res.AWSEvidence {
				if _, ok := onFile[src]; !ok {
					missingAWS[src] = append(missingAWS[src], ctrl.ID)
				}
			}
		}
	}
	for _, rec := range a.Supplier {
		src, ok := c.EvidenceSource(rec.Source)
		if !ok {
			continue
		}
		if stale, why := SupplierStale(src, rec, now); stale {
			r.Gaps = append(r.Gaps, Gap{Kind: GapStaleSupplier, Risk: RiskMedium, Source: src.ID, Detail: fmt.Sprintf("%s: %s", src.Name, why)})
		}
	}
	for _, src := range c.AWSSources() {
		if ctrls := missingAWS[src.ID]; len(ctrls) > 0 {
			r.Gaps = append(r.Gaps, Gap{Kind: GapMissingAWS, Risk: RiskLow, Source: src.ID,
				Detail: fmt.Sprintf("%s is not in the supplier assessment; %d inherited or shared controls rely on it", src.Name, len(ctrls))})
		}
	}
	for _, g := range r.Gaps {
		r.RiskCounts[g.Risk]++
	}
	return r
}

func hasSupplier(refs []EvidenceRef, s Supplier) bool {
	for _, e := range refs {
		if e.Supplier == s {
			return true
		}
	}
	return false
}

// Progress counts the answered and the applicable controls of an
// assessment; the store keeps it in each summary for fast listing.
func (c *Catalog) Progress(a *Assessment) (answered, applicable int) {
	ctrls := c.Applicable(a.Scope, a.Services)
	for _, ctrl := range ctrls {
		if a.Answer(ctrl.ID).Status != StatusUnanswered {
			answered++
		}
	}
	return answered, len(ctrls)
}
