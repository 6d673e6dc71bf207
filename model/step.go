package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// ImportNote is the value of the entry the store appends when it imports
// a bundle: the head it imported and how many entries led to it, so the
// entry names the very trail it follows.
type ImportNote struct {
	Head    string `json:"head"`
	Entries uint64 `json:"entries"`
}

// SalvageNote is the old value of the first entry of a salvaged
// assessment: which assessment failed its integrity check, what the check
// found, and the last entry of it that was still good, whose state the
// new assessment starts from. The broken assessment stays as it is.
type SalvageNote struct {
	From     string `json:"from"`
	Finding  string `json:"finding"`
	BrokenAt uint64 `json:"broken_at,omitempty"` // first bad entry, if the finding names one
	LastGood uint64 `json:"last_good"`
	GoodHash string `json:"good_hash"`
}

// Step checks that e is a change onus itself could have made to a, coming
// after prev (the zero ChainHead for the first entry), and applies it: the
// action is known; its value decodes exactly as the action's type and meets
// the same rules the store applies before it writes (ValidateAnswer and the
// others); its old value is what a held; times do not go back; sizes stay
// within the limits. With a catalog, every service, layer, framework,
// evidence source and control must be one of its ids. The store runs every
// change it writes through Step, and import and verify replay every entry
// through it, so a trail holds nothing onus would not have written.
func Step(a *Assessment, prev ChainHead, e AuditEntry, cat *Catalog) error {
	return step(a, prev, e, cat, true)
}

// Apply performs one audited change on an assessment without checking it:
// for trails already checked (Replay of a verified bundle).
func Apply(a *Assessment, e AuditEntry) error {
	return step(a, ChainHead{}, e, nil, false)
}

// Replay rebuilds an assessment from its trail, unchecked.
func Replay(trail []AuditEntry) (Assessment, error) {
	var a Assessment
	for i, e := range trail {
		if i == 0 && e.Action != ActCreate && e.Action != ActSalvage {
			return Assessment{}, &ChainError{Seq: e.Seq, Reason: "the trail does not start with the assessment's creation"}
		}
		if err := Apply(&a, e); err != nil {
			return Assessment{}, err
		}
	}
	return a, nil
}

// ReplayChecked rebuilds an assessment from its trail through Step.
func ReplayChecked(trail []AuditEntry, cat *Catalog) (Assessment, error) {
	var a Assessment
	var prev ChainHead
	for _, e := range trail {
		if err := Step(&a, prev, e, cat); err != nil {
			return Assessment{}, err
		}
		prev = e.Link()
	}
	return a, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and
// anything after the value.
func decodeStrict(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return errors.New("no value")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the value")
	}
	return nil
}

// clip shortens text from an entry for an error message.
func clip(s string) string {
	if t := Truncate(s, 80); t != s {
		return t + "…"
	}
	return s
}

