package report

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"

	"github.com/onus-gxp/onus/internal/xlsx"
	"github.com/onus-gxp/onus/model"
)

// The workshop prep pack: the questions that apply to this scope and these
// services, grouped by who must answer them (the owner, then the role in
// the customer's organisation, then the domain), each with why it falls
// there and the evidence expected, to send out before the workshop. The
// spreadsheet (prep-xlsx) has columns to answer in, and a hidden sheet
// naming the assessment, the catalog and the trail entry it was made
// from, so that onus import-answers (package prep) can read it back.

// Names the spreadsheet and its reader share.
const (
	PrepSheet     = "Questions"
	PrepMetaSheet = "onus"
	PrepFormat    = "onus-prep-pack 1"
)

// The header of the Questions sheet. The reader finds columns by these
// names, so a column moved or deleted by the respondent does not matter
// unless it is one of the answer columns or the control's.
const (
	PrepColControl       = "Control"
	PrepColStatus        = "Status"
	PrepColJustification = "Justification"
	PrepColEvidence      = "Evidence"
	PrepColNotes         = "Notes"
)

var prepHeader = []string{PrepColControl, "Title", "Owner", "Answered by", "Domain", "Question", "Why", "Your part",
	"Evidence expected", "Current answer", PrepColStatus, PrepColJustification, PrepColEvidence, PrepColNotes}

// PrepMeta is the hidden sheet's content: key, value rows.
const (
	PrepMetaFormat     = "format"
	PrepMetaAssessment = "assessment"
	PrepMetaName       = "name"
	PrepMetaCatalog    = "catalog version"
	PrepMetaSeq        = "trail entry"
	PrepMetaHead       = "trail head"
	PrepMetaMade       = "made"
)

// answerRole is who in the customer's organisation usually answers a
// domain's questions: the pack groups by it so each person gets their part.
var answerRole = map[string]string{
	"governance": "Quality (QA lead)", "supplier": "Quality (QA lead)", "lifecycle": "Validation lead",
	"change-incident": "Quality (QA lead)", "records": "System owner", "audit-trail": "System owner",
	"esignatures": "System owner", "access": "IT security", "encryption": "IT security",
	"tenancy": "IT security", "security": "IT infrastructure", "operations": "IT infrastructure",
}

// AnswerRole is the role expected to answer a domain's questions.
func AnswerRole(domain string) string {
	if r, ok := answerRole[domain]; ok {
		return r
	}
	return "System owner"
}

// prepOwners orders the owners and says what each asks of the customer.
var prepOwners = []struct {
	r     model.Responsibility
	title string
}{
	{model.Customer, "Customer: yours to answer"},
	{model.Shared, "Shared: answer for your part"},
	{model.Inherited, "Inherited from AWS: confirm you hold AWS's evidence"},
}

type prepItem struct {
	row
	Owner, Role, Domain string
	Expected            string // the evidence expected, named
	Current             string // the answer held now
	Why                 string // the engine's reason
	YourPart            string // the customer's part, when Why does not already say it
}

type prepDomain struct {
	Name  string
	Items []prepItem
}

type prepRole struct {
	Role    string
	Domains []prepDomain
}

type prepOwner struct {
	Title string
	Count int
	Roles []prepRole
}

// prepGroups groups the applicable controls by owner, role and domain, in
// the catalog's order within each.
func (f *facts) prepGroups() []prepOwner {
	var out []prepOwner
	items := f.prepItems()
	for _, o := range prepOwners {
		g := prepOwner{Title: o.title}
		for _, it := range items {
			if it.Res.Responsibility != o.r {
				continue
			}
			g.Count++
			ri := indexOr(len(g.Roles), func(i int) bool { return g.Roles[i].Role == it.Role })
			if ri == len(g.Roles) {
				g.Roles = append(g.Roles, prepRole{Role: it.Role})
			}
			r := &g.Roles[ri]
			di := indexOr(len(r.Domains), func(i int) bool { return r.Domains[i].Name == it.Domain })
			if di == len(r.Domains) {
				r.Domains = append(r.Domains, prepDomain{Name: it.Domain})
			}
			r.Domains[di].Items = append(r.Domains[di].Items, it)
		}
		if g.Count > 0 {
			out = append(out, g)
		}
	}
	return out
}

func indexOr(n int, match func(int) bool) int {
	for i := range n {
		if match(i) {
			return i
		}
	}
	return n
}

