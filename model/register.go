package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The register as a review shows it, both ways: for each piece of
// evidence, the controls it supports; for each control, its evidence
// chain. Both come from Catalog.Review.

// EvidenceItem is one piece of evidence in the register: an entry, or a
// supplier record shown as AWS's entry (id aws:SOURCE).
type EvidenceItem struct {
	EvidenceEntry
	Source string         `json:"source,omitempty"` // a supplier record's evidence source; "" for an entry
	Review SupplierStatus `json:"review,omitempty"` // a supplier record's review status
	Stale  bool           `json:"stale"`
	Why    string         `json:"stale_why,omitempty"` // why it is stale
	// Supports are the applicable controls that rest on it, in the
	// review's order.
	Supports []Support `json:"supports"`
}

// IsSupplier reports whether the item is a supplier record.
func (it EvidenceItem) IsSupplier() bool { return it.Source != "" }

// Support is a control that a piece of evidence supports.
type Support struct {
	Control string `json:"control"`
	Note    string `json:"note,omitempty"`
	// Linked: the answer links to it; otherwise the control's AWS part
	// expects it (the catalog's aws_evidence) and it is on file.
	Linked bool `json:"linked"`
}

// ChainItem is one piece of a control's evidence chain.
type ChainItem struct {
	ID     string // E3, aws:soc2
	Note   string
	Linked bool // the answer links to it; otherwise the AWS part expects it
	// Item is its index in Review.Register; -1 when it is not on file (an
	// AWS report the control expects and nobody recorded).
	Item int
	// Relevant says, of an AWS report not on file, whether the scope needs
	// it (a gap) or it is optional.
	Relevant bool
}

// ReportNeed is whether an AWS evidence source matters to an assessment.
type ReportNeed struct {
	Source   string
	Relevant bool   // as it counts: the user's choice, else the catalog's rule
	ByRule   bool   // as the catalog's rule has it
	Rule     string // the rule in words, e.g. "the scope holds payment card data"
	Choice   *ReportChoice
}

// ReportNeeds says, for every AWS evidence source in catalog order,
// whether the assessment needs it.
func (c *Catalog) ReportNeeds(a *Assessment) []ReportNeed {
	srcs := c.AWSSources()
	out := make([]ReportNeed, len(srcs))
	for i, src := range srcs {
		n := ReportNeed{Source: src.ID}
		n.ByRule, n.Rule = c.relevant(src, a)
		n.Relevant = n.ByRule
		if j := slices.IndexFunc(a.Reports, func(r ReportChoice) bool { return r.Source == src.ID }); j >= 0 {
			ch := a.Reports[j]
			n.Choice, n.Relevant = &ch, ch.Relevant
		}
		out[i] = n
	}
	return out
}

// relevant applies a source's relevance rule to an assessment.
func (c *Catalog) relevant(src EvidenceSource, a *Assessment) (bool, string) {
	r := src.Relevance
	switch {
	case r == nil || r.Always:
		return true, "always"
	case r.Optional:
		return false, "optional"
	}
	var why []string
	for _, d := range r.DataAny {
		if slices.Contains(a.Scope.DataCategories, d) {
			return true, "the scope holds " + d.Label()
		}
		why = append(why, d.Label())
	}
	for _, id := range r.ProgrammesAny {
		name := id
		if p, ok := c.Programme(id); ok {
			name = p.Name
		}
		if slices.Contains(a.Scope.Programmes, id) {
			return true, "the scope names " + name
		}
		why = append(why, name)
	}
	for _, id := range r.ServicesAny {
		name := id
		if s, ok := c.Service(id); ok {
			name = s.Name
		}
		if slices.ContainsFunc(a.Services, func(s SelectedService) bool { return s.ID == id }) {
			return true, name + " is selected"
		}
		why = append(why, name)
	}
	return false, "optional: needed only with " + strings.Join(why, " or ")
}

