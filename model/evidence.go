package model

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The evidence register. Each assessment keeps its evidence once, as
// entries with an identity (id, title, document number, version, date),
// a location, an owner and a kind; answers link to the entries they rest
// on, each link with an optional note (the section that applies). Editing
// an entry edits it for every control that cites it. The reports recorded
// on the Supplier step are AWS's entries in the register (ids "aws:SOURCE",
// see Review.Register): a control whose AWS part they evidence shows them
// without a link.
//
// Answers written before the register carry their evidence as free text
// (Answer.Evidence). Their trails keep it: nothing an earlier onus wrote is
// rewritten. WithRegister shows such an assessment with its free text filed
// as register entries, identical references merged; the first change to
// its evidence or answers records that filing (ActFile) before the change
// itself, with the very ids WithRegister showed.

// Audit actions of the register (see the others in bundle.go).
const (
	ActEntry  = "evidence-entry"    // target "evidence/ID"; New: EvidenceEntry, or null when removed
	ActLinks  = "evidence-links"    // target "links/CONTROL"; New: the control's []EvidenceLink
	ActFile   = "evidence-register" // target "evidence"; Old: each answer's free-text references; New: Filing
	ActReport = "report-relevance"  // target "report/SOURCE"; New: ReportChoice, or null for the catalog's rule
)

// Limits of the register.
const (
	MaxRegisterEntries = 10_000
	MaxReportChoices   = MaxSupplier
)

// DocKind is the kind of a register entry.
type DocKind string

const (
	DocProcedure     DocKind = "procedure"     // an SOP or work instruction
	DocSpecification DocKind = "specification" // requirements, design or configuration
	DocTestRecord    DocKind = "test-record"   // a protocol and its executed record (IQ, OQ, PQ)
	DocReport        DocKind = "report"        // an audit, assessment or summary report, with the period it covers
	DocCertificate   DocKind = "certificate"
	DocAgreement     DocKind = "agreement" // a contract, quality agreement or addendum
	DocRecord        DocKind = "record"    // a log, a review record, a ticket
	DocOther         DocKind = "other"
)

// DocKinds lists the kinds in the order offered.
var DocKinds = []DocKind{DocProcedure, DocSpecification, DocTestRecord, DocReport, DocCertificate, DocAgreement, DocRecord, DocOther}

// Valid reports whether k is a known kind.
func (k DocKind) Valid() bool { return slices.Contains(DocKinds, k) }

// EvidenceEntry is one document or report in an assessment's register.
type EvidenceEntry struct {
	ID         string   `json:"id"` // E1, E2, ...: never reused (Assessment.RegisterIssued)
	Title      string   `json:"title"`
	DocumentID string   `json:"document_id,omitempty"`
	Version    string   `json:"version,omitempty"`
	Date       string   `json:"date,omitempty"`     // YYYY-MM-DD
	Location   string   `json:"location,omitempty"` // a DMS path, a URL, "AWS Artifact"
	Owner      Supplier `json:"owner"`
	Kind       DocKind  `json:"kind,omitempty"`
	// PeriodStart and PeriodEnd are the period a report covers, as printed.
	PeriodStart string `json:"period_start,omitempty"`
	PeriodEnd   string `json:"period_end,omitempty"`
	// ValidUntil is when the document is due for review or replacement
	// (its periodic review, a certificate's expiry); after it the entry
	// is stale, and so is every control relying on it.
	ValidUntil string `json:"valid_until,omitempty"`
}

// EvidenceLink ties an answer to a register entry, or to a supplier
// record ("aws:SOURCE").
type EvidenceLink struct {
	Entry string `json:"entry"`
	Note  string `json:"note,omitempty"` // the section that applies
}

// ReportChoice overrides, for one assessment, whether an AWS report is
// relevant: added although the catalog's rule makes it optional, or
// dismissed although the rule asks for it. The reason is required.
type ReportChoice struct {
	Source   string `json:"source"`
	Relevant bool   `json:"relevant"`
	Reason   string `json:"reason"`
}

