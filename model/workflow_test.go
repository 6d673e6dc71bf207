package model_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// book appends entries the way the store does: checked and applied by
// model.Step, linked; in EntryFormat unless format says otherwise.
type book struct {
	t      *testing.T
	a      model.Assessment
	trail  []model.AuditEntry
	format int
}

var bookStart = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newBook(t *testing.T) *book {
	return newBookFormat(t, model.EntryFormat)
}

func newBookFormat(t *testing.T, format int) *book {
	b := &book{t: t, format: format}
	b.must(model.ActCreate, "assessment", model.Assessment{ID: "a1", Name: "LIMS", Workflow: model.WorkflowDraft,
		Catalog: model.CatalogRef{Version: "2026.1", Hash: "c0ffee"}, CreatedBy: "ana", CreatedAt: bookStart}, "")
	return b
}

// now is the time of the next entry.
func (b *book) now() time.Time { return bookStart.Add(time.Duration(len(b.trail)) * time.Minute) }

// answer is an answer as the store stamps it for the next entry.
func (b *book) answer(control string, status model.Status) model.Answer {
	return model.Answer{Control: control, Status: status, UpdatedBy: "ana", UpdatedAt: b.now()}
}

func (b *book) entry(action, target string, old, v any, reason string) model.AuditEntry {
	raw, err := json.Marshal(v)
	if err != nil {
		b.t.Fatal(err)
	}
	e := model.AuditEntry{Assessment: "a1", Seq: uint64(len(b.trail) + 1), Time: b.now(), Actor: "ana", Action: action,
		Target: target, New: raw, Reason: reason, Format: b.format, PrevHash: model.Head(b.trail)}
	if old != nil {
		if e.Old, err = json.Marshal(old); err != nil {
			b.t.Fatal(err)
		}
	}
	e.Hash = e.ComputeHash()
	return e
}

// add appends a change, with the old value the assessment holds.
func (b *book) add(action, target string, v any, reason string) error {
	var old any
	switch action {
	case model.ActWorkflow, model.ActReopen:
		old = b.a.Workflow
	case model.ActInfo:
		old = model.Info{Name: b.a.Name, Organisation: b.a.Organisation, System: b.a.System}
	case model.ActServices:
		old = b.a.Services
	case model.ActDelete:
		old = b.a.Deleted
	case model.ActAnswer:
		if prev, ok := b.a.Answers[strings.TrimPrefix(target, "answer/")]; ok {
			old = prev
		}
	}
	e := b.entry(action, target, old, v, reason)
	var prev model.ChainHead
	if len(b.trail) > 0 {
		prev = b.trail[len(b.trail)-1].Link()
	}
	next := b.a.Clone()
	if err := model.Step(&next, prev, e, nil); err != nil {
		return err
	}
	b.a = next
	b.trail = append(b.trail, e)
	return nil
}

func (b *book) must(action, target string, v any, reason string) {
	b.t.Helper()
	if err := b.add(action, target, v, reason); err != nil {
		b.t.Fatalf("%s %s: %v", action, target, err)
	}
}

// signOff makes a sign-off on milestone ms as the store would (the
// signature text is not checked by the model).
func (b *book) signOff(ms string, step model.Workflow, gaps int, ack string) model.SignOff {
	m, ok := b.a.Milestone(ms)
	if !ok {
		b.t.Fatalf("no milestone %s", ms)
	}
	man := model.Manifest{Assessment: b.a.ID, Name: b.a.Name, CatalogVersion: b.a.Catalog.Version, CatalogHash: b.a.Catalog.Hash,
		Head: m.Head, Entries: m.Entries, Milestone: ms, Step: step, Meaning: "approved", Signer: "Jane Smith",
		Key: "SHA256:x", Time: b.now(), OpenHighGaps: gaps, Acknowledgement: ack}
	text, err := man.Encode()
	if err != nil {
		b.t.Fatal(err)
	}
	return man.SignOff(string(text), "sig")
}

