package report

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

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
	f.mdRecords(w)
	f.mdSupplier(w)
	f.mdStacks(w)
	f.mdMatrix(w)
	f.mdAlcoa(w)
	f.mdChecks(w)
	f.mdGaps(w)
	f.mdActions(w)
	f.mdSignOffs(w)
	f.mdTrail(w)
	f.mdCatalog(w)
	f.mdEvidenceIndex(w)
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
	w.row("Open system (21 CFR 11.3(b)(9))", yesNo(s.OpenSystem))
	w.row("Internet-facing", yesNo(s.InternetFacing))
	w.row("Electronic signatures", yesNo(s.ESignatures))
	w.row("Data categories", dataCategoriesText(s.DataCategories))
	w.row("Data classification", mdInline(s.DataClassification))
	if r := f.recordsText(); r != "" {
		w.row("Record inventory", r)
	}
	w.row("Applicable controls", fmt.Sprintf("%d of %d in the catalog", len(f.rows), len(f.cat.Controls)))

	w.heading(3, "Services")
	if len(f.a.Services) == 0 {
		w.line("No service selected yet: responsibilities assume the most any kind of service could leave to the customer.")
	} else {
		w.table("Service", "Kind", "Category", "Layers above the line", "GAMP 5 software category")
		for _, st := range f.stacks {
			w.row(mdInline(st.Service.Name), string(st.Service.Model), mdInline(string(st.Service.Category)), fmt.Sprint(st.Line), mdInline(gampText(st)))
		}
		for _, id := range f.unknown {
			w.row(mdInline(id), "not in the catalog", "", "", "")
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

func (f *facts) mdRecords(w *mdWriter) {
	if len(f.a.Records) == 0 {
		return
	}
	w.heading(2, "Record inventory (21 CFR Part 11)")
	w.line("Which of the system's records are Part 11 records, by the predicate rule that requires them, and how each is kept and made available for inspection.")
	w.line()
	w.table(recordHeader...)
	for _, r := range f.a.Records {
		cells := recordCells(r)
		for i := range cells {
			cells[i] = mdInline(cells[i])
		}
		w.row(cells...)
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
	f.mdReportChoices(w)
}

// mdRule marks the of/in-the-cloud line in the Markdown stacks: it is
// written under the owner of a service's last layer in the cloud.
const mdRule = "━━━━━━"

func (f *facts) mdStacks(w *mdWriter) {
	w.heading(2, "Responsibility stacks")
	if len(f.stacks) == 0 {
		w.line("No service of the catalog is selected, so there is no stack to draw.")
		return
	}
	w.line("Each service's layers with their owner, from the top. ", mdRule, " under a cell is the line between security *in* the cloud ",
		"(the customer's, above it) and *of* the cloud (AWS's, below it); it moves with the kind of service. ",
		stacks.MarkCatalog, " is the catalog's override for the service, ", stacks.MarkAssessment, " this assessment's own; the reasons follow the tables.")
	w.line()
	for _, m := range ownerMeanings {
		w.line("- **", m.Owner.Label(), "**: ", m.Meaning)
	}
	for _, chunk := range stackChunks(f.stacks) {
		head := []string{"Layer"}
		for _, st := range chunk {
			head = append(head, fmt.Sprintf("%s<br>%s, %d in the cloud", mdInline(st.Service.Name), st.Service.Model, st.Line))
		}
		w.line()
		w.table(head...)
		for i, l := range f.cat.Layers {
			cells := []string{mdInline(l.Name)}
			for _, st := range chunk {
				cell := ""
				if i < len(st.Layers) {
					sl := st.Layers[i]
					cell = sl.Owner.Label()
					if m := stacks.Mark(sl); m != "" {
						cell += " " + m
					}
				}
				cells = append(cells, withRule(cell, st.Line, i))
			}
			w.row(cells...)
		}
	}
	var notes []string
	for _, st := range f.stacks {
		for _, l := range st.Layers {
			if !l.Overridden {
				continue
			}
			who := "the catalog"
			if l.ByAssessment {
				who = "this assessment"
			}
			notes = append(notes, "- "+stacks.Mark(l)+" "+mdInline(st.Service.Name)+" · "+mdInline(l.Layer.Name)+" → "+l.Owner.Label()+
				" ("+who+"): "+mdInline(orNone(l.Reason)))
		}
	}
	if len(notes) > 0 {
		w.heading(3, "Overrides")
		for _, n := range notes {
			w.line(n)
		}
	}

	w.heading(3, "Solution stack")
	w.line("For each layer, the strongest obligation any selected service puts on the customer, and the services that put it there.")
	w.line()
	w.table("Layer", "Owner", "Because of")
	for i, l := range f.solution.Layers {
		var by []string
		for _, id := range l.CausedBy {
			by = append(by, mdInline(f.serviceName(id)))
		}
		w.row(mdInline(l.Layer.Name), withRule(l.Owner.Label(), f.solution.Line, i), strings.Join(by, ", "))
	}
}

// withRule adds the of/in-the-cloud line to the cell of layer i of a
// stack whose line is under layer line-1 (over the first layer when no
// layer is in the cloud).
func withRule(cell string, line, i int) string {
	switch {
	case line == 0 && i == 0:
		return mdRule + "<br>" + orNone(cell)
	case i == line-1:
		return orNone(cell) + "<br>" + mdRule
	}
	return cell
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

// mdEvidence is the evidence cell: the justification, the evidence
// chain (register ids, currency), and what the catalog still expects.
func (f *facts) mdEvidence(r row) string {
	var parts []string
	if j := justificationText(r.Ans); j != "" {
		parts = append(parts, mdInline(j))
	}
	lines := f.chainLines(r)
	for _, l := range lines {
		parts = append(parts, mdInline(l))
	}
	if exp := f.expectedText(r, lines); exp != "" {
		parts = append(parts, "no document linked; expected: "+mdInline(exp))
	} else if len(parts) == 0 {
		parts = append(parts, "none referenced")
	}
	return strings.Join(parts, "<br>")
}

func (f *facts) mdAlcoa(w *mdWriter) {
	w.heading(2, "Data integrity (ALCOA+)")
	w.line("For each ALCOA+ attribute, the applicable controls that protect it, how many are answered and how many implemented.")
	w.line()
	w.table("Attribute", "Controls", "Answered", "Implemented", "Which")
	for _, c := range f.alcoa {
		w.row(c.Attribute.Label(), fmt.Sprint(len(c.Controls)), fmt.Sprint(c.Answered), fmt.Sprint(c.Implemented), mdInline(strings.Join(c.Controls, ", ")))
	}
}

func (f *facts) mdChecks(w *mdWriter) {
	checked, procedural := f.checkedAndProcedural()
	w.heading(2, "Automated evidence")
	if len(checked) == 0 {
		w.line("No applicable control names an automated check.")
	} else {
		w.line("Automated evidence is available for these controls' AWS-configuration part: the results of these checks, by their public identifiers, are evidence, not proof of compliance.")
		w.line()
		w.table("Control", "AWS Config", "Security Hub", "Prowler")
		for _, r := range checked {
			c := r.Ctrl.Checks
			w.row(mdInline(r.Ctrl.ID)+" "+mdInline(r.Ctrl.Title), mdInline(strings.Join(c.Config, ", ")),
				mdInline(strings.Join(c.SecurityHub, ", ")), mdInline(strings.Join(c.Prowler, ", ")))
		}
	}
	if len(procedural) > 0 {
		w.line()
		w.line("Procedural, evidenced by documents, tests and records only: ", mdInline(strings.Join(procedural, ", ")), ".")
	}
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
	for i, s := range f.a.SignOffs {
		w.row(mdInline(s.By), mdInline(s.Role), mdInline(s.Meaning), dateTime(s.At), mdInline(signatureWords(f.signatureOf(i))))
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
