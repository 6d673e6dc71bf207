package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The review workflow. An assessment becomes final only through an
// electronic signature; a final assessment is read-only until it is
// reopened, with a reason, which supersedes its signatures. Signing with
// high-risk gaps open needs an acknowledgement, which is signed with the
// rest. The store checks every new entry with CheckWorkflow.

// The workflow's audit actions (see Apply and the others in bundle.go).
const (
	ActSign      = "sign"      // target "signoffs"; New: SignOff with its manifest and signature, appended; the workflow moves to its step
	ActMilestone = "milestone" // target "milestones/NAME"; New: the name; its head and entries are the entry's prev_hash and seq-1
	ActReopen    = "reopen"    // target "workflow"; New: Workflow (draft); marks every sign-off superseded; Reason required
)

// ErrFinal matches any FinalError with errors.Is.
var ErrFinal = errors.New("assessment is final")

// FinalError refuses a change to a final assessment.
type FinalError struct{ ID string }

func (e *FinalError) Error() string {
	return fmt.Sprintf("assessment %s is final and read-only; to change it, reopen it with a reason (onus reopen %s --reason TEXT), which marks its signatures superseded", e.ID, e.ID)
}

func (e *FinalError) Is(target error) bool { return target == ErrFinal }

// OpenGapsError refuses a signature made with high-risk gaps open and no
// acknowledgement of them.
type OpenGapsError struct{ Gaps []Gap }

func (e *OpenGapsError) Error() string {
	subjects := make([]string, 0, 3)
	for _, g := range e.Gaps[:min(3, len(e.Gaps))] {
		subjects = append(subjects, g.Control+g.Source)
	}
	more := ""
	if len(e.Gaps) > 3 {
		more = fmt.Sprintf(" and %d more", len(e.Gaps)-3)
	}
	return fmt.Sprintf("%d high-risk gaps are open (%s%s); signing anyway needs an acknowledgement saying why (--acknowledge TEXT), which is signed and recorded",
		len(e.Gaps), strings.Join(subjects, ", "), more)
}

// HighGaps returns the review's high-risk gaps.
func HighGaps(r Review) []Gap {
	var out []Gap
	for _, g := range r.Gaps {
		if g.Risk == RiskHigh {
			out = append(out, g)
		}
	}
	return out
}

// ChangesRecord reports whether an action changes what a signature vouches
// for: everything but milestones, signatures, reopening and moves between
// workflow statuses.
func ChangesRecord(action string) bool {
	switch action {
	case ActMilestone, ActSign, ActSignOff, ActReopen, ActWorkflow:
		return false
	}
	return true
}

// FirstChangeAfter returns the sequence number of the first entry after
// the first n that changes the record (ChangesRecord), or 0.
func FirstChangeAfter(trail []AuditEntry, n uint64) uint64 {
	for _, e := range trail {
		if e.Seq > n && ChangesRecord(e.Action) {
			return e.Seq
		}
	}
	return 0
}

// MaxMilestoneName bounds a milestone's name.
const MaxMilestoneName = 64

// CheckMilestoneName accepts names that can follow an @ in a command:
// letters, digits, dot, underscore and hyphen, starting with a letter or
// digit, and not readable as a time (ID@TIME means a time).
func CheckMilestoneName(name string) error {
	if name == "" || len(name) > MaxMilestoneName {
		return fmt.Errorf("a milestone name has 1 to %d characters", MaxMilestoneName)
	}
	for i, r := range name {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || r != '.' && r != '_' && r != '-') {
			return fmt.Errorf("milestone name %q: use letters, digits, '.', '_' and '-', starting with a letter or digit", name)
		}
	}
	if _, err := ParseAsOf(name); err == nil {
		return fmt.Errorf("milestone name %q reads as a time; ID@%s would mean that time", name, name)
	}
	return nil
}

// ParseAsOf reads a point in time: an RFC 3339 time, or a date meaning the
// end of that day in UTC.
func ParseAsOf(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Add(24*time.Hour - time.Nanosecond), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither a date (2026-10-01) nor an RFC 3339 time (2026-10-01T17:00:00Z)", s)
}

