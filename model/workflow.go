package model

import (
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
// rest. Step holds every entry of EntryFormat to these rules; trails
// written before them (entries without a format, and those of
// CanonicalFormat) reached final through a workflow entry, and keep
// verifying as they were written.

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

// checkFinal holds an entry of EntryFormat to the rule that a final
// assessment is read-only: it takes only a further signature, a
// reopening, or the record of its import.
func checkFinal(a *Assessment, e AuditEntry) error {
	if a.Workflow == WorkflowFinal && e.Action != ActReopen && e.Action != ActSign && e.Action != ActImport {
		return &FinalError{ID: a.ID}
	}
	return nil
}

// checkMilestone checks a new milestone's name.
func checkMilestone(a *Assessment, e AuditEntry, name string) error {
	if e.Target != "milestones/"+name {
		return fmt.Errorf("the target of milestone %q is %q", name, "milestones/"+name)
	}
	if err := CheckMilestoneName(name); err != nil {
		return err
	}
	if _, ok := a.Milestone(name); ok {
		return fmt.Errorf("assessment %s already has a milestone %q", a.ID, name)
	}
	return nil
}

// checkReopen checks a reopening: it has a reason, moves the assessment
// back to a step before final, and there is something to reopen.
func checkReopen(a *Assessment, e AuditEntry, w Workflow) error {
	switch {
	case strings.TrimSpace(e.Reason) == "":
		return errors.New("reopening needs a reason, recorded in the audit trail")
	case w != WorkflowDraft && w != WorkflowInReview:
		return fmt.Errorf("reopening moves to draft or in-review, not %q", w)
	case a.Workflow != WorkflowFinal && !slices.ContainsFunc(a.SignOffs, current):
		return fmt.Errorf("assessment %s is neither final nor signed: there is nothing to reopen", a.ID)
	}
	return nil
}

// current reports whether a signature still vouches for its assessment.
func current(s SignOff) bool { return s.Signed() && !s.Superseded }

// checkSign checks an electronic signature's entry: its manifest is what
// the sign-off shows, names this assessment as it is, and a milestone it
// has, with that milestone's head; it moves the workflow forward; it says
// what it means and who signed; open high-risk gaps are acknowledged; and
// it is recorded soon after it was made. Whether the signature itself
// verifies is for the sign package, which holds the keys' code.
func checkSign(a *Assessment, e AuditEntry, s SignOff) error {
	if !s.Signed() {
		return errors.New("a signature entry without a signature")
	}
	if err := ValidateSignOff(s); err != nil {
		return err
	}
	if err := CheckText("signature", s.Signature, MaxTextBytes); err != nil {
		return err
	}
	if err := CheckText("manifest", s.Manifest, MaxTextBytes); err != nil {
		return err
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
	case strings.TrimSpace(m.Key) == "":
		return errors.New("a signature needs its key's fingerprint")
	case m.OpenHighGaps < 0:
		return errors.New("a negative number of open gaps")
	case m.OpenHighGaps > 0 && strings.TrimSpace(m.Acknowledgement) == "":
		return fmt.Errorf("the manifest records %d open high-risk gaps and no acknowledgement of them", m.OpenHighGaps)
	case m.Time.After(e.Time) || e.Time.Sub(m.Time) > MaxSignDelay:
		return fmt.Errorf("signed at %s, but recorded at %s: a signature is recorded within %s of being made",
			m.Time.UTC().Format(time.RFC3339), e.Time.UTC().Format(time.RFC3339), MaxSignDelay)
	}
	return CheckText("acknowledgement", m.Acknowledgement, MaxTextBytes)
}

// applySign records a signature and moves the workflow to its step. It
// copies the list, so an earlier state sharing it keeps its own.
func applySign(a *Assessment, s SignOff) {
	a.SignOffs = append(slices.Clip(a.SignOffs), s)
	a.Workflow = s.Step
}

// applyMilestone names the point the entry follows: its head is the
// entry's previous hash, so the milestone cannot name anything else.
func applyMilestone(a *Assessment, e AuditEntry, name string) {
	a.Milestones = append(slices.Clip(a.Milestones), Milestone{Name: name, Head: e.PrevHash, Entries: e.Seq - 1, At: e.Time, By: e.Actor})
}

// applyReopen moves the assessment back and marks every signature so far
// superseded, in a copy of the list.
func applyReopen(a *Assessment, w Workflow) {
	signOffs := slices.Clone(a.SignOffs)
	for i := range signOffs {
		signOffs[i].Superseded = true
	}
	a.SignOffs, a.Workflow = signOffs, w
}
