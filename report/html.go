package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// The HTML report is one self-contained file: inline CSS, no scripts, no
// fonts, images or links to fetch. html/template escapes every value, and
// every untrusted string is first passed through safetext.Clean, so
// neither markup nor terminal controls survive. It reads with styles off
// (headings, tables with header cells, owners written as words) and prints
// on A4 (rows never split across pages, colours kept).

//go:embed report.html.tmpl
var htmlSource string

//go:embed report.css
var htmlCSS string

// htmlTemplate is parsed on first use, not at start-up, which it would
// slow by half a millisecond for every command.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(htmlSource))
})

// maxStackColumns is how many services one stack table shows side by side
// before the next table starts; more would not fit on a printed page.
const maxStackColumns = 6

// stackChunks splits the service stacks into tables of at most
// maxStackColumns services, balanced: seven services make tables of four
// and three.
func stackChunks(all []model.ServiceStack) [][]model.ServiceStack {
	if len(all) == 0 {
		return nil
	}
	tables := (len(all) + maxStackColumns - 1) / maxStackColumns
	per := (len(all) + tables - 1) / tables
	var out [][]model.ServiceStack
	for start := 0; start < len(all); start += per {
		out = append(out, all[start:min(len(all), start+per)])
	}
	return out
}

// HTML renders the report as one self-contained HTML page.
func HTML(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in).withTrail()
	doc := f.htmlDoc()
	var buf bytes.Buffer
	buf.Grow(16384 + 600*len(f.rows))
	if err := htmlTemplate().Execute(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// clean makes untrusted text safe to show (safetext); the template then
// escapes it for HTML.
func clean(s string) string { return safetext.Clean(s) }

// marginText makes untrusted text fit a page margin: one line, at most n
// characters.
func marginText(s string, n int) string { return clipText(safetext.Line(s), n) }

// running lays out the identity for the printed pages' margins, each part
// clipped so that the margins never overflow.
func (id identity) running() running {
	return running{
		TopLeft:     cssString(marginText(id.Name, 90) + " · " + marginText(id.Assessment, 60)),
		TopRight:    cssString("Revision " + marginText(id.revisionText(), 40) + " · as of " + id.AsOf),
		BottomLeft:  cssString("Audit trail head " + id.headText()),
		SignOff:     cssString("Sign-off: " + marginText(id.SignOff, 160)),
		BottomRight: cssString("catalog " + marginText(id.Catalog, 40) + " · Onus " + marginText(id.Onus, 40)),
	}
}

// cssString quotes text as a CSS string for a margin box's content.
// html/template takes every CSS string for a URL and refuses one with a
// colon, so the page quotes its own: letters, digits, blanks and harmless
// punctuation as they are, every other ASCII character as a hexadecimal
// escape, so that nothing can end the string or the style element.
func cssString(s string) template.CSS {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r >= 0x80 && r != 0x2028 && r != 0x2029, r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			strings.ContainsRune(" .,;:()-_+=/#%!?[]", r):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "\\%x ", r)
		}
	}
	b.WriteByte('"')
	return template.CSS(b.String())
}

type kv struct{ K, V string }

type countRow struct {
	Label, Class, Note string
	N, Pct             int
}

type svcRow struct{ Name, Kind, Category, Line, GAMP string }

type supRow struct {
	Source, Obtained, Period, Version, Reviewer, Status, StatusClass, Stale, Notes string
}

type stackHead struct{ Name, Kind, Line string }

type stackCell struct {
	Owner, Class, Mark string
	LineUnder          bool // the of/in-the-cloud line runs under this cell
	LineOver           bool // ... or over it (a service with nothing in the cloud)
}

type stackRow struct {
	Layer string
	Cells []stackCell
}

type stackTable struct {
	Heads []stackHead
	Rows  []stackRow
}

type solRow struct {
	Layer, Owner, Class, CausedBy string
	LineBefore                    bool // the of/in-the-cloud line runs above this row
}