// prepItems is every applicable control as the pack shows it: the
// spreadsheet in this order too.
func (f *facts) prepItems() []prepItem {
	var out []prepItem
	for _, r := range f.rows {
		if ownerRank(r.Res.Responsibility) == len(prepOwners) {
			continue
		}
		it := prepItem{row: r, Owner: r.Res.Responsibility.Label(), Role: AnswerRole(r.Ctrl.Domain), Domain: r.Ctrl.Domain}
		if d, ok := f.cat.Domain(r.Ctrl.Domain); ok {
			it.Domain = d.Name
		}
		var exp []string
		for _, id := range r.Res.CustEvidence {
			exp = append(exp, f.evidenceName(id))
		}
		for _, id := range r.Res.AWSEvidence {
			exp = append(exp, f.evidenceName(id)+" (from AWS)")
		}
		it.Expected = strings.Join(exp, "; ")
		it.Why = r.Res.Reason()
		if !strings.Contains(it.Why, r.Res.CustomerPart) {
			it.YourPart = r.Res.CustomerPart
		}
		it.Current = "unanswered"
		if r.Ans.Status != model.StatusUnanswered {
			it.Current = r.Ans.Status.Label()
		}
		out = append(out, it)
	}
	// By owner, then role: the order people fill it in.
	slices.SortStableFunc(out, func(a, b prepItem) int {
		return cmp.Or(cmp.Compare(ownerRank(a.Res.Responsibility), ownerRank(b.Res.Responsibility)), cmp.Compare(a.Role, b.Role))
	})
	return out
}

func ownerRank(r model.Responsibility) int {
	return indexOr(len(prepOwners), func(i int) bool { return prepOwners[i].r == r })
}

func (f *facts) evidenceName(id string) string {
	if e, ok := f.cat.EvidenceSource(id); ok {
		return e.Name
	}
	return id
}

func (f *facts) prepIntro() string {
	return fmt.Sprintf("%d questions apply to this scope and these services. Each is listed under who must answer it "+
		"(the owner, then the role in your organisation, then the domain), with why it falls there and the evidence expected. "+
		"Answers are recorded in the workshop, or read back from the spreadsheet with onus import-answers.", len(f.rows))
}

// PrepMarkdown renders the prep pack as Markdown.
func PrepMarkdown(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in)
	w := &mdWriter{}
	w.line("# Workshop prep pack: ", mdLine(f.id.Name))
	w.line()
	w.line("Assessment ", mdLine(f.id.Assessment), " · catalog ", mdLine(f.id.Catalog), " · trail entry ",
		mdLine(f.id.revisionText()), " (head ", mdLine(f.id.headText()), ") · ", mdLine(f.id.AsOf))
	w.line()
	w.line(mdInline(f.prepIntro()))
	for _, g := range f.prepGroups() {
		prepHeading(w, 2, fmt.Sprintf("%s (%d)", mdLine(g.Title), g.Count))
		for _, r := range g.Roles {
			prepHeading(w, 3, mdLine(r.Role))
			for _, d := range r.Domains {
				prepHeading(w, 4, mdLine(d.Name))
				for _, it := range d.Items {
					w.line("- **", mdLine(it.Ctrl.ID+" "+it.Ctrl.Title), "** (", mdLine(it.Current), ")  ")
					w.line("  ", mdInline(it.Ctrl.Question), "  ")
					w.line("  *Why:* ", mdInline(it.Why), "  ")
					if it.YourPart != "" {
						w.line("  *Your part:* ", mdInline(it.YourPart), "  ")
					}
					if it.Expected != "" {
						w.line("  *Evidence expected:* ", mdInline(it.Expected))
					}
				}
			}
		}
	}
	return []byte(w.String()), nil
}

// prepHeading is a heading with one blank line around it, however many
// headings follow each other.
func prepHeading(w *mdWriter, level int, text string) {
	if !strings.HasSuffix(w.String(), "\n\n") {
		w.WriteByte('\n')
	}
	w.line(strings.Repeat("#", level), " ", text)
	w.WriteByte('\n')
}

// prepHTMLTemplate is parsed on first use, not at every start of onus.
var prepHTMLTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("prep").Parse(prepHTMLSource))
})

