package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
	bolt "go.etcd.io/bbolt"
)

func TestMilestonesPointsAndDiff(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	cat := embedded(t)
	a := signable(t, db, cat)
	ctrl := cat.Applicable(a.Scope, a.Services)[0].ID

	if _, err := db.Milestone(a.ID, "2026-01-01"); err == nil {
		t.Error("a milestone named like a date")
	}
	a, err := db.Milestone(a.ID, "v1")
	if err != nil {
		t.Fatal(err)
	}
	trail, _ := db.History(a.ID)
	if m, ok := a.Milestone("v1"); !ok || m.Entries != uint64(len(trail)-1) || m.Head != trail[len(trail)-2].Hash || m.By != "alice" {
		t.Errorf("milestone v1 %+v: want the %d entries before it", m, len(trail)-1)
	}
	if _, err := db.Milestone(a.ID, "v1"); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("a second v1: %v", err)
	}
	if _, err := db.Answer(a.ID, model.Answer{Control: ctrl, Status: model.StatusPartial, Notes: "backups untested"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Milestone(a.ID, "v2"); err != nil {
		t.Fatal(err)
	}

	old, p, err := db.Point(a.ID + "@v1")
	if err != nil || old.Answer(ctrl).Status != model.StatusImplemented || p.Milestone != "v1" || p.Name != "LIMS" {
		t.Fatalf("point v1: %v %+v", err, p)
	}
	now, _, err := db.Point(a.ID)
	if err != nil || now.Answer(ctrl).Status != model.StatusPartial || len(now.Milestones) != 2 {
		t.Fatalf("point now: %v", err)
	}
	if _, _, err := db.Point(a.ID + "@v3"); err == nil {
		t.Error("a point at a milestone that does not exist")
	}
	if _, _, err := db.Point("nosuch@v1"); err == nil {
		t.Error("a point of an assessment that does not exist")
	}

	d, err := db.Diff(cat, a.ID+"@v1", a.ID+"@v2")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Answers) != 1 || d.Answers[0].Control != ctrl || len(d.Answers[0].Fields) != 2 || d.From.Milestone != "v1" || d.To.Milestone != "v2" {
		t.Errorf("diff v1 → v2: %+v", d)
	}

	// A baseline and its duplicate: the same answers, another name.
	dup, err := db.Duplicate(a.ID, "LIMS 2027")
	if err != nil {
		t.Fatal(err)
	}
	d, err = db.Diff(cat, a.ID, dup.ID)
	if err != nil || len(d.Answers) != 0 || len(d.Info) != 1 || d.Info[0].To != "LIMS 2027" {
		t.Errorf("baseline → duplicate: %v %+v", err, d)
	}
}