// absent reports whether an entry has no old value.
func absent(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

func step(a *Assessment, prev ChainHead, e AuditEntry, cat *Catalog, check bool) error {
	bad := func(err error) error {
		return &ChainError{Seq: e.Seq, Reason: fmt.Sprintf("%s %s: %v", clip(e.Action), clip(e.Target), err), Err: err}
	}
	badf := func(format string, args ...any) error { return bad(fmt.Errorf(format, args...)) }
	if check {
		if err := checkEnvelope(a, prev, e); err != nil {
			return bad(err)
		}
		if e.Format == EntryFormat {
			if err := checkFinal(a, e); err != nil {
				return bad(err)
			}
		}
	}
	// oldIs checks the entry's old value against what a held (nil: nothing).
	oldIs := func(held any, same func() bool, into any) error {
		if !check {
			return nil
		}
		if held == nil {
			if !absent(e.Old) {
				return badf("records an old value where there was none")
			}
			return nil
		}
		if absent(e.Old) {
			return badf("records no old value, but the assessment held one")
		}
		if err := decodeStrict(e.Old, into); err != nil {
			return badf("old value: %v", err)
		}
		if !same() {
			return badf("its old value is not what the assessment held before it")
		}
		return nil
	}
	switch e.Action {
	case ActCreate, ActSalvage:
		var init Assessment
		if err := decodeStrict(e.New, &init); err != nil {
			return bad(err)
		}
		if check {
			if err := checkCreation(init, e, cat); err != nil {
				return bad(err)
			}
		}
		*a = init
	case ActInfo:
		var in Info
		if err := decodeStrict(e.New, &in); err != nil {
			return bad(err)
		}
		if check {
			if err := ValidateInfo(in); err != nil {
				return bad(err)
			}
			held := Info{Name: a.Name, Organisation: a.Organisation, System: a.System}
			var old Info
			if err := oldIs(held, func() bool { return old == held }, &old); err != nil {
				return err
			}
		}
		a.Name, a.Organisation, a.System = in.Name, in.Organisation, in.System
	case ActScope:
		var s Scope
		if err := decodeStrict(e.New, &s); err != nil {
			return bad(err)
		}
		if check {
			if err := ValidateScope(s); err != nil {
				return bad(err)
			}
			if err := checkFrameworks(cat, s.Frameworks); err != nil {
				return bad(err)
			}
			if err := checkProgrammes(cat, s.Programmes); err != nil {
				return bad(err)
			}
			var old Scope
			if err := oldIs(a.Scope, func() bool { return sameScope(old, a.Scope) }, &old); err != nil {
				return err
			}
		}
		a.Scope = s
	case ActServices:
		var s []SelectedService
		if err := decodeStrict(e.New, &s); err != nil {
			return bad(err)
		}
		if check {
			if err := checkServices(cat, s); err != nil {
				return bad(err)
			}
			var old []SelectedService
			if err := oldIs(a.Services, func() bool { return sameServices(old, a.Services) }, &old); err != nil {
				return err
			}
		}
		a.Services = s
	case ActSupplier:
		source, ok := strings.CutPrefix(e.Target, "supplier/")
		if !ok {
			return badf("the target is not supplier/SOURCE")
		}
		var rec *SupplierRecord
		if err := decodeStrict(e.New, &rec); err != nil {
			return bad(err)
		}
		i := slices.IndexFunc(a.Supplier, func(r SupplierRecord) bool { return r.Source == source })
		if check {
			var held any
			if i >= 0 {
				held = a.Supplier[i]
			}
			var old SupplierRecord
			if err := oldIs(held, func() bool { return old == a.Supplier[i] }, &old); err != nil {
				return err
			}
			switch {
			case rec == nil && i < 0:
				return badf("removes a supplier record that is not there")
			case rec == nil && len(a.LinkedFrom(SupplierEntryID(source))) > 0:
				return badf("removes the record of %s while %s", source, LinkedPhrase(a.LinkedFrom(SupplierEntryID(source))))
			case rec != nil && rec.Source != source:
				return badf("the record is for %q", rec.Source)
			case rec != nil:
				if err := checkSupplier(cat, *rec, e.Format); err != nil {
					return bad(err)
				}
				if err := checkDay(e, "obtained", rec.Obtained, rec.ReviewedOn); err != nil {
					return bad(err)
				}
				if i < 0 && len(a.Supplier) >= MaxSupplier {
					return badf("%d supplier records; the limit is %d", len(a.Supplier)+1, MaxSupplier)
				}
			}
		}
		a.Supplier = putAt(a.Supplier, i, rec)
	case ActRecord:
		class, ok := strings.CutPrefix(e.Target, "records/")
		if !ok {
			return badf("the target is not records/DATA CLASS")
		}
		var rec *RecordEntry
		if err := decodeStrict(e.New, &rec); err != nil {
			return bad(err)
		}
		i := slices.IndexFunc(a.Records, func(r RecordEntry) bool { return r.DataClass == class })
		if check {
			var held any
			if i >= 0 {
				held = a.Records[i]
			}
			var old RecordEntry
			if err := oldIs(held, func() bool { return old == a.Records[i] }, &old); err != nil {
				return err
			}
			switch {
			case rec == nil && i < 0:
				return badf("removes a record entry that is not there")
			case rec != nil && rec.DataClass != class:
				return badf("the entry is for %q", clip(rec.DataClass))
			case rec != nil:
				if err := rec.Validate(); err != nil {
					return bad(err)
				}
				if i < 0 && len(a.Records) >= MaxRecordEntries {
					return badf("%d record entries; the limit is %d", len(a.Records)+1, MaxRecordEntries)
				}
				if j := slices.IndexFunc(a.Records, func(r RecordEntry) bool { return recordKey(r.DataClass) == recordKey(class) }); j >= 0 && j != i {
					return badf("data class %q is listed already, as %q", clip(class), clip(a.Records[j].DataClass))
				}
			}
		}
		a.Records = putAt(a.Records, i, rec)
	case ActCatalog:
		var mv CatalogMove
		if err := decodeStrict(e.New, &mv); err != nil {
			return bad(err)
		}
		if check {
			if err := checkMove(a, mv, cat); err != nil {
				return bad(err)
			}
			var old CatalogRef
			if err := oldIs(a.Catalog, func() bool { return old == a.Catalog }, &old); err != nil {
				return err
			}
		}
		answers := maps.Clone(a.Answers)
		for _, id := range mv.Dropped {
			delete(answers, id)
		}
		a.Answers, a.Catalog = answers, mv.Catalog
	case ActAnswer:
		var ans Answer
		if err := decodeStrict(e.New, &ans); err != nil {
			return bad(err)
		}
		if check {
			if e.Target != "answer/"+ans.Control {
				return badf("the answer is to %q", ans.Control)
			}
			if err := checkAnswer(cat, ans); err != nil {
				return bad(err)
			}
			if ans.UpdatedBy != e.Actor {
				return badf("answered by %q in an entry by %q", ans.UpdatedBy, e.Actor)
			}
			if err := checkStamp(e, "the answer's time", ans.UpdatedAt); err != nil {
				return bad(err)
			}
			var held any
			if h, ok := a.Answers[ans.Control]; ok {
				held = h
			} else if len(a.Answers) >= MaxAnswers {
				return badf("%d answers; the limit is %d", len(a.Answers)+1, MaxAnswers)
			}
			var old Answer
			if err := oldIs(held, func() bool { return sameAnswer(old, a.Answers[ans.Control]) }, &old); err != nil {
				return err
			}
			if !slices.Equal(ans.Links, a.Answers[ans.Control].Links) {
				return badf("changes the answer's evidence links (only %s does)", ActLinks)
			}
			if len(ans.Evidence) > 0 && (a.RegisterIssued > 0 || len(ans.Links) > 0) {
				return badf("free-text evidence beside the evidence register")
			}
		}
		if a.Answers == nil {
			a.Answers = map[string]Answer{}
		}
		putAnswer(a, ans)
	case ActWorkflow:
		var w Workflow
		if err := decodeStrict(e.New, &w); err != nil {
			return bad(err)
		}
		if check {
			if !w.Valid() {
				return badf("unknown workflow status %q", w)
			}
			if w == WorkflowFinal && e.Format == EntryFormat {
				return badf("an assessment becomes final only through an electronic signature (onus sign %s --meaning TEXT)", a.ID)
			}
			var old Workflow
			if err := oldIs(a.Workflow, func() bool { return old == a.Workflow }, &old); err != nil {
				return err
			}
		}
		a.Workflow = w
	case ActSignOff:
		var s SignOff
		if err := decodeStrict(e.New, &s); err != nil {
			return bad(err)
		}
		if check {
			if err := ValidateSignOff(s); err != nil {
				return bad(err)
			}
			if s.By != e.Actor {
				return badf("signed by %q in an entry by %q", s.By, e.Actor)
			}
			if err := checkStamp(e, "the signature's time", s.At); err != nil {
				return bad(err)
			}
			if err := oldIs(nil, nil, nil); err != nil {
				return err
			}
		}
		a.SignOffs = append(a.SignOffs, s)
	case ActSign:
		var s SignOff
		if err := decodeStrict(e.New, &s); err != nil {
			return bad(err)
		}
		if check {
			if err := checkSign(a, e, s); err != nil {
				return bad(err)
			}
			if err := oldIs(nil, nil, nil); err != nil {
				return err
			}
		}
		applySign(a, s)
	case ActMilestone:
		var name string
		if err := decodeStrict(e.New, &name); err != nil {
			return bad(err)
		}
		if check {
			if err := checkMilestone(a, e, name); err != nil {
				return bad(err)
			}
			if err := oldIs(nil, nil, nil); err != nil {
				return err
			}
		}
		applyMilestone(a, e, name)
	case ActReopen:
		var w Workflow
		if err := decodeStrict(e.New, &w); err != nil {
			return bad(err)
		}
		if check {
			if err := checkReopen(a, e, w); err != nil {
				return bad(err)
			}
			var old Workflow
			if err := oldIs(a.Workflow, func() bool { return old == a.Workflow }, &old); err != nil {
				return err
			}
		}
		applyReopen(a, w)
	case ActDelete, ActRestore:
		deleted := e.Action == ActDelete
		if check {
			var v bool
			if err := decodeStrict(e.New, &v); err != nil || v != deleted {
				return badf("the new value is not %t", deleted)
			}
			if a.Deleted == deleted {
				return badf("the assessment is already in that state")
			}
			var old bool
			if err := oldIs(a.Deleted, func() bool { return old == a.Deleted }, &old); err != nil {
				return err
			}
		}
		a.Deleted = deleted
	case ActAction:
		if err := stepAction(a, e, cat, check); err != nil {
			return bad(err)
		}
	case ActEntry, ActLinks, ActFile, ActReport:
		if err := stepRegister(a, e, cat, check, oldIs); err != nil {
			if ce := (*ChainError)(nil); errors.As(err, &ce) {
				return err
			}
			return bad(err)
		}
	case ActImport:
		if check {
			var n ImportNote
			if err := decodeStrict(e.New, &n); err != nil {
				return bad(err)
			}
			if n.Head != e.PrevHash || n.Entries != e.Seq-1 {
				return badf("names head %.12s after %d entries, but follows %.12s after %d", n.Head, n.Entries, e.PrevHash, e.Seq-1)
			}
			if err := oldIs(nil, nil, nil); err != nil {
				return err
			}
		}
	default:
		return badf("unknown action")
	}
	a.UpdatedAt = e.Time
	return nil
}

// checkEnvelope checks what every entry must meet whatever its action.
func checkEnvelope(a *Assessment, prev ChainHead, e AuditEntry) error {
	first := e.Action == ActCreate || e.Action == ActSalvage
	switch {
	case !KnownFormat(e.Format):
		return fmt.Errorf("unknown entry format %d", e.Format)
	case e.Format < prev.Format:
		return errors.New("written in an older format after an entry in a newer one")
	case e.Format == 0 && (e.Action == ActImport || e.Action == ActSalvage || e.Action == ActRecord || e.Action == ActCatalog ||
		e.Action == ActSign || e.Action == ActMilestone || e.Action == ActReopen):
		return errors.New("an action of the current format in an entry of the old one")
	case prev.Seq == 0 && !first:
		return errors.New("the trail does not start with the assessment's creation")
	case prev.Seq != 0 && first:
		return errors.New("a creation inside a trail")
	case e.Seq != prev.Seq+1:
		return fmt.Errorf("entry %d follows entry %d", e.Seq, prev.Seq)
	case !first && e.Assessment != a.ID:
		return fmt.Errorf("belongs to assessment %q, not %q", e.Assessment, a.ID)
	case e.Time.IsZero():
		return errors.New("no time")
	case a.Deleted && e.Action != ActRestore && e.Action != ActImport:
		return errors.New("changes a deleted assessment")
	}
	if back := prev.Time.Sub(e.Time); back > 0 && (e.Format >= CanonicalFormat || back > MaxStampSkew) {
		return fmt.Errorf("dated %s, before the entry it follows (%s)", e.Time.UTC().Format(time.RFC3339Nano), prev.Time.UTC().Format(time.RFC3339Nano))
	}
	if err := ValidateActor(e.Actor); err != nil {
		return err
	}
	if err := CheckText("reason", e.Reason, MaxTextBytes); err != nil {
		return err
	}
	want := map[string]string{ActCreate: "assessment", ActSalvage: "assessment", ActInfo: "info", ActScope: "scope",
		ActServices: "services", ActWorkflow: "workflow", ActSignOff: "signoffs", ActDelete: "assessment",
		ActRestore: "assessment", ActImport: "import", ActCatalog: "catalog", ActSign: "signoffs", ActReopen: "workflow", ActFile: "evidence"}[e.Action]
	if want != "" && e.Target != want {
		return fmt.Errorf("the target of %s is %q", e.Action, want)
	}
	return CheckText("target", e.Target, MaxNameBytes+16)
}

// checkStamp checks a value's own time against the entry that records it.
func checkStamp(e AuditEntry, what string, t time.Time) error {
	if t.After(e.Time) || e.Time.Sub(t) > MaxStampSkew {
		return fmt.Errorf("%s (%s) is not the time of its entry (%s)", what, t.UTC().Format(time.RFC3339Nano), e.Time.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// checkDay refuses dates after the entry's day (a day's grace for time
// zones ahead of UTC): nothing is obtained or reviewed in the future.
func checkDay(e AuditEntry, what string, dates ...string) error {
	if e.Format < CanonicalFormat {
		return nil
	}
	limit := e.Time.UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	for _, d := range dates {
		if d > limit {
			return fmt.Errorf("dated %s, after the change that records it (%s)", d, e.Time.UTC().Format(time.DateOnly))
		}
	}
	return nil
}

// checkCreation checks the first entry's assessment: a new one starts as a
// draft with no signatures; only a baseline (Duplicate) or a salvage
// starts with answers and supplier records.
func checkCreation(a Assessment, e AuditEntry, cat *Catalog) error {
	switch {
	case !ValidID(a.ID):
		return fmt.Errorf("%q is not an onus assessment id", a.ID)
	case a.ID != e.Assessment:
		return fmt.Errorf("creates assessment %q in the trail of %q", a.ID, e.Assessment)
	case a.Workflow != WorkflowDraft:
		return fmt.Errorf("an assessment starts as a draft, not %q (a workflow step is an entry of its own)", a.Workflow)
	case len(a.SignOffs) > 0:
		return errors.New("an assessment starts with no sign-offs (each is an entry of its own)")
	case len(a.Milestones) > 0:
		return errors.New("an assessment starts with no milestones (each is an entry of its own)")
	case a.Deleted:
		return errors.New("an assessment does not start deleted")
	case a.CreatedBy != e.Actor:
		return fmt.Errorf("created by %q in an entry by %q", a.CreatedBy, e.Actor)
	case a.BaselineOf != "" && !ValidID(a.BaselineOf):
		return fmt.Errorf("baseline of %q, which is not an assessment id", a.BaselineOf)
	case e.Action == ActCreate && a.BaselineOf == "" && (len(a.Answers) > 0 || len(a.Supplier) > 0 || len(a.Records) > 0 || len(a.Actions) > 0):
		return errors.New("a new assessment starts with no answers, supplier records, record entries or actions (only a baseline carries them)")
	}
	if err := checkStamp(e, "the creation time", a.CreatedAt); err != nil {
		return err
	}
	if e.Action == ActSalvage {
		var n SalvageNote
		if err := decodeStrict(e.Old, &n); err != nil {
			return fmt.Errorf("the salvage note: %w", err)
		}
		if !ValidID(n.From) || n.From == a.ID || n.LastGood == 0 {
			return errors.New("the salvage note does not name the assessment and entry it continues")
		}
		if err := CheckText("finding", n.Finding, MaxTextBytes); err != nil {
			return err
		}
	} else if !absent(e.Old) {
		return errors.New("a creation has no old value")
	}
	if err := ValidateInfo(Info{Name: a.Name, Organisation: a.Organisation, System: a.System}); err != nil {
		return err
	}
	if err := ValidateScope(a.Scope); err != nil {
		return err
	}
	if err := checkFrameworks(cat, a.Scope.Frameworks); err != nil {
		return err
	}
	if err := checkProgrammes(cat, a.Scope.Programmes); err != nil {
		return err
	}
	if err := checkServices(cat, a.Services); err != nil {
		return err
	}
	if err := CheckText("catalog version", a.Catalog.Version, MaxNameBytes); err != nil {
		return err
	}
	if err := CheckText("catalog hash", a.Catalog.Hash, MaxNameBytes); err != nil {
		return err
	}
	if len(a.Supplier) > MaxSupplier {
		return fmt.Errorf("%d supplier records; the limit is %d", len(a.Supplier), MaxSupplier)
	}
	seen := map[string]bool{}
	for _, r := range a.Supplier {
		if seen[r.Source] {
			return fmt.Errorf("two supplier records for %q", r.Source)
		}
		seen[r.Source] = true
		if err := checkSupplier(cat, r, e.Format); err != nil {
			return err
		}
	}
	if err := checkInitialActions(cat, a.Actions); err != nil {
		return err
	}
	if err := ValidateRecords(a.Records); err != nil {
		return err
	}
	if len(a.Answers) > MaxAnswers {
		return fmt.Errorf("%d answers; the limit is %d", len(a.Answers), MaxAnswers)
	}
	for k, ans := range a.Answers {
		if k != ans.Control {
			return fmt.Errorf("the answer to %q is kept under %q", ans.Control, k)
		}
		if err := checkAnswer(cat, ans); err != nil {
			return err
		}
	}
	return checkRegister(&a, cat)
}

func checkAnswer(cat *Catalog, ans Answer) error {
	if err := ValidateAnswer(ans); err != nil {
		return fmt.Errorf("answer to %s: %w", ans.Control, err)
	}
	if cat != nil {
		if _, ok := cat.Control(ans.Control); !ok {
			return fmt.Errorf("unknown control %q in catalog %s", ans.Control, cat.Version)
		}
	}
	return nil
}

func checkSupplier(cat *Catalog, r SupplierRecord, format int) error {
	validate := ValidateSupplierRecord
	if format == 0 {
		validate = validateSupplier // the review rule came with CanonicalFormat
	}
	if err := validate(r); err != nil {
		return err
	}
	if cat != nil {
		if _, ok := cat.EvidenceSource(r.Source); !ok {
			return fmt.Errorf("unknown evidence source %q in catalog %s", r.Source, cat.Version)
		}
	}
	return nil
}

func checkServices(cat *Catalog, sel []SelectedService) error {
	if err := ValidateServices(sel); err != nil {
		return err
	}
	if cat == nil {
		return nil
	}
	for _, s := range sel {
		if err := cat.CheckServices([]string{s.ID}); err != nil {
			return fmt.Errorf("%w in catalog %s", err, cat.Version)
		}
		for _, o := range s.Overrides {
			if err := cat.CheckLayer(o.Layer); err != nil {
				return fmt.Errorf("%s: %w in catalog %s", s.ID, err, cat.Version)
			}
		}
	}
	return nil
}

func checkFrameworks(cat *Catalog, ids []string) error {
	if cat == nil {
		return nil
	}
	for _, f := range ids {
		if _, ok := cat.Framework(f); !ok {
			return fmt.Errorf("unknown framework %q in catalog %s", f, cat.Version)
		}
	}
	return nil
}

func checkProgrammes(cat *Catalog, ids []string) error {
	if cat == nil {
		return nil
	}
	for _, p := range ids {
		if _, ok := cat.Programme(p); !ok {
			return fmt.Errorf("unknown programme %q in catalog %s", p, cat.Version)
		}
	}
	return nil
}

// The same* functions compare values as their JSON would: a nil and an
// empty list are equal, and times are equal at the same instant.

func sameScope(x, y Scope) bool {
	return x.Impact == y.Impact && slices.Equal(x.Frameworks, y.Frameworks) && x.MultiTenant == y.MultiTenant &&
		x.OpenSystem == y.OpenSystem && x.ESignatures == y.ESignatures && x.DataClassification == y.DataClassification &&
		x.InternetFacing == y.InternetFacing && slices.Equal(x.DataCategories, y.DataCategories) && slices.Equal(x.Programmes, y.Programmes)
}

func sameServices(x, y []SelectedService) bool {
	return slices.EqualFunc(x, y, func(a, b SelectedService) bool {
		return a.ID == b.ID && slices.Equal(a.Overrides, b.Overrides) && (a.GAMP == nil) == (b.GAMP == nil) && (a.GAMP == nil || *a.GAMP == *b.GAMP)
	})
}

func sameAnswer(x, y Answer) bool {
	return x.Control == y.Control && x.Status == y.Status && x.Justification == y.Justification && x.Notes == y.Notes &&
		x.UpdatedBy == y.UpdatedBy && x.UpdatedAt.Equal(y.UpdatedAt) && slices.Equal(x.Evidence, y.Evidence) &&
		slices.Equal(x.Links, y.Links)
}

// putAt returns a copy of list with the item at i replaced by *v, or
// removed when v is nil; i < 0 appends *v. The copy keeps earlier states
// of an assessment (points, diffs) from sharing the new one's items.
func putAt[T any](list []T, i int, v *T) []T {
	kept := slices.Clone(list)
	switch {
	case v == nil && i >= 0:
		return slices.Delete(kept, i, i+1)
	case v == nil:
		return kept
	case i >= 0:
		kept[i] = *v
		return kept
	}
	return append(kept, *v)
}
