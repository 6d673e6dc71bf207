package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Signatures, milestones and reopenings read as words in a report's
// trail, not as a clipped manifest.
func TestChangeOfWorkflowActions(t *testing.T) {
	entry := func(action string, v any) model.AuditEntry {
		raw, _ := json.Marshal(v)
		return model.AuditEntry{Seq: 8, Action: action, New: raw}
	}
	so := model.SignOff{By: "Jane Smith", Role: "QA", Meaning: "approved", Step: model.WorkflowFinal, Milestone: "final-1",
		Key: "SHA256:k", Manifest: strings.Repeat("m", 500), Signature: "-----BEGIN SSH SIGNATURE-----"}
	for want, e := range map[string]model.AuditEntry{
		"signed by Jane Smith (QA): approved (final, milestone final-1, key SHA256:k)": entry(model.ActSign, so),
		"milestone v1 at entry 7":                         entry(model.ActMilestone, "v1"),
		"reopened → draft; earlier signatures superseded": entry(model.ActReopen, model.WorkflowDraft),
	} {
		if got := changeOf(e); got != want {
			t.Errorf("%s: %q, want %q", e.Action, got, want)
		}
	}
}
