package model

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"time"
)

// A review kept up to date per answer. An answer changes one control's
// status and evidence links; what depends on them is that control's
// counts, gaps and evidence chain, the register items its chain rests
// on, and how many controls rely on each AWS report nobody recorded.
// Who owns each control (the resolution) and every other part of the
// review stay as they are. WithAnswer changes only those, so that an
// answer costs the same on a catalog ten times larger;
// TestWithAnswerMatchesAFullReview holds it to ReviewResolved.

// reviewBasis is what a review was made from, for WithAnswer. It is
// read-only once made, except relying and statuses, which WithAnswer
// copies before it changes them.
type reviewBasis struct {
	res      *Resolved
	freeText bool            // the assessment had free-text evidence: the register depends on every answer
	index    map[string]int  // register item by id
	need     map[string]bool // AWS source → the assessment needs it
	onFile   map[string]bool // AWS sources with a supplier record
	statuses []Status        // each applicable control's answer status, by its place in Applicable
	relying  map[string]int  // AWS source not on file and needed → controls relying on it
	// controlGaps is how many of Gaps are the controls' own, in
	// Applicable's order (the rest follow them); awsGaps how many at the
	// end are AWS reports not on file.
	controlGaps, awsGaps int
}

// count adds (by +1) or takes away (by -1) a control with status s from
// the review's counts.
func (r *Review) count(ctrl *Control, s Status, by int) {
	bump(r.ByStatus, s, by)
	if s != StatusUnanswered {
		r.Answered += by
	}
	row := r.ByCriticality[ctrl.Criticality]
	if row == nil {
		row = map[Status]int{}
		r.ByCriticality[ctrl.Criticality] = row
	}
	bump(row, s, by)
}

// bump adds by to m[k], leaving out counts that reach zero (as a review
// made afresh does).
func bump[K comparable](m map[K]int, k K, by int) {
	if n := m[k] + by; n != 0 {
		m[k] = n
	} else {
		delete(m, k)
	}
}

// chain is the control's evidence chain in this review's register.
func (b *reviewBasis) chain(ans Answer, res Resolution) []ChainItem {
	return chain(ans, res, b.index, b.need)
}

// relies is the AWS reports a control answered with status s relies on
// that nobody recorded and the assessment needs.
func (b *reviewBasis) relies(s Status, res Resolution) []string {
	if s == StatusNotApplicable {
		return nil
	}
	var out []string
	for _, src := range res.AWSEvidence {
		if !b.onFile[src] && b.need[src] {
			out = append(out, src)
		}
	}
	return out
}

// appendControlGaps appends a control's own gaps, given its answer's
// status and its evidence chain.
func (r *Review) appendControlGaps(gaps []Gap, ctrl *Control, s Status, ch []ChainItem) []Gap {
	gap := func(k GapKind, detail string) {
		gaps = append(gaps, Gap{Kind: k, Risk: riskOf(ctrl.Criticality, k), Control: ctrl.ID, Detail: detail})
	}
	switch s {
	case StatusUnanswered:
		gap(GapUnanswered, "not answered yet")
	case StatusNotImplemented:
		gap(GapNotImplemented, "not implemented")
	case StatusPartial, StatusPlanned:
		gap(GapOpen, string(s))
	}
	res := r.Resolutions[ctrl.ID]
	if s == StatusImplemented || s == StatusPartial {
		if res.Responsibility != Inherited && !slices.ContainsFunc(ch, func(ci ChainItem) bool {
			return ci.Linked && ci.Item >= 0 && r.Register[ci.Item].Owner == SupplierCustomer
		}) {
			gap(GapNoEvidence, fmt.Sprintf("%s control with no customer evidence referenced", lowerFirst(res.Responsibility.Label())))
		}
	}
	if s != StatusNotApplicable {
		if d := staleDetail(ch, r.Register); d != "" {
			gap(GapStaleEvidence, d)
		}
	}
	return gaps
}

// missingAWSGaps are the gaps of the AWS reports the assessment needs,
// nobody recorded, and controls rely on, in catalog order.
func (c *Catalog) missingAWSGaps(relying map[string]int) []Gap {
	var out []Gap
	for _, src := range c.AWSSources() {
		if n := relying[src.ID]; n > 0 {
			out = append(out, Gap{Kind: GapMissingAWS, Risk: RiskLow, Source: src.ID,
				Detail: fmt.Sprintf("%s is not in the supplier assessment; %d inherited or shared controls rely on it", src.Name, n)})
		}
	}
	return out
}