// CheckWorkflow decides whether entry e may be appended to the trail of
// an assessment now in state a. The store calls it for every new entry,
// before Apply; it is not applied to trails recorded before these rules.
func CheckWorkflow(a *Assessment, e AuditEntry) error {
	if a.Workflow == WorkflowFinal && e.Action != ActReopen && e.Action != ActSign {
		return &FinalError{ID: a.ID}
	}
	switch e.Action {
	case ActCreate:
		var init Assessment
		if err := json.Unmarshal(e.New, &init); err != nil {
			return err
		}
		if init.Workflow != WorkflowDraft || len(init.SignOffs) > 0 || len(init.Milestones) > 0 {
			return errors.New("a new assessment starts as a draft, without sign-offs or milestones")
		}
	case ActWorkflow:
		var w Workflow
		if err := json.Unmarshal(e.New, &w); err != nil {
			return err
		}
		if w == WorkflowFinal {
			return fmt.Errorf("an assessment becomes final only through an electronic signature (onus sign %s --meaning TEXT)", a.ID)
		}
	case ActMilestone:
		var name string
		if err := json.Unmarshal(e.New, &name); err != nil {
			return err
		}
		if err := CheckMilestoneName(name); err != nil {
			return err
		}
		if _, ok := a.Milestone(name); ok {
			return fmt.Errorf("assessment %s already has a milestone %q", a.ID, name)
		}
	case ActSign:
		return checkSign(a, e)
	case ActReopen:
		if strings.TrimSpace(e.Reason) == "" {
			return errors.New("reopening needs a reason, recorded in the audit trail")
		}
		if a.Workflow != WorkflowFinal && !slices.ContainsFunc(a.SignOffs, current) {
			return fmt.Errorf("assessment %s is neither final nor signed: there is nothing to reopen", a.ID)
		}
	}
	return nil
}

// current reports whether a signature still vouches for its assessment.
func current(s SignOff) bool { return s.Signed() && !s.Superseded }

func checkSign(a *Assessment, e AuditEntry) error {
	var s SignOff
	if err := json.Unmarshal(e.New, &s); err != nil {
		return err
	}
	if !s.Signed() {
		return errors.New("a signature entry without a signature")
	}
	m, err := s.ParseManifest()
	if err != nil {
		return err
	}
	ms, ok := a.Milestone(m.Milestone)
	switch {
	case m.Assessment != a.ID:
		return fmt.Errorf("the manifest names assessment %s, not %s", m.Assessment, a.ID)
	case m.Name != a.Name || m.CatalogVersion != a.Catalog.Version || m.CatalogHash != a.Catalog.Hash:
		return errors.New("the manifest's name or catalog differs from the assessment's")
	case !ok:
		return fmt.Errorf("the manifest names milestone %q, which assessment %s does not have", m.Milestone, a.ID)
	case ms.Head != m.Head || ms.Entries != m.Entries:
		return fmt.Errorf("the manifest's chain head is not that of milestone %q", m.Milestone)
	case m.Step != WorkflowInReview && m.Step != WorkflowFinal:
		return fmt.Errorf("a signature moves an assessment to in-review or final, not %q", m.Step)
	case a.Workflow == WorkflowFinal && m.Step != WorkflowFinal:
		return fmt.Errorf("assessment %s is final: a further signature can only be for final", a.ID)
	case strings.TrimSpace(m.Meaning) == "":
		return errors.New("a signature needs its meaning (e.g. reviewed, approved)")
	case strings.TrimSpace(m.Signer) == "":
		return errors.New("a signature needs the signer's printed name")
	case m.OpenHighGaps < 0:
		return errors.New("a negative number of open gaps")
	case m.OpenHighGaps > 0 && strings.TrimSpace(m.Acknowledgement) == "":
		return fmt.Errorf("the manifest records %d open high-risk gaps and no acknowledgement of them", m.OpenHighGaps)
	}
	return nil
}

// applyWorkflow applies the workflow's own actions (see Apply).
func applyWorkflow(a *Assessment, e AuditEntry) error {
	switch e.Action {
	case ActSign:
		return applySign(a, e)
	case ActMilestone:
		return applyMilestone(a, e)
	}
	return applyReopen(a, e)
}

// applyMilestone names the point the entry follows: its head is the
// entry's previous hash, so the milestone cannot name anything else.
func applyMilestone(a *Assessment, e AuditEntry) error {
	var name string
	if err := json.Unmarshal(e.New, &name); err != nil {
		return err
	}
	a.Milestones = append(slices.Clip(a.Milestones), Milestone{Name: name, Head: e.PrevHash, Entries: e.Seq - 1, At: e.Time, By: e.Actor})
	return nil
}

// applySign records a signature and moves the workflow to its step.
func applySign(a *Assessment, e AuditEntry) error {
	var s SignOff
	if err := json.Unmarshal(e.New, &s); err != nil {
		return err
	}
	if !s.Step.Valid() {
		return fmt.Errorf("unknown workflow step %q", s.Step)
	}
	a.SignOffs = append(slices.Clip(a.SignOffs), s)
	a.Workflow = s.Step
	return nil
}

// applyReopen moves the assessment back to draft and marks every
// signature so far superseded. It copies the list, so an earlier state
// sharing it keeps its own.
func applyReopen(a *Assessment, e AuditEntry) error {
	var w Workflow
	if err := json.Unmarshal(e.New, &w); err != nil {
		return err
	}
	if !w.Valid() || w == WorkflowFinal {
		return fmt.Errorf("reopening moves to draft or in-review, not %q", w)
	}
	signOffs := slices.Clone(a.SignOffs)
	for i := range signOffs {
		signOffs[i].Superseded = true
	}
	a.SignOffs, a.Workflow = signOffs, w
	return nil
}
