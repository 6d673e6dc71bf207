package model

import (
	"fmt"
	"slices"
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
	// GapStaleEvidence: the control relies on evidence that has gone
	// stale, an AWS report its AWS part expects or an entry it links to.
	GapStaleEvidence GapKind = "relies-on-stale-evidence"
	// GapNoRecordInventory: Part 11 is in scope and no record inventory
	// says which records it covers.
	GapNoRecordInventory GapKind = "no-record-list"
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
	Applicable  []*Control
	Resolutions map[string]Resolution
	// Solution resolved them; its PerService gives a control's detail
	// where it is shown.
	Solution         *Solution
	Answered         int
	ByStatus         map[Status]int
	ByResponsibility map[Responsibility]int
	Gaps             []Gap
	RiskCounts       map[Risk]int
	// Register is every piece of evidence (register entries, then
	// supplier records) with its currency and the controls it supports;
	// Chains is each applicable control's evidence chain; Reports says
	// which AWS sources the assessment needs.
	Register []EvidenceItem
	Chains   map[string][]ChainItem
	Reports  []ReportNeed
	// ByCriticality counts the applicable controls by criticality and
	// answer status (the review screen's matrix).
	ByCriticality map[Criticality]map[Status]int

	// What WithAnswer needs to change the review by one answer (see
	// review_answer.go); nil in a review not made by ReviewResolved.
	basis *reviewBasis
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

// SupplierStale reports whether a supplier record has gone stale by now,
// by its source's freshness rule, and why. Dates are the ones recorded, as
// printed on the report or certificate.
//
//   - next-report (AWS SOC reports): AWS publishes a new report every
//     CadenceMonths, PublishDays after its period ends, so a report is
//     superseded once the next one is due: for a report ending 30 September,
//     the one ending 31 March, out by mid-May. Until then the Continued
//     Operations Letter covers the time since the period ended.
//   - certificate (ISO, FIPS 140): stale after its expiry, and once its last
//     surveillance audit is more than ValidMonths old.
//   - age: stale ValidMonths after the period ends (or after it was obtained).
func SupplierStale(src EvidenceSource, rec SupplierRecord, now time.Time) (bool, string) {
	if rec.Status == SupplierNotNeeded {
		return false, ""
	}
	switch src.freshness() {
	case FreshNextReport:
		end, err := time.Parse(time.DateOnly, rec.PeriodEnd)
		if err != nil {
			return true, "no period end recorded (record it as printed on the report)"
		}
		due := nextPeriodEnd(end, src.CadenceMonths).AddDate(0, 0, src.PublishDays)
		if now.After(due) {
			return true, fmt.Sprintf("superseded: the next report was due by %s", due.Format(time.DateOnly))
		}
	case FreshCertificate:
		expiry, expErr := time.Parse(time.DateOnly, rec.PeriodEnd)
		if expErr == nil && now.After(expiry) {
			return true, fmt.Sprintf("certificate expired on %s", expiry.Format(time.DateOnly))
		}
		if src.ValidMonths == 0 {
			if expErr != nil {
				return true, "no expiry date recorded (record it as printed on the certificate)"
			}
			return false, ""
		}
		audited, which := rec.Surveillance, "last surveillance audit"
		if audited == "" {
			audited, which = rec.PeriodStart, "certificate issue"
		}
		if audited == "" {
			audited, which = rec.Obtained, "copy obtained"
		}
		d, err := time.Parse(time.DateOnly, audited)
		if err != nil {
			return true, "no valid date recorded"
		}
		if due := d.AddDate(0, src.ValidMonths, 0); now.After(due) {
			return true, fmt.Sprintf("surveillance audit overdue: %s on %s, more than %d months ago", which, d.Format(time.DateOnly), src.ValidMonths)
		}
	case FreshByAge:
		from := rec.PeriodEnd
		if from == "" {
			from = rec.Obtained
		}
		d, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return true, "no valid date recorded"
		}
		if due := d.AddDate(0, src.ValidMonths, 0); now.After(due) {
			return true, fmt.Sprintf("stale since %s", due.Format(time.DateOnly))
		}
	}
	return false, ""
}

// nextPeriodEnd is the end of the period after one ending on end, months
// later; a period ending on a month's last day is followed by one ending
// on a month's last day (30 September → 31 March).
func nextPeriodEnd(end time.Time, months int) time.Time {
	if end.AddDate(0, 0, 1).Day() == 1 {
		first := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, end.Location())
		return first.AddDate(0, months+1, -1)
	}
	return end.AddDate(0, months, 0)
}