// diffTrail builds an assessment's trail of n entries as the store writes
// them (each checked by model.Step): services and a supplier record, then
// answers cycling over the applicable controls, with milestones "half"
// and "end" at the middle and the end.
func diffTrail(tb testing.TB, cat *model.Catalog, n int) model.Bundle {
	tb.Helper()
	const id = "bench0000000001"
	var a model.Assessment
	var trail []model.AuditEntry
	at := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	add := func(action, target string, old, v any) {
		e := model.AuditEntry{Assessment: id, Seq: uint64(len(trail) + 1), Time: at.Add(time.Duration(len(trail)) * time.Second),
			Actor: "bench", Action: action, Target: target, Format: model.EntryFormat, PrevHash: model.Head(trail)}
		var err error
		if old != nil {
			if e.Old, err = json.Marshal(old); err != nil {
				tb.Fatal(err)
			}
		}
		if e.New, err = json.Marshal(v); err != nil {
			tb.Fatal(err)
		}
		e.Hash = e.ComputeHash()
		var prev model.ChainHead
		if len(trail) > 0 {
			prev = trail[len(trail)-1].Link()
		}
		if err := model.Step(&a, prev, e, cat); err != nil {
			tb.Fatal(err)
		}
		trail = append(trail, e)
	}
	now := func() time.Time { return at.Add(time.Duration(len(trail)) * time.Second) }
	services := []string{"ec2", "s3", "rds", "lambda", "dynamodb", "cloudtrail"}
	add(model.ActCreate, "assessment", nil, model.Assessment{ID: id, Name: "Bench", Workflow: model.WorkflowDraft,
		Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select(services[:3]...),
		Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}, CreatedAt: at, CreatedBy: "bench", UpdatedAt: at})
	soc := model.SupplierRecord{Source: "soc2", Obtained: "2026-01-02", Status: model.SupplierPending}
	add(model.ActSupplier, "supplier/soc2", nil, soc)
	ctrls := cat.Applicable(a.Scope, model.Select(services...))
	for i := 0; len(trail) < n-2; i++ {
		switch {
		case len(trail) == n/2-1:
			add(model.ActMilestone, "milestones/half", nil, "half")
		case i%500 == 250:
			add(model.ActServices, "services", a.Services, model.Select(services[:3+i/500%4]...))
		default:
			c := ctrls[i%len(ctrls)]
			var old any
			if held, ok := a.Answers[c.ID]; ok {
				old = held
			}
			add(model.ActAnswer, "answer/"+c.ID, old, model.Answer{Control: c.ID, Status: model.Statuses[i%len(model.Statuses)],
				Justification: "not used by this system", Notes: fmt.Sprintf("workshop %d", i/len(ctrls)), UpdatedBy: "bench", UpdatedAt: now(),
				Evidence: []model.EvidenceRef{{Title: "OQ report", DocumentID: fmt.Sprintf("OQ-%03d", i%200), Supplier: model.SupplierCustomer}}})
		}
	}
	add(model.ActSupplier, "supplier/soc2", soc, model.SupplierRecord{Source: "soc2", Obtained: "2026-01-02", Status: model.SupplierAccepted,
		Reviewer: "QA", ReviewedOn: "2026-01-05"})
	add(model.ActMilestone, "milestones/end", nil, "end")
	return model.NewBundle(a, trail)
}

// BenchmarkDiff compares two milestones of one 10,000-entry trail, as
// onus diff ID@half ID@end does once the file is open: each side read from
// the file, its chain checked and its state rebuilt, then the diff through
// the catalog's resolution. The goal is under 200 ms (bench/table).
func BenchmarkDiff(b *testing.B) {
	db, _ := openTest(b, "bench")
	defer db.Close()
	cat := embedded(b)
	bundle := diffTrail(b, cat, 10_000)
	if _, err := db.Import(bundle); err != nil {
		b.Fatal(err)
	}
	id := bundle.Assessment.ID
	var d model.Diff
	start := time.Now()
	for b.Loop() {
		var err error
		if d, err = db.Diff(cat, id+"@half", id+"@end"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1e3/float64(b.N), "ms/diff")
	if d.To.Entries != 9_999 || len(d.Answers) == 0 {
		b.Fatalf("diff of %d entries with %d answers changed", d.To.Entries, len(d.Answers))
	}
}

// A diff reads a trail only after the check every change makes: an entry
// edited in the file, or rewritten with its hashes recomputed, is not
// shown as a point.
func TestDiffOfBrokenTrail(t *testing.T) {
	src, id, _ := tamperSource(t)
	for name, edit := range map[string]func(e *model.AuditEntry){
		"edited":    func(e *model.AuditEntry) { e.Actor = "mallory" },
		"rewritten": func(e *model.AuditEntry) { e.Reason = "said nothing"; e.Hash = e.ComputeHash() },
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "onus.db")
			copyFile(t, src, path)
			editRaw(t, path, func(tx *bolt.Tx) error {
				trail := tx.Bucket(bucketTrails).Bucket([]byte(id))
				var e model.AuditEntry
				if err := json.Unmarshal(trail.Get(seqKey(2)), &e); err != nil {
					return err
				}
				edit(&e)
				raw, _ := json.Marshal(e)
				return trail.Put(seqKey(2), raw)
			})
			db := reopen(t, path)
			defer mustClose(t, db)
			_, err := db.Diff(embedded(t), id, id)
			wantIntegrityError(t, "diff", err, id, "entry")
			_, _, err = db.Point(id)
			wantIntegrityError(t, "point", err, id)
		})
	}
}
