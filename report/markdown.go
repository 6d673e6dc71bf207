package report

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// stackWidth is the width of the text stacks in the Markdown report: wide
// enough for three services side by side, narrow enough for a printed page.
const stackWidth = 100

// Markdown renders the report as GitHub-flavoured Markdown.
func Markdown(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in).withTrail()
	w := &mdWriter{}
	w.Grow(4096 + 256*len(f.rows))
	f.mdHeader(w)
	f.mdSummary(w)
	f.mdScope(w)
	f.mdSupplier(w)
	f.mdStacks(w)
	f.mdMatrix(w)
	f.mdGaps(w)
	f.mdSignOffs(w)
	f.mdTrail(w)
	f.mdCatalog(w)
	return []byte(w.String()), nil
}

type mdWriter struct{ strings.Builder }

func (w *mdWriter) line(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
	w.WriteByte('\n')
}

func (w *mdWriter) heading(level int, text string) {
	w.WriteByte('\n')
	w.line(strings.Repeat("#", level), " ", text)
	w.WriteByte('\n')
}

// table writes a header row and its delimiter; cells are already escaped.
func (w *mdWriter) table(head ...string) {
	w.row(head...)
	w.WriteString("|")
	for range head {
		w.WriteString(" --- |")
	}
	w.WriteByte('\n')
}

func (w *mdWriter) row(cells ...string) {
	w.WriteString("|")
	for _, c := range cells {
		w.WriteByte(' ')
		if c == "" {
			c = "—"
		}
		w.WriteString(c)
		w.WriteString(" |")
	}
	w.WriteByte('\n')
}

func (f *facts) mdHeader(w *mdWriter) {
	a := f.a
	name := a.Name
	if strings.TrimSpace(name) == "" {
		name = a.ID
	}
	w.line("# Shared-responsibility assessment: ", mdLine(name))
	w.line()
	w.line("Onus report as of ", dateTime(f.asOf), ". Who is responsible for each GxP control of this solution on AWS — ",
		"AWS (security *of* the cloud, inherited), the customer (security *in* the cloud), or both — and who supplies the evidence.")
	w.line()
	w.table("Field", "Value")
	w.row("Assessment", mdInline(a.ID))
	w.row("Organisation", mdInline(a.Organisation))
	w.row("System", mdInline(a.System))
	w.row("Workflow", mdInline(string(a.Workflow)))
	w.row("Created", dateTime(a.CreatedAt)+" by "+mdInline(orNone(a.CreatedBy)))
	w.row("Last changed", dateTime(a.UpdatedAt))
	if a.BaselineOf != "" {
		w.row("Duplicated from", mdInline(a.BaselineOf))
	}
	w.row("Catalog", mdInline(f.cat.Name)+" version "+mdInline(f.cat.Version))
	w.row("Revision", mdInline(f.id.revisionText()))
	w.row("Audit trail head", mdInline(f.id.headText()))
	w.row("Sign-off", mdInline(f.id.SignOff))
	w.row("Made with", "Onus "+mdInline(f.id.Onus))
}

func (f *facts) mdSummary(w *mdWriter) {
	r := &f.review
	n := len(f.rows)
	w.heading(2, "Summary")
	w.line(fmt.Sprintf("- Answered: **%d of %d** applicable controls (%d%%).", r.Answered, n, percent(r.Answered, n)))
	if s := f.implementedScore(); s >= 0 {
		w.line(fmt.Sprintf("- Implemented: **%d%%** of the controls that apply (partial counts half; not-applicable answers left out).", s))
	}
	w.line(fmt.Sprintf("- Gaps: %d high, %d medium and %d low risk.", r.RiskCounts[model.RiskHigh], r.RiskCounts[model.RiskMedium], r.RiskCounts[model.RiskLow]))
	if f.outOfScope > 0 {
		w.line("- ", outOfScopeText(f.outOfScope))
	}
	if !f.catalogMatches() {
		w.line("- **Warning:** the assessment was made against catalog version ", mdInline(orNone(f.a.Catalog.Version)),
			" (sha256 ", mdInline(orNone(f.a.Catalog.Hash)), "); this report uses version ", mdInline(f.cat.Version), ".")
	}

	w.heading(3, "By status")
	w.table("Status", "Controls", "Share")
	for _, s := range statusOrder {
		c := r.ByStatus[s]
		w.row(s.Label(), fmt.Sprint(c), fmt.Sprintf("%d%%", percent(c, n)))
	}

	w.heading(3, "By responsibility")
	w.table("Owner", "Controls", "Evidence supplied by")
	for _, resp := range responsibilityOrder {
		w.row(ownerWord(resp), fmt.Sprint(r.ByResponsibility[resp]), evidenceBy(resp))
	}

	w.heading(3, "By criticality")
	w.table("Criticality", "Applicable", "Answered", "Implemented", "Not applicable", "With gaps")
	for _, c := range f.byCrit {
		w.row(string(c.Crit), fmt.Sprint(c.Applicable), fmt.Sprint(c.Answered), fmt.Sprint(c.Implemented), fmt.Sprint(c.NA), fmt.Sprint(c.Gaps))
	}
}

