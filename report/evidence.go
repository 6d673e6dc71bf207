package report

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
)

// The evidence register in the reports: each control's evidence chain
// cites register ids (E3, aws:soc2) with their currency; the evidence
// index annex lists every piece of evidence with the controls it
// supports. Strings are raw; each format escapes them.

// itemText describes a piece of evidence on one line: "E3 User
// requirements (URS-001, v3.1, 2025-01-15) at EDMS/VAL · Customer
// specification".
func itemText(it model.EvidenceItem) string {
	var b strings.Builder
	b.WriteString(it.ID + " " + it.Title)
	var meta []string
	if it.DocumentID != "" {
		meta = append(meta, it.DocumentID)
	}
	if it.Version != "" {
		meta = append(meta, model.VersionLabel(it.Version))
	}
	switch {
	case it.Date != "" && it.IsSupplier():
		meta = append(meta, "obtained "+it.Date)
	case it.Date != "":
		meta = append(meta, it.Date)
	}
	if len(meta) > 0 {
		b.WriteString(" (" + strings.Join(meta, ", ") + ")")
	}
	if it.Location != "" {
		b.WriteString(" at " + it.Location)
	}
	b.WriteString(" · " + supplierLabel(it.Owner))
	if it.Kind != "" {
		b.WriteString(" " + strings.ReplaceAll(string(it.Kind), "-", " "))
	}
	if p := entryPeriod(it.EvidenceEntry); p != "" {
		b.WriteString(", period " + p)
	}
	return b.String()
}

func entryPeriod(e model.EvidenceEntry) string {
	return periodText(model.SupplierRecord{PeriodStart: e.PeriodStart, PeriodEnd: e.PeriodEnd})
}

// currencyText says whether a piece of evidence is current: a supplier
// record with its review status, "STALE: why" when it has gone stale.
func currencyText(it model.EvidenceItem) string {
	var parts []string
	if it.IsSupplier() {
		parts = append(parts, string(it.Review))
	}
	switch {
	case it.Stale:
		parts = append(parts, "STALE: "+it.Why)
	case it.ValidUntil != "":
		parts = append(parts, "current until "+it.ValidUntil)
	default:
		parts = append(parts, "current")
	}
	return strings.Join(parts, ", ")
}

// chainLines is a control's evidence chain, a line per piece: what it is,
// the note of its link, its currency; AWS reports the control expects
// that are needed and not on file say so. Optional reports not on file
// are left out: they are no gap.
func (f *facts) chainLines(r row) []string {
	var out []string
	for _, ci := range r.Chain {
		it, ok := f.review.ItemOf(ci)
		switch {
		case ok:
			line := itemText(it)
			if ci.Note != "" {
				line += " · " + ci.Note
			}
			out = append(out, line+" · "+currencyText(it))
		case ci.Relevant:
			src := strings.TrimPrefix(ci.ID, model.SupplierPrefix)
			out = append(out, ci.ID+" "+f.sourceName(src)+" · not on file")
		}
	}
	return out
}

// expectedText is what a control still expects, for an answer that
// links nothing: the customer's documents the catalog names, or, with no
// evidence at all, everything it names. Empty for a not-applicable answer.
func (f *facts) expectedText(r row, lines []string) string {
	if r.Ans.Status == model.StatusNotApplicable || len(r.Ans.Links) > 0 {
		return ""
	}
	if len(lines) == 0 {
		return strings.Join(f.expectedEvidence(r.Res), "; ")
	}
	var names []string
	for _, id := range r.Res.CustEvidence {
		names = append(names, f.sourceName(id))
	}
	return strings.Join(names, "; ")
}

