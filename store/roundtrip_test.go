package store

import (
	"encoding/json"
	"errors"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// step is one expected audit entry.
type step struct{ action, target string }

// recorder runs store operations and remembers which audit entries each
// successful one must have added.
type recorder struct {
	t     *testing.T
	db    *DB
	trail []step
	last  model.Assessment
}

func (r *recorder) ok(action, target string) func(model.Assessment, error) model.Assessment {
	return func(a model.Assessment, err error) model.Assessment {
		r.t.Helper()
		if err != nil {
			r.t.Fatalf("%s %s: %v", action, target, err)
		}
		r.trail = append(r.trail, step{action, target})
		r.last = a
		return a
	}
}

// refused checks that an operation failed and left no trace in the trail.
func (r *recorder) refused(what string, wantErr string) func(model.Assessment, error) {
	return func(_ model.Assessment, err error) {
		r.t.Helper()
		r.checkRefused(what, wantErr, err)
	}
}

func (r *recorder) checkRefused(what, wantErr string, err error) {
	r.t.Helper()
	if err == nil {
		r.t.Fatalf("%s: accepted, want it refused", what)
	}
	if !strings.Contains(err.Error(), wantErr) {
		r.t.Errorf("%s: error %q, want it to mention %q", what, err, wantErr)
	}
	h, herr := r.db.History(r.last.ID)
	if herr != nil {
		r.t.Fatal(herr)
	}
	if len(h) != len(r.trail) {
		r.t.Errorf("%s was refused but the trail grew from %d to %d entries (last: %s %s)",
			what, len(r.trail), len(h), h[len(h)-1].Action, h[len(h)-1].Target)
	}
	got, gerr := r.db.Get(r.last.ID)
	if gerr != nil {
		r.t.Fatal(gerr)
	}
	if !reflect.DeepEqual(got, r.last) {
		r.t.Errorf("%s was refused but the assessment changed", what)
	}
}

func asJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func TestRoundTripEveryField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "onus.db")
	clk := newClock()
	db, err := Open(path, Options{Actor: "alice", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{t: t, db: db}

	scope := model.Scope{Impact: model.ImpactIndirect, Frameworks: []string{"21cfr11", "annex11"}, MultiTenant: true,
		OpenSystem: true, ESignatures: true, DataClassification: "confidential"}
	// ID, author, workflow, deletion and times are the store's to set.
	a := r.ok(model.ActCreate, "assessment")(db.Create(model.Assessment{
		ID: "forged", Name: "LIMS on AWS", Organisation: "Acme", System: "LIMS", Scope: scope,
		Services: model.Select("ec2", "s3", "rds"), Workflow: model.WorkflowFinal, Deleted: true, CreatedBy: "mallory",
		Catalog: model.CatalogRef{Version: "2026.1", Hash: "c0ffee"},
	}))
	id := a.ID
	if id == "" || id == "forged" || a.CreatedBy != "alice" || a.Workflow != model.WorkflowDraft || a.Deleted {
		t.Fatalf("Create kept caller-set bookkeeping: %s", asJSON(a))
	}
	if a.CreatedAt.Location() != time.UTC || a.UpdatedAt.Location() != time.UTC || a.UpdatedAt.Before(a.CreatedAt) {
		t.Errorf("created %v, updated %v: want UTC times, updated not before created", a.CreatedAt, a.UpdatedAt)
	}
	if !reflect.DeepEqual(a.Scope, scope) || a.Catalog.Hash != "c0ffee" || len(a.Services) != 3 {
		t.Errorf("Create lost scope, catalog or services: %s", asJSON(a))
	}

	// Overrides: set, replace the same layer, clear, and refusals.
	r.ok(model.ActServices, "services")(db.SetOverride(id, "ec2", model.ServiceOverride{Layer: "os", Owner: model.OwnerShared, Justification: "patched by the MSP"}))
	r.ok(model.ActServices, "services")(db.SetOverride(id, "ec2", model.ServiceOverride{Layer: "network", Owner: model.OwnerAWS, Justification: "managed VPC"}))
	a = r.ok(model.ActServices, "services")(db.SetOverride(id, "ec2", model.ServiceOverride{Layer: "os", Owner: model.OwnerCustomer, Justification: "we patch ourselves"}))
	if got := a.Services[0].Overrides; len(got) != 2 || got[1].Layer != "os" || got[1].Owner != model.OwnerCustomer {
		t.Errorf("replacing the os override: %+v", got)
	}
	r.ok(model.ActServices, "services")(db.SetOverride(id, "rds", model.ServiceOverride{Layer: "os", Owner: model.OwnerAWS, Justification: "managed engine"}))
	a = r.ok(model.ActServices, "services")(db.ClearOverride(id, "ec2", "network"))
	if got := a.Services[0].Overrides; len(got) != 1 || got[0].Layer != "os" {
		t.Errorf("after clearing network: %+v", got)
	}
	r.refused("override without justification", "justification")(db.SetOverride(id, "ec2", model.ServiceOverride{Layer: "data", Owner: model.OwnerAWS, Justification: "  "}))
	r.refused("override with unknown owner", "unknown owner")(db.SetOverride(id, "ec2", model.ServiceOverride{Layer: "data", Owner: "nobody", Justification: "x"}))
	r.refused("override of an unselected service", `"lambda" is not selected`)(db.SetOverride(id, "lambda", model.ServiceOverride{Layer: "data", Owner: model.OwnerAWS, Justification: "x"}))
	r.refused("clearing an override that is not there", "nothing to clear")(db.ClearOverride(id, "ec2", "network"))

	// Supplier records: add, default status, replace in place, remove.
	soc2 := model.SupplierRecord{Source: "soc2", Obtained: "2026-01-10", PeriodStart: "2025-01-01", PeriodEnd: "2025-12-31",
		Version: "2025 Type 2", Reviewer: "QA Bob", ReviewedOn: "2026-01-12", Status: model.SupplierAccepted, Notes: "no exceptions"}
	r.ok(model.ActSupplier, "supplier/soc2")(db.SetSupplierRecord(id, soc2))
	a = r.ok(model.ActSupplier, "supplier/iso27001")(db.SetSupplierRecord(id, model.SupplierRecord{Source: "iso27001", Obtained: "2026-02-01"}))
	if a.Supplier[1].Status != model.SupplierPending {
		t.Errorf("a record without status: %q, want pending", a.Supplier[1].Status)
	}
	r.ok(model.ActSupplier, "supplier/pci")(db.SetSupplierRecord(id, model.SupplierRecord{Source: "pci", Obtained: "2026-02-02", Status: model.SupplierNotNeeded}))
	soc2.Status, soc2.Notes = model.SupplierIssues, "one exception in CC6.1"
	a = r.ok(model.ActSupplier, "supplier/soc2")(db.SetSupplierRecord(id, soc2))
	if len(a.Supplier) != 3 || !reflect.DeepEqual(a.Supplier[0], soc2) {
		t.Errorf("replacing soc2 in place: %s", asJSON(a.Supplier))
	}
	a = r.ok(model.ActSupplier, "supplier/iso27001")(db.RemoveSupplierRecord(id, "iso27001"))
	if len(a.Supplier) != 2 || a.Supplier[0].Source != "soc2" || a.Supplier[1].Source != "pci" {
		t.Errorf("after removing iso27001: %s", asJSON(a.Supplier))
	}
	r.refused("supplier record with a bad date", "not YYYY-MM-DD")(db.SetSupplierRecord(id, model.SupplierRecord{Source: "x", Obtained: "10/01/2026"}))
	r.refused("supplier record with an unknown status", "unknown supplier evidence status")(db.SetSupplierRecord(id, model.SupplierRecord{Source: "x", Status: "lost"}))
	r.refused("removing a missing supplier record", `no supplier record for "hds"`)(db.RemoveSupplierRecord(id, "hds"))

	// Answers: evidence with every field, notes, not-applicable, clearing.
	full := model.Answer{Control: "REC-01", Status: model.StatusImplemented, Notes: "line one\nline two: ünïcödé",
		UpdatedBy: "mallory", UpdatedAt: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC),
		Evidence: []model.EvidenceRef{
			{Title: "OQ report", DocumentID: "OQ-042", Version: "2.0", Date: "2025-10-01", Location: "DMS/val/OQ-042", Supplier: model.SupplierCustomer},
			{Title: "SOC 2 Type 2", Supplier: model.SupplierAWS},
			{Title: "Pen test", DocumentID: "PT-7", Supplier: model.SupplierThirdParty},
		}}
	// The free-text references are filed in the register, one entry
	// each, and linked: one answer entry, three entry entries, one links.
	a = r.ok(model.ActAnswer, "answer/REC-01")(db.Answer(id, full, "first answer"))
	r.trail = append(r.trail, step{model.ActEntry, "evidence/E1"}, step{model.ActEntry, "evidence/E2"}, step{model.ActEntry, "evidence/E3"},
		step{model.ActLinks, "links/REC-01"})
	got := a.Answers["REC-01"]
	if got.UpdatedBy != "alice" || got.UpdatedAt.Location() != time.UTC || got.UpdatedAt.Year() != 2026 {
		t.Errorf("answer author/time are the caller's, not the store's: %s %v", got.UpdatedBy, got.UpdatedAt)
	}
	var refs []model.EvidenceRef
	for _, e := range linked(a, "REC-01") {
		refs = append(refs, model.EvidenceRef{Title: e.Title, DocumentID: e.DocumentID, Version: e.Version, Date: e.Date, Location: e.Location, Supplier: e.Owner})
	}
	if !reflect.DeepEqual(refs, full.Evidence) || len(got.Evidence) != 0 || got.Notes != full.Notes {
		t.Errorf("answer lost evidence or notes: %s", asJSON(got))
	}
	r.ok(model.ActAnswer, "answer/REC-02")(db.Answer(id, model.Answer{Control: "REC-02", Status: model.StatusNotApplicable, Justification: "no physical hosting"}, ""))
	r.refused("not-applicable without justification", "needs a justification")(db.Answer(id, model.Answer{Control: "REC-03", Status: model.StatusNotApplicable, Justification: " "}, ""))
	r.refused("unknown status", "unknown status")(db.Answer(id, model.Answer{Control: "REC-03", Status: "done"}, ""))
	r.refused("evidence without a title", "has no title")(db.Answer(id, model.Answer{Control: "REC-03", Status: model.StatusPartial, Evidence: []model.EvidenceRef{{Supplier: model.SupplierAWS}}}, ""))
	r.refused("evidence with a bad date", "not YYYY-MM-DD")(db.Answer(id, model.Answer{Control: "REC-03", Status: model.StatusPartial, Evidence: []model.EvidenceRef{{Title: "x", Date: "2025-13-01", Supplier: model.SupplierAWS}}}, ""))
	r.ok(model.ActAnswer, "answer/REC-03")(db.Answer(id, model.Answer{Control: "REC-03", Status: model.StatusPartial, Notes: "half done"}, ""))
	a = r.ok(model.ActAnswer, "answer/REC-03")(db.Answer(id, model.Answer{Control: "REC-03"}, "answered by mistake"))
	if _, ok := a.Answers["REC-03"]; ok || len(a.Answers) != 2 {
		t.Errorf("clearing REC-03 left answers %v", slices.Sorted(maps.Keys(a.Answers)))
	}

	// Workflow, sign-off, info, scope.
	r.ok(model.ActWorkflow, "workflow")(db.SetWorkflow(id, model.WorkflowInReview, "ready for QA"))
	r.refused("unknown workflow", "unknown workflow")(db.SetWorkflow(id, "approved", ""))
	a = r.ok(model.ActMilestone, "milestones/qa-1")(db.Milestone(id, "qa-1"))
	if m := a.Milestones[0]; m.By != "alice" || m.At.Location() != time.UTC || m.At.Year() != 2026 {
		t.Errorf("milestone: %+v (its author and time are the session's)", m)
	}
	r.refused("milestone named as a time", "reads as a time")(db.Milestone(id, "2026-01-01"))
	r.ok(model.ActInfo, "info")(db.UpdateInfo(id, model.Info{Name: "LIMS v2", Organisation: "Acme GmbH", System: "LIMS-2"}, "renamed"))
	r.refused("empty name", "needs a name")(db.UpdateInfo(id, model.Info{Name: " "}, ""))
	scope2 := model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"annex11"}, DataClassification: "restricted"}
	r.ok(model.ActScope, "scope")(db.UpdateScope(id, scope2, "rescoped"))
	r.refused("unknown impact", "unknown GxP impact")(db.UpdateScope(id, model.Scope{Impact: "high"}, ""))

	// Services: add (keeping an already selected one as it is), remove
	// (dropping its overrides).
	a = r.ok(model.ActServices, "services")(db.SelectServices(id, []string{"lambda", "ec2"}))
	if ids := a.ServiceIDs(); !slices.Equal(ids, []string{"ec2", "s3", "rds", "lambda"}) || len(a.Services[0].Overrides) != 1 {
		t.Errorf("after selecting lambda, ec2: %s", asJSON(a.Services))
	}
	r.ok(model.ActServices, "services")(db.DeselectServices(id, []string{"rds"}))
	a = r.ok(model.ActServices, "services")(db.SelectServices(id, []string{"rds"}))
	if rds := a.Services[3]; rds.ID != "rds" || len(rds.Overrides) != 0 {
		t.Errorf("a reselected service kept its old overrides: %+v", rds)
	}
	main := r.last
	mainTrail := r.trail

	// Duplicate: a baseline with a fresh trail naming the source's head.
	srcTrail, err := db.History(id)
	if err != nil {
		t.Fatal(err)
	}
	dup, err := db.Duplicate(id, "LIMS 2027")
	if err != nil {
		t.Fatal(err)
	}
	if dup.ID == id || dup.BaselineOf != id || dup.Name != "LIMS 2027" || dup.Workflow != model.WorkflowDraft ||
		len(dup.SignOffs) != 0 || dup.CreatedBy != "alice" || !reflect.DeepEqual(dup.Answers, main.Answers) ||
		!reflect.DeepEqual(dup.Services, main.Services) || !reflect.DeepEqual(dup.Supplier, main.Supplier) || dup.Scope.Impact != scope2.Impact {
		t.Errorf("duplicate: %s", asJSON(dup))
	}
	dupTrail, err := db.History(dup.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(dupTrail) != 1 || dupTrail[0].Action != model.ActCreate || dupTrail[0].PrevHash != "" ||
		!strings.Contains(dupTrail[0].Reason, id) || !strings.Contains(dupTrail[0].Reason, model.Head(srcTrail)) {
		t.Errorf("duplicate's trail: %s", asJSON(dupTrail))
	}
	unnamed, err := db.Duplicate(id, "")
	if err != nil || unnamed.Name != "LIMS v2 (baseline)" {
		t.Errorf("duplicate without a name: %q, %v", unnamed.Name, err)
	}

	// Delete and restore.
	if unnamed, err = db.Delete(unnamed.ID, "superseded"); err != nil || !unnamed.Deleted {
		t.Fatalf("delete: %v, deleted=%v", err, unnamed.Deleted)
	}
	if _, err := db.Delete(unnamed.ID, ""); err == nil {
		t.Error("deleting twice succeeded")
	}
	listIDs := func(all bool) []string {
		t.Helper()
		sums, err := db.List(all)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range sums {
			ids = append(ids, s.ID)
			if s.ID == unnamed.ID && s.Deleted != all {
				t.Errorf("summary of the deleted assessment: deleted=%v", s.Deleted)
			}
		}
		return ids
	}
	if ids := listIDs(false); slices.Contains(ids, unnamed.ID) || len(ids) != 2 {
		t.Errorf("List(false) = %v: want the deleted one hidden", ids)
	}
	if ids := listIDs(true); !slices.Contains(ids, unnamed.ID) || len(ids) != 3 {
		t.Errorf("List(true) = %v: want the deleted one listed", ids)
	}
	if _, err := db.Restore(dup.ID, ""); err == nil {
		t.Error("restoring an assessment that is not deleted succeeded")
	}
	if _, err := db.Delete(dup.ID, "to be restored"); err != nil {
		t.Fatal(err)
	}
	dup, err = db.Restore(dup.ID, "restored")
	if err != nil || dup.Deleted {
		t.Fatalf("restore: %v deleted=%v", err, dup.Deleted)
	}

	// Purge: gone for good, with a line in the store's log.
	scratch, err := db.Create(model.Assessment{Name: "scratch"})
	if err != nil {
		t.Fatal(err)
	}
	if scratch.Scope.Impact != model.ImpactDirect {
		t.Errorf("default impact %q, want direct", scratch.Scope.Impact)
	}
	scratchTrail, _ := db.History(scratch.ID)
	if err := db.Purge(scratch.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Purge(scratch.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("purging twice: %v, want ErrNotFound", err)
	}
	if _, err := db.Get(scratch.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after purge: %v", err)
	}
	if _, err := db.History(scratch.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("History after purge: %v", err)
	}
	if ids := listIDs(true); slices.Contains(ids, scratch.ID) {
		t.Error("a purged assessment is still listed")
	}
	want := map[string]model.Assessment{id: main, dup.ID: dup, unnamed.ID: unnamed}
	mustClose(t, db)

	// The log bucket has the purge, with the purged trail's head.
	raw, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var events []LogEvent
	raw.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("log")).ForEach(func(k, v []byte) error {
			var e LogEvent
			if err := json.Unmarshal(v, &e); err != nil {
				t.Errorf("log entry %x: %v", k, err)
			}
			events = append(events, e)
			return nil
		})
	})
	raw.Close()
	if len(events) != 1 || events[0].Action != "purge" || events[0].Assessment != scratch.ID ||
		events[0].Head != model.Head(scratchTrail) || events[0].Actor != "alice" || events[0].Time.Location() != time.UTC {
		t.Errorf("store log: %+v", events)
	}

	// Reopen: everything reads back exactly as it was returned.
	db, err = Open(path, Options{Actor: "bob", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	for wid, w := range want {
		got, err := db.Get(wid)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("after reopening, %s reads back as\n%s\nwant\n%s", wid, asJSON(got), asJSON(w))
		}
		if res := db.Verify(wid); res.Err != "" || res.Name != w.Name {
			t.Errorf("Verify(%s) = %+v", wid, res)
		}
	}
	results, err := db.VerifyAll()
	if err != nil || len(results) != 3 {
		t.Fatalf("VerifyAll: %d results, %v", len(results), err)
	}
	for _, res := range results {
		if res.Err != "" {
			t.Errorf("VerifyAll: %+v", res)
		}
	}

	// One entry per change, by alice, in UTC, each linked to the one before.
	trail, err := db.History(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != len(mainTrail) {
		t.Fatalf("trail has %d entries, %d changes were made", len(trail), len(mainTrail))
	}
	prev := ""
	for i, e := range trail {
		if (step{e.Action, e.Target}) != mainTrail[i] {
			t.Errorf("entry %d is %s %s, want %v", i+1, e.Action, e.Target, mainTrail[i])
		}
		if e.Seq != uint64(i+1) || e.Assessment != id || e.Actor != "alice" || e.PrevHash != prev || e.Hash != e.ComputeHash() {
			t.Errorf("entry %d: seq %d, assessment %s, actor %q, links %v, hash ok %v", i+1, e.Seq, e.Assessment, e.Actor, e.PrevHash == prev, e.Hash == e.ComputeHash())
		}
		if e.Time.Location() != time.UTC || e.Time.Nanosecond() != 589_793_238 {
			t.Errorf("entry %d time %v: want UTC with nanoseconds kept", i+1, e.Time)
		}
		if i > 0 && !e.Time.After(trail[i-1].Time) {
			t.Errorf("entry %d is not later than the one before", i+1)
		}
		prev = e.Hash
	}
	if !trail[len(trail)-1].Time.Equal(main.UpdatedAt) {
		t.Errorf("UpdatedAt %v is not the last entry's time %v", main.UpdatedAt, trail[len(trail)-1].Time)
	}
	// Old and new values and reasons are recorded.
	for _, e := range trail {
		switch {
		case e.Action == model.ActWorkflow:
			if string(e.Old) != `"draft"` || string(e.New) != `"in-review"` || e.Reason != "ready for QA" {
				t.Errorf("workflow entry: old %s new %s reason %q", e.Old, e.New, e.Reason)
			}
		case e.Action == model.ActInfo:
			var old model.Info
			if json.Unmarshal(e.Old, &old) != nil || old.Name != "LIMS on AWS" || e.Reason != "renamed" {
				t.Errorf("info entry: old %s reason %q", e.Old, e.Reason)
			}
		case e.Target == "supplier/iso27001" && string(e.New) == "null":
			if !strings.Contains(string(e.Old), `"iso27001"`) {
				t.Errorf("supplier removal keeps no old value: %s", e.Old)
			}
		}
	}

	// The summaries read back too, newest change first.
	sums, err := db.List(true)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		w := want[s.ID]
		if s.Name != w.Name || s.Workflow != w.Workflow || s.Services != len(w.Services) || !s.UpdatedAt.Equal(w.UpdatedAt) ||
			s.Deleted != w.Deleted || s.Catalog != w.Catalog || s.Answered != len(w.Answers) || s.Organisation != w.Organisation || s.System != w.System {
			t.Errorf("summary %+v does not match its assessment", s)
		}
	}
	if len(sums) != 3 {
		t.Errorf("List(true) after reopening: %d summaries, want 3", len(sums))
	}
	if !slices.IsSortedFunc(sums, func(x, y model.Summary) int { return y.UpdatedAt.Compare(x.UpdatedAt) }) {
		t.Error("List is not newest change first")
	}
}

func TestSecondOpenerInProcess(t *testing.T) {
	db, path := openTest(t, "alice")
	defer mustClose(t, db)
	start := time.Now()
	_, err := Open(path, Options{Timeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: %v, want ErrInUse", err)
	}
	var iu *InUseError
	if !errors.As(err, &iu) || iu.ExitCode() != 3 || !strings.Contains(err.Error(), "in use by another onus") || iu.Path != path {
		t.Errorf("error %q", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second Open took %v with a 200ms timeout", d)
	}
	if _, err := Open(path, Options{Timeout: 200 * time.Millisecond, ReadOnly: true}); !errors.Is(err, ErrInUse) {
		t.Errorf("read-only Open while held: %v, want ErrInUse", err)
	}
}