const prepHTMLSource = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Workshop prep pack: {{.ID.Name}}</title>
<style>body{font:11pt/1.4 system-ui,sans-serif;max-width:60em;margin:2em auto;color:#111}
h2{border-bottom:2px solid #333}dt{font-weight:600;margin-top:.8em}dd{margin:0 0 0 1em}.k{color:#444;font-style:italic}
.id{color:#333;font-size:9pt}</style></head><body>
<h1>Workshop prep pack: {{.ID.Name}}</h1>
<p class="id">Assessment {{.ID.Assessment}} · catalog {{.ID.Catalog}} · trail entry {{.Revision}} (head {{.Head}}) · {{.ID.AsOf}}</p>
<p>{{.Intro}}</p>
{{range .Groups}}<h2>{{.Title}} ({{.Count}})</h2>
{{range .Roles}}<h3>{{.Role}}</h3>
{{range .Domains}}<h4>{{.Name}}</h4><dl>
{{range .Items}}<dt>{{.Ctrl.ID}} {{.Ctrl.Title}} ({{.Current}})</dt>
<dd>{{.Ctrl.Question}}</dd>
<dd><span class="k">Why:</span> {{.Why}}</dd>
{{if .YourPart}}<dd><span class="k">Your part:</span> {{.YourPart}}</dd>{{end}}
{{if .Expected}}<dd><span class="k">Evidence expected:</span> {{.Expected}}</dd>{{end}}
{{end}}</dl>
{{end}}{{end}}{{end}}</body></html>
`

// PrepHTML renders the prep pack as one self-contained HTML page.
func PrepHTML(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in)
	groups := f.prepGroups()
	for gi := range groups {
		for ri := range groups[gi].Roles {
			for di := range groups[gi].Roles[ri].Domains {
				d := &groups[gi].Roles[ri].Domains[di]
				for ii := range d.Items {
					d.Items[ii] = cleanPrep(d.Items[ii])
				}
			}
		}
	}
	var buf bytes.Buffer
	err := prepHTMLTemplate().Execute(&buf, map[string]any{
		"ID":       identity{Name: clean(f.id.Name), Assessment: clean(f.id.Assessment), Catalog: clean(f.id.Catalog), AsOf: f.id.AsOf},
		"Revision": f.id.revisionText(), "Head": f.id.headText(), "Intro": f.prepIntro(), "Groups": groups,
	})
	return buf.Bytes(), err
}

// cleanPrep passes an item's untrusted text through safetext, on its own
// copy of the control: the row's is the catalog's, shared and read-only.
func cleanPrep(it prepItem) prepItem {
	ctrl := *it.Ctrl
	ctrl.ID, ctrl.Title, ctrl.Question = clean(ctrl.ID), clean(ctrl.Title), clean(ctrl.Question)
	it.Ctrl = &ctrl
	it.Why, it.Res.CustomerPart, it.YourPart = clean(it.Why), clean(it.Res.CustomerPart), clean(it.YourPart)
	it.Expected, it.Role, it.Domain = clean(it.Expected), clean(it.Role), clean(it.Domain)
	return it
}

// PrepXLSX renders the prep pack as a spreadsheet to answer in.
func PrepXLSX(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in)
	rows := [][]string{prepHeader}
	for _, it := range f.prepItems() {
		it = cleanPrep(it)
		var ev []string
		for _, e := range f.a.EvidenceRefs(it.Ctrl.ID) {
			ev = append(ev, clean(model.EvidenceRefText(e)))
		}
		status := ""
		if it.Ans.Status != model.StatusUnanswered {
			status = string(it.Ans.Status)
		}
		rows = append(rows, []string{it.Ctrl.ID, it.Ctrl.Title, it.Owner, it.Role, it.Domain, it.Ctrl.Question,
			it.Why, it.Res.CustomerPart, it.Expected, it.Current,
			status, clean(it.Ans.Justification), strings.Join(ev, "\n"), clean(it.Ans.Notes)})
	}
	statuses := make([]string, len(model.Statuses))
	for i, s := range model.Statuses {
		statuses[i] = string(s)
	}
	col := func(name string) int {
		return indexOr(len(prepHeader), func(i int) bool { return prepHeader[i] == name })
	}
	seq, head := "", model.Head(in.Trail)
	if n := len(in.Trail); n > 0 {
		seq = fmt.Sprint(in.Trail[n-1].Seq)
	}
	readMe := [][]string{
		{"Workshop prep pack: " + clean(f.id.Name)},
		{f.prepIntro()},
		{"Answer in the columns Status (choose from the list), Justification (needed for not-applicable), Evidence (one per line: title|document id|version|YYYY-MM-DD|location|supplier) and Notes."},
		{"A blank Status leaves the control as it is. Do not change the Control column or the hidden sheet: they tie each answer to its control and this pack to the assessment."},
	}
	return xlsx.Write(xlsx.Workbook{Modified: f.asOf, Sheets: []xlsx.Sheet{
		{Name: PrepSheet, Rows: rows, Header: true, FreezeRows: 1, FreezeCols: 1, AutoFilter: true, Wrap: true,
			Widths: []float64{10, 28, 16, 18, 22, 50, 50, 40, 36, 16, 16, 30, 40, 30},
			Lists: []xlsx.ListValidation{{Col: col(PrepColStatus), FromRow: 2, ToRow: max(len(rows), 2) + 200, Values: statuses,
				Prompt: "Choose a status; leave blank to keep the control as it is"}}},
		{Name: "Read me", Rows: readMe, Widths: []float64{120}, Wrap: true},
		{Name: PrepMetaSheet, Hidden: true, Rows: [][]string{
			{PrepMetaFormat, PrepFormat}, {PrepMetaAssessment, f.a.ID}, {PrepMetaName, clean(f.a.Name)},
			{PrepMetaCatalog, f.cat.Version}, {PrepMetaSeq, seq}, {PrepMetaHead, head}, {PrepMetaMade, f.id.AsOf},
		}},
	}})
}
