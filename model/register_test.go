package model_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// trail is a trail built entry by entry through Step, as the store does.
type trail struct {
	t       *testing.T
	cat     *model.Catalog
	a       model.Assessment
	entries []model.AuditEntry
	t0      time.Time
}

func newTrail(t *testing.T, cat *model.Catalog, init model.Assessment) *trail {
	t.Helper()
	tr := &trail{t: t, cat: cat, t0: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	init.ID, init.Workflow, init.CreatedAt, init.CreatedBy = "a1", model.WorkflowDraft, tr.t0, "ana"
	tr.must(model.ActCreate, "assessment", nil, init)
	return tr
}

// entry makes the next entry without applying it.
func (tr *trail) entry(action, target string, old, v any) model.AuditEntry {
	at := tr.t0.Add(time.Duration(len(tr.entries)) * time.Minute)
	e := model.AuditEntry{Assessment: "a1", Seq: uint64(len(tr.entries) + 1), Time: at, Format: model.EntryFormat,
		Actor: "ana", Action: action, Target: target, PrevHash: model.Head(tr.entries)}
	var err error
	if old != nil {
		if e.Old, err = json.Marshal(old); err != nil {
			tr.t.Fatal(err)
		}
	}
	if e.New, err = json.Marshal(stamped(v, at)); err != nil {
		tr.t.Fatal(err)
	}
	e.Hash = e.ComputeHash()
	return e
}

// try steps an entry; on success it joins the trail.
func (tr *trail) try(action, target string, old, v any) error {
	e := tr.entry(action, target, old, v)
	var prev model.ChainHead
	if n := len(tr.entries); n > 0 {
		prev = tr.entries[n-1].Link()
	}
	next := tr.a
	next.Answers = cloneAnswers(tr.a.Answers)
	if err := model.Step(&next, prev, e, tr.cat); err != nil {
		return err
	}
	tr.a = next
	tr.entries = append(tr.entries, e)
	return nil
}

func (tr *trail) must(action, target string, old, v any) {
	tr.t.Helper()
	if err := tr.try(action, target, old, v); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *trail) refused(what, action, target string, old, v any, want string) {
	tr.t.Helper()
	err := tr.try(action, target, old, v)
	if err == nil || !strings.Contains(err.Error(), want) {
		tr.t.Errorf("%s: %v, want an error saying %q", what, err, want)
	}
}

func cloneAnswers(m map[string]model.Answer) map[string]model.Answer {
	if m == nil {
		return nil
	}
	out := make(map[string]model.Answer, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func freeText(title, doc string) model.EvidenceRef {
	return model.EvidenceRef{Title: title, DocumentID: doc, Version: "2.1", Date: "2026-09-01", Location: "DMS/QA", Supplier: model.SupplierCustomer}
}

// Free-text references become register entries: identical ones merged,
// numbered in control order, every answer keeping its evidence as links.
// WithRegister shows exactly what the recorded filing then records.
func TestFreeTextIsFiledOnce(t *testing.T) {
	cat := defaultCatalog(t)
	spec, oq := freeText("Configuration specification", "CS-12"), freeText("OQ report", "OQ-042")
	tr := newTrail(t, cat, model.Assessment{Name: "LIMS", Services: model.Select("ec2", "rds", "s3")})
	tr.must(model.ActAnswer, "answer/SEC-01", nil, model.Answer{Control: "SEC-01", Status: model.StatusImplemented, Evidence: []model.EvidenceRef{spec}})
	tr.must(model.ActAnswer, "answer/ENC-01", nil, model.Answer{Control: "ENC-01", Status: model.StatusImplemented, Evidence: []model.EvidenceRef{oq, spec}})
	tr.must(model.ActAnswer, "answer/AC-01", nil, model.Answer{Control: "AC-01", Status: model.StatusPartial, Evidence: []model.EvidenceRef{spec, spec}})

	before := tr.a
	view := model.WithRegister(before)
	if !before.HasFreeText() || len(before.Register) != 0 {
		t.Fatal("WithRegister changed the assessment it was given")
	}
	// AC-01 < ENC-01 < SEC-01: the specification is E1, the OQ report E2.
	want := []model.EvidenceEntry{
		{ID: "E1", Title: spec.Title, DocumentID: "CS-12", Version: "2.1", Date: "2026-09-01", Location: "DMS/QA", Owner: model.SupplierCustomer},
		{ID: "E2", Title: oq.Title, DocumentID: "OQ-042", Version: "2.1", Date: "2026-09-01", Location: "DMS/QA", Owner: model.SupplierCustomer},
	}
	if !slices.Equal(view.Register, want) || view.RegisterIssued != 2 {
		t.Fatalf("register %+v (issued %d)", view.Register, view.RegisterIssued)
	}
	for c, links := range map[string][]string{"AC-01": {"E1"}, "ENC-01": {"E2", "E1"}, "SEC-01": {"E1"}} {
		ans := view.Answers[c]
		var got []string
		for _, l := range ans.Links {
			got = append(got, l.Entry)
		}
		if !slices.Equal(got, links) || len(ans.Evidence) != 0 || ans.Status == model.StatusUnanswered {
			t.Errorf("%s: links %v, free text %d, status %s", c, got, len(ans.Evidence), ans.Status)
		}
	}

	// Other register changes wait for the filing; the filing must be
	// exactly what the free text gives.
	tr.refused("an entry before the filing", model.ActEntry, "evidence/E1", nil, model.EvidenceEntry{ID: "E1", Title: "x", Owner: model.SupplierCustomer}, "filed in the register first")
	wrong := model.Filing{Entries: view.Register[:1], Links: map[string][]model.EvidenceLink{"AC-01": {{Entry: "E1"}}}}
	refs := map[string][]model.EvidenceRef{}
	for c, ans := range before.Answers {
		refs[c] = ans.Evidence
	}
	tr.refused("a partial filing", model.ActFile, "evidence", refs, wrong, "not what the free-text references give")
	links := map[string][]model.EvidenceLink{}
	for c, ans := range view.Answers {
		links[c] = ans.Links
	}
	tr.must(model.ActFile, "evidence", refs, model.Filing{Entries: view.Register, Links: links})
	if !model.SameAssessment(withTime(tr.a, view.UpdatedAt), view) {
		t.Errorf("the filing recorded something else than WithRegister showed:\n%+v\n%+v", tr.a, view)
	}
	if _, err := model.ReplayChecked(tr.entries, cat); err != nil {
		t.Fatalf("the trail does not replay: %v", err)
	}
	// Free text is no longer accepted beside the register.
	tr.refused("free text after the filing", model.ActAnswer, "answer/SEC-02", nil,
		model.Answer{Control: "SEC-02", Status: model.StatusImplemented, Evidence: []model.EvidenceRef{oq}}, "beside the evidence register")
}

func withTime(a model.Assessment, t time.Time) model.Assessment {
	a.UpdatedAt = t
	return a
}

// The register's own changes: ids issued in order and never reused; an
// edit changes the entry every control cites; a linked entry is not
// removed; links name entries that exist; an answer does not change its
// links.
func TestRegisterChanges(t *testing.T) {
	cat := defaultCatalog(t)
	tr := newTrail(t, cat, model.Assessment{Name: "LIMS", Services: model.Select("ec2", "rds", "s3")})
	spec := model.EvidenceEntry{ID: "E1", Title: "Configuration specification", DocumentID: "CS-12", Version: "2.0", Owner: model.SupplierCustomer, Kind: model.DocSpecification}
	tr.refused("an id out of turn", model.ActEntry, "evidence/E2", nil, withID(spec, "E2"), "the next id")
	tr.refused("no title", model.ActEntry, "evidence/E1", nil, model.EvidenceEntry{ID: "E1", Owner: model.SupplierCustomer}, "needs a title")
	tr.refused("an unknown owner", model.ActEntry, "evidence/E1", nil, model.EvidenceEntry{ID: "E1", Title: "x", Owner: "vendor"}, "unknown owner")
	tr.refused("a period backwards", model.ActEntry, "evidence/E1", nil,
		model.EvidenceEntry{ID: "E1", Title: "x", Owner: model.SupplierAWS, PeriodStart: "2026-04-01", PeriodEnd: "2025-09-30"}, "ends")
	tr.must(model.ActEntry, "evidence/E1", nil, spec)
	sop := model.EvidenceEntry{ID: "E2", Title: "Access SOP", Owner: model.SupplierCustomer, Kind: model.DocProcedure}
	tr.must(model.ActEntry, "evidence/E2", nil, sop)

	five := []string{"SEC-01", "ENC-01", "ENC-02", "AC-01", "AC-02"}
	for _, c := range five {
		tr.must(model.ActLinks, "links/"+c, nil, []model.EvidenceLink{{Entry: "E1", Note: "§4." + c}})
	}
	tr.refused("a link to nothing", model.ActLinks, "links/AC-03", nil, []model.EvidenceLink{{Entry: "E9"}}, "no evidence entry")
	tr.refused("a link twice", model.ActLinks, "links/AC-03", nil, []model.EvidenceLink{{Entry: "E2"}, {Entry: "E2"}}, "linked twice")
	tr.refused("a link to an unknown control", model.ActLinks, "links/XX-99", nil, []model.EvidenceLink{{Entry: "E2"}}, "unknown control")
	tr.refused("a supplier record not on file", model.ActLinks, "links/AC-03", nil, []model.EvidenceLink{{Entry: "aws:soc2"}}, "no evidence entry")
	tr.must(model.ActSupplier, "supplier/soc2", nil, model.SupplierRecord{Source: "soc2", Obtained: "2026-10-01", Status: model.SupplierPending})
	tr.must(model.ActLinks, "links/AC-03", nil, []model.EvidenceLink{{Entry: "aws:soc2", Note: "CC6.1"}})
	tr.refused("a linked supplier record removed", model.ActSupplier, "supplier/soc2",
		model.SupplierRecord{Source: "soc2", Obtained: "2026-10-01", Status: model.SupplierPending}, nil, "AC-03 links to it")

	// An answer keeps the links it has.
	tr.must(model.ActAnswer, "answer/SEC-01", tr.a.Answers["SEC-01"], model.Answer{Control: "SEC-01", Status: model.StatusImplemented, Links: tr.a.Answers["SEC-01"].Links})
	tr.refused("an answer dropping its links", model.ActAnswer, "answer/SEC-01", tr.a.Answers["SEC-01"],
		model.Answer{Control: "SEC-01", Status: model.StatusPartial}, "only evidence-links does")

	// An edit reaches every control that cites the entry.
	v21 := spec
	v21.Version = "2.1"
	tr.must(model.ActEntry, "evidence/E1", spec, v21)
	r := cat.Review(&tr.a, tr.t0)
	for _, c := range five {
		var found bool
		for _, ci := range r.Chains[c] {
			if it, ok := r.ItemOf(ci); ok && ci.ID == "E1" {
				found = it.Version == "2.1" && ci.Note == "§4."+c
			}
		}
		if !found {
			t.Errorf("%s does not cite E1 at version 2.1: %+v", c, r.Chains[c])
		}
	}
	e1 := r.Register[0]
	var supported []string
	for _, s := range e1.Supports {
		supported = append(supported, s.Control)
	}
	if !slices.Equal(slices.Sorted(slices.Values(supported)), slices.Sorted(slices.Values(five))) {
		t.Errorf("E1 supports %v, want %v", supported, five)
	}

	tr.refused("removing a linked entry", model.ActEntry, "evidence/E1", v21, nil, "ENC-01, ENC-02, SEC-01 link to it")
	tr.must(model.ActEntry, "evidence/E2", sop, nil)
	tr.refused("an id reused", model.ActEntry, "evidence/E2", nil, sop, "the next id")
	tr.must(model.ActEntry, "evidence/E3", nil, withID(sop, "E3"))
	for _, c := range five {
		tr.must(model.ActLinks, "links/"+c, tr.a.Answers[c].Links, []model.EvidenceLink{})
	}
	if _, ok := tr.a.Answers["AC-01"]; ok {
		t.Error("an answer with nothing left in it is kept")
	}
	tr.must(model.ActEntry, "evidence/E1", v21, nil)
	if _, err := model.ReplayChecked(tr.entries, cat); err != nil {
		t.Fatalf("the trail does not replay: %v", err)
	}
	b := model.NewBundle(tr.a, tr.entries)
	if _, err := b.Check(cat); err != nil {
		t.Fatalf("the bundle does not check: %v", err)
	}
}

func withID(e model.EvidenceEntry, id string) model.EvidenceEntry {
	e.ID = id
	return e
}

// Which AWS reports matter follows the scope: PCI DSS only with payment
// card data, FedRAMP only for a US federal system, C5 only where BSI C5 is
// expected; SOC 1 and 2, ISO 9001 and 27001 and the QMS overview always.
// The others are optional, never gaps; a choice with a reason adds or
// dismisses any.
func TestReportsThatMatterFollowTheScope(t *testing.T) {
	cat := defaultCatalog(t)
	a := &model.Assessment{Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("ec2", "rds", "s3"),
		Answers: map[string]model.Answer{"SUP-02": {Control: "SUP-02", Status: model.StatusImplemented}}}
	missing := func(a *model.Assessment) map[string]bool {
		out := map[string]bool{}
		for _, g := range cat.Review(a, dateOf("2026-11-20")).Gaps {
			if g.Kind == model.GapMissingAWS {
				out[g.Source] = true
			}
		}
		return out
	}
	got := missing(a)
	for _, src := range []string{"soc1", "soc2", "iso9001", "iso27001", "aws-qms"} {
		if !got[src] {
			t.Errorf("%s is always needed, but its absence is no gap", src)
		}
	}
	for _, src := range []string{"pci-dss", "fedramp", "c5", "hitrust", "csa-star", "soc3", "iso27017"} {
		if got[src] {
			t.Errorf("%s is a gap for a Swiss LIMS without card data or a federal user", src)
		}
	}
	needs := cat.ReportNeeds(a)
	if i := slices.IndexFunc(needs, func(n model.ReportNeed) bool { return n.Source == "pci-dss" }); needs[i].Relevant || !strings.Contains(needs[i].Rule, "payment card data") {
		t.Errorf("pci-dss: %+v", needs[i])
	}

	a.Scope.DataCategories = []model.DataCategory{model.DataPaymentCard}
	a.Scope.Programmes = []string{"us-federal", "bsi-c5"}
	got = missing(a)
	for _, src := range []string{"pci-dss", "c5"} { // SUP-02 relies on both
		if !got[src] {
			t.Errorf("%s is not a gap although the scope asks for it", src)
		}
	}
	for _, n := range cat.ReportNeeds(a) {
		if slices.Contains([]string{"pci-dss", "fedramp", "c5"}, n.Source) && !n.Relevant {
			t.Errorf("%s is not needed although the scope asks for it: %+v", n.Source, n)
		}
	}
	// The user dismisses one and adds another, each with a reason.
	a.Reports = []model.ReportChoice{{Source: "pci-dss", Reason: "cards are tokenised by the PSP"}, {Source: "csa-star", Relevant: true, Reason: "the QA lead maps controls with the CAIQ"}}
	got = missing(a)
	if got["pci-dss"] || !got["csa-star"] {
		t.Errorf("choices not followed: %v", got)
	}
	if err := model.ValidateReportChoice(model.ReportChoice{Source: "c5"}); err == nil {
		t.Error("a dismissal without a reason is taken")
	}
}

// A report recorded as stale flags every control relying on it: each
// applicable control whose AWS part expects it, and each that links it,
// gets a gap naming it; a control answered not applicable relies on
// nothing.
func TestStaleReportFlagsEveryControlRelyingOnIt(t *testing.T) {
	cat := defaultCatalog(t)
	a := &model.Assessment{Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select("ec2", "rds", "s3"),
		Supplier: []model.SupplierRecord{
			{Source: "soc2", Obtained: "2025-11-20", PeriodStart: "2025-04-01", PeriodEnd: "2025-09-30", Status: model.SupplierAccepted, Reviewer: "QA", ReviewedOn: "2025-11-21"},
			{Source: "soc1", Obtained: "2026-11-01", PeriodStart: "2025-10-01", PeriodEnd: "2026-09-30", Status: model.SupplierAccepted, Reviewer: "QA", ReviewedOn: "2026-11-02"},
		},
		Register:       []model.EvidenceEntry{{ID: "E1", Title: "Access SOP", Owner: model.SupplierCustomer, ValidUntil: "2026-06-30"}},
		RegisterIssued: 1,
		Answers:        map[string]model.Answer{},
	}
	now := dateOf("2026-11-20")
	r0 := cat.Review(a, now)
	var relying []string
	for _, c := range r0.Applicable {
		if slices.Contains(r0.Resolutions[c.ID].AWSEvidence, "soc2") {
			relying = append(relying, c.ID)
		}
	}
	if len(relying) < 5 {
		t.Fatalf("only %d controls expect SOC 2: %v", len(relying), relying)
	}
	na := relying[0]
	a.Answers[na] = model.Answer{Control: na, Status: model.StatusNotApplicable, Justification: "out of scope"}
	linker := "GOV-01"
	a.Answers[linker] = model.Answer{Control: linker, Status: model.StatusImplemented, Links: []model.EvidenceLink{{Entry: "E1"}}}
	r := cat.Review(a, now)
	flagged := map[string]string{}
	for _, g := range r.Gaps {
		if g.Kind == model.GapStaleEvidence {
			flagged[g.Control] = g.Detail
		}
	}
	for _, c := range relying[1:] {
		if d := flagged[c]; !strings.Contains(d, "aws:soc2") || !strings.Contains(d, "superseded") {
			t.Errorf("%s relies on the stale SOC 2 report and is not flagged (%q)", c, d)
		}
	}
	if _, ok := flagged[na]; ok {
		t.Errorf("%s is not applicable and still flagged", na)
	}
	if d := flagged[linker]; !strings.Contains(d, "E1 Access SOP") {
		t.Errorf("%s links an entry past its review date and is not flagged (%q)", linker, d)
	}
	for c, d := range flagged {
		if strings.Contains(d, "aws:soc1") {
			t.Errorf("%s is flagged for the current SOC 1 report: %s", c, d)
		}
	}
	// The register says the same from the report's side.
	it := r.Register[slices.IndexFunc(r.Register, func(it model.EvidenceItem) bool { return it.ID == "aws:soc2" })]
	if !it.Stale || len(it.Supports) != len(relying)-1 || it.Review != model.SupplierAccepted {
		t.Errorf("aws:soc2 in the register: stale %v, supports %d controls (want %d), review %s", it.Stale, len(it.Supports), len(relying)-1, it.Review)
	}
}

// The catalog's relevance rules are validated: only AWS sources have one,
// exactly one of always, optional or conditions, and known ids.
func TestRelevanceRulesAreValidated(t *testing.T) {
	cat := defaultCatalog(t)
	for _, src := range cat.AWSSources() {
		if src.Relevance == nil {
			t.Errorf("%s states no relevance rule", src.ID)
		}
	}
	for _, tc := range []struct {
		name string
		edit func(c *model.Catalog)
		want string
	}{
		{"both", func(c *model.Catalog) { c.Evidence[0].Relevance = &model.Relevance{Always: true, Optional: true} }, "exactly one"},
		{"none", func(c *model.Catalog) { c.Evidence[0].Relevance = &model.Relevance{} }, "exactly one"},
		{"programme", func(c *model.Catalog) {
			c.Evidence[0].Relevance = &model.Relevance{ProgrammesAny: []string{"us-fed"}}
		}, `unknown programme "us-fed"`},
		{"service", func(c *model.Catalog) { c.Evidence[0].Relevance = &model.Relevance{ServicesAny: []string{"kmss"}} }, `unknown service "kmss"`},
		{"data", func(c *model.Catalog) {
			c.Evidence[0].Relevance = &model.Relevance{DataAny: []model.DataCategory{"cards"}}
		}, `unknown data category "cards"`},
		{"customer", func(c *model.Catalog) {
			i := slices.IndexFunc(c.Evidence, func(e model.EvidenceSource) bool { return e.Supplier == model.SupplierCustomer })
			c.Evidence[i].Relevance = &model.Relevance{Always: true}
		}, "only AWS evidence"},
	} {
		c := *cat
		c.Evidence = slices.Clone(cat.Evidence)
		tc.edit(&c)
		var msgs []string
		for _, p := range c.Validate() {
			msgs = append(msgs, p.Msg)
		}
		if !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
			t.Errorf("%s: problems %q, want one saying %q", tc.name, msgs, tc.want)
		}
	}
}
