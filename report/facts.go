package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/onus-gxp/onus/model"
)

// facts is what every human-readable format shows, worked out once from
// the input: the review, one row per applicable control, the stacks and
// the trail's summary. Strings in it are raw; each format escapes them.
type facts struct {
	in   Input
	cat  *model.Catalog
	a    *model.Assessment
	asOf time.Time // zero when the data holds no time at all

	review   model.Review
	rows     []row
	gaps     []model.Gap // every gap, highest risk first, then in review order
	stacks   []model.ServiceStack
	unknown  []string // selected service ids the catalog does not know
	solution model.SolutionStack
	// outOfScope counts answers to controls that do not apply (any more).
	outOfScope int
	byCrit     []critCount
	alcoa      []model.AlcoaCoverage
	id         identity
	trail      trailSummary                  // filled by the formats that print it (withTrail)
	chain      *ChainCheck                   // the trail's chain as verified once (chainErr)
	actionsBy  map[string][]model.ActionItem // the action items by control, in the plan's order (actionsOf)
}

// chainErr is what verifying the trail's chain found: Input.Chain when the
// caller gave it, else verified here, once per report.
func (f *facts) chainErr() error {
	if f.chain == nil {
		f.chain = f.in.Chain
	}
	if f.chain == nil {
		f.chain = &ChainCheck{Err: model.VerifyChain(f.in.Trail)}
	}
	return f.chain.Err
}

// row is one applicable control with its resolution, answer and gaps.
type row struct {
	Ctrl  *model.Control
	Res   model.Resolution
	Ans   model.Answer
	Chain []model.ChainItem // its evidence chain (model.Review.Chains)
	Gaps  []model.Gap
	Risk  model.Risk // the highest risk among Gaps; "" when there is none
}

// critCount is the progress of the controls of one criticality.
type critCount struct {
	Crit                                  model.Criticality
	Applicable, Answered, Implemented, NA int
	Gaps                                  int // controls of this criticality with at least one gap
}

func gather(in Input) *facts {
	filed := model.WithRegister(in.Assessment) // free text as the register files it
	f := &facts{in: in, cat: in.Catalog, a: &filed}
	f.asOf = asOf(in)
	f.review = f.cat.Review(f.a, f.asOf)

	perControl := map[string][]model.Gap{}
	for _, g := range f.review.Gaps {
		if g.Control != "" {
			perControl[g.Control] = append(perControl[g.Control], g)
		}
	}
	applicable := make(map[string]bool, len(f.review.Applicable))
	f.rows = make([]row, len(f.review.Applicable))
	for i, c := range f.review.Applicable {
		applicable[c.ID] = true
		r := row{Ctrl: c, Res: f.review.Resolutions[c.ID], Ans: f.a.Answer(c.ID), Chain: f.review.Chains[c.ID], Gaps: perControl[c.ID]}
		for _, g := range r.Gaps {
			if r.Risk == "" || g.Risk.Rank() < r.Risk.Rank() {
				r.Risk = g.Risk
			}
		}
		f.rows[i] = r
	}
	for id, ans := range f.a.Answers {
		if !applicable[id] && ans.Status != model.StatusUnanswered {
			f.outOfScope++
		}
	}

	f.gaps = slices.Clone(f.review.Gaps)
	sort.SliceStable(f.gaps, func(i, j int) bool { return f.gaps[i].Risk.Rank() < f.gaps[j].Risk.Rank() })

	for _, sel := range f.a.Services {
		st, err := f.cat.ServiceStack(sel)
		if err != nil {
			f.unknown = append(f.unknown, sel.ID)
			continue
		}
		f.stacks = append(f.stacks, st)
	}
	f.solution = f.cat.SolutionStack(f.a.Services)

	for _, crit := range []model.Criticality{model.CriticalityHigh, model.CriticalityMedium, model.CriticalityLow} {
		cc := critCount{Crit: crit}
		for _, r := range f.rows {
			if r.Ctrl.Criticality != crit {
				continue
			}
			cc.Applicable++
			switch r.Ans.Status {
			case model.StatusUnanswered:
			case model.StatusImplemented:
				cc.Answered++
				cc.Implemented++
			case model.StatusNotApplicable:
				cc.Answered++
				cc.NA++
			default:
				cc.Answered++
			}
			if len(r.Gaps) > 0 {
				cc.Gaps++
			}
		}
		f.byCrit = append(f.byCrit, cc)
	}
	f.alcoa = model.AlcoaCoverageOf(f.review.Applicable, f.a)
	f.id = f.identity()
	return f
}