type noteRow struct{ Mark, Service, Layer, Owner, Who, Reason string }

type matRow struct {
	ID, Title, Refs, Crit, Owner, OwnerClass, From, Status, StatusClass string
	Justification                                                       string // "Not applicable: ..." or "Justification: ..."
	Evidence                                                            []string
	Expected                                                            string
	Risk                                                                string
	Notes                                                               string
}

type gapRowH struct{ Risk, Kind, Subject, Detail string }

type alcoaRowH struct {
	Attribute                       string
	Controls, Answered, Implemented int
	Which                           string
}

type checkRowH struct{ Control, Config, SecurityHub, Prowler string }

type signRow struct{ By, Role, Meaning, At, Signature string }

type trailRowH struct{ Seq, Time, Actor, Action, Target, Change, Reason string }

// running is the text of the printed pages' margins: the document's
// identity, on every page (the page number is the style sheet's). Each
// is a CSS string, quotes included.
type running struct {
	TopLeft, TopRight, BottomLeft, SignOff, BottomRight template.CSS
}

type htmlDoc struct {
	CSS     template.CSS
	Title   string
	AsOf    string
	Meta    []kv
	Running running

	Answered, Applicable, AnsweredPct int
	Implemented                       int // -1 when nothing counts
	High, Medium, Low                 int
	OutOfScope                        string
	CatalogWarning                    string
	Status, Resp                      []countRow
	Crit                              []critCount

	Scope     []kv
	Records   [][]string // the inventory's cells, in the order of recordHeader
	RecordHdr []string
	Services  []svcRow
	Overrides []string
	NoService bool

	Supplier []supRow
	Missing  []string
	Optional []string // AWS reports this scope does not need, not on file
	Choices  []string // reports added or dismissed against the catalog's rule

	Legend      []legendRow
	StackTables []stackTable
	Notes       []noteRow
	Solution    []solRow
	SolLineEnd  bool // the solution's line runs under its last layer

	Matrix     []matRow
	Alcoa      []alcoaRowH
	Checked    []checkRowH
	Procedural string
	Gaps       []gapRowH
	SignOffs   []signRow

	TrailEntries         int
	TrailSpan, TrailHead string
	TrailVerified        bool
	TrailErr             string
	TrailActors          string
	TrailActions         string
	Trail                []trailRowH

	Catalog []kv

	IndexIntro string
	Index      []idxRow
}

// ownerMeanings says what each owner of a stack layer means for the
// customer, for the legends of the Markdown and HTML stacks.
var ownerMeanings = []struct {
	Owner   model.Owner
	Meaning string
}{
	{model.OwnerCustomer, "yours: you run, configure and evidence it"},
	{model.OwnerShared, "AWS provides the mechanism; you configure and enforce it"},
	{model.OwnerAWS, "AWS runs it; you inherit it and rely on AWS's audit reports"},
	{model.OwnerNone, "the service has no such layer, as a network has no operating system"},
}

type legendRow struct{ Owner, Class, Meaning string }

func ownerClass(o model.Owner) string {
	switch o {
	case model.OwnerAWS:
		return "o-aws"
	case model.OwnerShared:
		return "o-shared"
	case model.OwnerNone:
		return "o-none"
	}
	return "o-customer"
}

func respClass(r model.Responsibility) string {
	switch r {
	case model.Inherited:
		return "o-aws"
	case model.Shared:
		return "o-shared"
	case model.NotApplicable:
		return "o-none"
	}
	return "o-customer"
}

func statusClass(s model.Status) string {
	switch s {
	case model.StatusImplemented:
		return "s-ok"
	case model.StatusPartial, model.StatusPlanned:
		return "s-open"
	case model.StatusNotImplemented:
		return "s-bad"
	case model.StatusNotApplicable:
		return "s-na"
	}
	return "s-none"
}