func TestWorkflowFinalOnlyBySignature(t *testing.T) {
	b := newBook(t)
	b.must(model.ActAnswer, "answer/AT-01", b.answer("AT-01", model.StatusImplemented), "")
	b.must(model.ActWorkflow, "workflow", model.WorkflowInReview, "")
	err := b.add(model.ActWorkflow, "workflow", model.WorkflowFinal, "")
	if err == nil || !strings.Contains(err.Error(), "only through an electronic signature") {
		t.Fatalf("workflow → final: %v", err)
	}
	b.must(model.ActMilestone, "milestones/v1", "v1", "")
	if m, _ := b.a.Milestone("v1"); m.Entries != 3 || m.Head != b.trail[2].Hash || m.By != "ana" {
		t.Errorf("milestone %+v: want the 3 entries before it", m)
	}
	b.must(model.ActSign, "signoffs", b.signOff("v1", model.WorkflowFinal, 0, ""), "")
	if b.a.Workflow != model.WorkflowFinal || len(b.a.SignOffs) != 1 || !b.a.SignOffs[0].Signed() {
		t.Fatalf("after signing: %s %+v", b.a.Workflow, b.a.SignOffs)
	}

	// Final is read-only: every change is refused, naming how to reopen.
	for _, e := range []struct {
		action, target string
		v              any
	}{
		{model.ActAnswer, "answer/AT-01", b.answer("AT-01", model.StatusPartial)},
		{model.ActInfo, "info", model.Info{Name: "other"}},
		{model.ActServices, "services", model.Select("ec2")},
		{model.ActWorkflow, "workflow", model.WorkflowDraft},
		{model.ActDelete, "assessment", true},
		{model.ActMilestone, "milestones/v2", "v2"},
		{model.ActSignOff, "signoffs", model.SignOff{By: "ana", Meaning: "ok", At: b.now()}},
	} {
		err := b.add(e.action, e.target, e.v, "")
		if !errors.Is(err, model.ErrFinal) || !strings.Contains(err.Error(), "onus reopen a1 --reason") {
			t.Errorf("%s on a final assessment: %v", e.action, err)
		}
	}
	// A second signature on the same milestone is allowed, for final only.
	if err := b.add(model.ActSign, "signoffs", b.signOff("v1", model.WorkflowInReview, 0, ""), ""); err == nil {
		t.Error("an in-review signature on a final assessment")
	}
	b.must(model.ActSign, "signoffs", b.signOff("v1", model.WorkflowFinal, 0, ""), "")

	// Reopening needs a reason and supersedes every signature.
	if err := b.add(model.ActReopen, "workflow", model.WorkflowDraft, " "); err == nil {
		t.Error("reopened without a reason")
	}
	before := b.a.SignOffs
	b.must(model.ActReopen, "workflow", model.WorkflowDraft, "CAPA-7 changes the backup answer")
	if b.a.Workflow != model.WorkflowDraft || len(b.a.SignOffs) != 2 || !b.a.SignOffs[0].Superseded || !b.a.SignOffs[1].Superseded {
		t.Errorf("after reopening: %s %+v", b.a.Workflow, b.a.SignOffs)
	}
	if before[0].Superseded {
		t.Error("reopening changed the sign-offs of the state before it")
	}
	if err := b.add(model.ActReopen, "workflow", model.WorkflowDraft, "again"); err == nil {
		t.Error("reopened a draft whose signatures are all superseded")
	}
	b.must(model.ActAnswer, "answer/AT-01", b.answer("AT-01", model.StatusPartial), "")

	// The whole trail replays to the same assessment.
	again, err := model.Replay(b.trail)
	if err != nil || !model.SameAssessment(again, b.a) {
		t.Errorf("replay: %v", err)
	}
	if got := model.FirstChangeAfter(b.trail, 3); got != uint64(len(b.trail)) {
		t.Errorf("first change after the signed head: entry %d, want %d (the answer after reopening)", got, len(b.trail))
	}
}

