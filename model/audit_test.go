package model_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// chain builds a trail the way the store does: each entry in the current
// format, checked and applied to the assessment, and linked to the
// previous hash.
func chain(t *testing.T) (model.Assessment, []model.AuditEntry) {
	t.Helper()
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var a model.Assessment
	var trail []model.AuditEntry
	add := func(action, target string, old, v any) {
		at := t0.Add(time.Duration(len(trail)) * time.Minute)
		e := model.AuditEntry{Assessment: "a1", Seq: uint64(len(trail) + 1), Time: at, Format: model.EntryFormat,
			Actor: "ana", Action: action, Target: target, PrevHash: model.Head(trail)}
		var err error
		if old != nil {
			if e.Old, err = json.Marshal(old); err != nil {
				t.Fatal(err)
			}
		}
		if e.New, err = json.Marshal(stamped(v, at)); err != nil {
			t.Fatal(err)
		}
		e.Hash = e.ComputeHash()
		var prev model.ChainHead
		if len(trail) > 0 {
			prev = trail[len(trail)-1].Link()
		}
		if err := model.Step(&a, prev, e, nil); err != nil {
			t.Fatal(err)
		}
		trail = append(trail, e)
	}
	add(model.ActCreate, "assessment", nil, model.Assessment{ID: "a1", Name: "LIMS", Workflow: model.WorkflowDraft, CreatedAt: t0, CreatedBy: "ana"})
	add(model.ActServices, "services", []model.SelectedService{}, model.Select("ec2", "s3"))
	add(model.ActAnswer, "answer/AT-01", nil, model.Answer{Control: "AT-01", Status: model.StatusImplemented,
		Evidence: []model.EvidenceRef{{Title: "OQ report", Supplier: model.SupplierCustomer}}})
	add(model.ActSupplier, "supplier/soc2", nil, model.SupplierRecord{Source: "soc2", Obtained: "2026-10-01", Status: model.SupplierAccepted,
		Reviewer: "QA", ReviewedOn: "2026-10-20"})
	add(model.ActAnswer, "answer/REC-04", nil, model.Answer{Control: "REC-04", Status: model.StatusNotApplicable, Justification: "no personal data"})
	return a, trail
}

// stamped gives an answer the time and author the store gives it.
func stamped(v any, at time.Time) any {
	if ans, ok := v.(model.Answer); ok {
		ans.UpdatedAt, ans.UpdatedBy = at, "ana"
		return ans
	}
	return v
}

func TestChainDetectsTampering(t *testing.T) {
	_, trail := chain(t)
	if err := model.VerifyChain(trail); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	cases := map[string]struct {
		mutate func([]model.AuditEntry) []model.AuditEntry
		seq    uint64
		reason string
	}{
		"modified": {func(tr []model.AuditEntry) []model.AuditEntry {
			tr[2].New = json.RawMessage(`{"control":"AT-01","status":"not-implemented"}`)
			return tr
		}, 3, "modified"},
		"actor rewritten": {func(tr []model.AuditEntry) []model.AuditEntry { tr[1].Actor = "mallory"; return tr }, 2, "modified"},
		"removed":         {func(tr []model.AuditEntry) []model.AuditEntry { return append(tr[:2:2], tr[3:]...) }, 3, "removed or reordered"},
		"reordered": {func(tr []model.AuditEntry) []model.AuditEntry {
			tr[2], tr[3] = tr[3], tr[2]
			return tr
		}, 3, "removed or reordered"},
		"renumbered after removal": {func(tr []model.AuditEntry) []model.AuditEntry {
			tr = append(tr[:2:2], tr[3:]...)
			for i := range tr {
				tr[i].Seq = uint64(i + 1)
				tr[i].Hash = tr[i].ComputeHash()
			}
			return tr
		}, 3, "previous entry's hash"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, fresh := chain(t)
			err := model.VerifyChain(tc.mutate(fresh))
			var ce *model.ChainError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a ChainError", err)
			}
			if ce.Seq != tc.seq || !strings.Contains(ce.Reason, tc.reason) {
				t.Errorf("got entry %d: %s; want entry %d mentioning %q", ce.Seq, ce.Reason, tc.seq, tc.reason)
			}
		})
	}
}

func TestReplayRebuildsAssessment(t *testing.T) {
	a, trail := chain(t)
	b := model.NewBundle(a, trail)
	if err := b.Verify(); err != nil {
		t.Fatal(err)
	}
	if a.Answers["REC-04"].Justification != "no personal data" || len(a.Supplier) != 1 || len(a.Services) != 2 {
		t.Fatalf("applied state: %+v", a)
	}
	// Editing the snapshot without the trail is caught.
	b.Assessment.Answers = map[string]model.Answer{"AT-01": {Control: "AT-01", Status: model.StatusImplemented}}
	if err := b.Verify(); err == nil || !strings.Contains(err.Error(), "does not match its audit trail") {
		t.Fatalf("edited snapshot: %v", err)
	}
}

func TestBundleRoundTripIsCanonical(t *testing.T) {
	a, trail := chain(t)
	b := model.NewBundle(a, trail)
	one, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := model.DecodeBundle(one)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(); err != nil {
		t.Fatal(err)
	}
	two, _ := back.Encode()
	if string(one) != string(two) {
		t.Fatal("encode → decode → encode changed the bytes")
	}
	if _, err := model.DecodeBundle([]byte(`{"format":"onus-bundle","version":9}`)); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Errorf("future version: %v", err)
	}
	if _, err := model.DecodeBundle([]byte(`{"format":"other","version":1}`)); err == nil {
		t.Error("foreign format accepted")
	}
}

// A bundle as of a time is the trail up to that time and the state it
// rebuilds; it verifies, and before the creation there is nothing.
func TestBundleAsOf(t *testing.T) {
	a, trail := chain(t)
	b := model.NewBundle(a, trail)
	for n := 1; n <= len(trail); n++ {
		at := trail[n-1].Time.Add(30 * time.Second) // between entry n and n+1
		past, err := b.AsOf(at)
		if err != nil {
			t.Fatalf("as of entry %d: %v", n, err)
		}
		if len(past.Trail) != n || model.Head(past.Trail) != trail[n-1].Hash {
			t.Fatalf("as of entry %d: %d entries, head %s", n, len(past.Trail), model.Head(past.Trail))
		}
		if err := past.Verify(); err != nil {
			t.Fatalf("as of entry %d: %v", n, err)
		}
	}
	past, _ := b.AsOf(trail[2].Time)
	if ans := past.Assessment.Answer("AT-01"); ans.Status != model.StatusImplemented || len(past.Assessment.Supplier) != 0 {
		t.Fatalf("as of the third entry: AT-01 %s, %d supplier records", ans.Status, len(past.Assessment.Supplier))
	}
	if whole, _ := b.AsOf(trail[len(trail)-1].Time.Add(time.Hour)); !model.SameAssessment(whole.Assessment, a) {
		t.Fatal("as of after the last entry is not the assessment")
	}
	if _, err := b.AsOf(trail[0].Time.Add(-time.Second)); err == nil || !strings.Contains(err.Error(), "did not exist yet") {
		t.Fatalf("as of before the creation: %v", err)
	}
}