func (f *facts) htmlDoc() *htmlDoc {
	a := f.a
	r := &f.review
	n := len(f.rows)
	title := a.Name
	if strings.TrimSpace(title) == "" {
		title = a.ID
	}
	d := &htmlDoc{
		CSS:     template.CSS(htmlCSS),
		Title:   clean(title),
		AsOf:    dateTime(f.asOf),
		Running: f.id.running(),
		Meta: []kv{
			{"Assessment", clean(a.ID)},
			{"Organisation", clean(orNone(a.Organisation))},
			{"System", clean(orNone(a.System))},
			{"Workflow", clean(orNone(string(a.Workflow)))},
			{"Created", dateTime(a.CreatedAt) + " by " + clean(orNone(a.CreatedBy))},
			{"Last changed", dateTime(a.UpdatedAt)},
		},
		Answered: r.Answered, Applicable: n, AnsweredPct: percent(r.Answered, n),
		Implemented: f.implementedScore(),
		High:        r.RiskCounts[model.RiskHigh], Medium: r.RiskCounts[model.RiskMedium], Low: r.RiskCounts[model.RiskLow],
		Crit:      f.byCrit,
		NoService: len(a.Services) == 0,
	}
	if f.outOfScope > 0 {
		d.OutOfScope = outOfScopeText(f.outOfScope)
	}
	if a.BaselineOf != "" {
		d.Meta = append(d.Meta, kv{"Duplicated from", clean(a.BaselineOf)})
	}
	d.Meta = append(d.Meta, kv{"Catalog", clean(f.cat.Name) + " version " + clean(f.cat.Version)},
		kv{"Revision", clean(f.id.revisionText())},
		kv{"Audit trail head", clean(f.id.headText())},
		kv{"Sign-off", clean(f.id.SignOff)},
		kv{"Made with", "Onus " + clean(f.id.Onus)})
	if !f.catalogMatches() {
		d.CatalogWarning = "The assessment was made against catalog version " + clean(orNone(a.Catalog.Version)) +
			" (SHA-256 " + clean(orNone(a.Catalog.Hash)) + "); this report uses version " + clean(f.cat.Version) + "."
	}
	for _, s := range statusOrder {
		d.Status = append(d.Status, countRow{Label: s.Label(), Class: statusClass(s), N: r.ByStatus[s], Pct: percent(r.ByStatus[s], n)})
	}
	for _, resp := range responsibilityOrder {
		d.Resp = append(d.Resp, countRow{Label: ownerWord(resp), Class: respClass(resp), N: r.ByResponsibility[resp],
			Pct: percent(r.ByResponsibility[resp], n), Note: evidenceBy(resp)})
	}

	s := a.Scope
	d.Scope = []kv{
		{"GxP impact", clean(orNone(string(s.Impact)))},
		{"Frameworks", clean(strings.Join(f.frameworkNames(), "; "))},
		{"Multi-tenant", yesNo(s.MultiTenant)},
		{"Open system (21 CFR 11.3(b)(9))", yesNo(s.OpenSystem)},
		{"Internet-facing", yesNo(s.InternetFacing)},
		{"Electronic signatures", yesNo(s.ESignatures)},
		{"Data categories", dataCategoriesText(s.DataCategories)},
		{"Data classification", clean(orNone(s.DataClassification))},
		{"Applicable controls", fmt.Sprintf("%d of %d in the catalog", n, len(f.cat.Controls))},
	}
	for _, st := range f.stacks {
		d.Services = append(d.Services, svcRow{Name: clean(st.Service.Name), Kind: string(st.Service.Model),
			Category: clean(string(st.Service.Category)), Line: fmt.Sprint(st.Line), GAMP: clean(gampText(st))})
	}
	if r := f.recordsText(); r != "" {
		d.Scope = slices.Insert(d.Scope, len(d.Scope)-1, kv{"Record inventory", r})
	}
	if len(a.Records) > 0 {
		d.RecordHdr = recordHeader
		for _, r := range a.Records {
			cells := recordCells(r)
			for i := range cells {
				cells[i] = clean(cells[i])
			}
			d.Records = append(d.Records, cells)
		}
	}
	for _, id := range f.unknown {
		d.Services = append(d.Services, svcRow{Name: clean(id), Kind: "not in the catalog"})
	}
	for _, sel := range a.Services {
		for _, o := range sel.Overrides {
			layer := o.Layer
			if l, ok := f.cat.Layer(o.Layer); ok {
				layer = l.Name
			}
			d.Overrides = append(d.Overrides, clean(f.serviceName(sel.ID))+" · "+clean(layer)+" → "+clean(o.Owner.Label())+": "+clean(orNone(o.Justification)))
		}
	}

	recs, missing := f.supplierRows()
	for _, rec := range recs {
		cls := "s-none"
		switch rec.Status {
		case model.SupplierAccepted, model.SupplierReviewed:
			cls = "s-ok"
		case model.SupplierIssues:
			cls = "s-bad"
		case model.SupplierNotNeeded:
			cls = "s-na"
		}
		stale := f.staleNote(rec)
		if stale != "" {
			cls = "s-open"
		}
		d.Supplier = append(d.Supplier, supRow{Source: clean(f.sourceName(rec.Source)), Obtained: clean(rec.Obtained), Period: clean(periodText(rec)),
			Version: clean(rec.Version), Reviewer: clean(rec.Reviewer), Status: clean(string(rec.Status)), StatusClass: cls, Stale: clean(stale), Notes: clean(rec.Notes)})
	}
	for _, m := range missing {
		d.Missing = append(d.Missing, clean(m.Name))
	}

	f.htmlStacks(d)
	f.htmlEvidenceIndex(d)

	for _, row := range f.rows {
		m := matRow{
			ID: clean(row.Ctrl.ID), Title: clean(row.Ctrl.Title), Refs: clean(refsText(row.Ctrl.Refs)), Crit: string(row.Ctrl.Criticality),
			Owner: ownerWord(row.Res.Responsibility), OwnerClass: respClass(row.Res.Responsibility), From: suppliersLabel(row.Res.Suppliers),
			Status: row.Ans.Status.Label(), StatusClass: statusClass(row.Ans.Status), Risk: string(row.Risk),
		}
		m.Justification = clean(justificationText(row.Ans))
		m.Notes = clean(strings.TrimSpace(row.Ans.Notes))
		lines := f.chainLines(row)
		for _, l := range lines {
			m.Evidence = append(m.Evidence, clean(l))
		}
		m.Expected = clean(f.expectedText(row, lines))
		d.Matrix = append(d.Matrix, m)
	}
	for _, c := range f.alcoa {
		d.Alcoa = append(d.Alcoa, alcoaRowH{Attribute: c.Attribute.Label(), Controls: len(c.Controls), Answered: c.Answered,
			Implemented: c.Implemented, Which: clean(strings.Join(c.Controls, ", "))})
	}
	checked, procedural := f.checkedAndProcedural()
	for _, r := range checked {
		c := r.Ctrl.Checks
		d.Checked = append(d.Checked, checkRowH{Control: clean(r.Ctrl.ID + " " + r.Ctrl.Title), Config: clean(strings.Join(c.Config, ", ")),
			SecurityHub: clean(strings.Join(c.SecurityHub, ", ")), Prowler: clean(strings.Join(c.Prowler, ", "))})
	}
	d.Procedural = clean(strings.Join(procedural, ", "))
	for _, g := range f.gaps {
		d.Gaps = append(d.Gaps, gapRowH{Risk: string(g.Risk), Kind: string(g.Kind), Subject: clean(f.gapSubject(g)), Detail: clean(g.Detail)})
	}
	for i, so := range a.SignOffs {
		d.SignOffs = append(d.SignOffs, signRow{By: clean(so.By), Role: clean(so.Role), Meaning: clean(so.Meaning), At: dateTime(so.At),
			Signature: clean(signatureWords(f.signatureOf(i)))})
	}

	t := &f.trail
	d.TrailEntries = t.Entries
	if t.Entries > 0 {
		d.TrailSpan = fmt.Sprintf("sequence %s to %s, from %s to %s", t.FirstSeq, t.LastSeq, dateTime(t.First), dateTime(t.Last))
		d.TrailHead = clean(t.Head)
		d.TrailVerified = t.Verified
		d.TrailErr = clean(t.VerifyErr)
		d.TrailActors = clean(countsText(t.Actors))
		d.TrailActions = clean(countsText(t.Actions))
		for _, e := range t.Recent {
			d.Trail = append(d.Trail, trailRowH{Seq: e.Seq, Time: dateTime(e.Time), Actor: clean(e.Actor), Action: clean(e.Action),
				Target: clean(e.Target), Change: clean(e.Change), Reason: clean(e.Reason)})
		}
	}

	match := "matches"
	if !f.catalogMatches() {
		match = "differs from the catalog used for this report"
	}
	d.Catalog = []kv{
		{"Name", clean(f.cat.Name)},
		{"Version", clean(f.cat.Version)},
		{"SHA-256", clean(orNone(f.cat.Hash))},
		{"Assessed against", "version " + clean(orNone(a.Catalog.Version)) + ", SHA-256 " + clean(orNone(a.Catalog.Hash)) + " (" + match + ")"},
	}
	return d
}