// WithAnswer is the review after one answer changed: the review of the
// same assessment with next as its answer to next.Control. Only what
// depends on that answer is worked out again; r itself is left as it was
// (the result shares what did not change with it). False when it cannot
// be done per answer (r was not made by ReviewResolved, or free-text
// evidence is involved, which the register files across every answer):
// the caller then makes the review afresh.
func (r Review) WithAnswer(next Answer) (Review, bool) {
	b := r.basis
	if b == nil || b.freeText || len(next.Evidence) > 0 {
		return r, false
	}
	id := next.Control
	p, ok := b.res.at[id]
	if !ok {
		return r, true // an answer to a control that does not apply changes nothing the review shows
	}
	ctrl, res := r.Applicable[p], r.Resolutions[id]
	prev := b.statuses[p]
	nb := *b
	nb.statuses = slices.Clone(b.statuses)
	nb.statuses[p] = next.Status
	r.basis = &nb

	r.ByStatus, r.ByCriticality, r.RiskCounts = maps.Clone(r.ByStatus), maps.Clone(r.ByCriticality), maps.Clone(r.RiskCounts)
	r.ByCriticality[ctrl.Criticality] = maps.Clone(r.ByCriticality[ctrl.Criticality])
	r.count(ctrl, prev, -1)
	r.count(ctrl, next.Status, +1)

	// The register items the old and the new chain rest on lose and gain
	// this control's support, in Applicable's order.
	old, ch := r.Chains[id], b.chain(next, res)
	r.Chains = maps.Clone(r.Chains)
	r.Chains[id] = ch
	r.Register = slices.Clone(r.Register)
	for _, ci := range old {
		if ci.Item >= 0 {
			it := &r.Register[ci.Item]
			it.Supports = slices.DeleteFunc(slices.Clone(it.Supports), func(s Support) bool { return s.Control == id })
			if len(it.Supports) == 0 {
				it.Supports = nil
			}
		}
	}
	for _, ci := range ch {
		if ci.Item >= 0 {
			it := &r.Register[ci.Item]
			i := sort.Search(len(it.Supports), func(i int) bool { return b.res.at[it.Supports[i].Control] > p })
			it.Supports = slices.Insert(slices.Clone(it.Supports), i, Support{Control: id, Note: ci.Note, Linked: ci.Linked})
		}
	}

	// The control's own gaps, in its place among the controls' gaps.
	own := r.Gaps[:b.controlGaps]
	lo := sort.Search(len(own), func(i int) bool { return b.res.at[own[i].Control] >= p })
	hi := sort.Search(len(own), func(i int) bool { return b.res.at[own[i].Control] > p })
	mine := r.appendControlGaps(nil, ctrl, next.Status, ch)

	// The AWS reports nobody recorded: how many controls rely on each.
	aws := r.Gaps[len(r.Gaps)-b.awsGaps:]
	before, after := b.relies(prev, res), b.relies(next.Status, res)
	if len(before) > 0 || len(after) > 0 {
		nb.relying = maps.Clone(b.relying)
		for _, src := range before {
			bump(nb.relying, src, -1)
		}
		for _, src := range after {
			bump(nb.relying, src, +1)
		}
		aws = b.res.cat.missingAWSGaps(nb.relying)
		nb.awsGaps = len(aws)
	}

	gaps := make([]Gap, 0, len(r.Gaps)-(hi-lo)+len(mine)-b.awsGaps+len(aws))
	gaps = append(gaps, own[:lo]...)
	gaps = append(gaps, mine...)
	gaps = append(gaps, own[hi:]...)
	gaps = append(gaps, r.Gaps[b.controlGaps:len(r.Gaps)-b.awsGaps]...)
	gaps = append(gaps, aws...)
	for _, g := range r.Gaps[lo:hi] {
		bump(r.RiskCounts, g.Risk, -1)
	}
	for _, g := range r.Gaps[len(r.Gaps)-b.awsGaps:] {
		bump(r.RiskCounts, g.Risk, -1)
	}
	for _, g := range mine {
		bump(r.RiskCounts, g.Risk, +1)
	}
	for _, g := range aws {
		bump(r.RiskCounts, g.Risk, +1)
	}
	nb.controlGaps += len(mine) - (hi - lo)
	if len(gaps) == 0 {
		gaps = nil
	}
	r.Gaps = gaps
	return r, true
}

// GapsOf is a control's own gaps (not a report's or the record
// inventory's), in the review's order.
func (r *Review) GapsOf(id string) []Gap {
	b := r.basis
	if b == nil {
		var out []Gap
		for _, g := range r.Gaps {
			if g.Control == id && g.Kind != GapNoRecordInventory {
				out = append(out, g)
			}
		}
		return out
	}
	p, ok := b.res.at[id]
	if !ok {
		return nil
	}
	own := r.Gaps[:b.controlGaps]
	lo := sort.Search(len(own), func(i int) bool { return b.res.at[own[i].Control] >= p })
	hi := sort.Search(len(own), func(i int) bool { return b.res.at[own[i].Control] > p })
	return own[lo:hi:hi]
}

// SameButAnswer reports whether after is before with, at most, its answer
// to control changed (and the time of the change): a save of that answer
// and nothing else, no one else's change come in with it. A screen that
// already shows that answer then has nothing else to take from after.
func SameButAnswer(before, after *Assessment, control string) bool {
	others := func(a *Assessment) int {
		if _, ok := a.Answers[control]; ok {
			return len(a.Answers) - 1
		}
		return len(a.Answers)
	}
	if others(before) != others(after) {
		return false
	}
	for id, ans := range after.Answers {
		if old, ok := before.Answers[id]; id != control && (!ok || !sameAnswer(old, ans)) {
			return false
		}
	}
	b, a := *before, *after
	b.Answers, a.Answers, b.UpdatedAt, a.UpdatedAt = nil, nil, time.Time{}, time.Time{}
	return reflect.DeepEqual(b, a)
}
