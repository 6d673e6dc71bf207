package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Audit actions. Each entry's New holds the complete new value of its
// Target, so the trail alone rebuilds the assessment (see Apply).
const (
	ActCreate    = "create"       // target "assessment"; New: the initial Assessment
	ActInfo      = "update-info"  // target "info"; New: Info
	ActScope     = "update-scope" // target "scope"; New: Scope
	ActServices  = "services"     // target "services"; New: []SelectedService
	ActSupplier  = "supplier"     // target "supplier/SOURCE"; New: SupplierRecord, or null when removed
	ActAnswer    = "answer"       // target "answer/CONTROL"; New: Answer
	ActWorkflow  = "workflow"     // target "workflow"; New: Workflow
	ActSignOff   = "sign-off"     // target "signoffs"; New: SignOff, appended
	ActDelete    = "delete"       // target "assessment"; New: true
	ActRestore   = "restore"      // target "assessment"; New: false
	ActImport    = "import"       // recorded in the importing store's own log, never in a trail
	BundleFormat = "onus-bundle"
)

// BundleVersion is the version of the bundle format this build writes.
const BundleVersion = 1

// MaxBundleBytes caps a bundle before it is parsed.
const MaxBundleBytes = 64 << 20

// Info is the descriptive part of an assessment.
type Info struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
	System       string `json:"system,omitempty"`
}

// Bundle is one assessment with its whole audit trail, for moving between
// offline machines and for archiving.
type Bundle struct {
	Format     string       `json:"format"`
	Version    int          `json:"version"`
	Assessment Assessment   `json:"assessment"`
	Trail      []AuditEntry `json:"trail"`
}

// NewBundle wraps an assessment and its trail.
func NewBundle(a Assessment, trail []AuditEntry) Bundle {
	return Bundle{Format: BundleFormat, Version: BundleVersion, Assessment: a, Trail: trail}
}

// Encode writes the canonical form: indented JSON in struct order with sorted
// map keys and a final newline; no export time, so the same data always
// gives the same bytes.
func (b Bundle) Encode() ([]byte, error) { return EncodeJSON(b) }

// EncodeJSON is how Onus writes JSON everywhere: indented by two spaces,
// fields in struct order, map keys sorted, a final newline, and <, > and
// & kept as they are (the text is the record; escaping is the reader's).
func EncodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecodeBundle reads a bundle, refusing oversized input, unknown formats and
// versions, and unknown fields.
func DecodeBundle(data []byte) (Bundle, error) {
	if len(data) > MaxBundleBytes {
		return Bundle{}, fmt.Errorf("bundle is %d bytes; bundles are limited to %d MiB", len(data), MaxBundleBytes>>20)
	}
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Bundle{}, fmt.Errorf("not a valid onus bundle: %w", err)
	}
	if b.Format != BundleFormat {
		return Bundle{}, fmt.Errorf("not an onus bundle (format %q)", b.Format)
	}
	if b.Version != BundleVersion {
		return Bundle{}, fmt.Errorf("bundle version %d is not supported (this onus reads version %d)", b.Version, BundleVersion)
	}
	return b, nil
}

// Verify checks a bundle: the trail must be an unbroken chain and must
// rebuild exactly the assessment it carries, so neither can be edited alone.
func (b Bundle) Verify() error {
	if len(b.Trail) == 0 {
		return fmt.Errorf("the bundle has no audit trail")
	}
	if err := VerifyChain(b.Trail); err != nil {
		return err
	}
	if len(b.Trail) > 0 && b.Trail[0].Assessment != b.Assessment.ID {
		return fmt.Errorf("trail belongs to assessment %s, bundle holds %s", b.Trail[0].Assessment, b.Assessment.ID)
	}
	rebuilt, err := Replay(b.Trail)
	if err != nil {
		return err
	}
	if !SameAssessment(rebuilt, b.Assessment) {
		return fmt.Errorf("the assessment does not match its audit trail (edited outside onus?)")
	}
	return nil
}