// htmlStacks lays out the service stacks as tables of at most
// maxStackColumns services, the override notes and the solution stack.
func (f *facts) htmlStacks(d *htmlDoc) {
	for _, m := range ownerMeanings {
		d.Legend = append(d.Legend, legendRow{Owner: m.Owner.Label(), Class: ownerClass(m.Owner), Meaning: m.Meaning})
	}
	for _, chunk := range stackChunks(f.stacks) {
		var tb stackTable
		for _, st := range chunk {
			tb.Heads = append(tb.Heads, stackHead{
				Name: clean(stacks.ShortName(st.Service)),
				Kind: string(st.Service.Model),
				Line: fmt.Sprintf("%d in the cloud", st.Line),
			})
		}
		for i, l := range f.cat.Layers {
			sr := stackRow{Layer: clean(l.Name)}
			for _, st := range chunk {
				cell := stackCell{LineUnder: st.Line == i+1, LineOver: st.Line == 0 && i == 0}
				if i < len(st.Layers) {
					sl := st.Layers[i]
					cell.Owner, cell.Class, cell.Mark = sl.Owner.Label(), ownerClass(sl.Owner), stacks.Mark(sl)
				}
				sr.Cells = append(sr.Cells, cell)
			}
			tb.Rows = append(tb.Rows, sr)
		}
		d.StackTables = append(d.StackTables, tb)
	}
	for _, st := range f.stacks {
		for _, l := range st.Layers {
			if !l.Overridden {
				continue
			}
			who := "catalog"
			if l.ByAssessment {
				who = "this assessment"
			}
			d.Notes = append(d.Notes, noteRow{Mark: stacks.Mark(l), Service: clean(st.Service.Name), Layer: clean(l.Layer.Name),
				Owner: l.Owner.Label(), Who: who, Reason: clean(orNone(l.Reason))})
		}
	}
	if len(f.stacks) == 0 {
		return
	}
	for i, l := range f.solution.Layers {
		var by []string
		for _, id := range l.CausedBy {
			by = append(by, f.serviceName(id))
		}
		d.Solution = append(d.Solution, solRow{Layer: clean(l.Layer.Name), Owner: l.Owner.Label(), Class: ownerClass(l.Owner),
			CausedBy: clean(strings.Join(by, ", ")), LineBefore: i == f.solution.Line})
	}
	d.SolLineEnd = f.solution.Line == len(f.solution.Layers)
}