func outOfScopeText(n int) string {
	if n == 1 {
		return "1 answer concerns a control outside the current scope; it is kept but not reported."
	}
	return fmt.Sprintf("%d answers concern controls outside the current scope; they are kept but not reported.", n)
}

func evidenceBy(r model.Responsibility) string {
	switch r {
	case model.Inherited:
		return "AWS (Artifact reports, documentation, SLAs)"
	case model.Customer:
		return "Customer (life-cycle documents)"
	}
	return "AWS and customer"
}

func (f *facts) mdScope(w *mdWriter) {
	s := f.a.Scope
	w.heading(2, "Scope")
	w.table("Question", "Answer")
	w.row("GxP impact", mdInline(orNone(string(s.Impact))))
	w.row("Frameworks", mdInline(strings.Join(f.frameworkNames(), "; ")))
	w.row("Multi-tenant", yesNo(s.MultiTenant))
	w.row("Open system (21 CFR 11.30)", yesNo(s.OpenSystem))
	w.row("Electronic signatures", yesNo(s.ESignatures))
	w.row("Data classification", mdInline(s.DataClassification))
	w.row("Applicable controls", fmt.Sprintf("%d of %d in the catalog", len(f.rows), len(f.cat.Controls)))

	w.heading(3, "Services")
	if len(f.a.Services) == 0 {
		w.line("No service selected yet: responsibilities assume the most any kind of service could leave to the customer.")
	} else {
		w.table("Service", "Kind", "Category", "Layers above the line")
		for _, st := range f.stacks {
			w.row(mdInline(st.Service.Name), string(st.Service.Model), mdInline(string(st.Service.Category)), fmt.Sprint(st.Line))
		}
		for _, id := range f.unknown {
			w.row(mdInline(id), "not in the catalog", "", "")
		}
	}
	var over []string
	for _, sel := range f.a.Services {
		for _, o := range sel.Overrides {
			layer := o.Layer
			if l, ok := f.cat.Layer(o.Layer); ok {
				layer = l.Name
			}
			over = append(over, "- "+mdInline(f.serviceName(sel.ID))+" · "+mdInline(layer)+" → "+mdInline(o.Owner.Label())+": "+mdInline(orNone(o.Justification)))
		}
	}
	if len(over) > 0 {
		w.heading(3, "The assessment's own overrides")
		for _, l := range over {
			w.line(l)
		}
	}
}

func (f *facts) mdSupplier(w *mdWriter) {
	w.heading(2, "Supplier assessment of AWS")
	recs, missing := f.supplierRows()
	if len(recs) == 0 {
		w.line("No AWS evidence recorded yet.")
	} else {
		w.table("Evidence", "Obtained", "Period", "Version", "Reviewer", "Status", "Notes")
		for _, r := range recs {
			st := string(r.Status)
			if why := f.staleNote(r); why != "" {
				st += " — " + why
			}
			w.row(mdInline(f.sourceName(r.Source)), mdInline(r.Obtained), mdInline(periodText(r)), mdInline(r.Version),
				mdInline(r.Reviewer), mdInline(st), mdInline(r.Notes))
		}
	}
	if len(missing) > 0 {
		w.line()
		names := make([]string, len(missing))
		for i, m := range missing {
			names[i] = mdInline(m.Name)
		}
		w.line("Not on file: ", strings.Join(names, "; "), ".")
	}
}

// textStacks draws the services side by side (page after page when they do
// not fit), the legend, the override notes and the solution stack, as
// plain text.
func (f *facts) textStacks() string {
	o := stacks.Options{Width: stackWidth, Theme: stacks.Plain()}
	var parts []string
	for off := 0; off < len(f.stacks); {
		o.Offset = off
		s, shown := stacks.SideBySide(f.stacks, o)
		parts = append(parts, s)
		if shown <= 0 {
			break
		}
		off += shown
	}
	o.Offset = 0
	parts = append(parts, stacks.Legend(o))
	if notes := stacks.Notes(f.stacks, o); notes != "" {
		parts = append(parts, notes)
	}
	parts = append(parts, stacks.Solution(f.cat, f.solution, o))
	return strings.Join(parts, "\n\n")
}

func (f *facts) mdStacks(w *mdWriter) {
	w.heading(2, "Responsibility stacks")
	if len(f.stacks) == 0 {
		w.line("No service of the catalog is selected, so there is no stack to draw.")
		return
	}
	w.line("Each service's layers with their owner; the rule is the line between security *in* the cloud (the customer's, above) ",
		"and *of* the cloud (AWS's, below). The solution stack keeps, for each layer, the strongest obligation any service puts on the customer.")
	w.line()
	body := f.textStacks()
	fence := mdFence(body)
	w.line(fence, "text")
	w.line(body)
	w.line(fence)
}