// withTrail summarises and verifies the audit trail, for the reports that
// print it.
func (f *facts) withTrail() *facts {
	f.trail = summariseTrail(f.in.Trail, f.chainErr)
	return f
}

// asOf is the report's date: Input.Now, else the latest time in the data.
func asOf(in Input) time.Time {
	if !in.Now.IsZero() {
		return in.Now.UTC()
	}
	var t time.Time
	later := func(u time.Time) {
		if u.After(t) {
			t = u
		}
	}
	a := &in.Assessment
	later(a.CreatedAt)
	later(a.UpdatedAt)
	for _, ans := range a.Answers {
		later(ans.UpdatedAt)
	}
	for _, s := range a.SignOffs {
		later(s.At)
	}
	for _, e := range in.Trail {
		later(e.Time)
	}
	return t.UTC()
}

// catalogMatches reports whether the assessment was assessed against this
// very catalog (same version and hash, where recorded).
func (f *facts) catalogMatches() bool {
	ref := f.a.Catalog
	if ref.Hash != "" && f.cat.Hash != "" {
		return ref.Hash == f.cat.Hash
	}
	return ref.Version == "" || ref.Version == f.cat.Version
}

// implementedScore is the share of applicable controls, not counting those
// answered not-applicable, that are implemented (partial counts half), in
// percent; -1 when nothing counts.
func (f *facts) implementedScore() int {
	n := len(f.rows) - f.review.ByStatus[model.StatusNotApplicable]
	if n <= 0 {
		return -1
	}
	pts := 2*f.review.ByStatus[model.StatusImplemented] + f.review.ByStatus[model.StatusPartial]
	return (pts*100 + n) / (2 * n)
}

func percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return (part*100 + whole/2) / whole
}

// Labels shared by the human-readable formats.

func supplierLabel(s model.Supplier) string {
	switch s {
	case model.SupplierAWS:
		return "AWS"
	case model.SupplierCustomer:
		return "Customer"
	case model.SupplierThirdParty:
		return "Third party"
	}
	return string(s)
}

func suppliersLabel(ss []model.Supplier) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = supplierLabel(s)
	}
	return strings.Join(names, " + ")
}

func ownerWord(r model.Responsibility) string {
	switch r {
	case model.Inherited:
		return "AWS (inherited)"
	case model.Shared:
		return "Shared"
	case model.Customer:
		return "Customer"
	}
	return string(r)
}

func refsText(refs []model.Ref) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.String()
	}
	return strings.Join(out, "; ")
}

// expectedEvidence names the evidence sources the catalog expects for a
// resolution, AWS's first.
func (f *facts) expectedEvidence(res model.Resolution) []string {
	var out []string
	for _, ids := range [][]string{res.AWSEvidence, res.CustEvidence} {
		for _, id := range ids {
			if src, ok := f.cat.EvidenceSource(id); ok {
				out = append(out, src.Name)
			} else {
				out = append(out, id)
			}
		}
	}
	return out
}

func gapText(gs []model.Gap) string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Detail
	}
	return strings.Join(out, "; ")
}

// gapSubject names what a gap is about: the control, or the evidence source.
func (f *facts) gapSubject(g model.Gap) string {
	if g.Control != "" {
		if c, ok := f.cat.Control(g.Control); ok {
			return c.ID + " " + c.Title
		}
		return g.Control
	}
	if src, ok := f.cat.EvidenceSource(g.Source); ok {
		return src.Name
	}
	return g.Source
}

func (f *facts) serviceName(id string) string {
	if s, ok := f.cat.Service(id); ok {
		return s.Name
	}
	return id
}