// freshness is the source's rule, with the default filled in.
func (e EvidenceSource) freshness() Freshness {
	if e.Freshness == "" && e.ValidMonths > 0 {
		return FreshByAge
	}
	return e.Freshness
}

// FreshnessRule says in a sentence how a copy of this evidence goes stale,
// for the screens that record it; empty when it never does.
func (e EvidenceSource) FreshnessRule() string {
	switch e.freshness() {
	case FreshNextReport:
		return fmt.Sprintf("Superseded once the next report is due: a new one covers every %d months and is published about %d days after its period ends. Record the period as printed on the report.", e.CadenceMonths, e.PublishDays)
	case FreshCertificate:
		if e.ValidMonths > 0 {
			return fmt.Sprintf("Current until the certificate expires (record its expiry as the period end) and while its last surveillance audit is under %d months old.", e.ValidMonths)
		}
		return "Current until the certificate expires or is withdrawn (record its expiry as the period end)."
	case FreshByAge:
		return fmt.Sprintf("Goes stale %d months after the end of the period it covers (or after it was obtained).", e.ValidMonths)
	}
	return ""
}

// Resolved is the part of a review that depends only on the scope and the
// selected services: the controls that apply, and who owns each. Answers
// and supplier records change none of it, so a screen keeps it while they
// change, and resolves again only when the scope or the services do. It is
// read-only once made.
type Resolved struct {
	Applicable  []*Control
	Resolutions map[string]Resolution
	Solution    *Solution
	cat         *Catalog
	scope       Scope
	services    []SelectedService
	at          map[string]int // each applicable control's place in Applicable
}

// ResolveAll resolves every control that applies with this scope and
// these services, each service's owners resolved once for all of them.
func (c *Catalog) ResolveAll(scope Scope, sels []SelectedService) *Resolved {
	s := c.Solve(sels)
	r := &Resolved{Solution: s, cat: c, scope: cloneScope(scope), services: cloneSelections(sels)}
	r.Applicable = s.Applicable(scope)
	r.Resolutions = make(map[string]Resolution, len(r.Applicable))
	r.at = make(map[string]int, len(r.Applicable))
	memo := map[string]sharesOf{}
	for i, ctrl := range r.Applicable {
		r.Resolutions[ctrl.ID] = s.resolve(ctrl, memo)
		r.at[ctrl.ID] = i
	}
	return r
}

// Holds reports whether r is still the resolution of this catalog, scope
// and selection.
func (r *Resolved) Holds(cat *Catalog, scope Scope, sels []SelectedService) bool {
	return r != nil && r.cat == cat && sameBasis(r.scope, scope) && sameServices(r.services, sels)
}

// sameBasis reports whether two scopes make the same controls apply.
func sameBasis(x, y Scope) bool {
	return x.Impact == y.Impact && slices.Equal(x.Frameworks, y.Frameworks) && x.MultiTenant == y.MultiTenant &&
		x.OpenSystem == y.OpenSystem && x.InternetFacing == y.InternetFacing && x.ESignatures == y.ESignatures &&
		x.DataClassification == y.DataClassification && slices.Equal(x.DataCategories, y.DataCategories) &&
		slices.Equal(x.Programmes, y.Programmes)
}

func cloneScope(s Scope) Scope {
	s.Frameworks, s.DataCategories, s.Programmes = slices.Clone(s.Frameworks), slices.Clone(s.DataCategories), slices.Clone(s.Programmes)
	return s
}

func cloneSelections(sels []SelectedService) []SelectedService {
	out := make([]SelectedService, len(sels))
	for i, sel := range sels {
		sel.Overrides = slices.Clone(sel.Overrides)
		out[i] = sel
	}
	return out
}

// Review computes the review of an assessment at time now.
func (c *Catalog) Review(a *Assessment, now time.Time) Review {
	return c.ReviewResolved(c.ResolveAll(a.Scope, a.Services), a, now)
}