func (f *facts) mdMatrix(w *mdWriter) {
	w.heading(2, "Responsibility matrix")
	if len(f.rows) == 0 {
		w.line("No control applies to this scope.")
		return
	}
	w.table("Control", "References", "Criticality", "Owner", "Evidence from", "Status", "Evidence")
	for _, r := range f.rows {
		w.row(mdInline(r.Ctrl.ID)+" "+mdInline(r.Ctrl.Title), mdInline(refsText(r.Ctrl.Refs)), string(r.Ctrl.Criticality),
			ownerWord(r.Res.Responsibility), suppliersLabel(r.Res.Suppliers), r.Ans.Status.Label(), f.mdEvidence(r))
	}
	var notes []string
	for _, r := range f.rows {
		if strings.TrimSpace(r.Ans.Notes) != "" {
			notes = append(notes, "- **"+mdInline(r.Ctrl.ID)+"** "+mdInline(r.Ctrl.Title)+": "+mdInline(r.Ans.Notes))
		}
	}
	if len(notes) > 0 {
		w.heading(3, "Notes")
		for _, n := range notes {
			w.line(n)
		}
	}
}

// justificationText is the reason given with an answer: "Not applicable:
// ..." for a not-applicable answer (which must have one), "Justification:
// ..." for any other that has one, "" otherwise.
func justificationText(a model.Answer) string {
	switch {
	case a.Status == model.StatusNotApplicable:
		return "Not applicable: " + orNone(a.Justification)
	case strings.TrimSpace(a.Justification) != "":
		return "Justification: " + a.Justification
	}
	return ""
}

// mdEvidence is the evidence cell: the justification, the references
// given, or what the catalog expects.
func (f *facts) mdEvidence(r row) string {
	var parts []string
	if j := justificationText(r.Ans); j != "" {
		parts = append(parts, mdInline(j))
	}
	for _, e := range r.Ans.Evidence {
		parts = append(parts, mdInline(evidenceText(e)))
	}
	if len(r.Ans.Evidence) == 0 && r.Ans.Status != model.StatusNotApplicable {
		exp := f.expectedEvidence(r.Res)
		for i := range exp {
			exp[i] = mdInline(exp[i])
		}
		if len(exp) > 0 {
			parts = append(parts, "none referenced; expected: "+strings.Join(exp, "; "))
		} else {
			parts = append(parts, "none referenced")
		}
	}
	return strings.Join(parts, "<br>")
}

func (f *facts) mdGaps(w *mdWriter) {
	w.heading(2, "Gaps and risks")
	if len(f.gaps) == 0 {
		w.line("No gaps.")
		return
	}
	w.table("Risk", "Gap", "Subject", "Detail")
	for _, g := range f.gaps {
		w.row(string(g.Risk), string(g.Kind), mdInline(f.gapSubject(g)), mdInline(g.Detail))
	}
}

func (f *facts) mdSignOffs(w *mdWriter) {
	if len(f.a.SignOffs) == 0 {
		return
	}
	w.heading(2, "Sign-offs")
	w.table("Signed by", "Role", "Meaning", "At", "Signature")
	for _, s := range f.a.SignOffs {
		w.row(mdInline(s.By), mdInline(s.Role), mdInline(s.Meaning), dateTime(s.At), signatureWords(signatureOf(s)))
	}
}

func (f *facts) mdTrail(w *mdWriter) {
	t := &f.trail
	w.heading(2, "Audit trail")
	if t.Entries == 0 {
		w.line("No audit trail was supplied with this export.")
		return
	}
	w.line(fmt.Sprintf("- Entries: %d (sequence %s to %s), from %s to %s.", t.Entries, t.FirstSeq, t.LastSeq, dateTime(t.First), dateTime(t.Last)))
	if t.Verified {
		w.line("- Hash chain: verified, every entry carries the hash of the one before.")
	} else {
		w.line("- Hash chain: **BROKEN** — ", mdInline(t.VerifyErr))
	}
	w.line("- Head hash (SHA-256 of the last entry): ", mdInline(t.Head))
	w.line("- By person: ", mdInline(countsText(t.Actors)))
	w.line("- By action: ", mdInline(countsText(t.Actions)))
	w.heading(3, fmt.Sprintf("Latest %d entries", len(t.Recent)))
	w.table("Seq", "Time", "Who", "Action", "Target", "Change", "Reason")
	for _, e := range t.Recent {
		w.row(fmt.Sprint(e.Seq), dateTime(e.Time), mdInline(e.Actor), mdInline(e.Action), mdInline(e.Target), mdInline(e.Change), mdInline(e.Reason))
	}
}

func (f *facts) mdCatalog(w *mdWriter) {
	w.heading(2, "Catalog")
	w.line("- Name: ", mdInline(f.cat.Name))
	w.line("- Version: ", mdInline(f.cat.Version))
	w.line("- SHA-256: ", mdInline(orNone(f.cat.Hash)))
	w.line("- Assessed against: version ", mdInline(orNone(f.a.Catalog.Version)), ", SHA-256 ", mdInline(orNone(f.a.Catalog.Hash)), matchWord(f.catalogMatches()))
}

func matchWord(ok bool) string {
	if ok {
		return " (matches)"
	}
	return " (**differs** from the catalog used for this report)"
}