// frameworkNames names the editions the assessment answers to (the model
// decides which are in effect), and any chosen id the catalog lacks.
func (f *facts) frameworkNames() []string {
	var out []string
	for _, fw := range f.cat.EditionsInEffect(f.a.Scope) {
		out = append(out, fw.Title())
	}
	for _, id := range f.a.Scope.Frameworks {
		if _, ok := f.cat.Framework(id); !ok {
			out = append(out, id)
		}
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dateTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// statusOrder lists the statuses as the summary shows them.
var statusOrder = []model.Status{model.StatusImplemented, model.StatusPartial, model.StatusPlanned,
	model.StatusNotImplemented, model.StatusNotApplicable, model.StatusUnanswered}

var responsibilityOrder = []model.Responsibility{model.Customer, model.Shared, model.Inherited}

func periodText(r model.SupplierRecord) string {
	switch {
	case r.PeriodStart != "" && r.PeriodEnd != "":
		return r.PeriodStart + " to " + r.PeriodEnd
	case r.PeriodEnd != "":
		return "to " + r.PeriodEnd
	case r.PeriodStart != "":
		return "from " + r.PeriodStart
	}
	return ""
}

// supplierRows lists the supplier records in the catalog's order of AWS
// sources, then any others in the assessment's order, and the AWS sources
// the assessment needs (model.ReportNeed) with no record.
func (f *facts) supplierRows() (recs []model.SupplierRecord, missing []model.EvidenceSource) {
	seen := map[int]bool{}
	need := map[string]bool{}
	for _, n := range f.review.Reports {
		need[n.Source] = n.Relevant
	}
	for _, src := range f.cat.AWSSources() {
		found := false
		for i, r := range f.a.Supplier {
			if r.Source == src.ID && !seen[i] {
				recs = append(recs, r)
				seen[i] = true
				found = true
			}
		}
		if !found && need[src.ID] {
			missing = append(missing, src)
		}
	}
	for i, r := range f.a.Supplier {
		if !seen[i] {
			recs = append(recs, r)
		}
	}
	return recs, missing
}

func (f *facts) sourceName(id string) string {
	if src, ok := f.cat.EvidenceSource(id); ok {
		return src.Name
	}
	return id
}

// staleNote says whether a supplier record is stale as of the report.
func (f *facts) staleNote(r model.SupplierRecord) string {
	src, ok := f.cat.EvidenceSource(r.Source)
	if !ok {
		return ""
	}
	if stale, why := model.SupplierStale(src, r, f.asOf); stale {
		return why
	}
	return ""
}

// gampText says a service's effective GAMP 5 category and whose it is,
// with the reason where there is more to say than the default.
func gampText(st model.ServiceStack) string {
	label := model.GAMPCategoryLabel(st.GAMP)
	switch {
	case st.GAMPByAssessment:
		return label + " — changed by this assessment: " + st.GAMPReason
	case st.GAMP != model.GAMPInfrastructure:
		return label + " — the catalog's: " + st.GAMPReason
	}
	return label + " — the catalog's default"
}

// checksText names the automated checks whose results can evidence a
// control's AWS-configuration part ("AWS Config: a, b; Prowler: c"), or
// says the control is procedural; "" when the catalog says neither.
func checksText(c *model.Control) string {
	var parts []string
	for _, t := range c.Checks.ByTool() {
		parts = append(parts, t.Tool+": "+strings.Join(t.IDs, ", "))
	}
	if len(parts) == 0 && c.Procedural {
		return "procedural"
	}
	return strings.Join(parts, "; ")
}

func alcoaText(as []model.Alcoa) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Label()
	}
	return strings.Join(out, ", ")
}

// dataCategoriesText names the scope's data categories, or "none".
func dataCategoriesText(ds []model.DataCategory) string {
	if len(ds) == 0 {
		return "none"
	}
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Label()
	}
	return strings.Join(out, ", ")
}

// recordsText is the scope's line on the record inventory: how many
// entries it has, or, under Part 11, that there is none; "" when neither.
func (f *facts) recordsText() string {
	switch n := len(f.a.Records); {
	case n == 1:
		return "1 data class, in the record inventory below"
	case n > 1:
		return fmt.Sprintf("%d data classes, in the record inventory below", n)
	case f.cat.InEffect(f.a.Scope, "21cfr11"):
		return noRecordsText
	}
	return ""
}

// recordCells are one inventory entry's cells, in the order of
// recordHeader, raw.
func recordCells(r model.RecordEntry) []string {
	return []string{r.DataClass, r.PredicateRule, yesNo(r.Part11), r.Retention, r.SystemOfRecord, r.Inspection, yesNo(r.Hybrid), r.Notes}
}

var recordHeader = []string{"Data class", "Predicate rule", "Part 11 record", "Retention", "System of record",
	"Inspection availability (11.1(e))", "Hybrid (11.70)", "Notes"}

// noRecordsText is what a report says of a Part 11 assessment with no
// record inventory.
const noRecordsText = "No record inventory yet: nothing says which of the system's records are Part 11 records (21 CFR 11.1(b)), by which predicate rule, or how they are made available for inspection (11.1(e))."

// checkedAndProcedural splits the applicable controls: those automated
// checks can evidence, and the ids of those marked procedural.
func (f *facts) checkedAndProcedural() (checked []row, procedural []string) {
	for _, r := range f.rows {
		switch {
		case !r.Ctrl.Checks.IsZero():
			checked = append(checked, r)
		case r.Ctrl.Procedural:
			procedural = append(procedural, r.Ctrl.ID)
		}
	}
	return checked, procedural
}