// Filing is the value of an ActFile entry: the register entries the
// free-text references became, and each answer's links to them.
type Filing struct {
	Entries []EvidenceEntry           `json:"entries"`
	Links   map[string][]EvidenceLink `json:"links"`
}

// VersionLabel writes a version number as "v2.1", other versions (a
// year and half, "2025 H1") as given.
func VersionLabel(v string) string {
	if v != "" && v[0] >= '0' && v[0] <= '9' && !strings.ContainsAny(v, " \t\n") {
		return "v" + v
	}
	return v
}

// SupplierPrefix starts the register id of a supplier record: aws:soc2.
const SupplierPrefix = "aws:"

// SupplierEntryID is the register id of the supplier record of a source.
func SupplierEntryID(source string) string { return SupplierPrefix + source }

// EntryID is the id of the n-th entry added to a register.
func EntryID(n int) string { return "E" + strconv.Itoa(n) }

// EntryNumber reads an entry id (E12 → 12); 0 when it is not one.
func EntryNumber(id string) int {
	s, ok := strings.CutPrefix(id, "E")
	if !ok || s == "" || s[0] == '0' || len(s) > 9 {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// Entry finds a register entry by id.
func (a *Assessment) Entry(id string) (EvidenceEntry, bool) {
	if i := slices.IndexFunc(a.Register, func(e EvidenceEntry) bool { return e.ID == id }); i >= 0 {
		return a.Register[i], true
	}
	return EvidenceEntry{}, false
}

// HasEntry reports whether a link may point at id: a register entry, or
// the supplier record of a source.
func (a *Assessment) HasEntry(id string) bool {
	if src, ok := strings.CutPrefix(id, SupplierPrefix); ok {
		return slices.ContainsFunc(a.Supplier, func(r SupplierRecord) bool { return r.Source == src })
	}
	_, ok := a.Entry(id)
	return ok
}

// LinkedFrom lists the controls whose answers link to an entry, sorted.
func (a *Assessment) LinkedFrom(id string) []string {
	var out []string
	for c, ans := range a.Answers {
		if slices.ContainsFunc(ans.Links, func(l EvidenceLink) bool { return l.Entry == id }) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// LinkedPhrase says which controls link to an entry: "AC-01 links to
// it", "AC-01, AC-02 link to it".
func LinkedPhrase(controls []string) string {
	if len(controls) == 1 {
		return controls[0] + " links to it"
	}
	return strings.Join(controls, ", ") + " link to it"
}

// FindEntry finds the register entry a free-text reference names: the
// same title, document id, version, date, location and owner.
func (a *Assessment) FindEntry(ref EvidenceRef) (EvidenceEntry, bool) {
	want := entryOf(ref, "")
	for _, e := range a.Register {
		if e.ID != "" && sameRef(e, want) {
			return e, true
		}
	}
	return EvidenceEntry{}, false
}

func sameRef(x, y EvidenceEntry) bool {
	return x.Title == y.Title && x.DocumentID == y.DocumentID && x.Version == y.Version && x.Date == y.Date &&
		x.Location == y.Location && x.Owner == y.Owner
}

func entryOf(ref EvidenceRef, id string) EvidenceEntry {
	return EvidenceEntry{ID: id, Title: ref.Title, DocumentID: ref.DocumentID, Version: ref.Version, Date: ref.Date,
		Location: ref.Location, Owner: ref.Supplier}
}

// HasFreeText reports whether any answer still carries free-text evidence
// references, not yet filed in the register.
func (a *Assessment) HasFreeText() bool {
	for _, ans := range a.Answers {
		if len(ans.Evidence) > 0 {
			return true
		}
	}
	return false
}

// freeText is every answer's free-text references, by control.
func (a *Assessment) freeText() map[string][]EvidenceRef {
	out := map[string][]EvidenceRef{}
	for c, ans := range a.Answers {
		if len(ans.Evidence) > 0 {
			out[c] = ans.Evidence
		}
	}
	return out
}

// file files the free-text references as register entries: controls in
// id order, references in the order given, identical references (every
// field the same) one entry, numbered on from the entries already issued.
// Each answer links to its references' entries, its links before them
// kept.
func (a *Assessment) file() Filing {
	// Sized once: at ten times the default catalog, maps and lists grown
	// answer by answer were most of an export's filing.
	refs, answers := 0, 0
	for _, ans := range a.Answers {
		if len(ans.Evidence) > 0 {
			refs, answers = refs+len(ans.Evidence), answers+1
		}
	}
	f := Filing{Links: make(map[string][]EvidenceLink, answers), Entries: make([]EvidenceEntry, 0, refs)}
	issued := a.RegisterIssued
	known := make(map[EvidenceRef]string, len(a.Register)+refs) // a reference → its entry's id
	for _, e := range a.Register {
		ref := EvidenceRef{Title: e.Title, DocumentID: e.DocumentID, Version: e.Version, Date: e.Date, Location: e.Location, Supplier: e.Owner}
		if _, ok := known[ref]; !ok {
			known[ref] = e.ID
		}
	}
	for _, c := range slices.Sorted(maps.Keys(a.Answers)) {
		ans := a.Answers[c]
		if len(ans.Evidence) == 0 {
			continue
		}
		links := slices.Clone(ans.Links)
		for _, ref := range ans.Evidence {
			id, ok := known[ref]
			if !ok {
				issued++
				id = EntryID(issued)
				known[ref] = id
				f.Entries = append(f.Entries, entryOf(ref, id))
			}
			if !slices.ContainsFunc(links, func(l EvidenceLink) bool { return l.Entry == id }) {
				links = append(links, EvidenceLink{Entry: id})
			}
		}
		f.Links[c] = links
	}
	return f
}

// applyFiling puts a filing into the assessment: the entries join the
// register and the answers trade their free text for the links.
func (a *Assessment) applyFiling(f Filing) {
	a.Register = append(slices.Clone(a.Register), f.Entries...)
	a.RegisterIssued += len(f.Entries)
	answers := maps.Clone(a.Answers)
	for c, links := range f.Links {
		ans := answers[c]
		ans.Evidence, ans.Links = nil, links
		answers[c] = ans
	}
	a.Answers = answers
}

// WithRegister is the assessment as the register shows it: its free-text
// references filed as register entries, as the first change to its
// evidence will record them. Without free text it is a itself.
func WithRegister(a Assessment) Assessment {
	if !a.HasFreeText() {
		return a
	}
	a.applyFiling(a.file())
	return a
}

// ValidateEntry checks a register entry's fields (not its id).
func ValidateEntry(e EvidenceEntry) error {
	if strings.TrimSpace(e.Title) == "" {
		return errors.New("an evidence entry needs a title")
	}
	if !e.Owner.Valid() {
		return fmt.Errorf("evidence %q: unknown owner %q (use customer, aws or third-party)", e.Title, e.Owner)
	}
	if e.Kind != "" && !e.Kind.Valid() {
		return fmt.Errorf("evidence %q: unknown kind %q (use %s)", e.Title, e.Kind, kindList())
	}
	for _, d := range []struct{ name, v string }{{"date", e.Date}, {"period start", e.PeriodStart}, {"period end", e.PeriodEnd}, {"valid until", e.ValidUntil}} {
		if d.v != "" && !validDate(d.v) {
			return fmt.Errorf("evidence %q: %s %q is not YYYY-MM-DD", e.Title, d.name, d.v)
		}
	}
	if e.PeriodStart != "" && e.PeriodEnd != "" && e.PeriodEnd < e.PeriodStart {
		return fmt.Errorf("evidence %q: the period ends (%s) before it starts (%s)", e.Title, e.PeriodEnd, e.PeriodStart)
	}
	for _, f := range []struct{ name, v string }{{"title", e.Title}, {"document id", e.DocumentID}, {"version", e.Version}, {"location", e.Location}} {
		if err := CheckText("evidence "+f.name, f.v, MaxTextBytes); err != nil {
			return err
		}
	}
	return CheckText("evidence id", e.ID, MaxNameBytes)
}

func kindList() string {
	s := make([]string, len(DocKinds))
	for i, k := range DocKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// ValidateLinks checks one answer's links against the assessment: each
// names a register entry or a supplier record, once, within the limits.
func ValidateLinks(a *Assessment, links []EvidenceLink) error {
	if len(links) > MaxEvidence {
		return fmt.Errorf("%d evidence links; the limit is %d per answer", len(links), MaxEvidence)
	}
	for i, l := range links {
		if !a.HasEntry(l.Entry) {
			return fmt.Errorf("no evidence entry %q in the register", clip(l.Entry))
		}
		if slices.ContainsFunc(links[:i], func(x EvidenceLink) bool { return x.Entry == l.Entry }) {
			return fmt.Errorf("evidence %s is linked twice", l.Entry)
		}
		if err := CheckText("link note", l.Note, MaxTextBytes); err != nil {
			return err
		}
	}
	return nil
}

// ValidateReportChoice checks an addition or dismissal of an AWS report.
func ValidateReportChoice(r ReportChoice) error {
	if err := ValidateIDs("evidence source", []string{r.Source}, 1); err != nil {
		return err
	}
	if strings.TrimSpace(r.Reason) == "" {
		word := "dismissing"
		if r.Relevant {
			word = "adding"
		}
		return fmt.Errorf("%s %s needs a reason", word, r.Source)
	}
	return CheckText("reason", r.Reason, MaxTextBytes)
}

// checkRegister checks a whole register as an assessment is created with
// it (a baseline or a salvage carries one).
func checkRegister(a *Assessment, cat *Catalog) error {
	if len(a.Register) > MaxRegisterEntries {
		return fmt.Errorf("%d evidence entries; the limit is %d", len(a.Register), MaxRegisterEntries)
	}
	for i, e := range a.Register {
		if n := EntryNumber(e.ID); n == 0 || n > a.RegisterIssued {
			return fmt.Errorf("evidence id %q is not one the register issued (E1 to E%d)", clip(e.ID), a.RegisterIssued)
		}
		if slices.ContainsFunc(a.Register[:i], func(x EvidenceEntry) bool { return x.ID == e.ID }) {
			return fmt.Errorf("evidence %s is in the register twice", e.ID)
		}
		if err := ValidateEntry(e); err != nil {
			return err
		}
	}
	if a.RegisterIssued < 0 || a.RegisterIssued > MaxTrailEntries {
		return fmt.Errorf("the register says it issued %d ids", a.RegisterIssued)
	}
	for c, ans := range a.Answers {
		if len(ans.Evidence) > 0 && a.RegisterIssued > 0 {
			return fmt.Errorf("the answer to %s carries free-text evidence beside a register", c)
		}
		if err := ValidateLinks(a, ans.Links); err != nil {
			return fmt.Errorf("answer to %s: %w", c, err)
		}
	}
	return checkReports(a.Reports, cat)
}

func checkReports(rs []ReportChoice, cat *Catalog) error {
	if len(rs) > MaxReportChoices {
		return fmt.Errorf("%d report choices; the limit is %d", len(rs), MaxReportChoices)
	}
	for i, r := range rs {
		if err := checkReport(r, cat); err != nil {
			return err
		}
		if slices.ContainsFunc(rs[:i], func(x ReportChoice) bool { return x.Source == r.Source }) {
			return fmt.Errorf("two report choices for %q", r.Source)
		}
	}
	return nil
}

func checkReport(r ReportChoice, cat *Catalog) error {
	if err := ValidateReportChoice(r); err != nil {
		return err
	}
	if cat == nil {
		return nil
	}
	src, ok := cat.EvidenceSource(r.Source)
	switch {
	case !ok:
		return fmt.Errorf("unknown evidence source %q in catalog %s", r.Source, cat.Version)
	case src.Supplier != SupplierAWS:
		return fmt.Errorf("%s is not AWS evidence", r.Source)
	}
	return nil
}

// stepRegister checks and applies an entry of one of the register's
// actions (see Step). oldIs is Step's check of the entry's old value.
func stepRegister(a *Assessment, e AuditEntry, cat *Catalog, check bool, oldIs func(held any, same func() bool, into any) error) error {
	if check && e.Action != ActReport && a.HasFreeText() && e.Action != ActFile {
		return errors.New("the answers' free-text evidence must be filed in the register first (evidence-register)")
	}
	switch e.Action {
	case ActFile:
		var f Filing
		if err := decodeStrict(e.New, &f); err != nil {
			return err
		}
		if check {
			if !a.HasFreeText() {
				return errors.New("there is no free-text evidence to file")
			}
			held := a.freeText()
			var old map[string][]EvidenceRef
			if err := oldIs(held, func() bool { return sameFreeText(old, held) }, &old); err != nil {
				return err
			}
			if want := a.file(); !sameFiling(f, want) {
				return errors.New("the filing is not what the free-text references give (identical ones merged, numbered in control order)")
			}
			if len(a.Register)+len(f.Entries) > MaxRegisterEntries {
				return fmt.Errorf("%d evidence entries; the limit is %d", len(a.Register)+len(f.Entries), MaxRegisterEntries)
			}
		}
		a.applyFiling(f)
	case ActEntry:
		id, ok := strings.CutPrefix(e.Target, "evidence/")
		if !ok {
			return errors.New("the target is not evidence/ID")
		}
		var ent *EvidenceEntry
		if err := decodeStrict(e.New, &ent); err != nil {
			return err
		}
		i := slices.IndexFunc(a.Register, func(x EvidenceEntry) bool { return x.ID == id })
		if check {
			var held any
			if i >= 0 {
				held = a.Register[i]
			}
			var old EvidenceEntry
			if err := oldIs(held, func() bool { return old == a.Register[i] }, &old); err != nil {
				return err
			}
			switch {
			case ent == nil && i < 0:
				return errors.New("removes an entry that is not in the register")
			case ent == nil:
				if from := a.LinkedFrom(id); len(from) > 0 {
					return fmt.Errorf("removes %s while %s", id, LinkedPhrase(from))
				}
			case ent.ID != id:
				return fmt.Errorf("the entry is %q", clip(ent.ID))
			case i < 0 && id != EntryID(a.RegisterIssued+1):
				return fmt.Errorf("a new entry is %s, the next id the register issues", EntryID(a.RegisterIssued+1))
			case i < 0 && len(a.Register) >= MaxRegisterEntries:
				return fmt.Errorf("%d evidence entries; the limit is %d", len(a.Register)+1, MaxRegisterEntries)
			}
			if ent != nil {
				if err := ValidateEntry(*ent); err != nil {
					return err
				}
			}
		}
		reg := slices.Clone(a.Register)
		switch {
		case ent == nil && i >= 0:
			reg = slices.Delete(reg, i, i+1)
		case ent != nil && i >= 0:
			reg[i] = *ent
		case ent != nil:
			reg = append(reg, *ent)
			a.RegisterIssued++
		}
		a.Register = reg
	case ActLinks:
		control, ok := strings.CutPrefix(e.Target, "links/")
		if !ok {
			return errors.New("the target is not links/CONTROL")
		}
		var links []EvidenceLink
		if err := decodeStrict(e.New, &links); err != nil {
			return err
		}
		held, had := a.Answers[control]
		if check {
			if cat != nil {
				if _, ok := cat.Control(control); !ok {
					return fmt.Errorf("unknown control %q in catalog %s", clip(control), cat.Version)
				}
			}
			if err := CheckText("control id", control, MaxNameBytes); err != nil {
				return err
			}
			if err := ValidateLinks(a, links); err != nil {
				return err
			}
			var heldLinks any
			if len(held.Links) > 0 {
				heldLinks = held.Links
			}
			var old []EvidenceLink
			if err := oldIs(heldLinks, func() bool { return slices.Equal(old, held.Links) }, &old); err != nil {
				return err
			}
			if !had && len(a.Answers) >= MaxAnswers {
				return fmt.Errorf("%d answers; the limit is %d", len(a.Answers)+1, MaxAnswers)
			}
		}
		ans := held
		ans.Control, ans.Links = control, links
		if len(links) == 0 {
			ans.Links = nil
		}
		if a.Answers == nil {
			a.Answers = map[string]Answer{}
		}
		putAnswer(a, ans)
	case ActReport:
		source, ok := strings.CutPrefix(e.Target, "report/")
		if !ok {
			return errors.New("the target is not report/SOURCE")
		}
		var r *ReportChoice
		if err := decodeStrict(e.New, &r); err != nil {
			return err
		}
		i := slices.IndexFunc(a.Reports, func(x ReportChoice) bool { return x.Source == source })
		if check {
			var held any
			if i >= 0 {
				held = a.Reports[i]
			}
			var old ReportChoice
			if err := oldIs(held, func() bool { return old == a.Reports[i] }, &old); err != nil {
				return err
			}
			switch {
			case r == nil && i < 0:
				return errors.New("clears a choice that was not made")
			case r != nil && r.Source != source:
				return fmt.Errorf("the choice is for %q", clip(r.Source))
			case r != nil && i < 0 && len(a.Reports) >= MaxReportChoices:
				return fmt.Errorf("%d report choices; the limit is %d", len(a.Reports)+1, MaxReportChoices)
			case r != nil:
				if err := checkReport(*r, cat); err != nil {
					return err
				}
			}
		}
		rs := slices.Clone(a.Reports)
		switch {
		case r == nil && i >= 0:
			rs = slices.Delete(rs, i, i+1)
		case r != nil && i >= 0:
			rs[i] = *r
		case r != nil:
			rs = append(rs, *r)
		}
		a.Reports = rs
	}
	return nil
}

// putAnswer stores an answer, or drops it when nothing is left of it.
func putAnswer(a *Assessment, ans Answer) {
	if ans.Status == StatusUnanswered && len(ans.Evidence) == 0 && len(ans.Links) == 0 && ans.Notes == "" && ans.Justification == "" {
		delete(a.Answers, ans.Control)
	} else {
		a.Answers[ans.Control] = ans
	}
}

func sameFreeText(x, y map[string][]EvidenceRef) bool {
	return maps.EqualFunc(x, y, func(a, b []EvidenceRef) bool { return slices.Equal(a, b) })
}

func sameFiling(x, y Filing) bool {
	return slices.Equal(x.Entries, y.Entries) &&
		maps.EqualFunc(x.Links, y.Links, func(a, b []EvidenceLink) bool { return slices.Equal(a, b) })
}

// EntryStale reports whether a register entry is past its valid-until
// date at now, and why.
func EntryStale(e EvidenceEntry, now time.Time) (bool, string) {
	if e.ValidUntil == "" {
		return false, ""
	}
	d, err := time.Parse(time.DateOnly, e.ValidUntil)
	if err != nil {
		return true, "no valid date recorded"
	}
	if now.After(d.AddDate(0, 0, 1)) {
		return true, "due for review or replacement on " + e.ValidUntil
	}
	return false, ""
}