// SameAssessment compares two assessments as their canonical JSON, so a
// nil and an empty list, or times in different zones, compare equal.
func SameAssessment(x, y Assessment) bool {
	a, err1 := json.Marshal(normalised(x))
	b, err2 := json.Marshal(normalised(y))
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

func normalised(a Assessment) Assessment {
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if len(a.Services) == 0 {
		a.Services = nil
	}
	if len(a.Supplier) == 0 {
		a.Supplier = nil
	}
	if len(a.Answers) == 0 {
		a.Answers = nil
	} else {
		ans := make(map[string]Answer, len(a.Answers))
		for k, v := range a.Answers {
			v.UpdatedAt = v.UpdatedAt.UTC()
			ans[k] = v
		}
		a.Answers = ans
	}
	for i := range a.SignOffs {
		a.SignOffs[i].At = a.SignOffs[i].At.UTC()
	}
	if len(a.Scope.Frameworks) == 0 {
		a.Scope.Frameworks = nil
	}
	return a
}

// AsOf returns the bundle as it stood at t: the trail up to, not
// including, its first entry stamped after t, and the assessment that
// prefix rebuilds. The result verifies like any bundle; its head hash
// names the state an auditor can compare with a report of that day.
func (b Bundle) AsOf(t time.Time) (Bundle, error) {
	n := 0
	for n < len(b.Trail) && !b.Trail[n].Time.After(t) {
		n++
	}
	if n == 0 {
		return Bundle{}, fmt.Errorf("assessment %s did not exist yet at %s", b.Assessment.ID, t.UTC().Format(time.RFC3339))
	}
	prefix := b.Trail[:n:n]
	a, err := Replay(prefix)
	if err != nil {
		return Bundle{}, err
	}
	return NewBundle(a, prefix), nil
}

// Replay rebuilds an assessment from its trail.
func Replay(trail []AuditEntry) (Assessment, error) {
	var a Assessment
	for i, e := range trail {
		if i == 0 && e.Action != ActCreate {
			return Assessment{}, &ChainError{Seq: e.Seq, Reason: "the trail does not start with the assessment's creation"}
		}
		if err := Apply(&a, e); err != nil {
			return Assessment{}, err
		}
	}
	return a, nil
}

// Apply performs one audited change on an assessment. The store applies the
// same entries it appends, so a trail and its assessment cannot drift apart.
func Apply(a *Assessment, e AuditEntry) error {
	bad := func(err error) error {
		return &ChainError{Seq: e.Seq, Reason: fmt.Sprintf("%s %s: %v", e.Action, e.Target, err)}
	}
	switch e.Action {
	case ActCreate:
		var init Assessment
		if err := json.Unmarshal(e.New, &init); err != nil {
			return bad(err)
		}
		*a = init
	case ActInfo:
		var in Info
		if err := json.Unmarshal(e.New, &in); err != nil {
			return bad(err)
		}
		a.Name, a.Organisation, a.System = in.Name, in.Organisation, in.System
	case ActScope:
		var s Scope
		if err := json.Unmarshal(e.New, &s); err != nil {
			return bad(err)
		}
		a.Scope = s
	case ActServices:
		var s []SelectedService
		if err := json.Unmarshal(e.New, &s); err != nil {
			return bad(err)
		}
		a.Services = s
	case ActSupplier:
		source := strings.TrimPrefix(e.Target, "supplier/")
		kept := a.Supplier[:0:0]
		var rec *SupplierRecord
		if err := json.Unmarshal(e.New, &rec); err != nil {
			return bad(err)
		}
		placed := false
		for _, r := range a.Supplier {
			if r.Source == source {
				if rec != nil {
					kept = append(kept, *rec)
					placed = true
				}
				continue
			}
			kept = append(kept, r)
		}
		if rec != nil && !placed {
			kept = append(kept, *rec)
		}
		a.Supplier = kept
	case ActAnswer:
		var ans Answer
		if err := json.Unmarshal(e.New, &ans); err != nil {
			return bad(err)
		}
		if a.Answers == nil {
			a.Answers = map[string]Answer{}
		}
		if ans.Status == StatusUnanswered && len(ans.Evidence) == 0 && ans.Notes == "" && ans.Justification == "" {
			delete(a.Answers, ans.Control)
		} else {
			a.Answers[ans.Control] = ans
		}
	case ActWorkflow:
		var w Workflow
		if err := json.Unmarshal(e.New, &w); err != nil {
			return bad(err)
		}
		a.Workflow = w
	case ActSignOff:
		var s SignOff
		if err := json.Unmarshal(e.New, &s); err != nil {
			return bad(err)
		}
		a.SignOffs = append(a.SignOffs, s)
	case ActDelete, ActRestore:
		a.Deleted = e.Action == ActDelete
	case ActSign, ActMilestone, ActReopen:
		if err := applyWorkflow(a, e); err != nil {
			return bad(err)
		}
	default:
		return bad(fmt.Errorf("unknown action"))
	}
	a.UpdatedAt = e.Time
	return nil
}