// register builds the register's items (entries, then supplier records
// in catalog order, then any the catalog does not know) and an index by
// id.
func (c *Catalog) register(a *Assessment, now time.Time) ([]EvidenceItem, map[string]int) {
	items := make([]EvidenceItem, 0, len(a.Register)+len(a.Supplier))
	for _, e := range a.Register {
		it := EvidenceItem{EvidenceEntry: e}
		it.Stale, it.Why = EntryStale(e, now)
		items = append(items, it)
	}
	recs := slices.Clone(a.Supplier)
	slices.SortStableFunc(recs, func(x, y SupplierRecord) int { return c.evidenceIndex(x.Source) - c.evidenceIndex(y.Source) })
	for _, rec := range recs {
		it := EvidenceItem{Source: rec.Source, Review: rec.Status, EvidenceEntry: EvidenceEntry{
			ID: SupplierEntryID(rec.Source), Title: rec.Source, Version: rec.Version, Date: rec.Obtained,
			Owner: SupplierAWS, Kind: DocReport, PeriodStart: rec.PeriodStart, PeriodEnd: rec.PeriodEnd}}
		if src, ok := c.EvidenceSource(rec.Source); ok {
			it.Title = src.Name
			it.Kind = docKindOf(src)
			if src.Kind == KindArtifactReport || src.Kind == KindQMS {
				it.Location = "AWS Artifact"
			}
			it.Stale, it.Why = SupplierStale(src, rec, now)
		}
		items = append(items, it)
	}
	index := make(map[string]int, len(items))
	for i, it := range items {
		index[it.ID] = i
	}
	return items, index
}

func (c *Catalog) evidenceIndex(id string) int {
	if i, ok := c.idx().evidence[id]; ok {
		return i
	}
	return len(c.Evidence)
}

// docKindOf is the register's kind for a catalog evidence source.
func docKindOf(src EvidenceSource) DocKind {
	switch {
	case src.Freshness == FreshCertificate:
		return DocCertificate
	case src.Kind == KindAgreement:
		return DocAgreement
	case src.Kind == KindDocumentation:
		return DocSpecification
	case src.Kind == KindLifecycle:
		return DocOther
	}
	return DocReport
}

// chain is a control's evidence chain: the entries its answer links to,
// then the AWS reports its AWS part expects and the answer does not link.
func chain(ans Answer, res Resolution, index map[string]int, need map[string]bool) []ChainItem {
	out := make([]ChainItem, 0, len(ans.Links)+len(res.AWSEvidence))
	for _, l := range ans.Links {
		i, ok := index[l.Entry]
		if !ok {
			i = -1
		}
		out = append(out, ChainItem{ID: l.Entry, Note: l.Note, Linked: true, Item: i})
	}
	if ans.Status == StatusNotApplicable {
		return out // it rests on nothing AWS supplies
	}
	for _, src := range res.AWSEvidence {
		id := SupplierEntryID(src)
		if slices.ContainsFunc(ans.Links, func(l EvidenceLink) bool { return l.Entry == id }) {
			continue
		}
		i, ok := index[id]
		if !ok {
			i = -1
		}
		out = append(out, ChainItem{ID: id, Item: i, Relevant: need[src]})
	}
	return out
}

// staleDetail names the stale evidence a chain relies on, for a gap.
func staleDetail(ch []ChainItem, items []EvidenceItem) string {
	var parts []string
	for _, ci := range ch {
		if ci.Item >= 0 && items[ci.Item].Stale {
			it := items[ci.Item]
			parts = append(parts, fmt.Sprintf("%s %s (%s)", it.ID, it.Title, it.Why))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "relies on stale evidence: " + strings.Join(parts, "; ")
}

// ItemOf is the register item of a chain piece, or false.
func (r *Review) ItemOf(ci ChainItem) (EvidenceItem, bool) {
	if ci.Item < 0 || ci.Item >= len(r.Register) {
		return EvidenceItem{}, false
	}
	return r.Register[ci.Item], true
}

// Need is whether the assessment needs an AWS source, by the review.
func (r *Review) Need(source string) (ReportNeed, bool) {
	i := slices.IndexFunc(r.Reports, func(n ReportNeed) bool { return n.Source == source })
	if i < 0 {
		return ReportNeed{}, false
	}
	return r.Reports[i], true
}