// supportText names the controls a piece of evidence supports, each with
// the note of its link: "SEC-01 (§4.2), ENC-01".
func supportText(it model.EvidenceItem) string {
	if len(it.Supports) == 0 {
		return "no applicable control"
	}
	parts := make([]string, len(it.Supports))
	for i, s := range it.Supports {
		parts[i] = s.Control
		if s.Note != "" {
			parts[i] += " (" + s.Note + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// reportChoices says which AWS reports the assessment added or dismissed
// against the catalog's rule, and why.
func (f *facts) reportChoices() []string {
	var out []string
	for _, n := range f.review.Reports {
		if n.Choice == nil {
			continue
		}
		word := "dismissed"
		if n.Choice.Relevant {
			word = "added"
		}
		out = append(out, fmt.Sprintf("%s %s (the catalog: %s): %s", f.sourceName(n.Source), word, n.Rule, n.Choice.Reason))
	}
	return out
}

// optionalReports are the AWS sources not needed for this scope and not
// on file, by name.
func (f *facts) optionalReports() []string {
	onFile := map[string]bool{}
	for _, r := range f.a.Supplier {
		onFile[r.Source] = true
	}
	var out []string
	for _, n := range f.review.Reports {
		if !n.Relevant && !onFile[n.Source] {
			out = append(out, f.sourceName(n.Source))
		}
	}
	return out
}

const indexIntro = "Every piece of evidence the assessment rests on, once: the customer's documents (E…) and AWS's reports " +
	"recorded in the supplier assessment (aws:…), with its currency and the applicable controls it supports (the note of each link in brackets). " +
	"A control supported by stale evidence is flagged among the gaps."

func (f *facts) mdEvidenceIndex(w *mdWriter) {
	w.heading(2, "Annex: evidence index")
	if len(f.review.Register) == 0 {
		w.line("No evidence in the register yet.")
		return
	}
	w.line(indexIntro)
	w.line()
	w.table("Evidence", "Currency", "Supports")
	for _, it := range f.review.Register {
		cur := mdInline(currencyText(it))
		if it.Stale {
			cur = "**" + cur + "**"
		}
		w.row(mdInline(itemText(it)), cur, mdInline(supportText(it)))
	}
}

// idxRow is a row of the HTML evidence index.
type idxRow struct {
	ID, Text, Currency, Supports string
	Stale                        bool
}

func (f *facts) htmlEvidenceIndex(d *htmlDoc) {
	d.IndexIntro = indexIntro
	for _, it := range f.review.Register {
		d.Index = append(d.Index, idxRow{ID: clean(it.ID), Text: clean(strings.TrimPrefix(itemText(it), it.ID+" ")),
			Currency: clean(currencyText(it)), Supports: clean(supportText(it)), Stale: it.Stale})
	}
	for _, c := range f.reportChoices() {
		d.Choices = append(d.Choices, clean(c))
	}
	for _, o := range f.optionalReports() {
		d.Optional = append(d.Optional, clean(o))
	}
}

// mdReportChoices adds to the supplier section the reports this scope
// does not need and the choices made against the catalog's rule.
func (f *facts) mdReportChoices(w *mdWriter) {
	if opt := f.optionalReports(); len(opt) > 0 {
		for i := range opt {
			opt[i] = mdInline(opt[i])
		}
		w.line()
		w.line("Optional for this scope, not on file (no gap): ", strings.Join(opt, "; "), ".")
	}
	if ch := f.reportChoices(); len(ch) > 0 {
		w.line()
		for _, c := range ch {
			w.line("- ", mdInline(c))
		}
	}
}

// registerChange says in words what an entry of the register's actions
// changed, for the reports' trail.
func registerChange(e model.AuditEntry) (string, bool) {
	has := func(raw []byte) bool { return len(raw) > 0 && string(raw) != "null" }
	switch e.Action {
	case model.ActEntry:
		var ent model.EvidenceEntry
		switch {
		case !has(e.New):
			return "removed", true
		case json.Unmarshal(e.New, &ent) != nil:
			return "", false
		case has(e.Old):
			return "edited → " + ent.Title, true
		}
		return "added " + ent.Title, true
	case model.ActLinks:
		var links []model.EvidenceLink
		if json.Unmarshal(e.New, &links) != nil {
			return "", false
		}
		ids := make([]string, len(links))
		for i, l := range links {
			ids[i] = l.Entry
		}
		if len(ids) == 0 {
			return "→ no evidence", true
		}
		return "→ " + strings.Join(ids, ", "), true
	case model.ActFile:
		var fl model.Filing
		if json.Unmarshal(e.New, &fl) != nil {
			return "", false
		}
		entries := fmt.Sprintf("%d register entries", len(fl.Entries))
		if len(fl.Entries) == 1 {
			entries = "1 register entry"
		}
		return fmt.Sprintf("free-text evidence of %s filed as %s", plural.Count(len(fl.Links), "answer", "answers"), entries), true
	case model.ActReport:
		var r model.ReportChoice
		switch {
		case !has(e.New):
			return "back to the catalog's rule", true
		case json.Unmarshal(e.New, &r) != nil:
			return "", false
		case r.Relevant:
			return "added: " + r.Reason, true
		}
		return "dismissed: " + r.Reason, true
	}
	return "", false
}

// evidenceProps are the OSCAL properties of a piece of evidence: who
// supplies it, its register id, its currency, its kind and, for a
// supplier record, its source and review status.
func evidenceProps(it model.EvidenceItem) []oProp {
	ps := []oProp{prop("supplier", string(it.Owner)), prop("evidence-id", it.ID), prop("evidence-currency", currencyWord(it))}
	if it.Kind != "" {
		ps = append(ps, prop("evidence-kind", string(it.Kind)))
	}
	if it.IsSupplier() {
		ps = append(ps, prop("evidence-source", it.Source), prop("review-status", string(it.Review)))
	}
	return ps
}

func currencyWord(it model.EvidenceItem) string {
	if it.Stale {
		return "stale"
	}
	return "current"
}

// evidenceBook is the OSCAL back-matter of the register: every piece of
// evidence a resource, in the register's order, cited or not.
func (f *facts) evidenceBook(i ids) *evidenceBook {
	b := newEvidenceBook(i)
	for _, it := range f.review.Register {
		b.add(it)
	}
	return b
}

// oscalEvidence is an observation's relevant evidence: each piece of the
// control's chain on file, pointing at its resource; the note of its link
// as remarks.
func (f *facts) oscalEvidence(b *evidenceBook, r row) []arEvidence {
	var out []arEvidence
	for _, ci := range r.Chain {
		it, ok := f.review.ItemOf(ci)
		if !ok {
			continue
		}
		e := arEvidence{Href: "#" + b.add(it), Description: mdMarkup(itemText(it) + " · " + currencyText(it)),
			Props: evidenceProps(it), Remarks: mdMarkup(ci.Note)}
		if !ci.Linked {
			e.Props = append(e.Props, prop("evidence-link", "expected-aws-report"))
		}
		out = append(out, e)
	}
	return out
}