// ReviewResolved computes the review of an assessment at time now from
// its resolution (which must hold for it: see Resolved.Holds): the answers
// and the supplier records, in one pass over the applicable controls.
// Free-text evidence counts as the register entries it files as
// (WithRegister).
func (c *Catalog) ReviewResolved(res *Resolved, a *Assessment, now time.Time) Review {
	freeText := a.HasFreeText()
	filed := WithRegister(*a)
	a = &filed
	r := Review{
		Applicable:       res.Applicable,
		Resolutions:      res.Resolutions,
		Solution:         res.Solution,
		ByStatus:         map[Status]int{},
		ByResponsibility: map[Responsibility]int{},
		ByCriticality:    map[Criticality]map[Status]int{},
		RiskCounts:       map[Risk]int{},
		Chains:           make(map[string][]ChainItem, len(res.Applicable)),
		Gaps:             make([]Gap, 0, len(res.Applicable)+16), // mostly one a control, and a few of the whole
		Reports:          c.ReportNeeds(a),
	}
	b := &reviewBasis{res: res, freeText: freeText, onFile: map[string]bool{}, statuses: make([]Status, len(res.Applicable)),
		relying: map[string]int{}}
	for _, rec := range a.Supplier {
		b.onFile[rec.Source] = true
	}
	b.need = make(map[string]bool, len(r.Reports))
	for _, n := range r.Reports {
		b.need[n.Source] = n.Relevant
	}
	r.Register, b.index = c.register(a, now)
	for i, ctrl := range r.Applicable {
		res := r.Resolutions[ctrl.ID]
		r.ByResponsibility[res.Responsibility]++
		ans := a.Answer(ctrl.ID)
		b.statuses[i] = ans.Status
		r.count(ctrl, ans.Status, +1)
		ch := b.chain(ans, res)
		r.Chains[ctrl.ID] = ch
		r.Gaps = r.appendControlGaps(r.Gaps, ctrl, ans.Status, ch)
		for _, src := range b.relies(ans.Status, res) {
			b.relying[src]++
		}
		for _, ci := range ch {
			if ci.Item >= 0 {
				r.Register[ci.Item].Supports = append(r.Register[ci.Item].Supports, Support{Control: ctrl.ID, Note: ci.Note, Linked: ci.Linked})
			}
		}
	}
	b.controlGaps = len(r.Gaps)
	if g, ok := c.RecordInventoryGap(a, r.Applicable); ok {
		r.Gaps = append(r.Gaps, g)
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
	aws := c.missingAWSGaps(b.relying)
	b.awsGaps = len(aws)
	r.Gaps = append(r.Gaps, aws...)
	for _, g := range r.Gaps {
		r.RiskCounts[g.Risk]++
	}
	r.basis = b
	return r
}

// Progress counts the answered and the applicable controls of an
// assessment; the store keeps it in each summary for fast listing, and
// counts it in every change. Which controls apply depends on the scope and
// the services alone, so the catalog remembers them for the last scope and
// services it was asked about: the changes of a session are mostly answers,
// and each then costs a lookup per answer.
func (c *Catalog) Progress(a *Assessment) (answered, applicable int) {
	ix := c.idx()
	memo := ix.progress.Load()
	if !memo.holds(a.Scope, a.Services) {
		memo = &progressMemo{scope: cloneScope(a.Scope), services: cloneSelections(a.Services), applicable: map[string]bool{}}
		for _, ctrl := range c.Applicable(a.Scope, a.Services) {
			memo.applicable[ctrl.ID] = true
		}
		ix.progress.Store(memo)
	}
	for id, ans := range a.Answers {
		if ans.Status != StatusUnanswered && memo.applicable[id] {
			answered++
		}
	}
	return answered, len(memo.applicable)
}

// ProgressAfter counts as Progress does, from what Progress counted for
// the assessment before a change (answered) that changed only its answers
// to the controls in was, each with the status it had before: its scope
// and services are as they were, so only those controls are looked at.
// The wizard saves one answer at a time, and a full count looks at every
// answer.
func (c *Catalog) ProgressAfter(a *Assessment, answered int, was map[string]Status) (int, int) {
	memo := c.idx().progress.Load()
	if !memo.holds(a.Scope, a.Services) {
		return c.Progress(a)
	}
	for id, before := range was {
		if !memo.applicable[id] {
			continue
		}
		if before != StatusUnanswered {
			answered--
		}
		if a.Answer(id).Status != StatusUnanswered {
			answered++
		}
	}
	return answered, len(memo.applicable)
}

// progressMemo is the controls that apply for one scope and selection.
type progressMemo struct {
	scope      Scope
	services   []SelectedService
	applicable map[string]bool
}

func (p *progressMemo) holds(scope Scope, sels []SelectedService) bool {
	return p != nil && sameBasis(p.scope, scope) && sameServices(p.services, sels)
}