func TestWorkflowSignatureChecks(t *testing.T) {
	b := newBook(t)
	b.must(model.ActMilestone, "milestones/m1", "m1", "")
	good := b.signOff("m1", model.WorkflowFinal, 0, "")
	for name, c := range map[string]struct {
		edit func(*model.Manifest)
		want string
	}{
		"other assessment":  {func(m *model.Manifest) { m.Assessment = "b2" }, "names assessment b2"},
		"other name":        {func(m *model.Manifest) { m.Name = "ELN" }, "name or catalog"},
		"other catalog":     {func(m *model.Manifest) { m.CatalogHash = "beef" }, "name or catalog"},
		"unknown milestone": {func(m *model.Manifest) { m.Milestone = "m9" }, "does not have"},
		"other head":        {func(m *model.Manifest) { m.Head = strings.Repeat("0", 64) }, "chain head"},
		"draft step":        {func(m *model.Manifest) { m.Step = model.WorkflowDraft }, "in-review or final"},
		"no meaning":        {func(m *model.Manifest) { m.Meaning = " " }, "meaning"},
		"gaps, no ack":      {func(m *model.Manifest) { m.OpenHighGaps = 2 }, "no acknowledgement"},
	} {
		m, err := good.ParseManifest()
		if err != nil {
			t.Fatal(err)
		}
		c.edit(&m)
		text, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		err = b.add(model.ActSign, "signoffs", m.SignOff(string(text), "sig"), "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	forged := good
	forged.Meaning = "reviewed"
	if err := b.add(model.ActSign, "signoffs", forged, ""); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("a meaning other than the one signed: %v", err)
	}
	unsigned := good
	unsigned.Signature = ""
	if err := b.add(model.ActSign, "signoffs", unsigned, ""); err == nil {
		t.Error("a signature entry without a signature")
	}
	b.must(model.ActSign, "signoffs", b.signOff("m1", model.WorkflowInReview, 2, "CAPA-12 and CAPA-13 are scheduled"), "")
	if b.a.Workflow != model.WorkflowInReview || b.a.SignOffs[0].OpenHighGaps != 2 {
		t.Errorf("signed with acknowledged gaps: %s %+v", b.a.Workflow, b.a.SignOffs)
	}
}

func TestMilestoneNames(t *testing.T) {
	for _, ok := range []string{"v1.0", "final-1", "baseline_2026", "Q4", "2026-Q4"} {
		if err := model.CheckMilestoneName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "-v1", ".x", "v 1", "v1@x", "v1/2", "2026-11-01", "2026-11-01T10:00:00Z", strings.Repeat("m", 65), "é"} {
		if err := model.CheckMilestoneName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	b := newBook(t)
	b.must(model.ActMilestone, "milestones/v1", "v1", "")
	if err := b.add(model.ActMilestone, "milestones/v1", "v1", ""); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("a second milestone v1: %v", err)
	}
}

// A new assessment cannot be born final or signed.
func TestWorkflowCreateStartsAsDraft(t *testing.T) {
	for name, init := range map[string]model.Assessment{
		"final":     {Workflow: model.WorkflowFinal},
		"signed":    {Workflow: model.WorkflowDraft, SignOffs: []model.SignOff{{By: "x", Meaning: "approved"}}},
		"milestone": {Workflow: model.WorkflowDraft, Milestones: []model.Milestone{{Name: "m"}}},
	} {
		init.ID, init.Name, init.CreatedBy, init.CreatedAt = "a1", "LIMS", "ana", bookStart
		b := &book{t: t, format: model.EntryFormat}
		if err := b.add(model.ActCreate, "assessment", init, ""); err == nil || !strings.Contains(err.Error(), "starts") {
			t.Errorf("created %s: %v", name, err)
		}
	}
}

// Trails written before these rules (entries without a format) reached
// final through a workflow entry and left it the same way: they still
// replay through Step. The same moves in entries of EntryFormat are
// refused, and an old final assessment takes new entries only as the
// rules allow (reopen, then change).
func TestWorkflowRulesByFormat(t *testing.T) {
	old := newBookFormat(t, 0)
	old.must(model.ActAnswer, "answer/AT-01", old.answer("AT-01", model.StatusImplemented), "")
	old.must(model.ActWorkflow, "workflow", model.WorkflowFinal, "")
	old.must(model.ActWorkflow, "workflow", model.WorkflowDraft, "")
	old.must(model.ActWorkflow, "workflow", model.WorkflowFinal, "")
	if _, err := model.ReplayChecked(old.trail, nil); err != nil {
		t.Fatalf("an old trail that reached final by a workflow entry: %v", err)
	}
	if old.a.Workflow != model.WorkflowFinal {
		t.Fatalf("old trail ends %s", old.a.Workflow)
	}
	// The old actions only: a signature needs the current format.
	if err := old.add(model.ActMilestone, "milestones/v1", "v1", ""); err == nil || !strings.Contains(err.Error(), "old one") {
		t.Errorf("a milestone in an old entry: %v", err)
	}

	// The file moves on in the current format: final is read-only now.
	old.format = model.EntryFormat
	if err := old.add(model.ActAnswer, "answer/AT-01", old.answer("AT-01", model.StatusPartial), ""); !errors.Is(err, model.ErrFinal) {
		t.Errorf("a new answer to an old final assessment: %v", err)
	}
	if err := old.add(model.ActWorkflow, "workflow", model.WorkflowDraft, ""); !errors.Is(err, model.ErrFinal) {
		t.Errorf("a new workflow entry leaving final: %v", err)
	}
	old.must(model.ActReopen, "workflow", model.WorkflowDraft, "CAPA-9")
	old.must(model.ActAnswer, "answer/AT-01", old.answer("AT-01", model.StatusPartial), "")
	if _, err := model.ReplayChecked(old.trail, nil); err != nil {
		t.Errorf("old entries followed by new ones: %v", err)
	}

	cur := newBook(t)
	cur.must(model.ActWorkflow, "workflow", model.WorkflowInReview, "")
	if err := cur.add(model.ActWorkflow, "workflow", model.WorkflowFinal, ""); err == nil || !strings.Contains(err.Error(), "only through an electronic signature") {
		t.Errorf("a current entry moving to final: %v", err)
	}
}
